import type { ByteSource } from '../io/byte-source';
import { CheckpointError, throwIfAborted } from '../errors';
import { Cursor, UNDEFINED_ADDRESS, lookup3, type FieldSizes } from './bytes';

/** Metadata is read in pages of this size: object headers, heaps and B-tree nodes cluster, so few reads serve many. */
const PAGE_BYTES = 64 * 1024;
/** Pages kept (4 MB): enough for the metadata of a Keras file, small next to any matrix. */
const MAX_CACHED_PAGES = 64;

/**
 * Everything the HDF5 structures share: the source, the superblock's field sizes and base address, and a small
 * page cache so the many small metadata reads of a group walk cost few real reads.
 */
export class Hdf5Context implements FieldSizes {
  private readonly pages = new Map<number, Promise<Uint8Array>>();
  /** Parsed structures shared between objects (global heap collections, local heaps), keyed by kind and address. */
  readonly memo = new Map<string, Promise<unknown>>();

  constructor(
    readonly source: ByteSource,
    /** File size in bytes. */
    readonly size: number,
    readonly offsetSize: number,
    readonly lengthSize: number,
    /** Absolute position that relative addresses count from (the superblock's base address). */
    readonly base: number,
    readonly signal?: AbortSignal,
  ) {}

  /** The file's display name, for error lines. */
  get name(): string {
    return this.source.name;
  }

  /** Absolute file position of a relative address, checked to lie inside the file with `length` bytes after it. */
  position(address: number, length: number, what: string): number {
    if (address === UNDEFINED_ADDRESS) {
      throw new CheckpointError('bad-header', `${this.name}: ${what} has an undefined address`);
    }
    const at = this.base + address;
    if (!Number.isSafeInteger(at) || at < 0 || length < 0 || at + length > this.size) {
      throw new CheckpointError('truncated', `${this.name}: ${what} needs bytes ${at}..${at + length}, the file has ${this.size}`);
    }
    return at;
  }

  /** Reads `length` bytes at a relative address: small reads through the page cache, large ones directly. */
  async read(address: number, length: number, what: string): Promise<Uint8Array> {
    throwIfAborted(this.signal, this.name);
    const at = this.position(address, length, what);
    if (length > PAGE_BYTES) return this.direct(at, length, what);
    const first = Math.floor(at / PAGE_BYTES);
    const last = Math.floor((at + length - 1) / PAGE_BYTES);
    if (length === 0) return new Uint8Array(0);
    if (first === last) {
      const page = await this.page(first);
      return page.subarray(at - first * PAGE_BYTES, at - first * PAGE_BYTES + length);
    }
    const out = new Uint8Array(length);
    for (let index = first; index <= last; index++) {
      const page = await this.page(index);
      const pageStart = index * PAGE_BYTES;
      const from = Math.max(at, pageStart);
      const to = Math.min(at + length, pageStart + page.byteLength);
      out.set(page.subarray(from - pageStart, to - pageStart), from - at);
    }
    return out;
  }

  /** Reads up to `length` bytes (fewer at the end of the file): for structures whose size is learnt after reading. */
  async readUpTo(address: number, length: number, what: string): Promise<Uint8Array> {
    const at = this.position(address, 0, what);
    return this.read(address, Math.max(0, Math.min(length, this.size - at)), what);
  }

  /** A cursor over `length` bytes at `address`, labelled for errors. */
  async cursor(address: number, length: number, what: string): Promise<Cursor> {
    return new Cursor(await this.read(address, length, what), this, `${this.name}: ${what} at ${address}`);
  }

  /** A cursor over bytes already read. */
  wrap(bytes: Uint8Array, what: string): Cursor {
    return new Cursor(bytes, this, `${this.name}: ${what}`);
  }

  private async direct(at: number, length: number, what: string): Promise<Uint8Array> {
    const bytes = await this.source.read(at, length);
    if (bytes.byteLength < length) {
      throw new CheckpointError('truncated', `${this.name}: ${what} needs ${length} bytes at ${at}, read ${bytes.byteLength}`);
    }
    return bytes;
  }

  private page(index: number): Promise<Uint8Array> {
    let page = this.pages.get(index);
    if (page) {
      // Re-insert: the Map's order is the eviction order (least recently used first).
      this.pages.delete(index);
      this.pages.set(index, page);
      return page;
    }
    const start = index * PAGE_BYTES;
    page = this.direct(start, Math.min(PAGE_BYTES, this.size - start), 'a metadata page').then((bytes) => bytes.slice());
    this.pages.set(index, page);
    if (this.pages.size > MAX_CACHED_PAGES) {
      const oldest = this.pages.keys().next().value as number;
      this.pages.delete(oldest);
    }
    page.catch(() => this.pages.delete(index));
    return page;
  }

  /**
   * Checks the lookup3 checksum stored in the 4 bytes after `covered` (v2 structures): a flipped byte in an
   * object header or B-tree node becomes one clear error instead of a misread structure.
   */
  verify(block: Uint8Array, coveredLength: number, what: string): void {
    if (coveredLength + 4 > block.byteLength) {
      throw new CheckpointError('bad-header', `${this.name}: ${what} ends before its checksum`);
    }
    const stored = new DataView(block.buffer, block.byteOffset + coveredLength, 4).getUint32(0, true);
    const actual = lookup3(block.subarray(0, coveredLength));
    if (stored !== actual) {
      throw new CheckpointError(
        'bad-header',
        `${this.name}: ${what} fails its checksum (stored ${stored.toString(16)}, computed ${actual.toString(16)}): the file is corrupt`,
      );
    }
  }

  /** Memoises an async parse by key, so shared heaps are read once. */
  remember<T>(key: string, make: () => Promise<T>): Promise<T> {
    let value = this.memo.get(key) as Promise<T> | undefined;
    if (!value) {
      value = make();
      this.memo.set(key, value);
    }
    return value;
  }
}
