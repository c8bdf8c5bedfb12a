import type { ByteSource } from './byte-source';

/** What a reader may learn about a path without opening it. */
export interface FileStat {
  readonly size: number;
  readonly isDirectory: boolean;
}

/**
 * The platform-neutral view of a file system a reader gets: it opens the checkpoint and the files beside it
 * (vocab.txt, config.json, shards, gensim's .npy side files). Paths use '/' separators.
 */
export interface FileAccess {
  /** Opens a file for random access; throws CheckpointError('not-found') if it does not exist. */
  open(path: string): Promise<ByteSource>;
  /** Size and kind of a path, or undefined when nothing is there. */
  stat(path: string): Promise<FileStat | undefined>;
  /** Names (not paths) of the entries of a directory; empty when it cannot be listed. */
  list(directory: string): Promise<string[]>;
}

/** The folder part of a '/'-separated path ('' for a bare name). */
export function dirname(path: string): string {
  const cut = path.lastIndexOf('/');
  return cut < 0 ? '' : cut === 0 ? '/' : path.slice(0, cut);
}

/** The last segment of a '/'-separated path. */
export function basename(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

/**
 * Joins a folder and a relative name from inside a file (a shard name, a side file). Names that climb out
 * of the folder or are absolute are refused: a checkpoint's own index must not point the reader elsewhere.
 */
export function joinInside(folder: string, relative: string): string | undefined {
  if (relative === '' || relative.startsWith('/') || /^[A-Za-z]:/.test(relative) || relative.includes('\\')) {
    return undefined;
  }
  const parts = relative.split('/');
  if (parts.some((part) => part === '..')) return undefined;
  const clean = parts.filter((part) => part !== '' && part !== '.').join('/');
  if (clean === '') return undefined;
  return folder === '' ? clean : folder.endsWith('/') ? folder + clean : `${folder}/${clean}`;
}
