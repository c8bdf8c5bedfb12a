import { CheckpointError, type CheckpointErrorCode } from '../errors';

/** The "undefined address" of HDF5 (all bits set), returned by `Cursor.address()` as this sentinel. */
export const UNDEFINED_ADDRESS = -1;

/** Sizes the superblock fixes for every later structure. */
export interface FieldSizes {
  /** Bytes per file address ("Size of Offsets"): 2, 4 or 8. */
  readonly offsetSize: number;
  /** Bytes per length field ("Size of Lengths"): 2, 4 or 8. */
  readonly lengthSize: number;
}

/**
 * A little-endian cursor over one metadata block. Every read is bounds-checked: a structure that claims more
 * bytes than its block holds becomes a one-line `bad-header` error naming the file and the structure.
 */
export class Cursor {
  private readonly view: DataView;
  constructor(
    readonly bytes: Uint8Array,
    private readonly sizes: FieldSizes,
    /** "file: what" for error messages. */
    private readonly label: string,
    public pos = 0,
  ) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  /** Bytes left after the cursor. */
  get remaining(): number {
    return this.bytes.byteLength - this.pos;
  }

  private need(count: number): void {
    if (count < 0 || this.pos + count > this.bytes.byteLength) {
      throw new CheckpointError(
        'bad-header',
        `${this.label}: expected ${count} more bytes at byte ${this.pos}, the structure holds ${this.bytes.byteLength}`,
      );
    }
  }

  u8(): number {
    this.need(1);
    return this.view.getUint8(this.pos++);
  }
  u16(): number {
    this.need(2);
    const value = this.view.getUint16(this.pos, true);
    this.pos += 2;
    return value;
  }
  u32(): number {
    this.need(4);
    const value = this.view.getUint32(this.pos, true);
    this.pos += 4;
    return value;
  }
  /** An unsigned little-endian integer of 1..8 bytes; values beyond 2^53 are refused (no file is that large). */
  uint(size: number): number {
    this.need(size);
    let value = 0;
    for (let i = size - 1; i >= 0; i--) value = value * 256 + (this.bytes[this.pos + i] as number);
    this.pos += size;
    if (!Number.isSafeInteger(value)) throw new CheckpointError('bad-header', `${this.label}: a ${size}-byte field holds ${value}`);
    return value;
  }
  /** A file address, or UNDEFINED_ADDRESS when all its bits are set. */
  address(): number {
    this.need(this.sizes.offsetSize);
    const start = this.pos;
    let allOnes = true;
    for (let i = 0; i < this.sizes.offsetSize; i++) if (this.bytes[start + i] !== 0xff) allOnes = false;
    if (allOnes) {
      this.pos += this.sizes.offsetSize;
      return UNDEFINED_ADDRESS;
    }
    return this.uint(this.sizes.offsetSize);
  }
  /** A length field ("Size of Lengths" bytes). */
  length(): number {
    return this.uint(this.sizes.lengthSize);
  }
  /** A view of the next `count` bytes (no copy). */
  take(count: number): Uint8Array {
    this.need(count);
    const out = this.bytes.subarray(this.pos, this.pos + count);
    this.pos += count;
    return out;
  }
  skip(count: number): void {
    this.need(count);
    this.pos += count;
  }
  /** Moves to the next multiple of `alignment` relative to the block start. */
  align(alignment: number): void {
    const rest = this.pos % alignment;
    if (rest !== 0) this.pos = Math.min(this.bytes.byteLength, this.pos + alignment - rest);
  }
  /** Throws a CheckpointError naming the file and this structure unless `condition` holds. */
  check(condition: unknown, code: CheckpointErrorCode, message: () => string): asserts condition {
    if (!condition) throw new CheckpointError(code, `${this.label}: ${message()}`);
  }
  /** A cursor over part of this structure (an attribute's datatype, a heap object), labelled under this one. */
  sub(bytes: Uint8Array, what: string): Cursor {
    return new Cursor(bytes, this.sizes, `${this.label}, ${what}`);
  }
  /** Checks a 4-letter signature ("OHDR", "TREE", …). */
  signature(expected: string): void {
    this.need(4);
    const found = String.fromCharCode(...this.bytes.subarray(this.pos, this.pos + 4));
    if (found !== expected) {
      throw new CheckpointError('bad-header', `${this.label}: expected signature "${expected}", found "${printable(found)}"`);
    }
    this.pos += 4;
  }
}

