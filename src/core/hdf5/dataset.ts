import { unzlibSync } from 'fflate';
import type { SourceDType } from '../checkpoint';
import { decodeToFloat32 } from '../dtype';
import { CheckpointError, ensure, throwIfAborted } from '../errors';
import { chunkRecords } from './chunks';
import type { Hdf5Context } from './context';
import type { Datatype, Filter, Layout } from './messages';

/** What a dataset's header says about its data. */
export interface DatasetInfo {
  readonly dims: readonly number[];
  readonly datatype: Datatype;
  readonly layout: Layout;
  readonly filters: readonly Filter[];
}

/** Largest float32 result we allocate (4 GB, V8's typed array limit on 64-bit). */
const MAX_OUTPUT_BYTES = 2 ** 32 - 1;
/** Deflate cannot expand data more than ~1032×; a dataset claiming more than that over the file is lying. */
const MAX_DEFLATE_RATIO = 1032;
/** HDF5 limits a chunk to 4 GB. */
const MAX_CHUNK_BYTES = 2 ** 32 - 1;
/** A chunk may exceed a small dataset (resizable datasets), but not by more than this. */
const LARGE_CHUNK_BYTES = 64 << 20;
/** Contiguous data is decoded in slices of this size, so the raw bytes never sit in memory whole beside the result. */
const SLICE_BYTES = 16 << 20;

/** The element type of a numeric dataset as the shared decoder names it, or undefined when it is not numeric. */
export function sourceDType(datatype: Datatype): SourceDType | undefined {
  if (datatype.kind === 'float') return datatype.format;
  if (datatype.kind !== 'int') return undefined;
  if (datatype.size === 1) return datatype.signed ? 'int8' : 'uint8';
  if (datatype.size === 2) return datatype.signed ? 'int16' : 'uint16';
  if (datatype.size === 4 && datatype.signed) return 'int32';
  return undefined;
}

/**
 * Checks a dataset header's claims against the file before anyone sizes anything by them: the element count
 * must fit the storage the layout describes (and the file), so a corrupt dimension cannot drive an allocation.
 */
export function checkDatasetExtent(context: Hdf5Context, info: DatasetInfo, what: string): void {
  const elementSize = info.datatype.size;
  ensure(elementSize >= 1, 'bad-header', () => `${context.name}: ${what} has ${elementSize}-byte elements`);
  const count = info.dims.reduce((a, b) => a * b, 1);
  const need = count * elementSize;
  const { layout } = info;
  if (layout.kind === 'compact') {
    ensure(
      need <= layout.data.byteLength,
      'bad-header',
      () => `${context.name}: ${what} is [${info.dims.join(', ')}] (${need} bytes), its compact storage holds ${layout.data.byteLength}`,
    );
  } else if (layout.kind === 'contiguous') {
    ensure(
      need <= layout.size,
      'bad-header',
      () =>
        `${context.name}: ${what} is [${info.dims.join(', ')}] × ${elementSize} bytes = ${need} bytes, its storage holds ${layout.size}`,
    );
    if (need > 0) context.position(layout.address, need, what);
  } else {
    ensure(
      need <= context.size * MAX_DEFLATE_RATIO,
      'too-large',
      () => `${context.name}: ${what} claims ${need} bytes, far more than a ${context.size}-byte file can hold`,
    );
  }
}

/** Reads a whole numeric dataset as float32, row-major in its own shape. */
export async function readDatasetFloat32(
  context: Hdf5Context,
  info: DatasetInfo,
  what: string,
  signal?: AbortSignal,
): Promise<Float32Array> {
  const cancel = signal ?? context.signal;
  const dtype = sourceDType(info.datatype);
  if (!dtype || info.datatype.kind === 'string' || info.datatype.kind === 'vlen-string' || info.datatype.kind === 'other') {
    throw new CheckpointError('unsupported', `${context.name}: ${what} holds ${describeType(info.datatype)}, expected numbers`);
  }
  const littleEndian = info.datatype.littleEndian;
  const elementSize = info.datatype.size;
  const count = info.dims.reduce((a, b) => a * b, 1);
  ensure(count * 4 <= MAX_OUTPUT_BYTES, 'too-large', () => `${context.name}: ${what} has ${count} elements, more than we can hold`);
  checkDatasetExtent(context, info, what);
  const { layout } = info;
  if (layout.kind === 'compact' || layout.kind === 'contiguous') {
    const need = count * elementSize;
    const out = new Float32Array(count);
    if (layout.kind === 'compact') {
      decodeToFloat32(layout.data, dtype, littleEndian, count, out, 0);
      return out;
    }
    const step = Math.max(elementSize, Math.floor(SLICE_BYTES / elementSize) * elementSize);
    for (let done = 0; done < need; done += step) {
      throwIfAborted(cancel, context.name);
      const bytes = await context.read(layout.address + done, Math.min(step, need - done), what);
      decodeToFloat32(bytes, dtype, littleEndian, bytes.byteLength / elementSize, out, done / elementSize);
    }
    return out;
  }
  ensure(
    layout.chunkDims.length === info.dims.length && layout.chunkDims.every((c) => c >= 1),
    'bad-header',
    () => `${context.name}: ${what} has chunks [${layout.chunkDims.join(', ')}] for a [${info.dims.join(', ')}] dataset`,
  );
  ensure(
    layout.elementSize === elementSize,
    'bad-header',
    () => `${context.name}: ${what} stores ${layout.elementSize}-byte elements, its datatype has ${elementSize}`,
  );
  const chunkBytes = layout.chunkDims.reduce((a, b) => a * b, 1) * elementSize;
  ensure(
    chunkBytes <= Math.min(MAX_CHUNK_BYTES, Math.max(count * elementSize, LARGE_CHUNK_BYTES)),
    'bad-header',
    () => `${context.name}: ${what} has ${chunkBytes}-byte chunks for ${count * elementSize} bytes of data`,
  );
  const out = new Float32Array(count);
  for (const record of await chunkRecords(context, layout, info.dims)) {
    throwIfAborted(cancel, context.name);
    const stored = await context.read(record.address, record.size, `a chunk of ${what}`);
    const chunk = unfilter(stored, info.filters, record.filterMask, chunkBytes, `${context.name}: a chunk of ${what}`);
    placeChunk(chunk, record.offsets, layout.chunkDims, info.dims, dtype, littleEndian, elementSize, out, `${context.name}: ${what}`);
  }
  return out;
}

