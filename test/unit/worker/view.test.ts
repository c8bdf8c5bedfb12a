import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { unpackTokens } from '../../../src/core/view/token-table';
import { expected, fixture, withCheckpoint } from '../helpers';
import { testComputeWorker } from './compute-worker';

describe('the worker opening a checkpoint for the panel', () => {
  const { worker } = testComputeWorker();
  after(() => worker.dispose());
  let nextJob = 1;
  const open = (path: string) => worker.rpc.request('view/open', { jobId: nextJob++, path });

  it('sends every vocabulary token and one x,y pair per row in exact-size buffers', async () => {
    const view = await open(fixture('word2vec/vectors.bin'));
    const rows = view.description.summary.vocabSize;
    await withCheckpoint(fixture('word2vec/vectors.bin'), async (checkpoint) => {
      assert.deepEqual(unpackTokens(new Uint8Array(view.tokens.utf8), new Uint32Array(view.tokens.ends)), checkpoint.vocab.tokens);
    });
    assert.equal(view.xy.byteLength, rows * 2 * 4);
    assert.equal(view.projection.rows, rows);
    assert.ok(new Float32Array(view.xy).every(Number.isFinite));
    assert.equal(view.shade, null, 'a word2vec binary has no counts');
  });

  it('shades rows by frequency rank when the vocabulary has counts', async () => {
    const view = await open(fixture('glove/vectors.bin'));
    const shade = new Float32Array(view.shade ?? new ArrayBuffer(0));
    assert.equal(shade.length, view.projection.rows);
    assert.equal(shade[0], 0, 'GloVe writes its most frequent word first');
    assert.equal(Math.max(...shade), 1);
  });

  it('lists neighbours in U and V of an untied checkpoint, matching the by-token query', async () => {
    const path = fixture('glove/vectors.bin');
    const view = await open(path);
    const tokens = unpackTokens(new Uint8Array(view.tokens.utf8), new Uint32Array(view.tokens.ends));
    const row = 5;
    const found = await worker.rpc.request('view/neighbors', { path, row, k: 5 });
    const byToken = await worker.rpc.request('checkpoint/neighbors', {
      path,
      token: tokens[row] as string,
      k: 5,
      matrix: 'output',
      metric: 'cosine',
    });
    assert.ok(found.output, 'GloVe has W̃ as V');
    assert.deepEqual(
      found.output.map((hit) => tokens[hit.row]),
      byToken.neighbors.map((n) => n.token),
    );
    assert.equal(found.input.length, 5);
    assert.ok(!found.input.some((hit) => hit.row === row), 'the token itself is excluded');
  });

  it('matches gensim neighbours of the probe word', async () => {
    const truth = expected<{ probe: string; probeNeighbors: [string, number][] }>('word2vec/expected.json');
    const path = fixture('word2vec/vectors.bin');
    const view = await open(path);
    const tokens = unpackTokens(new Uint8Array(view.tokens.utf8), new Uint32Array(view.tokens.ends));
    const found = await worker.rpc.request('view/neighbors', { path, row: tokens.indexOf(truth.probe), k: 5 });
    assert.deepEqual(
      found.input.map((hit) => tokens[hit.row]),
      truth.probeNeighbors.map(([token]) => token),
    );
    assert.equal(found.output, null, 'a word2vec vectors file has no V');
  });

  it('rejects a row outside the matrix', async () => {
    await assert.rejects(worker.rpc.request('view/neighbors', { path: fixture('word2vec/vectors.bin'), row: 1e9, k: 5 }), /outside/);
  });

  it('passes a loader error back with its code', async () => {
    await assert.rejects(open(fixture('word2vec/missing.bin')), { code: 'not-found' });
  });

  it('reports its backend', async () => {
    const info = await worker.info();
    assert.match(info.backend, /worker_threads/);
    assert.equal(info.node, process.version);
  });
});
