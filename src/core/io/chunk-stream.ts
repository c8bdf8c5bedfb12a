import type { ByteSource } from './byte-source';

/** A ByteSource that can also fill a buffer its caller owns (Node's file adapter can; in-memory sources need not). */
export type FillingByteSource = ByteSource & Required<Pick<ByteSource, 'readInto'>>;

/** True when the source can fill a caller's buffer. */
export function canFill(source: ByteSource): source is FillingByteSource {
  return typeof source.readInto === 'function';
}

/**
 * Sequential reads of at most `chunkBytes` for a streaming parser. When the source can fill a buffer, one buffer
 * is reused for every read: a fresh array per read is freed only by the next GC, and a parser that allocates
 * little triggers few GCs, so tens of MB of dead chunks would otherwise pile up beside the matrix being filled.
 * A chunk is therefore valid only until the next `read`; `reused` says whether a caller that keeps bytes must copy.
 */
export class ChunkStream {
  private readonly buffer: Uint8Array | undefined;
  constructor(
    private readonly source: ByteSource,
    readonly chunkBytes: number,
  ) {
    this.buffer = canFill(source) ? new Uint8Array(chunkBytes) : undefined;
  }

  /** Whether chunks share one buffer (copy what you keep past the next read). */
  get reused(): boolean {
    return this.buffer !== undefined;
  }

  /** Up to `chunkBytes` (and up to `length`) bytes at `offset`; fewer only at the end of the source. */
  async read(offset: number, length: number): Promise<Uint8Array> {
    const want = Math.min(length, this.chunkBytes);
    if (!this.buffer) return this.source.read(offset, want);
    const target = this.buffer.subarray(0, want);
    const got = await (this.source as FillingByteSource).readInto(offset, target);
    return got === want ? target : target.subarray(0, got);
  }
}
