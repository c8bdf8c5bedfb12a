import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { after, describe, it } from 'node:test';
import { portTransport } from '../../../src/node/worker-transport';
import { Endpoint } from '../../../src/protocol/endpoint';
import type { HostSide, WorkerSide } from '../../../src/protocol/worker';
import { expected, fixture } from '../helpers';

const workerEntry = new URL('../../../src/worker/worker.ts', import.meta.url).href;
const bootstrap = fileURLToPath(new URL('./ts-worker.mjs', import.meta.url));

describe('the compute worker', () => {
  const worker = new Worker(bootstrap, { workerData: { entry: workerEntry } });
  const rpc = new Endpoint<HostSide, WorkerSide>(portTransport(worker));
  after(() => worker.terminate());

  it('inspects a checkpoint off the main thread', async () => {
    const { summary } = await rpc.request('checkpoint/inspect', { path: fixture('word2vec/vectors.bin') });
    assert.equal(summary.format, 'word2vec-binary');
    assert.equal(summary.vocabSize, 1452);
  });

  it('answers a neighbour query with the same list as gensim', async () => {
    const truth = expected<{ probe: string; probeNeighbors: [string, number][] }>('word2vec/expected.json');
    const result = await rpc.request('checkpoint/neighbors', {
      path: fixture('word2vec/vectors.bin'),
      token: truth.probe,
      k: 5,
      matrix: 'input',
      metric: 'cosine',
    });
    assert.deepEqual(
      result.neighbors.map((n) => n.token),
      truth.probeNeighbors.map(([token]) => token),
    );
  });

  it('passes a loader error back with its code and one-line message', async () => {
    await assert.rejects(
      rpc.request('checkpoint/inspect', { path: fixture('word2vec/missing.bin') }),
      (error: Error & { code: string }) => {
        assert.equal(error.code, 'not-found');
        assert.match(error.message, /missing\.bin: expected a checkpoint file or folder, found nothing there/);
        return true;
      },
    );
  });

  it('reports an unknown token with its own code', async () => {
    await assert.rejects(
      rpc.request('checkpoint/neighbors', {
        path: fixture('word2vec/vectors.bin'),
        token: 'zzzqqq',
        k: 3,
        matrix: 'input',
        metric: 'cosine',
      }),
      { code: 'unknown-token' },
    );
  });
});
