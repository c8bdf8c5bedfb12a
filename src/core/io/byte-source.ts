import { CheckpointError } from '../errors';

/** Random-access bytes; Node fs, vscode.workspace.fs and in-memory buffers each get an adapter. */
export interface ByteSource {
  /** A display name (usually the path) used in error messages. */
  readonly name: string;
  size(): Promise<number>;
  /** Reads exactly `length` bytes at `offset`, or fewer only at the end of the source. */
  read(offset: number, length: number): Promise<Uint8Array>;
  /**
   * Optional: fills `target` from `offset` and returns the bytes read (fewer only at the end). Streaming readers
   * reuse one buffer through it, so a load's garbage stays small next to the matrix.
   */
  readInto?(offset: number, target: Uint8Array): Promise<number>;
  close(): Promise<void>;
}

/** A ByteSource over bytes already in memory (zip entries, tests). */
export class MemorySource implements ByteSource {
  constructor(
    readonly name: string,
    private readonly bytes: Uint8Array,
  ) {}
  size(): Promise<number> {
    return Promise.resolve(this.bytes.byteLength);
  }
  read(offset: number, length: number): Promise<Uint8Array> {
    return Promise.resolve(this.bytes.subarray(offset, Math.min(offset + length, this.bytes.byteLength)));
  }
  close(): Promise<void> {
    return Promise.resolve();
  }
}

/** A window [start, start+length) of another source, e.g. a stored (uncompressed) zip entry. */
export class SliceSource implements ByteSource {
  constructor(
    readonly name: string,
    private readonly base: ByteSource,
    private readonly start: number,
    private readonly length: number,
  ) {}
  size(): Promise<number> {
    return Promise.resolve(this.length);
  }
  read(offset: number, length: number): Promise<Uint8Array> {
    const end = Math.min(offset + length, this.length);
    if (end <= offset) return Promise.resolve(new Uint8Array(0));
    return this.base.read(this.start + offset, end - offset);
  }
  close(): Promise<void> {
    return Promise.resolve();
  }
}

/** Reads exactly `length` bytes or throws `truncated` naming what was being read. */
export async function readExact(source: ByteSource, offset: number, length: number, what: string): Promise<Uint8Array> {
  const bytes = await source.read(offset, length);
  if (bytes.byteLength < length) {
    throw new CheckpointError(
      'truncated',
      `${source.name}: expected ${length} bytes of ${what} at offset ${offset}, file has ${offset + bytes.byteLength}`,
    );
  }
  return bytes;
}

/** Reads a whole source; only for small side files (JSON, vocab) after checking their size. */
export async function readAllBytes(source: ByteSource, maxBytes: number, what: string): Promise<Uint8Array> {
  const size = await source.size();
  if (size > maxBytes) {
    throw new CheckpointError('too-large', `${source.name}: ${what} is ${size} bytes, expected at most ${maxBytes}`);
  }
  return readExact(source, 0, size, what);
}

/** Reads a small UTF-8 text side file (config.json, vocab.txt) whole. */
export async function readText(source: ByteSource, maxBytes: number, what: string): Promise<string> {
  return new TextDecoder('utf-8').decode(await readAllBytes(source, maxBytes, what));
}

/** Reads and parses a JSON side file, turning a syntax error into a one-line `bad-header`. */
export async function readJson(source: ByteSource, maxBytes: number, what: string): Promise<unknown> {
  const text = await readText(source, maxBytes, what);
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new CheckpointError('bad-header', `${source.name}: expected ${what} as JSON, ${(error as Error).message}`);
  }
}
