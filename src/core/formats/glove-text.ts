import { eagerMatrix, type Matrix, type Role } from '../checkpoint';
import { CheckpointError, ensure } from '../errors';
import type { CheckpointFormat, Probe } from '../format';
import { basename, dirname, joinInside } from '../io/files';
import { countLines, firstLine, headLines, parseVectorLine, readVectorLines, type ParsedVectorLine } from '../text/vector-lines';
import { parseVocabLines } from '../vocab-files';
import { findGloveVocabPath, GLOVE_UNKNOWN_TOKEN, GLOVE_VALUE_BYTES, pearson } from './glove-common';
import { MAX_DIM, parseWord2vecHeader } from './word2vec-text';

/**
 * GloVe's `-model 0` text output (glove.c `save_params`): per word "word W[0..d) b W̃[0..d) b̃" printed with %lf,
 * then an `<unk>` line. Without `-write-header 1` it is plain "token + numbers" text of even width 2(d+1), exactly
 * like a default (-model 2, W + W̃) vectors.txt of width 2(d+1) would be. So we claim a file only on evidence:
 *
 *  A. Header: the first line is GloVe's "vocab_size d" (-write-header 1) and the next line holds 2(d+1) numbers.
 *     word2vec text would hold d: unambiguous.
 *  B. Sibling binary: `<stem>.bin` or vectors.bin beside it has the GloVe binary's structure for that d
 *     (size a multiple of 2(d+1) doubles) and its first row W[0]‖b[0]‖W̃[0]‖b̃[0] equals the first text line to
 *     %lf's six decimals. -model 2 text matches W[0] + W̃[0] instead, and fails this.
 *  C. Sibling vocab file and biases: GloVe's vocab file (vocab.txt…) lists the same first tokens with counts, and in
 *     the first lines the two would-be bias columns (d and 2d+1) agree with each other (r ≥ 0.9) and each follows the
 *     log count (r ≥ 0.5). GloVe fits b[i] + b̃[j] to log X[i][j], so a word's two biases are nearly equal and grow
 *     with its frequency (r = 0.99 and 0.87 on our fixture); in W + W̃ output the same columns are two unrelated
 *     dimensions (r = −0.18 there).
 * Anything else stays with the plain text readers; `--format glove-model0-text` forces this reader.
 */

/** Lines of the head used as the sample for rule C (the 64 KB head holds ~350 lines at d = 8). */
const MAX_SAMPLE_LINES = 512;
/** Fewer sampled lines than this make correlations meaningless: rule C then does not claim the file. */
const MIN_SAMPLE_LINES = 32;
/** Rule C thresholds (see above): biases agree with each other, and each with the log count. */
const MIN_BIAS_AGREEMENT = 0.9;
const MIN_BIAS_FREQUENCY = 0.5;
/** %lf prints six decimals: a printed value lies within half a unit of the last, plus float slack. */
const PRINT_TOLERANCE = 5e-7 + 1e-9;
/** Bytes of the head read to find the first vector line (a header plus one line at any sensible width). */
const HEAD_BYTES = 1 << 20;

/** d when `width` numbers are 2(d+1) (W, b, W̃, b̃); undefined otherwise. */
function dimFromWidth(width: number): number | undefined {
  const dim = width / 2 - 1;
  return Number.isInteger(dim) && dim >= 1 && dim <= MAX_DIM ? dim : undefined;
}

