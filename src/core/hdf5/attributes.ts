import { ensure } from '../errors';
import { UNDEFINED_ADDRESS, cString } from './bytes';
import { readBtree2Records } from './btree2';
import type { Hdf5Context } from './context';
import { FractalHeap } from './fractal-heap';
import { parseAttribute, parseDenseStorageInfo, type RawAttribute } from './messages';
import { MSG, MSG_FLAG_SHARED, type HeaderMessage } from './object-header';

/** An attribute's value as JavaScript data. */
export type AttributeValue =
  | { readonly kind: 'strings'; readonly dims: readonly number[]; readonly values: readonly string[] }
  | { readonly kind: 'numbers'; readonly dims: readonly number[]; readonly values: readonly number[] }
  | { readonly kind: 'unsupported'; readonly dims: readonly number[]; readonly description: string };

/** A global heap collection is at least 4096 bytes; this many is far beyond any attribute's strings. */
const MAX_COLLECTION_BYTES = 256 << 20;

/** The raw attributes of an object: compact ones in its header and dense ones in its fractal heap. */
export async function objectAttributes(context: Hdf5Context, messages: readonly HeaderMessage[]): Promise<RawAttribute[]> {
  const attributes = messages
    .filter((m) => m.type === MSG.attribute && (m.flags & MSG_FLAG_SHARED) === 0)
    .map((m) => parseAttribute(context.wrap(m.data, 'attribute message')));
  const info = messages.find((m) => m.type === MSG.attributeInfo);
  if (info) {
    const dense = parseDenseStorageInfo(context.wrap(info.data, 'attribute info message'), 'attribute');
    if (dense.heapAddress !== UNDEFINED_ADDRESS && dense.nameIndexAddress !== UNDEFINED_ADDRESS) {
      const heap = await FractalHeap.open(context, dense.heapAddress);
      // Type 8 records: an 8-byte heap ID, message flags, creation order (4) and name hash (4).
      for (const record of await readBtree2Records(context, dense.nameIndexAddress, 8)) {
        const bytes = await heap.get(record.subarray(0, 8));
        attributes.push(parseAttribute(context.wrap(bytes, 'attribute in a fractal heap')));
      }
    }
  }
  return attributes;
}

/** Decodes an attribute's raw bytes into numbers or strings (following variable-length strings into the global heap). */
export async function decodeAttribute(context: Hdf5Context, attribute: RawAttribute): Promise<AttributeValue> {
  const { datatype, dataspace, data } = attribute;
  const dims = dataspace.dims;
  const count = dataspace.isNull ? 0 : dims.reduce((a, b) => a * b, 1);
  ensure(
    datatype.size >= 1 && count * datatype.size <= data.byteLength,
    'bad-header',
    () => `${context.name}: attribute "${attribute.name}" needs ${count * datatype.size} bytes, its message holds ${data.byteLength}`,
  );
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  switch (datatype.kind) {
    case 'string': {
      const values: string[] = [];
      for (let i = 0; i < count; i++) values.push(cString(data.subarray(i * datatype.size, (i + 1) * datatype.size)));
      return { kind: 'strings', dims, values };
    }
    case 'vlen-string': {
      const values: string[] = [];
      for (let i = 0; i < count; i++) {
        const element = context.wrap(data.subarray(i * datatype.size, (i + 1) * datatype.size), `attribute "${attribute.name}"`);
        const length = element.u32();
        const collection = element.address();
        const index = element.u32();
        values.push(length === 0 || collection === UNDEFINED_ADDRESS ? '' : await globalHeapString(context, collection, index, length));
      }
      return { kind: 'strings', dims, values };
    }
    case 'float': {
      const values: number[] = [];
      for (let i = 0; i < count; i++) {
        const at = i * datatype.size;
        if (datatype.format === 'float64') values.push(view.getFloat64(at, datatype.littleEndian));
        else if (datatype.format === 'float32') values.push(view.getFloat32(at, datatype.littleEndian));
        else return { kind: 'unsupported', dims, description: `${datatype.format} attribute` };
      }
      return { kind: 'numbers', dims, values };
    }
    case 'int': {
      const values: number[] = [];
      for (let i = 0; i < count; i++)
        values.push(readInteger(view, i * datatype.size, datatype.size, datatype.signed, datatype.littleEndian));
      return { kind: 'numbers', dims, values };
    }
    default:
      return { kind: 'unsupported', dims, description: datatype.description };
  }
}

function readInteger(view: DataView, at: number, size: number, signed: boolean, littleEndian: boolean): number {
  switch (size) {
    case 1:
      return signed ? view.getInt8(at) : view.getUint8(at);
    case 2:
      return signed ? view.getInt16(at, littleEndian) : view.getUint16(at, littleEndian);
    case 4:
      return signed ? view.getInt32(at, littleEndian) : view.getUint32(at, littleEndian);
    case 8:
      return Number(signed ? view.getBigInt64(at, littleEndian) : view.getBigUint64(at, littleEndian));
    default:
      return NaN;
  }
}

async function globalHeapString(context: Hdf5Context, collection: number, index: number, length: number): Promise<string> {
  const objects = await globalHeap(context, collection);
  const bytes = objects.get(index);
  ensure(bytes, 'bad-header', () => `${context.name}: global heap collection ${collection} has no object ${index}`);
  ensure(
    length <= bytes.byteLength,
    'bad-header',
    () => `${context.name}: string of ${length} bytes in a ${bytes.byteLength}-byte heap object`,
  );
  return new TextDecoder('utf-8').decode(bytes.subarray(0, length));
}

/** Reads a global heap collection ("GCOL") into its objects by index. */
function globalHeap(context: Hdf5Context, address: number): Promise<Map<number, Uint8Array>> {
  return context.remember(`global-heap:${address}`, async () => {
    const L = context.lengthSize;
    const what = `global heap collection at ${address}`;
    const head = await context.cursor(address, 8 + L, what);
    head.signature('GCOL');
    head.skip(4); // version and reserved
    const size = head.length();
    ensure(size >= 8 + L && size <= MAX_COLLECTION_BYTES, 'bad-header', () => `${context.name}: ${what} claims ${size} bytes`);
    const cursor = context.wrap((await context.read(address, size, what)).slice(), what);
    cursor.skip(8 + L);
    const objects = new Map<number, Uint8Array>();
    // Each object: index (2), reference count (2), reserved (4), size (L), data padded to 8 bytes; index 0 is free space.
    while (cursor.remaining >= 8 + L) {
      const index = cursor.u16();
      cursor.skip(6);
      const objectSize = cursor.length();
      if (index === 0) break;
      objects.set(index, cursor.take(objectSize));
      cursor.align(8);
    }
    return objects;
  });
}
