import type { Vocabulary } from '../checkpoint';
import { rowNumberVocabulary } from '../checkpoint';
import type { FileAccess } from '../io/files';
import { findSiblingVocabulary, fitVocabulary } from '../vocab-files';

/** A vocabulary for a matrix of `rows` rows, with notes saying where it came from and how it was fitted. */
export interface FittedVocabulary {
  readonly vocab: Vocabulary;
  readonly notes: string[];
  /** The vocabulary file read, if any (for provenance). */
  readonly file?: string;
}

/** Fits a vocabulary file's tokens to `rows` rows, or names the rows by number when there is no file. */
export function fitOrNumberRows(found: Vocabulary | undefined, rows: number): FittedVocabulary {
  if (!found) return { vocab: rowNumberVocabulary(rows), notes: ['no vocabulary file beside it: rows are named by number'] };
  const fitted = fitVocabulary(found, rows);
  return { vocab: fitted.vocab, notes: [`vocabulary from ${found.source}`, ...(fitted.note ? [fitted.note] : [])], file: found.source };
}

/**
 * The tokens of a tensor file's rows: the vocabulary file beside it (vocab.txt, metadata.tsv, tokenizer.json …)
 * fitted to the row count, or row numbers when there is none.
 */
export async function vocabularyBeside(files: FileAccess, path: string, rows: number): Promise<FittedVocabulary> {
  return fitOrNumberRows(await findSiblingVocabulary(files, path), rows);
}