/** Rule B: the first text line is row 0 of a sibling GloVe binary (W[0], b[0], W̃[0], b̃[0]). */
async function matchesSiblingBinary(probe: Probe, first: ParsedVectorLine, dim: number): Promise<boolean> {
  const folder = dirname(probe.path);
  const present = new Set(await probe.files.list(folder));
  const stem = basename(probe.path).replace(/\.[^.]+$/, '');
  const rowBytes = (dim + 1) * GLOVE_VALUE_BYTES;
  for (const name of [`${stem}.bin`, 'vectors.bin']) {
    const path = present.has(name) && name !== basename(probe.path) ? joinInside(folder, name) : undefined;
    if (path === undefined) continue;
    const stat = await probe.files.stat(path);
    if (!stat || stat.isDirectory || stat.size === 0 || stat.size % (2 * rowBytes) !== 0) continue;
    const rows = stat.size / (2 * rowBytes);
    const source = await probe.files.open(path);
    try {
      const word = await source.read(0, rowBytes);
      const context = await source.read(rows * rowBytes, rowBytes);
      if (word.length < rowBytes || context.length < rowBytes) continue;
      const doubles = (bytes: Uint8Array): number[] =>
        Array.from({ length: dim + 1 }, (_, i) => new DataView(bytes.buffer, bytes.byteOffset).getFloat64(i * GLOVE_VALUE_BYTES, true));
      const stored = [...doubles(word), ...doubles(context)];
      if (stored.every((value, i) => Math.abs(value - (first.values[i] as number)) <= PRINT_TOLERANCE * Math.max(1, Math.abs(value)))) {
        return true;
      }
    } finally {
      await source.close();
    }
  }
  return false;
}

/** Rule C: same tokens as GloVe's vocab file, and two bias columns that behave like GloVe's biases. */
async function biasesFollowVocab(probe: Probe, lines: readonly ParsedVectorLine[], dim: number): Promise<boolean> {
  const vocabPath = await findGloveVocabPath(probe.files, probe.path);
  if (vocabPath === undefined) return false;
  const source = await probe.files.open(vocabPath);
  let head: Uint8Array;
  let wholeFile: boolean;
  try {
    const size = await source.size();
    head = await source.read(0, Math.min(size, probe.head.length));
    wholeFile = head.length >= size;
  } finally {
    await source.close();
  }
  const vocabLines = headLines(head, 0, wholeFile, MAX_SAMPLE_LINES).map((line) => new TextDecoder('utf-8').decode(line));
  const vocab = parseVocabLines(vocabLines.join('\n'), vocabPath);
  const n = Math.min(lines.length, vocab.tokens.length);
  if (!vocab.counts || n < MIN_SAMPLE_LINES) return false;
  for (let i = 0; i < n; i++) if (lines[i]?.token !== vocab.tokens[i]) return false;
  const bias = lines.slice(0, n).map((line) => line.values[dim] as number);
  const contextBias = lines.slice(0, n).map((line) => line.values[2 * dim + 1] as number);
  const logCounts = vocab.counts.slice(0, n).map((count) => Math.log(Math.max(count, 1)));
  return (
    pearson(bias, contextBias) >= MIN_BIAS_AGREEMENT &&
    pearson(bias, logCounts) >= MIN_BIAS_FREQUENCY &&
    pearson(contextBias, logCounts) >= MIN_BIAS_FREQUENCY
  );
}

async function sniffModel0(probe: Probe): Promise<boolean> {
  const wholeFile = probe.size <= probe.head.length;
  const header = parseWord2vecHeader(probe.head);
  if (header) {
    const next = headLines(probe.head, header.headerBytes, wholeFile, 1)[0];
    return next !== undefined && header.cols >= 1 && parseVectorLine(next)?.values.length === 2 * (header.cols + 1);
  }
  const lines = headLines(probe.head, 0, wholeFile, MAX_SAMPLE_LINES).map((line) => parseVectorLine(line));
  const first = lines[0];
  if (first === undefined) return false;
  const width = first.values.length;
  const dim = dimFromWidth(width);
  if (dim === undefined || !lines.every((line) => line !== undefined && line.values.length === width)) return false;
  const parsed = lines as ParsedVectorLine[];
  return (await matchesSiblingBinary(probe, first, dim)) || (await biasesFollowVocab(probe, parsed, dim));
}

