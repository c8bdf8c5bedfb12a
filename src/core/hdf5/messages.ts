import { cString, type Cursor } from './bytes';

/** An HDF5 datatype, reduced to what this reader can turn into numbers or strings. */
export type Datatype =
  | {
      readonly kind: 'float';
      readonly size: number;
      readonly littleEndian: boolean;
      readonly format: 'float16' | 'bfloat16' | 'float32' | 'float64';
    }
  | { readonly kind: 'int'; readonly size: number; readonly littleEndian: boolean; readonly signed: boolean }
  | { readonly kind: 'string'; readonly size: number }
  | { readonly kind: 'vlen-string'; readonly size: number }
  | { readonly kind: 'other'; readonly size: number; readonly description: string };

/** HDF5 datatype class numbers (spec IV.A.2.d), for error messages. */
const CLASS_NAMES = [
  'fixed-point',
  'floating-point',
  'time',
  'string',
  'bitfield',
  'opaque',
  'compound',
  'reference',
  'enum',
  'variable-length',
  'array',
  'complex',
];

/** Largest rank HDF5 allows (H5S_MAX_RANK). */
export const MAX_RANK = 32;

/** Decodes a datatype message (or the datatype inside an attribute message). */
export function parseDatatype(cursor: Cursor): Datatype {
  const classAndVersion = cursor.u8();
  const typeClass = classAndVersion & 0x0f;
  const bits0 = cursor.u8();
  const bits1 = cursor.u8();
  cursor.u8();
  const size = cursor.u32();
  switch (typeClass) {
    case 0: // fixed-point: bit 0 byte order, bit 3 signed; then bit offset (2) and precision (2)
      return { kind: 'int', size, littleEndian: (bits0 & 1) === 0, signed: (bits0 & 0x08) !== 0 };
    case 1: {
      // floating-point: bit offset (2), precision (2), exponent location, exponent size, mantissa location, mantissa size, bias (4)
      cursor.skip(4);
      cursor.u8();
      const exponentBits = cursor.u8();
      const littleEndian = (bits0 & 0x41) === 0; // bits 0 and 6 both clear: little-endian (VAX order unsupported)
      cursor.check((bits0 & 0x40) === 0, 'unsupported', () => `VAX-order floating point`);
      const format =
        size === 4 ? 'float32' : size === 8 ? 'float64' : size === 2 ? (exponentBits === 8 ? 'bfloat16' : 'float16') : undefined;
      if (!format) return { kind: 'other', size, description: `${size * 8}-bit floating point` };
      return { kind: 'float', size, littleEndian, format };
    }
    case 3:
      return { kind: 'string', size };
    case 9: // variable-length: bits 0-3 type (1 = string)
      return (bits0 & 0x0f) === 1 ? { kind: 'vlen-string', size } : { kind: 'other', size, description: 'variable-length sequence' };
    default:
      void bits1;
      return { kind: 'other', size, description: CLASS_NAMES[typeClass] ?? `class ${typeClass}` };
  }
}

/** A dataspace: the dimensions of a dataset or attribute ([] for a scalar); `null` spaces hold no elements. */
export interface Dataspace {
  readonly dims: readonly number[];
  readonly isNull: boolean;
}

/** Decodes a dataspace message (versions 1 and 2). */
export function parseDataspace(cursor: Cursor): Dataspace {
  const version = cursor.u8();
  const rank = cursor.u8();
  const flags = cursor.u8();
  cursor.check(rank <= MAX_RANK, 'bad-header', () => `dataspace of rank ${rank}, at most ${MAX_RANK} is possible`);
  let isNull = false;
  if (version === 1) {
    cursor.skip(5);
  } else if (version === 2) {
    isNull = cursor.u8() === 2;
  } else {
    cursor.check(false, 'unsupported', () => `dataspace message version ${version}, expected 1 or 2`);
  }
  const dims: number[] = [];
  for (let i = 0; i < rank; i++) dims.push(cursor.length());
  void flags; // bit 0: maximum dimensions follow; not needed for reading
  return { dims, isNull };
}

/** Where and how a chunked dataset's chunk index is stored. */
export type ChunkIndex =
  | { readonly type: 'btree-v1'; readonly address: number }
  | { readonly type: 'single'; readonly address: number; readonly filteredSize?: number; readonly filterMask?: number }
  | { readonly type: 'implicit'; readonly address: number }
  | { readonly type: 'fixed-array'; readonly address: number }
  | { readonly type: 'unsupported'; readonly name: string };

