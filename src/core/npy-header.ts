import type { SourceDType } from './checkpoint';
import { CheckpointError, ensure } from './errors';
import { readExact, type ByteSource } from './io/byte-source';

/** The NumPy .npy magic: "\x93NUMPY". */
export const NPY_MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59];

/** A parsed .npy header: where the data starts and how to read it. */
export interface NpyHeader {
  readonly dtype: SourceDType;
  readonly littleEndian: boolean;
  readonly fortranOrder: boolean;
  readonly shape: readonly number[];
  /** Byte offset of the first element. */
  readonly dataOffset: number;
}

/** numpy type codes (kind and size, after the byte-order mark) we convert to float32 matrices. */
export const NUMPY_CODES: Readonly<Record<string, SourceDType>> = {
  f4: 'float32',
  f2: 'float16',
  f8: 'float64',
  i1: 'int8',
  u1: 'uint8',
  i2: 'int16',
  u2: 'uint16',
  i4: 'int32',
};
/** numpy caps header length at 4 GiB (v2); a real header is a few hundred bytes. Anything longer is garbage. */
const MAX_HEADER_BYTES = 1 << 20;

/** True when the bytes start with the .npy magic. */
export function isNpy(head: Uint8Array): boolean {
  return NPY_MAGIC.every((byte, i) => head[i] === byte);
}

/** Reads and validates the header of a .npy source (versions 1, 2 and 3). */
export async function readNpyHeader(source: ByteSource): Promise<NpyHeader> {
  const name = source.name;
  const preamble = await readExact(source, 0, 12, '.npy preamble');
  ensure(isNpy(preamble), 'bad-header', () => `${name}: expected the .npy magic "\\x93NUMPY", found other bytes`);
  const major = preamble[6] as number;
  ensure(major >= 1 && major <= 3, 'unsupported', () => `${name}: .npy version ${major}, expected 1, 2 or 3`);
  const view = new DataView(preamble.buffer, preamble.byteOffset, 12);
  const lengthBytes = major === 1 ? 2 : 4;
  const headerLength = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  ensure(headerLength <= MAX_HEADER_BYTES, 'bad-header', () => `${name}: .npy header claims ${headerLength} bytes, expected a few hundred`);
  const start = 8 + lengthBytes;
  const text = new TextDecoder(major === 3 ? 'utf-8' : 'latin1').decode(await readExact(source, start, headerLength, '.npy header'));
  const header = parseHeaderDict(text, name);
  const size = await source.size();
  const elements = header.shape.reduce((product, dim) => product * dim, 1);
  const width = bytesOf(header.dtype);
  const dataOffset = start + headerLength;
  ensure(
    elements * width <= size - dataOffset,
    'truncated',
    () => `${name}: header says [${header.shape.join(', ')}] ${header.dtype} = ${elements * width} bytes, file has ${size - dataOffset}`,
  );
  return { ...header, dataOffset };
}

function bytesOf(dtype: SourceDType): number {
  return dtype === 'float64' ? 8 : dtype === 'float32' || dtype === 'int32' ? 4 : dtype === 'int8' || dtype === 'uint8' ? 1 : 2;
}

/**
 * Parses the header's Python dict literal, e.g. {'descr': '<f4', 'fortran_order': False, 'shape': (3, 4), }
 * with regular expressions over its three known keys: it is data, never evaluated.
 */
export function parseHeaderDict(text: string, name: string): Omit<NpyHeader, 'dataOffset'> {
  const descr = /['"]descr['"]\s*:\s*['"]([<>|=])([a-zA-Z]\d+)['"]/.exec(text);
  const fortran = /['"]fortran_order['"]\s*:\s*(True|False)/.exec(text);
  const shape = /['"]shape['"]\s*:\s*\(([^)]*)\)/.exec(text);
  if (!descr || !fortran || !shape) {
    throw new CheckpointError(
      'bad-header',
      `${name}: expected a .npy header dict with descr, fortran_order and shape, found "${text.trim().slice(0, 80)}"`,
    );
  }
  const dtype = NUMPY_CODES[descr[2] as string];
  ensure(
    dtype,
    'unsupported',
    () => `${name}: .npy dtype "${descr[1]}${descr[2]}", expected float32, float16, float64, or int8/uint8/int16/uint16/int32`,
  );
  const dims = (shape[1] as string)
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '')
    .map((part) => Number(part.replace(/L$/, '')));
  ensure(
    dims.every((dim) => Number.isSafeInteger(dim) && dim >= 0),
    'bad-header',
    () => `${name}: .npy shape "(${shape[1]})", expected non-negative integers`,
  );
  return { dtype, littleEndian: descr[1] !== '>', fortranOrder: fortran[1] === 'True', shape: dims };
}
