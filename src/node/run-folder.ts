import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { once } from 'node:events';
import { float32Bytes, npyHeader, vocabText, word2vecBinaryChunks, word2vecTextChunks } from '../core/export/matrix-writers';
import type { TrainedEmbeddings, TrainedMatrix } from '../core/train/train-types';

/** Files every run folder has (V.npy only when untied), whatever else the trainer adds. */
export const RUN_FILES = {
  input: 'U.npy',
  output: 'V.npy',
  vocab: 'vocab.txt',
  text: 'vectors.txt',
  binary: 'vectors.bin',
  manifest: 'manifest.json',
} as const;

/** A run folder being written: everything goes into a hidden temporary folder that becomes the run on `commit`. */
export interface PendingRun {
  /** The temporary folder (files may be added to it, e.g. a TF.js model.json). */
  readonly folder: string;
  /** Files written so far (names inside the folder). */
  readonly files: string[];
  /** Writes manifest.json (adding `files`) and renames the folder into place; returns the run's final folder. */
  commit(manifest: Record<string, unknown>): Promise<string>;
  /** Removes the temporary folder (a cancelled or failed run leaves nothing). Safe after commit. */
  abort(): Promise<void>;
}

/**
 * Starts a run folder `<outRoot>/<name>` (a numeric suffix when that exists): writes U (and V) as .npy, vocab.txt
 * with counts, U in word2vec text and binary, and the trainer's extra matrices as .npy — all in a temporary
 * `.partial-…` folder beside it, so a cancelled or killed run never leaves a half-written checkpoint where a
 * checkpoint is expected.
 */
export async function startRun(outRoot: string, name: string, trained: TrainedEmbeddings): Promise<PendingRun> {
  await mkdir(outRoot, { recursive: true });
  const folder = join(outRoot, `.partial-${name}-${randomBytes(4).toString('hex')}`);
  await mkdir(folder);
  const files: string[] = [];
  let done = false;
  const pending: PendingRun = {
    folder,
    files,
    async commit(manifest) {
      await writeFile(
        join(folder, RUN_FILES.manifest),
        `${JSON.stringify({ ...manifest, files: [...files, RUN_FILES.manifest] }, null, 2)}\n`,
      );
      const target = await freeName(outRoot, name);
      await rename(folder, target);
      done = true;
      return target;
    },
    async abort() {
      if (done) return;
      done = true;
      await rm(folder, { recursive: true, force: true });
    },
  };
  try {
    const { vocab, input, output } = trained;
    await writeNpy(join(folder, RUN_FILES.input), input);
    files.push(RUN_FILES.input);
    if (output) {
      await writeNpy(join(folder, RUN_FILES.output), output);
      files.push(RUN_FILES.output);
    }
    for (const extra of trained.extras) {
      await writeNpy(join(folder, `${extra.name}.npy`), extra);
      files.push(`${extra.name}.npy`);
    }
    const rows = Math.min(input.rows, vocab.tokens.length);
    await writeFile(join(folder, RUN_FILES.vocab), vocabText(vocab.tokens.slice(0, rows), vocab.counts));
    files.push(RUN_FILES.vocab);
    await writeChunks(join(folder, RUN_FILES.text), word2vecTextChunks(vocab.tokens, input.data, rows, input.cols));
    await writeChunks(join(folder, RUN_FILES.binary), word2vecBinaryChunks(vocab.tokens, input.data, rows, input.cols));
    files.push(RUN_FILES.text, RUN_FILES.binary);
    return pending;
  } catch (error) {
    await pending.abort();
    throw error;
  }
}

async function writeNpy(path: string, matrix: TrainedMatrix): Promise<void> {
  const shape = matrix.cols === 1 ? [matrix.rows] : [matrix.rows, matrix.cols];
  await writeChunks(path, [npyHeader(shape), float32Bytes(matrix.data.subarray(0, matrix.rows * matrix.cols))]);
}

async function writeChunks(path: string, chunks: Iterable<string | Uint8Array>): Promise<void> {
  const stream = createWriteStream(path);
  try {
    for (const chunk of chunks) if (!stream.write(chunk)) await once(stream, 'drain');
  } finally {
    stream.end();
    await once(stream, 'close');
  }
}

/** `<root>/<name>`, or `<name>-2`, `-3`, … when taken. */
async function freeName(root: string, name: string): Promise<string> {
  for (let n = 1; ; n++) {
    const candidate = join(root, n === 1 ? name : `${name}-${n}`);
    if (!(await stat(candidate).catch(() => undefined))) return candidate;
  }
}
