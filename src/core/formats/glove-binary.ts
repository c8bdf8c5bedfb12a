import type { Matrix, Role } from '../checkpoint';
import { decodeToFloat32 } from '../dtype';
import { CheckpointError, ensure, throwIfAborted } from '../errors';
import type { CheckpointFormat, Probe } from '../format';
import { readExact, type ByteSource } from '../io/byte-source';
import { basename } from '../io/files';
import { STREAM_CHUNK_BYTES } from '../io/text-lines';
import { countVocabRows, findGloveVocabPath, GLOVE_VALUE_BYTES, readGloveVocab } from './glove-common';
import { MAX_DIM } from './word2vec-text';

/** Doubles of the head checked for plausibility when sniffing (512 bytes: a few rows of any real model). */
const SNIFF_VALUES = 64;
/**
 * GloVe's parameters start at ±0.5/d and stay small (biases track log counts, a few tens at most); a "double" beyond
 * this, or not finite, means the bytes are not GloVe's parameters.
 */
const MAX_PLAUSIBLE_VALUE = 1e6;
/** Bytes inspected for the not-text check: text files are left to the text readers. */
const TEXT_CHECK_BYTES = 1024;

/** True when the bytes hold a control byte no text file has (float64 data has many). */
function looksBinary(head: Uint8Array): boolean {
  const sample = head.subarray(0, TEXT_CHECK_BYTES);
  return sample.some((byte) => byte < 0x09 || (byte > 0x0d && byte < 0x20) || byte === 0x7f);
}

/** The first doubles of the head are finite and small, as trained GloVe parameters are. */
function plausibleParameters(head: Uint8Array): boolean {
  const count = Math.min(SNIFF_VALUES, Math.floor(head.length / GLOVE_VALUE_BYTES));
  const view = new DataView(head.buffer, head.byteOffset, count * GLOVE_VALUE_BYTES);
  for (let i = 0; i < count; i++) {
    const value = view.getFloat64(i * GLOVE_VALUE_BYTES, true);
    if (!Number.isFinite(value) || Math.abs(value) > MAX_PLAUSIBLE_VALUE) return false;
  }
  return count > 0;
}

/** Vector size d from the file size and the vocabulary rows, or undefined when they do not fit 2·rows·(d+1) doubles. */
export function gloveDimension(size: number, rows: number): number | undefined {
  const perRow = 2 * rows * GLOVE_VALUE_BYTES;
  if (rows < 1 || size % perRow !== 0) return undefined;
  const dim = size / perRow - 1;
  return dim >= 1 && dim <= MAX_DIM ? dim : undefined;
}

/**
 * Structure, not magic (GloVe's binary has none): the bytes are not text, a GloVe vocab file lies beside the file,
 * the size is exactly vocabRows × 2 × (d + 1) × 8 for a whole d ≥ 1, and the first doubles are plausible parameters.
 */
async function sniffGloveBinary(probe: Probe): Promise<boolean> {
  if (probe.zip || probe.size % (2 * GLOVE_VALUE_BYTES) !== 0 || !looksBinary(probe.head)) return false;
  if (!plausibleParameters(probe.head)) return false;
  const vocabPath = await findGloveVocabPath(probe.files, probe.path);
  if (vocabPath === undefined) return false;
  return gloveDimension(probe.size, await countVocabRows(probe.files, vocabPath)) !== undefined;
}

/**
 * Reads one block (0 = W with b, 1 = W̃ with b̃) of the parameter array, chunk by chunk: either the d vector columns
 * or the bias column, as float32 rows.
 */
