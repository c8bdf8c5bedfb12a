import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { allPairsKnn, topK } from '../../../../src/core/analysis/knn';
import { fillGaussian } from '../../../../src/core/analysis/seeded-random';
import type { CheckpointError } from '../../../../src/core/errors';
import { allPairsKnnParallel, topKParallel } from '../../../../src/node/knn-pool';
import { seededRandom } from '../../helpers';

const ROWS = 3000;
const COLS = 8;
/** The pool's "worth the workers" threshold, lowered so these small matrices do run on two workers. */
const minScores = 1;

function gaussian(rows: number, cols: number, seed: number): Float32Array {
  const values = new Float64Array(rows * cols);
  fillGaussian(values, seededRandom(seed));
  return Float32Array.from(values);
}

describe('the kNN worker pool (src/node/knn-pool.ts)', () => {
  const data = gaussian(ROWS, COLS, 21);

  it('gives the same all-pairs graph on two worker threads as on one thread', async () => {
    const seen: number[] = [];
    const parallel = await allPairsKnnParallel(data, COLS, 5, {
      threads: 2,
      minScores,
      metric: 'euclidean',
      onProgress: (f) => seen.push(f),
    });
    const single = await allPairsKnn(data, COLS, 5, { metric: 'euclidean' });
    assert.deepEqual(parallel.indices, single.indices);
    assert.deepEqual(parallel.scores, single.scores);
    assert.ok(seen.length > 0 && (seen.at(-1) as number) > 0.99);
  });

  it('answers cross queries (another matrix, nothing excluded) as topK does', async () => {
    const queries = gaussian(2000, COLS, 22);
    const request = { data, cols: COLS, queries, k: 4, metric: 'dot' as const };
    assert.deepEqual((await topKParallel(request, { threads: 2, minScores })).indices, (await topK(request)).indices);
  });

  it('stops its workers with a cancelled error when the signal fires mid-run', async () => {
    // 20k rows: a few hundred ms of work per worker, so the cancel lands while they run (at their next yield).
    const large = gaussian(20_000, COLS, 23);
    const controller = new AbortController();
    const running = allPairsKnnParallel(large, COLS, 5, {
      threads: 2,
      minScores,
      signal: controller.signal,
      onProgress: () => controller.abort(),
    });
    await assert.rejects(running, (error: CheckpointError) => error.code === 'cancelled');
  });
});
