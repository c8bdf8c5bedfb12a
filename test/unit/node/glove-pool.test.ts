import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { CheckpointError } from '../../../src/core/errors';
import { encodeLines } from '../../../src/core/train/corpus';
import type { GloveOptions } from '../../../src/core/train/glove';
import { trainGlove } from '../../../src/core/train/glove';
import type { TrainProgress } from '../../../src/core/train/train-types';
import { trainGloveParallel } from '../../../src/node/glove-pool';
import { shared } from '../helpers';

const lines = readFileSync(shared('data/corpus/corpus-1m.txt'), 'utf8').split('\n').slice(0, 2000);
const corpus = encodeLines(lines, { minCount: 3 });
const options: GloveOptions = { dim: 16, window: 5, epochs: 4, seed: 5 };

describe('trainGloveParallel', () => {
  for (const engine of ['auto', 'js'] as const) {
    it(`trains on two worker threads over shared parameters (${engine} engine), the loss falling each epoch`, async () => {
      const reports: TrainProgress[] = [];
      const trained = await trainGloveParallel(corpus, { ...options, engine, threads: 2 }, { onProgress: (p) => reports.push(p) });
      assert.equal(trained.lossPerEpoch.length, 4);
      for (let e = 1; e < 4; e++)
        assert.ok((trained.lossPerEpoch[e] as number) < (trained.lossPerEpoch[e - 1] as number), `${trained.lossPerEpoch}`);
      assert.ok(trained.input.data.every(Number.isFinite) && (trained.output?.data ?? []).every(Number.isFinite));
      assert.deepEqual(
        trained.extras.map((m) => m.name),
        ['U_bias', 'V_bias', 'U_plus_V'],
      );
      assert.equal(reports[reports.length - 1]?.fraction, 1);
      assert.deepEqual([...new Set(reports.filter((r) => r.fraction > 0.05).map((r) => r.epoch))], [1, 2, 3, 4]);
      // Hogwild changes the order of updates, not what is learnt: the loss ends near the one-thread loss.
      const single = await trainGlove(corpus, { ...options, engine });
      const relative = Math.abs((trained.loss as number) - (single.loss as number)) / (single.loss as number);
      assert.ok(relative < 0.05, `two threads ${trained.loss}, one thread ${single.loss}`);
    });
  }

  it('is trainGlove itself with one thread: the same seed gives the same vectors', async () => {
    const parallel = await trainGloveParallel(corpus, { ...options, epochs: 2, threads: 1 });
    const single = await trainGlove(corpus, { ...options, epochs: 2 });
    assert.deepEqual(parallel.input.data, single.input.data);
    assert.deepEqual(parallel.lossPerEpoch, single.lossPerEpoch);
  });

  it('stops every worker with a cancelled error once aborted', async () => {
    const abort = new AbortController();
    const training = trainGloveParallel(
      corpus,
      { ...options, epochs: 200, threads: 2 },
      { signal: abort.signal, onProgress: (p) => p.epoch >= 2 && abort.abort() },
    );
    await assert.rejects(training, (error: unknown) => error instanceof CheckpointError && error.code === 'cancelled');
  });
});
