import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { runCli } from '../cli/run-cli';
import { fixture } from '../helpers';
import { testComputeWorker } from './compute-worker';

const ckptA = fixture('analysis/compare/ckpt-a/vectors.npy');
const ckptB = fixture('analysis/compare/ckpt-b/vectors.npy');

describe('the worker comparing two checkpoints for the panel', () => {
  const { worker } = testComputeWorker();
  after(() => worker.dispose());
  let nextJob = 1;
  const compare = (path: string, against: string) =>
    worker.rpc.request('view/compare-checkpoints', { jobId: nextJob++, path, against, k: 10 });

  it('gives the same schema-1 figures as `compare --against --json`, and drift per shared token', async () => {
    const view = await compare(ckptA, ckptB);
    const cli = JSON.parse((await runCli('compare', ckptA, '--against', ckptB, '--json')).stdout) as Record<string, unknown>;
    assert.deepEqual(JSON.parse(JSON.stringify(view.summary)), cli);
    const rows = new Int32Array(view.rows);
    const drift = new Float32Array(view.drift);
    assert.equal(rows.length, view.summary.sharedRows);
    assert.equal(drift.length, rows.length);
    assert.ok(drift.every((d) => d >= 0 && d <= 2));
    const top = view.summary.topDrift[0];
    assert.ok(top);
    const largest = drift.reduce((best, d, i) => (d > (drift[best] as number) ? i : best), 0);
    assert.ok(Math.abs((drift[largest] as number) - top.drift) < 1e-6, 'the largest drift is the top of topDrift');
    assert.equal(new Float32Array(view.jaccard).length, rows.length);
  });

  it("lists a shared token's neighbours here and there, and none for a token the other lacks", async () => {
    const view = await compare(ckptA, ckptB);
    const rows = new Int32Array(view.rows);
    const row = rows[3] as number;
    const pair = await worker.rpc.request('view/compare-neighbors', { path: ckptA, against: ckptB, k: 10, row });
    assert.equal(pair.here.length, 10);
    assert.equal(pair.there.length, 10);
    const shared = new Set(rows);
    assert.ok(
      [...pair.here, ...pair.there].every((hit) => shared.has(hit.row) && hit.row !== row),
      'shared tokens only, never itself',
    );
    assert.ok(
      pair.here.every((hit, i) => i === 0 || hit.score <= (pair.here[i - 1]?.score ?? Infinity)),
      'best first',
    );
    const missing = Array.from({ length: 600 }, (_, i) => i).find((r) => !shared.has(r));
    assert.ok(missing !== undefined);
    assert.deepEqual(await worker.rpc.request('view/compare-neighbors', { path: ckptA, against: ckptB, k: 10, row: missing }), {
      row: missing,
      here: [],
      there: [],
    });
  });

  it('names both files when the checkpoints cannot be aligned, and asks for a comparison before its lists', async () => {
    await assert.rejects(
      compare(ckptA, fixture('analysis/compare/disjoint/vectors.npy')),
      /vectors\.npy against .*disjoint.*share no token/,
    );
    await assert.rejects(
      worker.rpc.request('view/compare-neighbors', { path: ckptB, against: ckptA, k: 10, row: 0 }),
      /no comparison with .* is open; compare the checkpoints first/,
    );
  });
});