async function loadBlock(
  source: ByteSource,
  rows: number,
  dim: number,
  block: 0 | 1,
  part: 'vectors' | 'bias',
  signal: AbortSignal | undefined,
): Promise<Float32Array> {
  const stride = dim + 1;
  const rowBytes = stride * GLOVE_VALUE_BYTES;
  const base = block * rows * rowBytes;
  const cols = part === 'vectors' ? dim : 1;
  const out = new Float32Array(rows * cols);
  const rowsPerChunk = Math.max(1, Math.floor(STREAM_CHUNK_BYTES / rowBytes));
  const decoded = new Float32Array(Math.min(rows, rowsPerChunk) * stride);
  for (let first = 0; first < rows; first += rowsPerChunk) {
    throwIfAborted(signal, source.name);
    const count = Math.min(rowsPerChunk, rows - first);
    const what = `GloVe ${block === 0 ? 'W' : 'W̃'} rows ${first}..${first + count - 1}`;
    const bytes = await readExact(source, base + first * rowBytes, count * rowBytes, what);
    decodeToFloat32(bytes, 'float64', true, count * stride, decoded, 0);
    for (let row = 0; row < count; row++) {
      const from = row * stride + (part === 'vectors' ? 0 : dim);
      out.set(decoded.subarray(from, from + cols), (first + row) * cols);
    }
  }
  return out;
}

/** GloVe's binary parameters (`glove -binary 1|2`, vectors.bin) with its vocab file: U = W, V = W̃, biases kept aside. */
export const gloveBinary: CheckpointFormat = {
  id: 'glove-binary',
  description: "GloVe binary vectors.bin (float64 W and bias per word, then W̃ and bias; needs vocab_count's vocab.txt)",
  sniff: sniffGloveBinary,
  async read(context) {
    const { source, path, files } = context;
    const vocabPath = await findGloveVocabPath(files, path);
    if (vocabPath === undefined) {
      throw new CheckpointError(
        'not-found',
        `${path}: expected GloVe's vocab file (vocab.txt from vocab_count) beside it, found none: a GloVe binary has no tokens`,
      );
    }
    const vocab = await readGloveVocab(files, vocabPath);
    const rows = vocab.tokens.length;
    const size = await source.size();
    const dim = gloveDimension(size, rows);
    // A size that is no whole number of rows (or holds no vector at all) is a cut file or a vocab from another run.
    const tooWide = size % (2 * rows * GLOVE_VALUE_BYTES) === 0 && size / (2 * rows * GLOVE_VALUE_BYTES) - 1 > MAX_DIM;
    ensure(
      dim !== undefined,
      tooWide ? 'bad-header' : 'truncated',
      () =>
        `${path}: expected 2×${rows}×(d+1) float64 for the ${rows} words of ${basename(vocabPath)} ` +
        `(a multiple of ${2 * rows * GLOVE_VALUE_BYTES} bytes, d from 1 to ${MAX_DIM}), file has ${size} bytes`,
    );
    const matrix = (name: string, role: Role, block: 0 | 1, part: 'vectors' | 'bias'): Matrix => ({
      name,
      role,
      rows,
      cols: part === 'vectors' ? dim : 1,
      dtype: 'float64',
      tensorNames: [],
      load: (signal) => loadBlock(source, rows, dim, block, part, signal),
    });
    return {
      format: 'glove-binary',
      path,
      vocab,
      matrices: [
        matrix('W', 'input', 0, 'vectors'),
        matrix('W_tilde', 'output', 1, 'vectors'),
        matrix('b', 'other', 0, 'bias'),
        matrix('b_tilde', 'other', 1, 'bias'),
      ],
      tied: false,
      provenance: {
        files: [path, vocabPath],
        notes: [
          `GloVe binary: ${rows} rows of ${dim} + 1 float64 (W and bias b), then ${rows} rows of W̃ and bias b̃`,
          "U = W (word vectors), V = W̃ (context vectors); GloVe's default text output is their sum W + W̃",
          `the biases b and b̃ are kept as 1-column matrices with role 'other'`,
          `tokens${vocab.counts ? ' and counts' : ''} from ${basename(vocabPath)} (vocab_count), one per row`,
        ],
      },
      close: () => source.close(),
    };
  },
};
