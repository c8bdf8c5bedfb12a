import type { SourceDType } from '../checkpoint';
import { decodeToFloat32, transpose } from '../dtype';
import { CheckpointError } from '../errors';
import { readExact, type ByteSource } from '../io/byte-source';
import { NUMPY_CODES } from '../npy-header';
import type { PickleHooks } from './objects';
import { LazyBytes, asInteger, sequenceItems, type PickleGlobal, type PickleNative, type PickleValue } from './values';

/** A numpy dtype as pickled: `numpy.dtype('f4', False, True)` then BUILD with its byte order. */
export class NumpyDType implements PickleNative {
  readonly pickleKind = 'numpy dtype';
  /** '<', '>', '|' (not applicable) or '=' (native); numpy pickles '<' or '|' for our types. */
  byteOrder = '=';
  constructor(
    /** The type code: 'f4', 'f2', 'f8', 'i8', 'u4', 'O8', … */
    readonly code: string,
  ) {}
  build(state: PickleValue): void {
    const order = sequenceItems(state)?.[1];
    if (typeof order === 'string') this.byteOrder = order;
  }
  /** Little-endian unless the pickle says '>' ('=' is the writer's native order, little on every platform we know). */
  get littleEndian(): boolean {
    return this.byteOrder !== '>';
  }
  /** Bytes per element, from the code's size digits (0 when the code has none). */
  get itemSize(): number {
    const digits = /\d+$/.exec(this.code);
    return digits ? Number(digits[0]) : 0;
  }
}

/** A numpy array pickled inline: `_reconstruct(ndarray, (0,), b'b')` then BUILD (version, shape, dtype, fortran, data). */
export class NumpyArray implements PickleNative {
  readonly pickleKind = 'numpy array';
  shape: number[] = [0];
  dtype: NumpyDType | undefined;
  fortranOrder = false;
  /** Raw element bytes (possibly left in the file), or the element list of an object array. */
  data: Uint8Array | LazyBytes | readonly PickleValue[] = new Uint8Array(0);

  build(state: PickleValue): void {
    const items = sequenceItems(state);
    // numpy writes (version, shape, dtype, is_fortran, rawdata); very old pickles omit the version.
    const fields = items?.length === 5 ? items.slice(1) : items;
    const [shape, dtype, fortran, raw] = fields ?? [];
    this.shape = (sequenceItems(shape) ?? []).map((dim) => asInteger(dim) ?? -1);
    this.dtype = dtype instanceof NumpyDType ? dtype : undefined;
    this.fortranOrder = fortran === true;
    if (raw instanceof Uint8Array || raw instanceof LazyBytes) this.data = raw;
    else if (typeof raw === 'string') this.data = Uint8Array.from(raw, (char) => char.charCodeAt(0) & 0xff);
    else this.data = sequenceItems(raw) ?? [];
  }

  /** Number of elements. */
  get size(): number {
    return this.shape.reduce((product, dim) => product * dim, 1);
  }
}

/** numpy moved its internals from numpy.core to numpy._core in 2.0; pickles from both name them. */
function numpyInternal(global: PickleGlobal, module: string, name: string): boolean {
  return global.name === name && (global.module === `numpy.core.${module}` || global.module === `numpy._core.${module}`);
}

/** Interprets numpy's pickled arrays, dtypes and scalars as data. */
export const numpyHooks: PickleHooks = {
  construct(callee, args) {
    if (numpyInternal(callee, 'multiarray', '_reconstruct')) return new NumpyArray();
    if (callee.qualified === 'numpy.dtype') {
      const [code] = args;
      return typeof code === 'string' ? new NumpyDType(code) : undefined;
    }
    if (numpyInternal(callee, 'multiarray', 'scalar')) return scalarValue(args);
    if (numpyInternal(callee, 'numeric', '_frombuffer')) {
      const [buffer, dtype, shape, order] = args;
      if (!(dtype instanceof NumpyDType) || !(buffer instanceof Uint8Array || buffer instanceof LazyBytes)) return undefined;
      const array = new NumpyArray();
      array.build([sequenceItems(shape) ? (shape as PickleValue) : [], dtype, order === 'F', buffer]);
      return array;
    }
    return undefined;
  },
};

