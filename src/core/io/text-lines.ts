import type { ByteSource } from './byte-source';
import { ChunkStream } from './chunk-stream';
import { throwIfAborted } from '../errors';

/**
 * Bytes per read when streaming a file. Small on purpose: a chunk parsed in a millisecond or two dies young and
 * is freed by the next scavenge; a 4 MB chunk outlives two scavenges, is promoted, and waits for a full GC, so
 * dozens of dead chunks pile up beside the matrix (measured: +60 MB peak RSS on a 70 MB text file).
 */
export const STREAM_CHUNK_BYTES = 256 << 10;
const LF = 0x0a;
const EMPTY: Uint8Array = new Uint8Array(0);

/** A piece of a source that ends on a line break (only the last may not), with its offset in the source. */
export interface LineChunk {
  readonly bytes: Uint8Array;
  readonly offset: number;
}

/**
 * Streams a source as chunks that always end on a line break (the last chunk may not), so parsers can work on
 * raw bytes without building a string per line. `start` skips a header already parsed. Whole lines are handed
 * out as views of the bytes read, valid until the next chunk is requested (the read buffer may be reused); only a
 * line cut by a read's end is copied (joined with its continuation).
 */
export async function* lineChunks(
  source: ByteSource,
  start: number,
  signal: AbortSignal | undefined,
  chunkBytes = STREAM_CHUNK_BYTES,
): AsyncGenerator<LineChunk> {
  const size = await source.size();
  const carry = new Carry();
  const stream = new ChunkStream(source, chunkBytes);
  let next = start; // file offset of the first byte not yet handed out (the carry's start when it holds a line)
  for (let offset = start; offset < size;) {
    throwIfAborted(signal, source.name);
    const fresh = await stream.read(offset, size - offset);
    if (fresh.byteLength === 0) break;
    offset += fresh.byteLength;
    const last = offset >= size;
    let from = 0;
    if (carry.length > 0) {
      const firstBreak = fresh.indexOf(LF);
      if (firstBreak < 0 && !last) {
        carry.add(stream.reused ? fresh.slice() : fresh); // a line longer than a read: keep reading
        continue;
      }
      from = firstBreak < 0 ? fresh.byteLength : firstBreak + 1;
      const line = carry.join(fresh.subarray(0, from));
      yield { bytes: line, offset: next };
      next += line.byteLength;
    }
    if (from >= fresh.byteLength) continue;
    const end = last ? fresh.byteLength : fresh.lastIndexOf(LF) + 1;
    if (end > from) {
      yield { bytes: fresh.subarray(from, end), offset: next };
      next += end - from;
    }
    const tail = Math.max(from, end);
    // A short tail is copied so the chunk it came from can be freed; a chunk without any break is kept whole.
    if (tail < fresh.byteLength) carry.add(tail === 0 && !stream.reused ? fresh : fresh.slice(tail));
  }
  if (carry.length > 0) yield { bytes: carry.join(EMPTY), offset: next };
}

/** The unfinished line between reads, kept as pieces so a very long line is copied once, not once per read. */
class Carry {
  private pieces: Uint8Array[] = [];
  length = 0;
  add(piece: Uint8Array): void {
    this.pieces.push(piece);
    this.length += piece.byteLength;
  }
  /** The carried bytes followed by `tail`, as one array; empties the carry. */
  join(tail: Uint8Array): Uint8Array {
    const out = new Uint8Array(this.length + tail.byteLength);
    let at = 0;
    for (const piece of this.pieces) {
      out.set(piece, at);
      at += piece.byteLength;
    }
    out.set(tail, at);
    this.pieces = [];
    this.length = 0;
    return out;
  }
}