/** How a dataset's raw data is stored. */
export type Layout =
  | { readonly kind: 'compact'; readonly data: Uint8Array }
  | { readonly kind: 'contiguous'; readonly address: number; readonly size: number }
  | { readonly kind: 'chunked'; readonly chunkDims: readonly number[]; readonly elementSize: number; readonly index: ChunkIndex };

const CHUNK_INDEX_NAMES = ['', 'single chunk', 'implicit', 'fixed array', 'extensible array', 'version 2 B-tree'];

/** Decodes a data layout message (versions 3 and 4; versions 1 and 2 predate HDF5 1.6 and are refused). */
export function parseLayout(cursor: Cursor): Layout {
  const version = cursor.u8();
  cursor.check(version === 3 || version === 4, 'unsupported', () => `data layout message version ${version}, expected 3 or 4`);
  const layoutClass = cursor.u8();
  if (layoutClass === 0) return { kind: 'compact', data: cursor.take(cursor.u16()) };
  if (layoutClass === 1) return { kind: 'contiguous', address: cursor.address(), size: cursor.length() };
  cursor.check(layoutClass === 2, 'unsupported', () => `data layout class ${layoutClass === 3 ? 'virtual' : layoutClass}`);
  if (version === 3) {
    // Dimensionality counts one extra dimension: the element size, stored last.
    const dimensionality = cursor.u8();
    cursor.check(dimensionality >= 1 && dimensionality <= MAX_RANK + 1, 'bad-header', () => `chunk dimensionality ${dimensionality}`);
    const address = cursor.address();
    const dims: number[] = [];
    for (let i = 0; i < dimensionality; i++) dims.push(cursor.u32());
    return {
      kind: 'chunked',
      chunkDims: dims.slice(0, -1),
      elementSize: dims[dims.length - 1] as number,
      index: { type: 'btree-v1', address },
    };
  }
  const flags = cursor.u8();
  const dimensionality = cursor.u8();
  cursor.check(dimensionality >= 1 && dimensionality <= MAX_RANK + 1, 'bad-header', () => `chunk dimensionality ${dimensionality}`);
  const encodedLength = cursor.u8();
  cursor.check(encodedLength >= 1 && encodedLength <= 8, 'bad-header', () => `chunk dimension width ${encodedLength}`);
  const dims: number[] = [];
  for (let i = 0; i < dimensionality; i++) dims.push(cursor.uint(encodedLength));
  const indexType = cursor.u8();
  let index: ChunkIndex;
  switch (indexType) {
    case 1: {
      // Flag bit 1 (SINGLE_INDEX_WITH_FILTER): the filtered size and filter mask follow.
      const filtered = (flags & 0x02) !== 0;
      const filteredSize = filtered ? cursor.length() : undefined;
      const filterMask = filtered ? cursor.u32() : undefined;
      index = { type: 'single', address: cursor.address(), ...(filtered ? { filteredSize, filterMask } : {}) } as ChunkIndex;
      break;
    }
    case 2:
      index = { type: 'implicit', address: cursor.address() };
      break;
    case 3:
      cursor.u8(); // page bits: repeated in the fixed array header
      index = { type: 'fixed-array', address: cursor.address() };
      break;
    default:
      index = { type: 'unsupported', name: CHUNK_INDEX_NAMES[indexType] ?? `type ${indexType}` };
  }
  return { kind: 'chunked', chunkDims: dims.slice(0, -1), elementSize: dims[dims.length - 1] as number, index };
}

/** One filter of a dataset's pipeline. */
export interface Filter {
  readonly id: number;
  readonly name: string;
  readonly clientData: readonly number[];
}

/** Names of the filters the HDF5 library and h5py register, for error messages. */
const FILTER_NAMES: Record<number, string> = {
  1: 'deflate',
  2: 'shuffle',
  3: 'fletcher32',
  4: 'szip',
  5: 'nbit',
  6: 'scaleoffset',
  32000: 'lzf',
  32001: 'blosc',
  32004: 'lz4',
  32015: 'zstd',
};

