import { matrixWithRole, type Checkpoint, type Matrix, type Vocabulary } from '../checkpoint';
import { CheckpointError, throwIfAborted } from '../errors';
import { evaluateAnalogies, type AnalogyScore } from './analogies';
import type { EvalSets } from './eval-sets';
import { caseInsensitiveLookup, frequentRows } from './eval-vocab';
import { evaluateWordPairs, type WordPairScore } from './word-pairs';

/** Which matrix to evaluate: U, V, or their row-wise sum U + V (GloVe's W + W̃, word2vec's syn0 + syn1neg). */
export type EvalMatrix = 'input' | 'output' | 'sum';

/** The `eval` report (CLI `--json`, training manifests): one key per evaluation set given. */
export interface EvalReport {
  readonly schema: 1;
  readonly matrix: EvalMatrix;
  readonly wordsim?: WordPairScore;
  readonly simlex?: WordPairScore;
  readonly analogies?: AnalogyScore;
}

/**
 * Analogy questions search (and must have all four words among) the 30,000 most frequent rows: the restriction the
 * word2vec paper's compute-accuracy uses and the usual way analogy accuracy is quoted.
 */
export const ANALOGY_VOCAB_LIMIT = 30_000;
/** Word pairs look words up among the 300,000 most frequent rows: gensim's evaluate_word_pairs default. */
export const PAIR_VOCAB_LIMIT = 300_000;

/** Options of an evaluation. */
export interface EvalOptions {
  /** Rows analogy questions may use (default ANALOGY_VOCAB_LIMIT). */
  readonly analogyVocab?: number;
  /** Rows word pairs may use (default PAIR_VOCAB_LIMIT). */
  readonly pairVocab?: number;
  readonly signal?: AbortSignal;
  /** Share of the work done, 0..1 (the analogies are nearly all of it). */
  onProgress?(fraction: number): void;
}

/** An embedding matrix in memory with the tokens of its rows. */
export interface EvalEmbedding {
  /** Row-major rows × cols float32. */
  readonly data: Float32Array;
  readonly rows: number;
  readonly cols: number;
  /** Tokens (and counts, when known) of the rows; the counts decide which rows are the most frequent. */
  readonly vocab: Vocabulary;
}

/**
 * Evaluates one matrix already in memory (what the trainers hand over): each set given is scored with gensim 4.2's
 * semantics — case-insensitive lookup, the most frequent of several case variants answering for all, pairs or
 * questions with a missing word skipped (see `evaluateWordPairs`, `evaluateAnalogies`).
 */
export async function evaluateEmbedding(
  embedding: EvalEmbedding,
  matrix: EvalMatrix,
  sets: EvalSets,
  options: EvalOptions = {},
): Promise<EvalReport> {
  const { data, rows, cols, vocab } = embedding;
  throwIfAborted(options.signal, 'evaluation');
  const tokens = vocab.tokens;
  let wordsim: WordPairScore | undefined;
  let simlex: WordPairScore | undefined;
  if (sets.wordsim || sets.simlex) {
    const lookup = caseInsensitiveLookup(tokens, frequentRows(vocab, rows, options.pairVocab ?? PAIR_VOCAB_LIMIT));
    if (sets.wordsim) wordsim = evaluateWordPairs(data, cols, lookup, sets.wordsim);
    if (sets.simlex) simlex = evaluateWordPairs(data, cols, lookup, sets.simlex);
  }
  let analogies: AnalogyScore | undefined;
  if (sets.analogies) {
    const allowed = frequentRows(vocab, rows, options.analogyVocab ?? ANALOGY_VOCAB_LIMIT);
    analogies = await evaluateAnalogies(data, cols, tokens, allowed, sets.analogies, {
      ...(options.signal ? { signal: options.signal } : {}),
      ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    });
  }
  options.onProgress?.(1);
  return {
    schema: 1,
    matrix,
    ...(wordsim ? { wordsim } : {}),
    ...(simlex ? { simlex } : {}),
    ...(analogies ? { analogies } : {}),
  };
}

/**
 * Evaluates U, V or U + V of an opened checkpoint on the given sets (loads the matrices; the caller closes the
 * checkpoint). Throws a `no-embedding` CheckpointError when the matrix asked for is missing, `unsupported` when
 * U and V differ in shape for the sum.
 */
export async function evaluateCheckpoint(
  checkpoint: Checkpoint,
  matrix: EvalMatrix,
  sets: EvalSets,
  options: EvalOptions = {},
): Promise<EvalReport> {
  const embedding = await loadEvalMatrix(checkpoint, matrix, options.signal);
  return evaluateEmbedding(embedding, matrix, sets, options);
}

/** The matrix `matrix` names, loaded as float32 with the checkpoint's vocabulary (U + V summed row-wise). */
export async function loadEvalMatrix(checkpoint: Checkpoint, matrix: EvalMatrix, signal?: AbortSignal): Promise<EvalEmbedding> {
  const u = matrixWithRole(checkpoint, 'input');
  const v = matrixWithRole(checkpoint, 'output') ?? (checkpoint.tied ? u : undefined);
  const has = checkpoint.matrices.map((m) => `${m.name} (${m.role})`).join(', ') || 'none';
  const missing = (what: string): CheckpointError =>
    new CheckpointError('no-embedding', `${checkpoint.path}: --matrix ${matrix} needs ${what}; the checkpoint has ${has}`);
  if (u === undefined && matrix !== 'output') throw missing('an input matrix U');
  if (v === undefined && matrix !== 'input') throw missing('an output matrix V');
  const loaded = async (m: Matrix): Promise<EvalEmbedding> => ({
    data: await m.load(signal),
    rows: m.rows,
    cols: m.cols,
    vocab: checkpoint.vocab,
  });
  if (matrix === 'input') return loaded(u as Matrix);
  if (matrix === 'output') return loaded(v as Matrix);
  const [first, second] = [u as Matrix, v as Matrix];
  if (first.rows !== second.rows || first.cols !== second.cols) {
    throw new CheckpointError(
      'unsupported',
      `${checkpoint.path}: --matrix sum needs U and V of one shape, found U (${first.name}) ${first.rows}×${first.cols} and V (${second.name}) ${second.rows}×${second.cols}`,
    );
  }
  // A copy: a matrix's load may hand out the array it keeps.
  const sum = (await first.load(signal)).slice();
  if (second === first) {
    for (let i = 0; i < sum.length; i++) sum[i] = (sum[i] as number) * 2;
  } else {
    const other = await second.load(signal);
    for (let i = 0; i < sum.length; i++) sum[i] = (sum[i] as number) + (other[i] as number);
  }
  return { data: sum, rows: first.rows, cols: first.cols, vocab: checkpoint.vocab };
}
