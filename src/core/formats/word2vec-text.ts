import { eagerMatrix, type Checkpoint } from '../checkpoint';
import { ensure } from '../errors';
import type { CheckpointFormat, Probe, ReadContext } from '../format';
import { countLines, countNumbersAfterToken, firstLine, readVectorLines } from '../text/vector-lines';

/** "rows cols" on the first line of word2vec and fastText .vec files. */
const HEADER = /^\s*(\d+)[ \t]+(\d+)\s*$/;
/** Widest vector we accept from a header: far above any real embedding, low enough to catch garbage. */
export const MAX_DIM = 1 << 16;

/** Parses a word2vec header line from the start of the file. */
export function parseWord2vecHeader(head: Uint8Array): { rows: number; cols: number; headerBytes: number } | undefined {
  const line = firstLine(head);
  if (!line || line.length > 64) return undefined;
  const match = HEADER.exec(new TextDecoder('latin1').decode(line));
  if (!match) return undefined;
  return { rows: Number(match[1]), cols: Number(match[2]), headerBytes: line.length + 1 };
}

/** True when the line after the header is "token" and `cols` numbers: text, not binary. */
function textAfterHeader(probe: Probe): boolean {
  const header = parseWord2vecHeader(probe.head);
  if (!header || header.cols < 1) return false;
  if (header.rows === 0) return true;
  const line = firstLine(probe.head, header.headerBytes);
  const sample = line ?? (probe.size <= probe.head.length ? probe.head.subarray(header.headerBytes) : undefined);
  return sample !== undefined && countNumbersAfterToken(sample) === header.cols;
}

/** GloVe's `-write-header` output: the header counts the vocabulary, then an `<unk>` line follows it. */
const GLOVE_UNK = '<unk>';

async function readCheckpoint(context: ReadContext, format: string, rows: number, cols: number, start: number): Promise<Checkpoint> {
  const { source } = context;
  const lines = await readVectorLines(source, {
    start,
    rows,
    valuesPerLine: cols,
    hasToken: true,
    signal: context.signal,
    ...(format === 'word2vec-text' ? { extraToken: GLOVE_UNK } : {}),
  });
  const notes = ['a text vector file holds one matrix, taken as U (for GloVe text that is W + W̃ summed)'];
  if (lines.rows > rows)
    notes.push(`the header counts ${rows} words; the extra last line is GloVe's ${GLOVE_UNK} (the mean of rare words)`);
  return {
    format,
    path: context.path,
    vocab: { tokens: lines.tokens, source: context.path },
    matrices: [eagerMatrix({ name: 'vectors', role: 'input', rows: lines.rows, cols, dtype: 'float32', tensorNames: [] }, lines.values)],
    tied: false,
    provenance: { files: [context.path], notes },
    close: () => source.close(),
  };
}

/** word2vec / fastText .vec text: a "rows cols" header, then "token v1 … vD" lines. */
export const word2vecText: CheckpointFormat = {
  id: 'word2vec-text',
  description: 'word2vec or fastText .vec text (header line "rows cols", then one "token v1 … vD" line per word)',
  sniff: textAfterHeader,
  async read(context) {
    const head = await context.source.read(0, 64);
    const header = parseWord2vecHeader(head);
    ensure(header, 'bad-header', () => `${context.path}: expected a "rows cols" header line`);
    ensure(
      header.cols >= 1 && header.cols <= MAX_DIM,
      'bad-header',
      () => `${context.path}: header says ${header.cols} columns, expected 1..${MAX_DIM}`,
    );
    return readCheckpoint(context, 'word2vec-text', header.rows, header.cols, header.headerBytes);
  },
};

/** Headerless "token v1 … vD" lines: GloVe's default text output (W + W̃), or word2vec text without a header. */
export const headerlessText: CheckpointFormat = {
  id: 'vectors-text',
  description: 'text vectors without a header ("token v1 … vD" per line, as GloVe writes vectors.txt)',
  sniff(probe) {
    if (parseWord2vecHeader(probe.head)) return false;
    const line = firstLine(probe.head) ?? (probe.size <= probe.head.length ? probe.head : undefined);
    if (!line) return false;
    const count = countNumbersAfterToken(line);
    const second = firstLine(probe.head, line.length + 1);
    // At least two columns (a "word count" vocabulary file is not a 1-D embedding), and two lines of one width.
    return count >= 2 && (second === undefined || countNumbersAfterToken(second) === count);
  },
  async read(context) {
    const { source } = context;
    const head = await source.read(0, 1 << 20);
    const line = firstLine(head) ?? head;
    const cols = countNumbersAfterToken(line);
    ensure(cols >= 1, 'bad-header', () => `${context.path}: expected "token v1 … vD" on the first line`);
    const rows = await countLines(source, 0, context.signal);
    return readCheckpoint(context, 'vectors-text', rows, cols, 0);
  },
};
