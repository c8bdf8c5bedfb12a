import { CheckpointError } from '../errors';
import type { Vocabulary } from './corpus';
import { encodeLines, MAX_SENTENCE_TOKENS } from './corpus';
import { capVocabulary } from './lm-data';

/**
 * The labelled-corpus text format the classifier trains on (UTF-8, one document per line):
 *
 *     label<TAB>text of the document
 *
 * The label is everything before the first tab (trimmed; any characters but tab and newline); the text is split on
 * whitespace, like the plain corpora. Blank lines and lines starting with '#' are skipped, as are documents with
 * no tokens. scripts/make-wordnet-labelled.mjs writes WordNet glosses in this format (label = part of speech or
 * lexicographer file).
 */
export interface LabelledCorpus {
  /** Label names; row i of the classifier's output is labels[i]. In order of first appearance. */
  readonly labels: readonly string[];
  /** Capped vocabulary with `<unk>` (see capVocabulary). */
  readonly vocab: Vocabulary;
  /** Every document's token ids, concatenated. */
  readonly ids: Int32Array;
  /** Exclusive end offset in `ids` of each document. */
  readonly documentEnds: Int32Array;
  /** Label row of each document. */
  readonly documentLabels: Int32Array;
  /** Tokens read (before truncation to maxDocumentTokens). */
  readonly rawTokens: number;
}

/** How labelled text becomes a LabelledCorpus. */
export interface LabelledEncodeOptions {
  /** Rows of the embedding, `<unk>` included. */
  readonly maxVocab: number;
  /** Tokens seen fewer times become `<unk>`. */
  readonly minCount: number;
  /** Documents are cut to their first this many tokens. */
  readonly maxDocumentTokens: number;
  readonly lowercase?: boolean;
}

/** Most distinct labels accepted: a classifier over more is not what this format is for. */
const MAX_LABELS = 10_000;

/** Parses `label<TAB>text` lines (`source` names them in errors) and encodes the documents. */
export function parseLabelledLines(lines: Iterable<string>, source: string, options: LabelledEncodeOptions): LabelledCorpus {
  if (!(options.maxDocumentTokens >= 1 && options.maxDocumentTokens <= MAX_SENTENCE_TOKENS)) {
    throw new CheckpointError('unsupported', `maxDocumentTokens: expected 1 to ${MAX_SENTENCE_TOKENS}, found ${options.maxDocumentTokens}`);
  }
  const labelRows = new Map<string, number>();
  const texts: string[] = [];
  const documentLabels: number[] = [];
  let rawTokens = 0;
  let lineNumber = 0;
  for (const raw of lines) {
    lineNumber++;
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (line.trim() === '' || line.startsWith('#')) continue;
    const tab = line.indexOf('\t');
    if (tab < 0) throw new CheckpointError('bad-header', `${source}:${lineNumber}: expected "label<TAB>text", found no tab`);
    const label = line.slice(0, tab).trim();
    if (label === '') throw new CheckpointError('bad-header', `${source}:${lineNumber}: expected a label before the tab, found none`);
    const tokens = line
      .slice(tab + 1)
      .split(/\s+/)
      .filter((token) => token !== '');
    if (tokens.length === 0) continue;
    rawTokens += tokens.length;
    let row = labelRows.get(label);
    if (row === undefined) {
      row = labelRows.size;
      if (row >= MAX_LABELS) throw new CheckpointError('too-large', `${source}: expected at most ${MAX_LABELS} labels, found more`);
      labelRows.set(label, row);
    }
    texts.push(tokens.slice(0, options.maxDocumentTokens).join(' '));
    documentLabels.push(row);
  }
  if (texts.length === 0) throw new CheckpointError('empty', `${source}: expected "label<TAB>text" lines, found no document`);
  // minCount 1 keeps every document's tokens (so every text stays one sentence); capVocabulary then makes rare ones <unk>.
  const encoded = encodeLines(texts, { minCount: 1, ...(options.lowercase !== undefined ? { lowercase: options.lowercase } : {}) });
  if (encoded.sentenceEnds.length !== texts.length) throw new Error(`${source}: documents and encoded sentences differ in number`);
  const capped = capVocabulary(encoded, options.maxVocab, options.minCount);
  return {
    labels: [...labelRows.keys()],
    vocab: capped.vocab,
    ids: capped.ids,
    documentEnds: capped.sentenceEnds,
    documentLabels: Int32Array.from(documentLabels),
    rawTokens,
  };
}
