import type { Vocabulary } from '../checkpoint';
import { CheckpointError } from '../errors';
import { basename, dirname, joinInside, type FileAccess } from '../io/files';
import { countLines } from '../text/vector-lines';
import { readVocabularyFile } from '../vocab-files';

/**
 * Facts about GloVe's output (stanfordnlp/GloVe, glove.c `save_params`) shared by its binary and text readers.
 * The parameter array is 2 × vocab_size rows of (vector_size + 1) doubles: W[i] followed by its bias b[i] for every
 * word, then W̃[i] followed by b̃[i] for every word. The vocabulary is the file vocab_count wrote ("word count" lines,
 * most frequent first), given to glove with -vocab-file; its line count is glove's vocab_size.
 */

/** Bytes per stored value: glove.c's `real` is `double`, written with fwrite in the host's (little-endian) order. */
export const GLOVE_VALUE_BYTES = 8;

/** glove.c averages the last min(vocab_size, 100) rows into the `<unk>` line it appends to every text output. */
export const GLOVE_UNKNOWN_TOKEN = '<unk>';

/** Names of GloVe's vocabulary file beside `<stem>.bin` / `<stem>.txt`, in the order we try them. */
function vocabNames(fileName: string): string[] {
  const stem = fileName.replace(/\.[^.]+$/, '');
  return [`${stem}.vocab.txt`, `${stem}.vocab`, 'vocab.txt'];
}

/** The path of GloVe's vocab file beside a checkpoint, or undefined when there is none. */
export async function findGloveVocabPath(files: FileAccess, checkpointPath: string): Promise<string | undefined> {
  const folder = dirname(checkpointPath);
  const present = new Set(await files.list(folder));
  for (const name of vocabNames(basename(checkpointPath))) {
    if (!present.has(name) || name === basename(checkpointPath)) continue;
    const path = joinInside(folder, name);
    if (path !== undefined) return path;
  }
  return undefined;
}

/** Non-blank lines of a vocab file (glove's vocab_size), counted by streaming it: no token strings are built. */
export async function countVocabRows(files: FileAccess, vocabPath: string): Promise<number> {
  const source = await files.open(vocabPath);
  try {
    return await countLines(source, 0, undefined);
  } finally {
    await source.close();
  }
}

/** Reads GloVe's vocab file: tokens, and counts when every line has one (vocab_count always writes them). */
export async function readGloveVocab(files: FileAccess, vocabPath: string): Promise<Vocabulary> {
  const vocab = await readVocabularyFile(files, vocabPath);
  if (vocab.tokens.length === 0) {
    throw new CheckpointError('bad-header', `${vocabPath}: expected GloVe's "word count" vocabulary lines, found none`);
  }
  return vocab;
}

/** Pearson correlation of two equal-length samples; 0 when either is constant. */
export function pearson(x: readonly number[], y: readonly number[]): number {
  const n = Math.min(x.length, y.length);
  if (n < 2) return 0;
  let meanX = 0;
  let meanY = 0;
  for (let i = 0; i < n; i++) {
    meanX += x[i] as number;
    meanY += y[i] as number;
  }
  meanX /= n;
  meanY /= n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = (x[i] as number) - meanX;
    const dy = (y[i] as number) - meanY;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  return sxx === 0 || syy === 0 ? 0 : sxy / Math.sqrt(sxx * syy);
}