/** Splits rows of W‖b‖W̃‖b̃ into the four matrices. */
function splitParameters(values: Float32Array, rows: number, dim: number): [Float32Array, Float32Array, Float32Array, Float32Array] {
  const width = 2 * (dim + 1);
  const word = new Float32Array(rows * dim);
  const context = new Float32Array(rows * dim);
  const bias = new Float32Array(rows);
  const contextBias = new Float32Array(rows);
  for (let row = 0; row < rows; row++) {
    const base = row * width;
    word.set(values.subarray(base, base + dim), row * dim);
    bias[row] = values[base + dim] as number;
    context.set(values.subarray(base + dim + 1, base + 2 * dim + 1), row * dim);
    contextBias[row] = values[base + 2 * dim + 1] as number;
  }
  return [word, context, bias, contextBias];
}

/** GloVe `-model 0` text: both matrices and both biases on one line per word (U = W, V = W̃). */
export const gloveModel0Text: CheckpointFormat = {
  id: 'glove-model0-text',
  description: 'GloVe -model 0 text ("word W b W̃ b̃" per line, width 2(d+1); needs a header, vectors.bin or vocab.txt beside it)',
  sniff: sniffModel0,
  async read(context) {
    const { source, path } = context;
    const size = await source.size();
    const head = await source.read(0, Math.min(size, HEAD_BYTES));
    const header = parseWord2vecHeader(head);
    const start = header ? header.headerBytes : 0;
    const line = headLines(head, start, head.length >= size, 1)[0] ?? firstLine(head, start);
    const width = line ? (parseVectorLine(line)?.values.length ?? -1) : -1;
    const dim = dimFromWidth(width);
    ensure(
      dim !== undefined,
      'bad-header',
      () =>
        `${path}: expected "word" and 2(d+1) numbers per line (GloVe -model 0: W, b, W̃, b̃), found ${width < 0 ? 'no such line' : `${width} numbers`}`,
    );
    if (header) {
      ensure(
        header.cols === dim,
        'bad-header',
        () => `${path}: header says d = ${header.cols}, so 2(d+1) = ${2 * (header.cols + 1)} numbers per line; the first line has ${width}`,
      );
    }
    const rows = await countLines(source, start, context.signal);
    if (header && rows !== header.rows && rows !== header.rows + 1) {
      // GloVe writes vocab_size in the header and then vocab_size word lines plus the <unk> line.
      throw new CheckpointError(
        rows < header.rows ? 'truncated' : 'bad-header',
        `${path}: header says ${header.rows} words (plus GloVe's <unk> line), file has ${rows} lines`,
      );
    }
    const lines = await readVectorLines(source, { start, rows, valuesPerLine: width, hasToken: true, signal: context.signal });
    const [word, contextVectors, bias, contextBias] = splitParameters(lines.values, rows, dim);
    const matrix = (name: string, role: Role, cols: number, data: Float32Array): Matrix =>
      eagerMatrix({ name, role, rows, cols, dtype: 'float32', tensorNames: [] }, data);
    const notes = [
      `GloVe -model 0 text: per line the word, W (${dim} numbers) and its bias b, then W̃ (${dim}) and its bias b̃`,
      "U = W (word vectors), V = W̃ (context vectors); the biases b and b̃ are kept as 1-column matrices with role 'other'",
    ];
    if (lines.tokens[rows - 1] === GLOVE_UNKNOWN_TOKEN) {
      notes.push(`the last row, ${GLOVE_UNKNOWN_TOKEN}, is not a trained word: glove.c writes the mean of the last 100 rows there`);
    }
    return {
      format: 'glove-model0-text',
      path,
      vocab: { tokens: lines.tokens, source: path },
      matrices: [
        matrix('W', 'input', dim, word),
        matrix('W_tilde', 'output', dim, contextVectors),
        matrix('b', 'other', 1, bias),
        matrix('b_tilde', 'other', 1, contextBias),
      ],
      tied: false,
      provenance: { files: [path], notes },
      close: () => source.close(),
    };
  },
};
