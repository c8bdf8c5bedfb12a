import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createGunzip } from 'node:zlib';
import type { Readable } from 'node:stream';
import { CheckpointError, throwIfAborted } from '../core/errors';
import { CorpusEncoder } from '../core/train/corpus';
import type { EncodedCorpus, EncodeOptions } from '../core/train/corpus';
import { fileError } from './node-files';

/** Chunk read from disk at a time: large enough that stream overhead vanishes next to tokenising. */
const CHUNK_BYTES = 1 << 20;

/** Longest line accepted: a corpus without newlines would otherwise be held as one string. */
const MAX_LINE_CHARS = 64 << 20;

/** Hooks of a corpus read. */
export interface CorpusReadHooks {
  readonly signal?: AbortSignal;
  /** Fraction of the files' bytes read so far. */
  onProgress?(fraction: number): void;
}

/**
 * Reads text corpora (UTF-8, one sentence or paragraph per line; `.gz` files are decompressed) into one
 * EncodedCorpus, streaming: memory holds the ids, not the text.
 */
export async function readCorpusFiles(
  paths: readonly string[],
  options: EncodeOptions,
  hooks: CorpusReadHooks = {},
): Promise<EncodedCorpus> {
  if (paths.length === 0) throw new CheckpointError('not-found', 'corpus: expected at least one text file, found none');
  const sizes = await Promise.all(paths.map((path) => fileSize(path)));
  const total = sizes.reduce((sum, size) => sum + size, 0);
  const encoder = new CorpusEncoder(options.lowercase ?? false);
  let before = 0;
  for (const [index, path] of paths.entries()) {
    await readOne(path, encoder, hooks, (bytes) => hooks.onProgress?.(total === 0 ? 1 : (before + bytes) / total));
    before += sizes[index] ?? 0;
  }
  if (encoder.tokensRead === 0) throw new CheckpointError('empty', `${paths.join(', ')}: expected text to train on, found no tokens`);
  const corpus = encoder.finish(options);
  if (corpus.vocab.tokens.length === 0) {
    throw new CheckpointError('empty', `${paths.join(', ')}: expected tokens seen at least ${options.minCount} times, found none`);
  }
  return corpus;
}

async function fileSize(path: string): Promise<number> {
  try {
    const info = await stat(path);
    if (info.isDirectory()) throw new CheckpointError('not-found', `${path}: expected a text corpus, found a folder`);
    return info.size;
  } catch (error) {
    if (error instanceof CheckpointError) throw error;
    throw fileError(path, error);
  }
}

async function readOne(path: string, encoder: CorpusEncoder, hooks: CorpusReadHooks, onBytes: (bytes: number) => void): Promise<void> {
  const file = createReadStream(path, { highWaterMark: CHUNK_BYTES });
  const stream: Readable = path.endsWith('.gz') ? file.pipe(createGunzip()) : file;
  const decoder = new TextDecoder('utf-8');
  let carry = '';
  try {
    for await (const chunk of stream as AsyncIterable<Uint8Array>) {
      throwIfAborted(hooks.signal, 'reading the corpus');
      const text = carry + decoder.decode(chunk, { stream: true });
      const lastBreak = text.lastIndexOf('\n');
      if (lastBreak < 0) {
        carry = text;
      } else {
        for (const line of text.slice(0, lastBreak).split('\n')) encoder.addLine(line);
        carry = text.slice(lastBreak + 1);
      }
      if (carry.length > MAX_LINE_CHARS) {
        throw new CheckpointError('too-large', `${path}: expected lines under ${MAX_LINE_CHARS} characters, found a longer one`);
      }
      onBytes(file.bytesRead);
      // Let a cancel message in between chunks.
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    encoder.addLine(carry + decoder.decode());
  } catch (error) {
    if (error instanceof CheckpointError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'Z_DATA_ERROR' || code === 'Z_BUF_ERROR') {
      throw new CheckpointError('bad-header', `${path}: expected gzip-compressed text, found bytes gzip cannot read`);
    }
    throw fileError(path, error);
  } finally {
    file.destroy();
  }
}
