import { CheckpointError } from '../errors';

/**
 * Longest sentence a trainer sees (tokens). Longer lines are cut into pieces of this length, as gensim does
 * (MAX_WORDS_IN_BATCH); word2vec.c uses 1000. A window never crosses a piece boundary.
 */
export const MAX_SENTENCE_TOKENS = 10_000;

/** A training vocabulary: tokens by descending count (ties in order of first appearance). */
export interface Vocabulary {
  readonly tokens: readonly string[];
  /** Occurrences of each token in the corpus. */
  readonly counts: Float64Array;
  /** Row of a token, or undefined when it is not in the vocabulary. */
  readonly index: ReadonlyMap<string, number>;
}

/** A corpus read once and kept as vocabulary ids: what every trainer iterates over. */
export interface EncodedCorpus {
  readonly vocab: Vocabulary;
  /** Vocabulary ids of the kept tokens, in corpus order (tokens under minCount are dropped, as word2vec does). */
  readonly ids: Int32Array;
  /** Exclusive end offset in `ids` of each sentence (a line, or a MAX_SENTENCE_TOKENS piece of one). */
  readonly sentenceEnds: Int32Array;
  /** Every token read, kept or not: the figure tokens/s is reported against (gensim's "raw words"). */
  readonly rawTokens: number;
}

/** How a corpus becomes ids. */
export interface EncodeOptions {
  /** Tokens seen fewer times are dropped. */
  readonly minCount: number;
  /** Keep at most this many of the most frequent tokens (after minCount). */
  readonly maxVocab?: number;
  /** Lower-case tokens before counting. */
  readonly lowercase?: boolean;
}

/** Hard cap on distinct token types, so a corpus of random bytes cannot grow the map without bound. */
const MAX_TYPES = 50_000_000;

/**
 * Builds an EncodedCorpus in one pass over the text: tokens get provisional ids in order of first appearance,
 * and `finish` renumbers them by frequency and drops the rare ones. Lines are split on whitespace.
 */
export class CorpusEncoder {
  private readonly provisional = new Map<string, number>();
  private readonly typeCounts: number[] = [];
  private ids = new Int32Array(1 << 16);
  private length = 0;
  private ends: number[] = [];
  private raw = 0;

  constructor(private readonly lowercase = false) {}

  /** Tokens read so far. */
  get tokensRead(): number {
    return this.raw;
  }

  /** Adds one line (one sentence, or a paragraph treated as one). */
  addLine(line: string): void {
    const text = this.lowercase ? line.toLowerCase() : line;
    const start = this.length;
    let pieceStart = start;
    for (const token of text.split(/\s+/)) {
      if (token === '') continue;
      let id = this.provisional.get(token);
      if (id === undefined) {
        id = this.typeCounts.length;
        if (id >= MAX_TYPES) throw new CheckpointError('too-large', `corpus: expected at most ${MAX_TYPES} distinct tokens, found more`);
        this.provisional.set(token, id);
        this.typeCounts.push(0);
      }
      this.typeCounts[id] = (this.typeCounts[id] ?? 0) + 1;
      this.push(id);
      this.raw++;
      if (this.length - pieceStart === MAX_SENTENCE_TOKENS) {
        this.ends.push(this.length);
        pieceStart = this.length;
      }
    }
    if (this.length > pieceStart) this.ends.push(this.length);
  }

  /** Renumbers by frequency, drops tokens under minCount (and past maxVocab), and returns the corpus. */
  finish(options: EncodeOptions): EncodedCorpus {
    const order = Array.from(this.typeCounts.keys())
      .filter((id) => (this.typeCounts[id] ?? 0) >= options.minCount)
      .sort((a, b) => (this.typeCounts[b] ?? 0) - (this.typeCounts[a] ?? 0) || a - b);
    if (options.maxVocab !== undefined && order.length > options.maxVocab) order.length = options.maxVocab;
    const names = Array.from(this.provisional.keys());
    const remap = new Int32Array(this.typeCounts.length).fill(-1);
    order.forEach((id, row) => (remap[id] = row));
    const tokens = order.map((id) => names[id] as string);
    const counts = Float64Array.from(order, (id) => this.typeCounts[id] ?? 0);
    const { ids, sentenceEnds } = this.renumber(remap);
    return { vocab: vocabularyOf(tokens, counts), ids, sentenceEnds, rawTokens: this.raw };
  }

  private renumber(remap: Int32Array): { ids: Int32Array; sentenceEnds: Int32Array } {
    const ids = new Int32Array(this.length);
    const ends: number[] = [];
    let kept = 0;
    let from = 0;
    for (const end of this.ends) {
      for (let i = from; i < end; i++) {
        const row = remap[this.ids[i] as number] as number;
        if (row >= 0) ids[kept++] = row;
      }
      if (kept > (ends[ends.length - 1] ?? 0)) ends.push(kept);
      from = end;
    }
    return { ids: ids.slice(0, kept), sentenceEnds: Int32Array.from(ends) };
  }

  private push(id: number): void {
    if (this.length === this.ids.length) {
      const grown = new Int32Array(this.ids.length * 2);
      grown.set(this.ids);
      this.ids = grown;
    }
    this.ids[this.length++] = id;
  }
}

/** A Vocabulary over the given tokens and counts. */
export function vocabularyOf(tokens: readonly string[], counts: Float64Array): Vocabulary {
  return { tokens, counts, index: new Map(tokens.map((token, row) => [token, row])) };
}

/** Encodes lines in memory (tests, small corpora). */
export function encodeLines(lines: Iterable<string>, options: EncodeOptions): EncodedCorpus {
  const encoder = new CorpusEncoder(options.lowercase ?? false);
  for (const line of lines) encoder.addLine(line);
  return encoder.finish(options);
}
