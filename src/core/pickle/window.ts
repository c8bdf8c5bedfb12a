import { CheckpointError } from '../errors';

/** Raised inside the machine when an opcode needs bytes past the window; the driver reads more and resumes. */
export class NeedMore {
  constructor(
    /** Absolute offset the window must reach (exclusive). */
    readonly end: number,
  ) {}
}

const utf8 = new TextDecoder('utf-8');
const latin1 = new TextDecoder('latin1');
/** How far to look ahead when a text line does not end inside the window. */
const LINE_GROWTH_BYTES = 64 * 1024;

/**
 * The machine's view of its input: a window of bytes at an absolute offset, inside an input of known total
 * size. Every read is checked against the total (a lying length is `truncated`, never an allocation) and
 * against the window (past it: NeedMore).
 */
export class ByteWindow {
  /** Absolute offset of the next byte to read. */
  at: number;
  private bytes: Uint8Array = new Uint8Array(0);
  private start: number;
  private view: DataView = new DataView(new ArrayBuffer(0));

  constructor(
    private readonly name: string,
    start: number,
    private readonly total: number,
  ) {
    this.at = start;
    this.start = start;
  }

  /** Replaces the window with `bytes` read at absolute `offset`. */
  feed(bytes: Uint8Array, offset: number): void {
    this.bytes = bytes;
    this.start = offset;
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  /** Throws `truncated` unless `length` more bytes exist in the input after the cursor. */
  ensureWithin(length: number): void {
    if (length > this.total - this.at) {
      throw new CheckpointError(
        'truncated',
        `${this.name}: pickle needs ${length} bytes at byte ${this.at}, file has ${Math.max(0, this.total - this.at)} left (truncated?)`,
      );
    }
  }

  private index(length: number): number {
    this.ensureWithin(length);
    const rel = this.at - this.start;
    if (rel < 0 || rel + length > this.bytes.byteLength) throw new NeedMore(this.at + length);
    this.at += length;
    return rel;
  }

  /** The next `length` bytes (a view into the window: copy what you keep). */
  take(length: number): Uint8Array {
    const rel = this.index(length);
    return this.bytes.subarray(rel, rel + length);
  }

  /** Skips `length` bytes without reading them; `make` gets their absolute offset. */
  skip<T>(length: number, make: (offset: number) => T): T {
    this.ensureWithin(length);
    const offset = this.at;
    this.at += length;
    return make(offset);
  }

  u8(): number {
    return this.view.getUint8(this.index(1));
  }
  u16(): number {
    return this.view.getUint16(this.index(2), true);
  }
  i32(): number {
    return this.view.getInt32(this.index(4), true);
  }
  u32(): number {
    return this.view.getUint32(this.index(4), true);
  }
  /** A little-endian uint64 as a number (beyond 2^53 it is only ever compared with sizes, and fails them). */
  u64(): number {
    const rel = this.index(8);
    return this.view.getUint32(rel, true) + this.view.getUint32(rel + 4, true) * 2 ** 32;
  }
  /** BINFLOAT is big-endian. */
  f64be(): number {
    return this.view.getFloat64(this.index(8), false);
  }

  /** A text line without its '\n' (protocol 0 arguments); `raw` decodes as latin-1 instead of UTF-8. */
  line(maxBytes: number, raw = false): string {
    const rel = this.at - this.start;
    const newline = rel >= 0 ? this.bytes.indexOf(0x0a, rel) : -1;
    if (newline < 0 || newline - rel > maxBytes) {
      const windowEnd = this.start + this.bytes.byteLength;
      if (newline >= 0 || windowEnd - this.at > maxBytes) {
        throw new CheckpointError('bad-header', `${this.name}: a pickle text line at byte ${this.at} is longer than ${maxBytes} bytes`);
      }
      if (windowEnd >= this.total) {
        throw new CheckpointError('truncated', `${this.name}: pickle ends inside a text line at byte ${this.at} (truncated?)`);
      }
      throw new NeedMore(Math.min(this.total, windowEnd + Math.max(LINE_GROWTH_BYTES, windowEnd - this.at)));
    }
    const bytes = this.bytes.subarray(rel, newline);
    this.at += newline - rel + 1;
    const text = (raw ? latin1 : utf8).decode(bytes);
    return text.endsWith('\r') ? text.slice(0, -1) : text;
  }
}
