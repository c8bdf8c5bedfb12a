import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CheckpointError } from '../../../src/core/errors';
import { encodeLines } from '../../../src/core/train/corpus';
import type { TrainProgress } from '../../../src/core/train/train-types';
import { trainWord2vec } from '../../../src/core/train/word2vec';
import { trainWord2vecOnThreads } from '../../../src/node/word2vec-pool';

/** 60 sentences of 2000 tokens over 97 words: enough work that two workers run for a while. */
const corpus = encodeLines(
  Array.from({ length: 60 }, (_, i) => Array.from({ length: 2000 }, (_, j) => `t${(j * 7919 + i * 31) % 97}`).join(' ')),
  { minCount: 1 },
);

describe('trainWord2vecOnThreads', () => {
  it('trains on two worker threads sharing U and V, reporting progress to the end', async () => {
    const reports: TrainProgress[] = [];
    const result = await trainWord2vecOnThreads(
      corpus,
      { dim: 32, epochs: 3, threads: 2 },
      { onProgress: (progress) => reports.push(progress) },
    );
    assert.equal(result.metrics['threads'], 2);
    assert.equal(result.input.data.length, corpus.vocab.tokens.length * 32);
    assert.ok(result.input.data.every(Number.isFinite) && result.output?.data.every(Number.isFinite));
    assert.ok(
      result.input.data.some((value) => Math.abs(value) > 0.1),
      'U moved away from its ±0.5/dim start',
    );
    assert.equal(result.lossPerEpoch.length, 3);
    assert.ok((result.lossPerEpoch[2] ?? Infinity) < (result.lossPerEpoch[0] ?? 0), `loss per epoch ${result.lossPerEpoch.join(', ')}`);
    assert.equal(reports[reports.length - 1]?.fraction, 1);
  });

  it('trains one thread on the calling thread, bit-identical to trainWord2vec', async () => {
    const options = { dim: 16, epochs: 1, threads: 1, seed: 8 };
    const [pooled, direct] = [await trainWord2vecOnThreads(corpus, options), await trainWord2vec(corpus, options)];
    assert.deepEqual(new Uint8Array(pooled.input.data.buffer), new Uint8Array(direct.input.data.buffer));
  });

  it('terminates the workers and rejects as cancelled when the signal fires', async () => {
    const abort = new AbortController();
    let fraction = 0;
    const started = performance.now();
    let aborted = 0;
    await assert.rejects(
      trainWord2vecOnThreads(
        corpus,
        { dim: 100, epochs: 200, threads: 2 },
        {
          signal: abort.signal,
          onProgress: (progress) => {
            fraction = progress.fraction;
            if (progress.fraction > 0 && !abort.signal.aborted) {
              aborted = performance.now();
              abort.abort();
            }
          },
        },
      ),
      (error: unknown) => error instanceof CheckpointError && error.code === 'cancelled',
    );
    assert.ok(aborted > started && fraction < 0.5, `stopped at ${fraction}`);
  });
});
