import { readText } from '../io/byte-source';
import type { FileAccess } from '../io/files';
import { throwIfAborted } from '../errors';
import { MAX_EVAL_FILE_BYTES, parseAnalogies, parseWordPairs, type AnalogySet, type WordPairSet } from './eval-files';

/** The evaluation sets to run; each one given adds its key to the report. */
export interface EvalSets {
  /** WordSim-353 (wordsim353.tsv layout). */
  readonly wordsim?: WordPairSet;
  /** SimLex-999 (same layout). */
  readonly simlex?: WordPairSet;
  /** Google analogies (questions-words.txt layout). */
  readonly analogies?: AnalogySet;
}

/** Paths of the evaluation files to read ('/'-separated, as `FileAccess` takes them). */
export interface EvalSetPaths {
  readonly wordsim?: string;
  readonly simlex?: string;
  readonly analogies?: string;
}

/** The standard files' names in a data folder such as ../shared/data/eval (gensim's test data names). */
export const STANDARD_EVAL_FILES = { wordsim: 'wordsim353.tsv', simlex: 'simlex999.txt', analogies: 'questions-words.txt' } as const;

/** Paths of the three standard files in `folder`. */
export function standardEvalPaths(folder: string): Required<EvalSetPaths> {
  const base = folder.replace(/\/+$/, '');
  return {
    wordsim: `${base}/${STANDARD_EVAL_FILES.wordsim}`,
    simlex: `${base}/${STANDARD_EVAL_FILES.simlex}`,
    analogies: `${base}/${STANDARD_EVAL_FILES.analogies}`,
  };
}

/**
 * Reads and parses the given evaluation files (each at most MAX_EVAL_FILE_BYTES). A missing file is a `not-found`
 * CheckpointError, a bad line a `bad-header` one naming the file and line.
 */
export async function readEvalSets(files: FileAccess, paths: EvalSetPaths, signal?: AbortSignal): Promise<EvalSets> {
  const read = async (path: string): Promise<string> => {
    throwIfAborted(signal, path);
    const source = await files.open(path);
    try {
      return await readText(source, MAX_EVAL_FILE_BYTES, 'evaluation file');
    } finally {
      await source.close();
    }
  };
  return {
    ...(paths.wordsim !== undefined ? { wordsim: parseWordPairs(await read(paths.wordsim), paths.wordsim) } : {}),
    ...(paths.simlex !== undefined ? { simlex: parseWordPairs(await read(paths.simlex), paths.simlex) } : {}),
    ...(paths.analogies !== undefined ? { analogies: parseAnalogies(await read(paths.analogies), paths.analogies) } : {}),
  };
}
