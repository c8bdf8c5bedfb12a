import type { ByteSource } from './byte-source';
import { throwIfAborted } from '../errors';

/** Bytes per read when streaming a text file: large enough to amortise I/O, small next to any matrix. */
export const STREAM_CHUNK_BYTES = 4 << 20;

/**
 * Streams a source as chunks that always end on a line break (the last chunk may not), so parsers can work on
 * raw bytes without building a string per line. `start` skips a header already parsed.
 */
export async function* lineChunks(
  source: ByteSource,
  start: number,
  signal: AbortSignal | undefined,
): AsyncGenerator<{ bytes: Uint8Array; offset: number }> {
  const size = await source.size();
  let carry: Uint8Array = new Uint8Array(0);
  let carryOffset = start;
  for (let offset = start; offset < size;) {
    throwIfAborted(signal, source.name);
    const fresh = await source.read(offset, Math.min(STREAM_CHUNK_BYTES, size - offset));
    if (fresh.byteLength === 0) break;
    offset += fresh.byteLength;
    const joined = carry.byteLength === 0 ? fresh : concat(carry, fresh);
    const lastBreak = joined.lastIndexOf(10);
    if (offset >= size || lastBreak < 0) {
      if (offset >= size) {
        yield { bytes: joined, offset: carryOffset };
        return;
      }
      carry = joined; // a line longer than a chunk: keep reading
      continue;
    }
    yield { bytes: joined.subarray(0, lastBreak + 1), offset: carryOffset };
    carryOffset += lastBreak + 1;
    carry = joined.slice(lastBreak + 1);
  }
  if (carry.byteLength > 0) yield { bytes: carry, offset: carryOffset };
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.byteLength + b.byteLength);
  out.set(a, 0);
  out.set(b, a.byteLength);
  return out;
}
