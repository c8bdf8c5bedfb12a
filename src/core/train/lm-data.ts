import { CheckpointError } from '../errors';
import type { Random } from '../analysis/seeded-random';
import type { EncodedCorpus, Vocabulary } from './corpus';
import { vocabularyOf } from './corpus';

/** The token rare words become in a capped vocabulary. */
export const UNKNOWN_TOKEN = '<unk>';

/** A corpus whose vocabulary is capped, with every dropped token mapped to one unknown row. */
export interface CappedCorpus extends EncodedCorpus {
  /** Row of UNKNOWN_TOKEN (the last row, or the corpus's own `<unk>` when it has one among the kept tokens). */
  readonly unknownRow: number;
  /** Token occurrences now on the unknown row that were other words in the corpus. */
  readonly unknownTokens: number;
}

/**
 * Caps a corpus's vocabulary for a softmax model: the `maxVocab - 1` most frequent tokens seen at least `minCount`
 * times keep their rows (ids are already frequency-ordered, so they keep their numbers), and every other token is
 * mapped to one `<unk>` row, appended last with the summed count. Unlike word2vec's dropping, the sequences keep
 * their length, so the model still learns that something was there. Encode the corpus with minCount 1 so no word
 * is dropped before this step (a word dropped by the encoder is gone, not unknown).
 */
export function capVocabulary(corpus: EncodedCorpus, maxVocab: number, minCount: number): CappedCorpus {
  if (!(maxVocab >= 2))
    throw new CheckpointError('unsupported', `maxVocab: expected at least 2 (a word and ${UNKNOWN_TOKEN}), found ${maxVocab}`);
  const { tokens, counts } = corpus.vocab;
  const existing = corpus.vocab.index.get(UNKNOWN_TOKEN);
  let kept = 0;
  while (kept < tokens.length && kept < maxVocab - 1 && (counts[kept] as number) >= minCount) kept++;
  // A corpus that already has <unk> (Penn Treebank does) keeps it as the unknown row when it is among the kept,
  // and the row an appended <unk> would have taken goes to one more word.
  const ownUnknown = existing !== undefined && existing < kept ? existing : undefined;
  if (ownUnknown !== undefined && kept < tokens.length && (counts[kept] as number) >= minCount) kept++;
  const unknownRow = ownUnknown ?? kept;
  const rows = ownUnknown === undefined ? kept + 1 : kept;
  const newTokens = tokens.slice(0, kept);
  const newCounts = new Float64Array(rows);
  newCounts.set(counts.subarray(0, kept));
  if (ownUnknown === undefined) newTokens.push(UNKNOWN_TOKEN);
  const ids = new Int32Array(corpus.ids.length);
  let unknownTokens = 0;
  for (let i = 0; i < ids.length; i++) {
    const id = corpus.ids[i] as number;
    if (id < kept) {
      ids[i] = id;
    } else {
      ids[i] = unknownRow;
      newCounts[unknownRow] = (newCounts[unknownRow] as number) + 1;
      unknownTokens++;
    }
  }
  const vocab: Vocabulary = vocabularyOf(newTokens, newCounts);
  return { vocab, ids, sentenceEnds: corpus.sentenceEnds, rawTokens: corpus.rawTokens, unknownRow, unknownTokens };
}

/**
 * Windows of next-token prediction: window i reads ids[starts[i] .. starts[i] + lengths[i]) and predicts the token
 * after each (so lengths[i] ≤ sequenceLength targets, and the window never crosses a sentence end).
 */
export interface Windows {
  readonly starts: Int32Array;
  readonly lengths: Int32Array;
  /** Sum of lengths: the targets the windows predict. */
  readonly targets: number;
}

/** Cuts sentences [fromSentence, toSentence) into consecutive windows of up to `sequenceLength` targets. */
export function makeWindows(corpus: EncodedCorpus, fromSentence: number, toSentence: number, sequenceLength: number): Windows {
  const starts: number[] = [];
  const lengths: number[] = [];
  let targets = 0;
  for (let s = fromSentence; s < toSentence; s++) {
    const begin = s === 0 ? 0 : (corpus.sentenceEnds[s - 1] as number);
    const end = corpus.sentenceEnds[s] as number;
    // The last token of a sentence predicts nothing (there is no next token within it).
    for (let at = begin; at < end - 1; at += sequenceLength) {
      const length = Math.min(sequenceLength, end - 1 - at);
      starts.push(at);
      lengths.push(length);
      targets += length;
    }
  }
  return { starts: Int32Array.from(starts), lengths: Int32Array.from(lengths), targets };
}

/** The sentence index where the held-out part starts: the last `fraction` of sentences, at least one each side. */
export function heldOutStart(sentences: number, fraction: number): number {
  if (sentences < 2)
    throw new CheckpointError('empty', `corpus: expected at least 2 sentences (training and held-out), found ${sentences}`);
  const heldOut = Math.min(sentences - 1, Math.max(1, Math.round(sentences * fraction)));
  return sentences - heldOut;
}

/** One batch as typed arrays: inputs and targets [rows × sequenceLength] (padding has weight 0). */
export interface Batch {
  readonly rows: number;
  readonly inputs: Int32Array;
  readonly targets: Int32Array;
  readonly weights: Float32Array;
  /** Targets with weight 1. */
  readonly count: number;
}

/** Fills a batch from windows `order[from .. from + rows)`, padding short windows with row 0 and weight 0. */
export function fillBatch(ids: Int32Array, windows: Windows, order: Int32Array, from: number, rows: number, sequenceLength: number): Batch {
  const inputs = new Int32Array(rows * sequenceLength);
  const targets = new Int32Array(rows * sequenceLength);
  const weights = new Float32Array(rows * sequenceLength);
  let count = 0;
  for (let r = 0; r < rows; r++) {
    const w = order[from + r] as number;
    const start = windows.starts[w] as number;
    const length = windows.lengths[w] as number;
    const base = r * sequenceLength;
    for (let t = 0; t < length; t++) {
      inputs[base + t] = ids[start + t] as number;
      targets[base + t] = ids[start + t + 1] as number;
      weights[base + t] = 1;
    }
    count += length;
  }
  return { rows, inputs, targets, weights, count };
}

/** 0 … n-1 shuffled by Fisher–Yates with the given random stream (in place when `order` is given). */
export function shuffledOrder(n: number, random: Random, order: Int32Array = Int32Array.from({ length: n }, (_, i) => i)): Int32Array {
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    const swap = order[i] as number;
    order[i] = order[j] as number;
    order[j] = swap;
  }
  return order;
}
