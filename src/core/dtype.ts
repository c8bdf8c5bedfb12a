import type { SourceDType } from './checkpoint';
import { CheckpointError } from './errors';

/** Bytes per element of each stored type. */
export const DTYPE_BYTES: Readonly<Record<SourceDType, number>> = {
  float32: 4,
  float16: 2,
  bfloat16: 2,
  float64: 8,
  int8: 1,
  uint8: 1,
  uint16: 2,
  int16: 2,
  int32: 4,
};

/** True on every platform we run on today, but checked so a big-endian host gets the right numbers. */
const HOST_LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/**
 * Converts `count` stored elements starting at `bytes[0]` into float32 values at `out[outOffset]`.
 * Handles any alignment and either byte order; integer types convert by value (dequantisation is the caller's).
 */
export function decodeToFloat32(
  bytes: Uint8Array,
  dtype: SourceDType,
  littleEndian: boolean,
  count: number,
  out: Float32Array,
  outOffset: number,
): void {
  const need = count * DTYPE_BYTES[dtype];
  if (bytes.byteLength < need) {
    throw new CheckpointError('truncated', `expected ${need} bytes of ${dtype} data, found ${bytes.byteLength}`);
  }
  if (dtype === 'float32' && littleEndian === HOST_LITTLE_ENDIAN) {
    // Fast path: a byte copy into the float32 array's own storage, whatever the source alignment.
    new Uint8Array(out.buffer, out.byteOffset + outOffset * 4, need).set(bytes.subarray(0, need));
    return;
  }
  if ((dtype === 'float16' || dtype === 'bfloat16') && littleEndian === HOST_LITTLE_ENDIAN) {
    decodeHalves(bytes, dtype, count, out, outOffset);
    return;
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, need);
  switch (dtype) {
    case 'float32':
      for (let i = 0; i < count; i++) out[outOffset + i] = view.getFloat32(i * 4, littleEndian);
      return;
    case 'float64':
      for (let i = 0; i < count; i++) out[outOffset + i] = view.getFloat64(i * 8, littleEndian);
      return;
    case 'float16':
      for (let i = 0; i < count; i++) out[outOffset + i] = halfToFloat(view.getUint16(i * 2, littleEndian));
      return;
    case 'bfloat16': {
      const word = new Uint32Array(1);
      const asFloat = new Float32Array(word.buffer);
      for (let i = 0; i < count; i++) {
        word[0] = view.getUint16(i * 2, littleEndian) << 16;
        out[outOffset + i] = asFloat[0] as number;
      }
      return;
    }
    case 'int8':
      for (let i = 0; i < count; i++) out[outOffset + i] = view.getInt8(i);
      return;
    case 'uint8':
      for (let i = 0; i < count; i++) out[outOffset + i] = view.getUint8(i);
      return;
    case 'uint16':
      for (let i = 0; i < count; i++) out[outOffset + i] = view.getUint16(i * 2, littleEndian);
      return;
    case 'int16':
      for (let i = 0; i < count; i++) out[outOffset + i] = view.getInt16(i * 2, littleEndian);
      return;
    case 'int32':
      for (let i = 0; i < count; i++) out[outOffset + i] = view.getInt32(i * 4, littleEndian);
      return;
  }
}

let halfTable: Float32Array | undefined;

/** Every float16 bit pattern as float32 (256 KB, built once): a table lookup beats decoding each half. */
function halfToFloatTable(): Float32Array {
  if (!halfTable) {
    halfTable = new Float32Array(65536);
    for (let bits = 0; bits < 65536; bits++) halfTable[bits] = halfToFloat(bits);
  }
  return halfTable;
}

/** 16-bit floats in host byte order (most LLM checkpoints are f16/bf16): read through a Uint16Array view. */
function decodeHalves(bytes: Uint8Array, dtype: 'float16' | 'bfloat16', count: number, out: Float32Array, at: number): void {
  // A Uint16Array view needs an even offset; a slice from a stored zip member may not have one.
  const aligned = bytes.byteOffset % 2 === 0 ? bytes : bytes.slice(0, count * 2);
  const halves = new Uint16Array(aligned.buffer, aligned.byteOffset, count);
  if (dtype === 'float16') {
    const table = halfToFloatTable();
    for (let i = 0; i < count; i++) out[at + i] = table[halves[i] as number] as number;
    return;
  }
  // bfloat16 is the top half of a float32: shift its bits into place through an integer view of `out`.
  const words = new Uint32Array(out.buffer, out.byteOffset + at * 4, count);
  for (let i = 0; i < count; i++) words[i] = (halves[i] as number) << 16;
}

/** IEEE 754 binary16 bits to a number (subnormals, infinities and NaN included). */
export function halfToFloat(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >> 10) & 0x1f;
  const fraction = bits & 0x3ff;
  if (exponent === 0) return sign * fraction * 2 ** -24;
  if (exponent === 0x1f) return fraction ? NaN : sign * Infinity;
  return sign * (1 + fraction / 1024) * 2 ** (exponent - 15);
}

/** Transposes a cols×rows row-major block into rows×cols (a Dense kernel [d, V] into V's rows). */
export function transpose(data: Float32Array, rowsIn: number, colsIn: number): Float32Array {
  const out = new Float32Array(data.length);
  for (let r = 0; r < rowsIn; r++) {
    const base = r * colsIn;
    for (let c = 0; c < colsIn; c++) out[c * rowsIn + r] = data[base + c] as number;
  }
  return out;
}