function describeType(datatype: Datatype): string {
  if (datatype.kind === 'other') return datatype.description;
  if (datatype.kind === 'string' || datatype.kind === 'vlen-string') return 'strings';
  return `${datatype.size * 8}-bit ${datatype.kind === 'int' && !datatype.signed ? 'unsigned ' : ''}${datatype.kind}`;
}

/** Undoes a chunk's filters, last applied first, skipping those its filter mask marks. */
function unfilter(stored: Uint8Array, filters: readonly Filter[], mask: number, chunkBytes: number, label: string): Uint8Array {
  let data = stored;
  for (let i = filters.length - 1; i >= 0; i--) {
    if (mask & (1 << i)) continue;
    const filter = filters[i] as Filter;
    switch (filter.id) {
      case 1: {
        // One spare byte tells a stream that inflates to more than a chunk from one that fits exactly.
        let inflated: Uint8Array;
        try {
          inflated = unzlibSync(data, { out: new Uint8Array(chunkBytes + 1) });
        } catch (error) {
          throw new CheckpointError('bad-header', `${label}: deflate data is corrupt (${(error as Error).message})`);
        }
        ensure(inflated.byteLength <= chunkBytes, 'bad-header', () => `${label}: inflates to more than its ${chunkBytes} bytes`);
        data = inflated;
        break;
      }
      case 2:
        data = unshuffle(data, filter.clientData[0] ?? 1);
        break;
      case 3:
        ensure(data.byteLength >= 4, 'bad-header', () => `${label}: too short for its Fletcher-32 checksum`);
        data = data.subarray(0, data.byteLength - 4);
        break;
      default:
        throw new CheckpointError(
          'unsupported',
          `${label}: compressed with the "${filter.name}" filter, which we do not read (deflate, shuffle and fletcher32 are read)`,
        );
    }
  }
  ensure(
    data.byteLength === chunkBytes,
    'bad-header',
    () => `${label}: holds ${data.byteLength} bytes after its filters, expected ${chunkBytes}`,
  );
  return data;
}

/** Reverses HDF5's byte shuffle: byte b of every element was stored in plane b. */
function unshuffle(data: Uint8Array, elementSize: number): Uint8Array {
  if (elementSize <= 1) return data;
  const elements = Math.floor(data.byteLength / elementSize);
  const out = new Uint8Array(data.byteLength);
  for (let b = 0; b < elementSize; b++) {
    const plane = b * elements;
    for (let i = 0; i < elements; i++) out[i * elementSize + b] = data[plane + i] as number;
  }
  out.set(data.subarray(elements * elementSize), elements * elementSize); // leftover bytes are stored as they are
  return out;
}

/** Copies a decoded chunk into its place in the row-major result, clipping the dataset's edges. */
function placeChunk(
  chunk: Uint8Array,
  offsets: readonly number[],
  chunkDims: readonly number[],
  dims: readonly number[],
  dtype: SourceDType,
  littleEndian: boolean,
  elementSize: number,
  out: Float32Array,
  label: string,
): void {
  const rank = dims.length;
  const extent = dims.map((size, d) => Math.min(chunkDims[d] as number, size - (offsets[d] as number)));
  ensure(
    offsets.every((o, d) => o % (chunkDims[d] as number) === 0) && extent.every((e) => e > 0),
    'bad-header',
    () => `${label}: a chunk at [${offsets.join(', ')}] lies outside [${dims.join(', ')}]`,
  );
  const chunkStride = new Array<number>(rank).fill(1);
  const dimStride = new Array<number>(rank).fill(1);
  for (let d = rank - 2; d >= 0; d--) {
    chunkStride[d] = (chunkStride[d + 1] as number) * (chunkDims[d + 1] as number);
    dimStride[d] = (dimStride[d + 1] as number) * (dims[d + 1] as number);
  }
  const run = extent[rank - 1] as number;
  const index = new Array<number>(Math.max(0, rank - 1)).fill(0);
  for (;;) {
    let source = 0;
    let target = offsets[rank - 1] as number;
    for (let d = 0; d < rank - 1; d++) {
      source += (index[d] as number) * (chunkStride[d] as number);
      target += ((offsets[d] as number) + (index[d] as number)) * (dimStride[d] as number);
    }
    decodeToFloat32(chunk.subarray(source * elementSize), dtype, littleEndian, run, out, target);
    let d = rank - 2;
    while (d >= 0) {
      index[d] = (index[d] as number) + 1;
      if ((index[d] as number) < (extent[d] as number)) break;
      index[d] = 0;
      d--;
    }
    if (d < 0) return;
  }
}
