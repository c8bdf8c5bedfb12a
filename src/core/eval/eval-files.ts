import { CheckpointError } from '../errors';

/**
 * Largest evaluation file we read (bytes). The standard sets are small (questions-words.txt is 0.6 MB, SimLex-999
 * 20 KB); BATS-sized analogy sets stay under a few MB. Anything near this is not an evaluation set.
 */
export const MAX_EVAL_FILE_BYTES = 32 << 20;

/** One human-judged word pair. */
export interface WordPair {
  readonly a: string;
  readonly b: string;
  /** The human similarity score. */
  readonly score: number;
  /** 1-based line number in the file, for messages. */
  readonly line: number;
}

/** A word-similarity set (WordSim-353, SimLex-999): pairs with human scores. */
export interface WordPairSet {
  /** Where it came from (a path), for messages. */
  readonly source: string;
  readonly pairs: readonly WordPair[];
}

/** One analogy question "a is to b as c is to d" (d is the expected answer). */
export interface AnalogyQuestion {
  readonly a: string;
  readonly b: string;
  readonly c: string;
  readonly d: string;
  /** Index into `AnalogySet.sections`. */
  readonly section: number;
  /** 1-based line number in the file. */
  readonly line: number;
}

/** An analogy set in the Google questions-words.txt layout. */
export interface AnalogySet {
  readonly source: string;
  /** Section names in file order ('' for questions before any `: name` header). */
  readonly sections: readonly string[];
  readonly questions: readonly AnalogyQuestion[];
}

/** Lines without their '\r\n' / '\n' ending. */
function fileLines(text: string): string[] {
  return text.split('\n').map((line) => (line.endsWith('\r') ? line.slice(0, -1) : line));
}

/** A line as it appears in an error message: clipped and JSON-quoted, so control characters show as escapes. */
function shown(line: string): string {
  // Long enough to recognise the line, short enough to keep the error on one terminal line.
  const MAX_SHOWN = 60;
  const clipped = line.length > MAX_SHOWN ? `${line.slice(0, MAX_SHOWN)}…` : line;
  // JSON escapes C0 controls; DEL and the C1 controls (0x9b is a terminal's CSI) are escaped the same way here.
  return JSON.stringify(clipped).replace(/[\u007f-\u009f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** A strict decimal number (Python's float() on the data files' scores: digits, sign, point, exponent). */
const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/**
 * Parses a word-similarity file: `#` comment lines, blank lines skipped, otherwise exactly
 * `word1<TAB>word2<TAB>score` (the layout of gensim's wordsim353.tsv and simlex999.txt). Words are trimmed; the
 * score must be a finite decimal number. Any other line is an error naming the file and the line.
 */
export function parseWordPairs(text: string, source: string): WordPairSet {
  const pairs: WordPair[] = [];
  fileLines(text).forEach((raw, index) => {
    const line = index + 1;
    if (raw.startsWith('#') || raw.trim() === '') return;
    const fields = raw.split('\t');
    const bad = (what: string): CheckpointError =>
      new CheckpointError('bad-header', `${source}:${line}: expected "word1<TAB>word2<TAB>score", found ${what} in ${shown(raw)}`);
    if (fields.length !== 3) throw bad(`${fields.length} tab-separated field${fields.length === 1 ? '' : 's'}`);
    const [a, b, score] = fields.map((field) => field.trim()) as [string, string, string];
    if (a === '' || b === '') throw bad('an empty word');
    if (!NUMBER.test(score)) throw bad(`the score ${shown(score)}`);
    pairs.push({ a, b, score: Number(score), line });
  });
  return { source, pairs };
}

/**
 * Parses an analogy file: `: section` header lines, blank lines skipped, otherwise exactly four
 * whitespace-separated words `a b c d` (a is to b as c is to d). Questions before the first header belong to a
 * section named ''. Any other line is an error naming the file and the line.
 */
export function parseAnalogies(text: string, source: string): AnalogySet {
  const sections: string[] = [];
  const questions: AnalogyQuestion[] = [];
  fileLines(text).forEach((raw, index) => {
    const line = index + 1;
    if (raw.startsWith(':')) {
      sections.push(raw.slice(1).trim());
      return;
    }
    const words = raw.trim().split(/\s+/);
    if (words.length === 1 && words[0] === '') return;
    if (words.length !== 4) {
      throw new CheckpointError(
        'bad-header',
        `${source}:${line}: expected 4 words "a b c d" or a ": section" header, found ${words.length} word${words.length === 1 ? '' : 's'} in ${shown(raw)}`,
      );
    }
    if (sections.length === 0) sections.push('');
    const [a, b, c, d] = words as [string, string, string, string];
    questions.push({ a, b, c, d, section: sections.length - 1, line });
  });
  return { source, sections, questions };
}
