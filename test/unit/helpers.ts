import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Checkpoint } from '../../src/core/checkpoint';
import type { FileAccess } from '../../src/core/io/files';
import { openCheckpoint, type OpenOptions } from '../../src/core/open';
import { nodeFiles } from '../../src/node/node-files';

const here = dirname(fileURLToPath(import.meta.url));

/** Absolute path of a file under test/fixtures. */
export function fixture(relative: string): string {
  return resolve(here, '..', 'fixtures', relative);
}

/** Absolute path of a file under ../shared (the corpus and evaluation sets). */
export function shared(relative: string): string {
  return resolve(here, '..', '..', '..', 'shared', relative);
}

/** Opens a checkpoint, hands it to `use`, and always closes it. */
export async function withCheckpoint<T>(
  path: string,
  use: (checkpoint: Checkpoint) => Promise<T> | T,
  files: FileAccess = nodeFiles,
  options: OpenOptions = {},
): Promise<T> {
  const checkpoint = await openCheckpoint(path, files, options);
  try {
    return await use(checkpoint);
  } finally {
    await checkpoint.close();
  }
}

/** Opens a checkpoint and loads every matrix: what the fuzz tests ask of every damaged file. */
export function loadEverything(path: string, files: FileAccess = nodeFiles, options: OpenOptions = {}): Promise<void> {
  return withCheckpoint(
    path,
    async (checkpoint) => {
      for (const matrix of checkpoint.matrices) await matrix.load();
    },
    files,
    options,
  );
}

/** Opens a fixture checkpoint through the real Node adapter. */
export function openFixture(relative: string, options: OpenOptions = {}): Promise<Checkpoint> {
  return openCheckpoint(fixture(relative), nodeFiles, options);
}

/** Reads a JSON file of expectations written by the fixture's own generator script. */
export function expected<T>(relative: string): T {
  return JSON.parse(readFileSync(join(fixture(relative)), 'utf8')) as T;
}

/** Largest absolute difference between two equal-length number lists. */
export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs((a[i] as number) - (b[i] as number)));
  return a.length === b.length ? worst : Infinity;
}

/** A seeded PRNG (mulberry32, the core's) so property tests repeat exactly. */
export { seededRandom } from '../../src/core/analysis/seeded-random';
