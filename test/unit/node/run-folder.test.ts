import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { matrixWithRole } from '../../../src/core/checkpoint';
import { vocabularyOf } from '../../../src/core/train/corpus';
import type { TrainedEmbeddings } from '../../../src/core/train/train-types';
import { startRun } from '../../../src/node/run-folder';
import { withCheckpoint } from '../helpers';

function trained(tied: boolean): TrainedEmbeddings {
  const tokens = ['the', 'cat', 'sat', 'ünïcode', '=cmd'];
  const rows = tokens.length;
  const cols = 3;
  const data = (offset: number) => Float32Array.from({ length: rows * cols }, (_, i) => Math.fround(Math.sin(i + offset) / 3));
  return {
    vocab: vocabularyOf(tokens, Float64Array.from([50, 20, 10, 5, 5])),
    input: { name: 'U', data: data(0), rows, cols },
    output: tied ? null : { name: 'V', data: data(100), rows, cols },
    tied,
    extras: [{ name: 'U_bias', data: Float32Array.from([1, 2, 3, 4, 5]), rows, cols: 1 }],
    loss: 0.5,
    lossPerEpoch: [0.9, 0.5],
    tokensProcessed: 1000,
    metrics: {},
  };
}

describe('a training run folder', () => {
  const root = mkdtempSync(join(tmpdir(), 'lens-runs-'));

  it('appears only on commit, and opens as U and V with the vocabulary and counts, in every format written', async () => {
    const run = trained(false);
    const pending = await startRun(root, 'sgns-test', run);
    assert.deepEqual(readdirSync(root), [pending.folder.split('/').pop()], 'only the hidden partial folder before commit');
    const folder = await pending.commit({ producer: 'embedding-lens', tied: false });
    assert.equal(folder, join(root, 'sgns-test'));
    const manifest = JSON.parse(readFileSync(join(folder, 'manifest.json'), 'utf8')) as { files: string[] };
    assert.deepEqual(manifest.files, ['U.npy', 'V.npy', 'U_bias.npy', 'vocab.txt', 'vectors.txt', 'vectors.bin', 'manifest.json']);
    await withCheckpoint(folder, async (checkpoint) => {
      assert.equal(checkpoint.tied, false);
      assert.deepEqual(checkpoint.vocab.tokens, run.vocab.tokens);
      assert.deepEqual(checkpoint.vocab.counts, [50, 20, 10, 5, 5]);
      assert.deepEqual(await matrixWithRole(checkpoint, 'input')?.load(), run.input.data);
      assert.deepEqual(await matrixWithRole(checkpoint, 'output')?.load(), run.output?.data);
    });
    for (const file of ['vectors.txt', 'vectors.bin']) {
      await withCheckpoint(join(folder, file), async (checkpoint) => {
        assert.deepEqual(checkpoint.vocab.tokens, run.vocab.tokens, file);
        assert.deepEqual(await checkpoint.matrices[0]?.load(), run.input.data, `${file} holds U exactly`);
      });
    }
    await withCheckpoint(join(folder, 'U_bias.npy'), () => assert.fail('a 1-D array is not a matrix')).catch((error: Error) =>
      assert.match(error.message, /expected a 2-D array/),
    );
  });

  it('marks a tied run so it opens tied, and takes a free name beside an earlier run', async () => {
    const first = await (await startRun(root, 'tied', trained(true))).commit({ producer: 'embedding-lens', tied: true });
    const second = await (await startRun(root, 'tied', trained(true))).commit({ producer: 'embedding-lens', tied: true });
    assert.equal(second, `${first}-2`);
    await withCheckpoint(second, (checkpoint) => {
      assert.equal(checkpoint.tied, true);
      assert.equal(checkpoint.matrices.length, 1);
    });
  });

  it('leaves nothing behind when aborted', async () => {
    const pending = await startRun(root, 'cancelled', trained(false));
    await pending.abort();
    assert.equal(existsSync(pending.folder), false);
    assert.ok(!readdirSync(root).some((name) => name.includes('cancelled')));
  });
});