/** Decodes a filter pipeline message (versions 1 and 2). */
export function parseFilterPipeline(cursor: Cursor): Filter[] {
  const version = cursor.u8();
  cursor.check(version === 1 || version === 2, 'unsupported', () => `filter pipeline message version ${version}, expected 1 or 2`);
  const count = cursor.u8();
  if (version === 1) cursor.skip(6);
  const filters: Filter[] = [];
  for (let i = 0; i < count; i++) {
    const id = cursor.u16();
    const nameLength = version === 1 || id >= 256 ? cursor.u16() : 0;
    cursor.u16(); // flags: bit 0 marks an optional filter
    const values = cursor.u16();
    let stored = '';
    if (nameLength > 0) {
      stored = cString(cursor.take(nameLength));
      if (version === 1) cursor.align(8);
    }
    const name = FILTER_NAMES[id] ?? (stored || `filter ${id}`);
    const clientData: number[] = [];
    for (let v = 0; v < values; v++) clientData.push(cursor.u32());
    if (version === 1 && values % 2 === 1) cursor.skip(4); // version 1 pads client data to 8 bytes
    filters.push({ id, name, clientData });
  }
  return filters;
}

/** An attribute message, decoded up to its raw data. */
export interface RawAttribute {
  readonly name: string;
  readonly datatype: Datatype;
  readonly dataspace: Dataspace;
  readonly data: Uint8Array;
}

/** Decodes an attribute message (versions 1 to 3). */
export function parseAttribute(cursor: Cursor): RawAttribute {
  const version = cursor.u8();
  cursor.check(version >= 1 && version <= 3, 'unsupported', () => `attribute message version ${version}, expected 1 to 3`);
  const flags = cursor.u8();
  const nameSize = cursor.u16();
  const datatypeSize = cursor.u16();
  const dataspaceSize = cursor.u16();
  if (version === 3) cursor.u8(); // name character set
  const name = cString(cursor.take(nameSize));
  if (version === 1) cursor.align(8);
  const typeBytes = cursor.take(datatypeSize);
  if (version === 1) cursor.align(8);
  const spaceBytes = cursor.take(dataspaceSize);
  if (version === 1) cursor.align(8);
  // Flag bits 0/1: the datatype/dataspace is shared (a reference we do not follow).
  const datatype: Datatype =
    flags & 0x01 ? { kind: 'other', size: 0, description: 'shared datatype' } : parseDatatype(cursor.sub(typeBytes, 'datatype'));
  const dataspace = flags & 0x02 ? { dims: [], isNull: true } : parseDataspace(cursor.sub(spaceBytes, 'dataspace'));
  const count = dataspace.isNull ? 0 : dataspace.dims.reduce((a, b) => a * b, 1);
  const dataBytes = Math.min(cursor.remaining, count * datatype.size);
  return { name, datatype, dataspace, data: cursor.take(dataBytes) };
}

/** A link of a new-style group. */
export interface LinkMessage {
  readonly name: string;
  /** The object's header address for a hard link; undefined for soft and external links. */
  readonly address?: number;
  readonly kind: 'hard' | 'soft' | 'external';
}

/** Decodes a link message (in an object header or in a group's fractal heap). */
export function parseLink(cursor: Cursor): LinkMessage {
  const version = cursor.u8();
  cursor.check(version === 1, 'unsupported', () => `link message version ${version}, expected 1`);
  const flags = cursor.u8();
  const type = flags & 0x08 ? cursor.u8() : 0;
  if (flags & 0x04) cursor.skip(8); // creation order
  if (flags & 0x10) cursor.u8(); // name character set
  const nameLength = cursor.uint(1 << (flags & 0x03));
  const name = new TextDecoder('utf-8').decode(cursor.take(nameLength));
  if (type === 0) return { name, kind: 'hard', address: cursor.address() };
  return { name, kind: type === 1 ? 'soft' : 'external' };
}

/** The heap and name index of a new-style group's dense link storage (or of dense attribute storage). */
export interface DenseStorage {
  readonly heapAddress: number;
  readonly nameIndexAddress: number;
}

/** Decodes a link info message (0x02) or an attribute info message (0x15): both lead to a fractal heap and a v2 B-tree. */
export function parseDenseStorageInfo(cursor: Cursor, kind: 'link' | 'attribute'): DenseStorage {
  cursor.u8(); // version 0
  const flags = cursor.u8();
  if (flags & 0x01) cursor.skip(kind === 'link' ? 8 : 2); // maximum creation index
  return { heapAddress: cursor.address(), nameIndexAddress: cursor.address() };
}

/** Decodes a symbol table message (old-style group): a v1 B-tree and the local heap of link names. */
export function parseSymbolTable(cursor: Cursor): { btreeAddress: number; heapAddress: number } {
  return { btreeAddress: cursor.address(), heapAddress: cursor.address() };
}
