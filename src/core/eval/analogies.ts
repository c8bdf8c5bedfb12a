import type { AnalogySet } from './eval-files';
import { caseInsensitiveLookup, caseKey } from './eval-vocab';
import type { KnnGraph } from '../analysis/knn';
import { KnnIndex } from '../analysis/knn-index';
import { CheckpointError, throwIfAborted } from '../errors';

/** Analogy accuracy of a matrix. */
export interface AnalogyScore {
  /** correct / answered; null when no question could be answered. */
  readonly accuracy: number | null;
  /** Questions whose four words are all among the restricted rows (the ones asked). */
  readonly answered: number;
  /** Questions in the file. */
  readonly total: number;
}

/** Options of `evaluateAnalogies`. */
export interface AnalogyOptions {
  readonly signal?: AbortSignal;
  /** Share of the work done, 0..1. */
  onProgress?(fraction: number): void;
}

/**
 * Candidates gensim's most_similar(topn=5) keeps: it takes the best 5 + 3 rows, drops the rows of a, b and c, and
 * keeps 5; evaluate_word_analogies then takes the first of those whose word is none of a, b, c in any case.
 */
const GENSIM_TOPN = 5;
const QUESTION_WORDS = 3;

/**
 * 3CosAdd analogy accuracy, with gensim 4.2's `evaluate_word_analogies` semantics (case_insensitive=True,
 * dummy4unknown=False): for "a : b :: c : ?", the answer is the row nearest (by cosine) to b̂ − â + ĉ among
 * `rows` (unit-normalised; a, b, c themselves excluded), and the question counts as answered only when a, b, c and
 * the expected d all resolve (upper-cased, see `caseInsensitiveLookup`) to one of `rows`. `rows` are the rows
 * allowed, most frequent first (`frequentRows(vocab, n, 30000)` for the usual top-30k restriction).
 */
export async function evaluateAnalogies(
  data: Float32Array,
  cols: number,
  tokens: readonly string[],
  rows: Int32Array,
  set: AnalogySet,
  options: AnalogyOptions = {},
): Promise<AnalogyScore> {
  throwIfAborted(options.signal, `${set.source}: analogies`);
  const count = rows.length;
  const restrictedTokens = Array.from(rows, (row) => tokens[row] ?? '');
  const lookup = caseInsensitiveLookup(
    restrictedTokens,
    Int32Array.from({ length: count }, (_, i) => i),
  );
  const unit = unitRows(data, cols, rows);

  // Resolve every question; only the answerable ones become queries.
  const asked: number[] = [];
  const positions: number[] = [];
  set.questions.forEach((question, index) => {
    const found = [question.a, question.b, question.c, question.d].map((word) => lookup.get(caseKey(word)));
    if (found.some((position) => position === undefined)) return;
    asked.push(index);
    positions.push(...(found as number[]));
  });
  const answered = asked.length;
  if (answered === 0) {
    options.onProgress?.(1);
    return { accuracy: null, answered: 0, total: set.questions.length };
  }

  const queries = new Float32Array(answered * cols);
  for (let q = 0; q < answered; q++) {
    const a = (positions[q * 4] as number) * cols;
    const b = (positions[q * 4 + 1] as number) * cols;
    const c = (positions[q * 4 + 2] as number) * cols;
    for (let k = 0; k < cols; k++) queries[q * cols + k] = (unit[b + k] as number) - (unit[a + k] as number) + (unit[c + k] as number);
  }
  const keep = GENSIM_TOPN + QUESTION_WORDS;
  let graph: KnnGraph;
  try {
    // Top-k by dot product on unit rows = by cosine; the scan is float32, the kept candidates rescored in float64.
    graph = await new KnnIndex(unit, cols).search(queries, keep, 'dot', {
      ...(options.signal ? { signal: options.signal } : {}),
      ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    });
  } catch (error) {
    if (error instanceof CheckpointError && error.code === 'cancelled')
      throw new CheckpointError('cancelled', `${set.source}: analogies: cancelled`);
    throw error;
  }

  let correct = 0;
  for (let q = 0; q < answered; q++) {
    const question = set.questions[asked[q] as number];
    if (!question) continue;
    const own = [positions[q * 4], positions[q * 4 + 1], positions[q * 4 + 2]];
    const ignore = new Set([caseKey(question.a), caseKey(question.b), caseKey(question.c)]);
    let predicted: string | undefined;
    let offered = 0;
    for (let j = 0; j < keep && offered < GENSIM_TOPN; j++) {
      const position = graph.indices[q * keep + j] as number;
      if (position < 0) break;
      if (own.includes(position)) continue;
      offered++;
      predicted = caseKey(restrictedTokens[position] ?? '');
      if (!ignore.has(predicted)) break;
    }
    // As in gensim: when all offered words are question words, the last one offered still counts as the prediction.
    if (predicted === caseKey(question.d)) correct++;
  }
  return { accuracy: correct / answered, answered, total: set.questions.length };
}

/** The `rows` of `data`, each divided by its float64 norm (an all-zero row stays zero), packed row-major. */
export function unitRows(data: Float32Array, cols: number, rows: Int32Array): Float32Array {
  const out = new Float32Array(rows.length * cols);
  rows.forEach((row, i) => {
    const at = row * cols;
    let sum = 0;
    for (let c = 0; c < cols; c++) sum += (data[at + c] as number) ** 2;
    const scale = sum === 0 ? 0 : 1 / Math.sqrt(sum);
    for (let c = 0; c < cols; c++) out[i * cols + c] = (data[at + c] as number) * scale;
  });
  return out;
}