/** Bytes to encode `value` in the fewest whole bytes (at least 1), as HDF5 sizes its variable-width fields. */
export function bytesToEncode(value: number): number {
  let bytes = 1;
  while (value >= 256 ** bytes && bytes < 8) bytes++;
  return bytes;
}

/** log2 of a power of two, or -1 when `value` is not one. */
export function log2Exact(value: number): number {
  if (!Number.isSafeInteger(value) || value < 1) return -1;
  const log = Math.round(Math.log2(value));
  return 2 ** log === value ? log : -1;
}

/** A string safe to put in an error line. */
export function printable(text: string): string {
  return text.replace(/[^\x20-\x7e]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

const utf8 = new TextDecoder('utf-8');

/** Decodes a null-terminated or null-padded string. */
export function cString(bytes: Uint8Array): string {
  const end = bytes.indexOf(0);
  return utf8.decode(end < 0 ? bytes : bytes.subarray(0, end));
}

/**
 * Bob Jenkins' lookup3 `hashlittle` over bytes, which HDF5 uses for every metadata checksum of the version 2
 * structures (superblock v2+, object headers v2, v2 B-trees, fractal heaps, fixed arrays).
 */
export function lookup3(bytes: Uint8Array, initial = 0): number {
  const rot = (x: number, k: number): number => (x << k) | (x >>> (32 - k));
  let length = bytes.byteLength;
  let a = (0xdeadbeef + length + initial) | 0;
  let b = a;
  let c = a;
  let i = 0;
  const word = (at: number): number =>
    (bytes[at] as number) | ((bytes[at + 1] as number) << 8) | ((bytes[at + 2] as number) << 16) | ((bytes[at + 3] as number) << 24);
  while (length > 12) {
    a = (a + word(i)) | 0;
    b = (b + word(i + 4)) | 0;
    c = (c + word(i + 8)) | 0;
    a = (a - c) | 0;
    a ^= rot(c, 4);
    c = (c + b) | 0;
    b = (b - a) | 0;
    b ^= rot(a, 6);
    a = (a + c) | 0;
    c = (c - b) | 0;
    c ^= rot(b, 8);
    b = (b + a) | 0;
    a = (a - c) | 0;
    a ^= rot(c, 16);
    c = (c + b) | 0;
    b = (b - a) | 0;
    b ^= rot(a, 19);
    a = (a + c) | 0;
    c = (c - b) | 0;
    c ^= rot(b, 4);
    b = (b + a) | 0;
    length -= 12;
    i += 12;
  }
  if (length === 0) return c >>> 0;
  // The last 1–12 bytes, little-endian into a, b, c (missing bytes count as zero).
  const tail = new Uint8Array(12);
  tail.set(bytes.subarray(i, i + length));
  const t = (at: number): number =>
    (tail[at] as number) | ((tail[at + 1] as number) << 8) | ((tail[at + 2] as number) << 16) | ((tail[at + 3] as number) << 24);
  a = (a + t(0)) | 0;
  b = (b + t(4)) | 0;
  c = (c + t(8)) | 0;
  c ^= b;
  c = (c - rot(b, 14)) | 0;
  a ^= c;
  a = (a - rot(c, 11)) | 0;
  b ^= a;
  b = (b - rot(a, 25)) | 0;
  c ^= b;
  c = (c - rot(b, 16)) | 0;
  a ^= c;
  a = (a - rot(c, 4)) | 0;
  b ^= a;
  b = (b - rot(a, 14)) | 0;
  c ^= b;
  c = (c - rot(b, 24)) | 0;
  return c >>> 0;
}