/** numpy.core.multiarray.scalar(dtype, bytes): a numpy number (np.float32(0.5), np.int64(3)). */
function scalarValue(args: readonly PickleValue[]): PickleValue | undefined {
  const [dtype, raw] = args;
  if (!(dtype instanceof NumpyDType)) return undefined;
  const bytes = raw instanceof Uint8Array ? raw : typeof raw === 'string' ? Uint8Array.from(raw, (c) => c.charCodeAt(0) & 0xff) : undefined;
  if (!bytes || bytes.byteLength !== dtype.itemSize) return undefined;
  const values = numbersFromBytes(bytes, dtype, 1);
  return values?.[0];
}

/** The SourceDType of a numpy type code, for matrices (float and small integer types). */
export function numpySourceDType(dtype: NumpyDType): SourceDType | undefined {
  return NUMPY_CODES[dtype.code];
}

function numbersFromBytes(bytes: Uint8Array, dtype: NumpyDType, count: number): number[] | undefined {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const little = dtype.littleEndian;
  const size = dtype.itemSize;
  const read: ((at: number) => number) | undefined = {
    i8: (at: number) => Number(view.getBigInt64(at, little)),
    u8: (at: number) => Number(view.getBigUint64(at, little)),
    i4: (at: number) => view.getInt32(at, little),
    u4: (at: number) => view.getUint32(at, little),
    i2: (at: number) => view.getInt16(at, little),
    u2: (at: number) => view.getUint16(at, little),
    i1: (at: number) => view.getInt8(at),
    u1: (at: number) => view.getUint8(at),
    f8: (at: number) => view.getFloat64(at, little),
    f4: (at: number) => view.getFloat32(at, little),
  }[dtype.code];
  if (!read || bytes.byteLength < count * size) return undefined;
  return Array.from({ length: count }, (_, i) => read(i * size));
}

/** The array's raw bytes, read from `source` when they were left in the file; checked against shape × itemsize. */
export async function arrayBytes(array: NumpyArray, source: ByteSource, what: string): Promise<Uint8Array> {
  const dtype = array.dtype;
  if (!dtype || dtype.itemSize === 0 || Array.isArray(array.data)) {
    throw new CheckpointError(
      'unsupported',
      `${source.name}: ${what} is a numpy array of ${dtype?.code ?? 'unknown'} elements, expected numbers`,
    );
  }
  if (array.shape.some((dim) => !Number.isSafeInteger(dim) || dim < 0)) {
    throw new CheckpointError('bad-header', `${source.name}: ${what} has shape (${array.shape.join(', ')}), expected non-negative sizes`);
  }
  const need = array.size * dtype.itemSize;
  const data = array.data as Uint8Array | LazyBytes;
  const have = data instanceof LazyBytes ? data.length : data.byteLength;
  if (have !== need) {
    throw new CheckpointError(
      'bad-header',
      `${source.name}: ${what} says (${array.shape.join(', ')}) ${dtype.code} = ${need} bytes, the pickle holds ${have}`,
    );
  }
  return data instanceof LazyBytes ? readExact(source, data.offset, data.length, what) : data;
}

/** A 1-D numeric array (counts) as numbers. */
export async function arrayNumbers(array: NumpyArray, source: ByteSource, what: string): Promise<number[]> {
  const bytes = await arrayBytes(array, source, what);
  const values = array.dtype ? numbersFromBytes(bytes, array.dtype, array.size) : undefined;
  if (!values)
    throw new CheckpointError('unsupported', `${source.name}: ${what} has numpy type ${array.dtype?.code}, expected ints or floats`);
  return values;
}

/** A 2-D float array as row-major float32 (a Fortran-ordered one is transposed into C order). */
export async function arrayFloat32(array: NumpyArray, source: ByteSource, what: string): Promise<Float32Array> {
  const dtype = array.dtype ? numpySourceDType(array.dtype) : undefined;
  if (!dtype || !array.dtype) {
    throw new CheckpointError('unsupported', `${source.name}: ${what} has numpy type ${array.dtype?.code}, expected a float type`);
  }
  const bytes = await arrayBytes(array, source, what);
  const out = new Float32Array(array.size);
  decodeToFloat32(bytes, dtype, array.dtype.littleEndian, array.size, out, 0);
  const [rows = 1, cols = 1] = array.shape;
  return array.fortranOrder && array.shape.length === 2 ? transpose(out, cols, rows) : out;
}
