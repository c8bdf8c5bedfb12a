import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { fixture } from '../helpers';
import { testComputeWorker } from './compute-worker';

describe('the worker projecting a checkpoint', () => {
  const { worker } = testComputeWorker();
  after(() => worker.dispose());
  let nextJob = 1;
  const gensim = fixture('gensim/side/word2vec.model');

  it('lays out U and V together with UMAP, sending the rows once and then moving points', async () => {
    const jobId = nextJob++;
    const steps: { epoch: number; points: number; rows: number | undefined }[] = [];
    const stop = worker.rpc.on('job/step', (step) => {
      if (step.jobId === jobId)
        steps.push({ epoch: step.epoch, points: step.coords.byteLength / 8, rows: step.rows ? step.rows.byteLength / 4 : undefined });
    });
    const request = { method: 'umap', dims: 2, space: 'joint', limit: 300 } as const;
    const projection = await worker.rpc.request('view/project', { jobId, path: gensim, request });
    stop();
    const rows = new Int32Array(projection.rows);
    const coords = new Float32Array(projection.coords);
    assert.equal(rows.length, 600, 'each of the 300 rows twice: U, then V');
    assert.deepEqual([...rows.subarray(0, 300)], [...rows.subarray(300)]);
    assert.equal(coords.length, 1200);
    assert.ok(coords.every(Number.isFinite));
    assert.ok(steps.length >= 2, 'a starting layout and a final one at least');
    assert.equal(steps[0]?.rows, 600);
    assert.ok(steps.slice(1).every((step) => step.rows === undefined && step.points === 600));
    assert.equal(projection.facts.method, 'umap');
    assert.equal(projection.facts.points, 600);
    assert.ok(projection.facts.epochs > 0);
  });

  it('answers the same request again from what it kept', async () => {
    const request = { method: 'umap', dims: 2, space: 'joint', limit: 300 } as const;
    const first = await worker.rpc.request('view/project', { jobId: nextJob++, path: gensim, request });
    const again = await worker.rpc.request('view/project', { jobId: nextJob++, path: gensim, request });
    assert.deepEqual(new Float32Array(again.coords), new Float32Array(first.coords));
  });

  it('projects the N most frequent rows of V with PCA in 3-D', async () => {
    const request = { method: 'pca', dims: 3, space: 'output', limit: 50 } as const;
    const projection = await worker.rpc.request('view/project', { jobId: nextJob++, path: gensim, request });
    assert.equal(new Float32Array(projection.coords).length, 150);
    assert.deepEqual(
      [...new Int32Array(projection.rows)],
      Array.from({ length: 50 }, (_, i) => i),
      'gensim stores the most frequent first',
    );
    assert.equal(projection.facts.explainedVarianceRatio.length, 3);
  });

  it('stops a UMAP run when cancelled, and a later run still works', async () => {
    const jobId = nextJob++;
    const request = { method: 'umap', dims: 2, space: 'input', seed: 7 } as const;
    const stop = worker.rpc.on('job/step', (step) => {
      if (step.jobId === jobId) void worker.rpc.request('job/cancel', { jobId });
    });
    await assert.rejects(worker.rpc.request('view/project', { jobId, path: gensim, request }), { code: 'cancelled' });
    stop();
    const done = await worker.rpc.request('view/project', { jobId: nextJob++, path: gensim, request });
    assert.equal(done.facts.points, 929);
  });

  it('places points on custom axes defined by words, naming words it could not find, and measures the layout', async () => {
    const axes = [
      { positive: ['the', 'zzzz'], negative: ['and'] },
      { positive: ['of'], negative: ['to'] },
    ];
    const request = { method: 'axes', dims: 2, space: 'input', axes } as const;
    const projection = await worker.rpc.request('view/project', { jobId: nextJob++, path: gensim, request });
    assert.equal(new Float32Array(projection.coords).length, 2 * 929);
    assert.deepEqual(projection.facts.axisTitles, ['the + zzzz \u2212 and', 'of \u2212 to']);
    assert.deepEqual(projection.facts.missingWords, ['zzzz']);
    const preservation = projection.facts.preservation;
    assert.ok(preservation && preservation.k === 10 && preservation.recall >= 0 && preservation.recall <= 1);
    assert.equal(preservation.measuredRows, 929, 'a small layout is measured on every point');
  });

  it("reports how well UMAP kept each point's neighbours, better than a random layout would", async () => {
    const request = { method: 'umap', dims: 2, space: 'input', limit: 400 } as const;
    const projection = await worker.rpc.request('view/project', { jobId: nextJob++, path: gensim, request });
    const recall = projection.facts.preservation?.recall ?? 0;
    // 10 random neighbours out of 399 would share 10 · 10/399 ≈ 0.25 of 10 on average: 2.5 %.
    assert.ok(recall > 0.1, `recall ${recall}`);
  });

  it('refuses a request with values it does not know, in one line', async () => {
    const request = { method: '', dims: 2, space: 'input' } as unknown as { method: 'pca'; dims: 2; space: 'input' };
    await assert.rejects(worker.rpc.request('view/project', { jobId: nextJob++, path: gensim, request }), {
      code: 'unsupported',
      message: 'projection method: expected pca, umap or axes, got ""',
    });
  });

  it('refuses a joint layout of a checkpoint without V, in one line naming the file', async () => {
    const request = { method: 'umap', dims: 2, space: 'joint' } as const;
    await assert.rejects(
      worker.rpc.request('view/project', { jobId: nextJob++, path: fixture('word2vec/vectors.bin'), request }),
      (error: Error) => {
        assert.match(error.message, /vectors\.bin: expected an output matrix V for this view, the checkpoint has only vectors/);
        return true;
      },
    );
  });
});
