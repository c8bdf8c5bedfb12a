import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { seededRandom } from '../helpers';
import { testComputeWorker } from './compute-worker';

/** The budget: our work may not hold the extension host's event loop for longer than this. */
const MAX_DELAY_MS = 50;
/** The size the panel's speed target names: an 80k × 100 checkpoint. */
const ROWS = 80_000;
const COLS = 100;

/** A word2vec binary file of seeded random vectors (the worker's load path is the same as for a real one). */
function writeWord2vecBinary(path: string): void {
  const random = seededRandom(7);
  const parts: Buffer[] = [Buffer.from(`${ROWS} ${COLS}\n`)];
  const row = new Float32Array(COLS);
  for (let r = 0; r < ROWS; r++) {
    for (let c = 0; c < COLS; c++) row[c] = random() - 0.5;
    parts.push(Buffer.from(`w${r} `), Buffer.from(row.buffer.slice(0)), Buffer.from('\n'));
  }
  writeFileSync(path, Buffer.concat(parts));
}

/** Runs `work` while sampling the main thread's event-loop delay; returns the worst delay in ms. */
async function worstDelayDuring(work: () => Promise<void>): Promise<number> {
  const histogram = monitorEventLoopDelay({ resolution: 5 });
  histogram.enable();
  // Node's first sample after enabling can span time before it; start clean after one tick.
  await new Promise((resolve) => setTimeout(resolve, 10));
  histogram.reset();
  try {
    await work();
  } finally {
    histogram.disable();
  }
  return histogram.max / 1e6;
}

describe('the extension host while the worker opens an 80k × 100 checkpoint', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lens-loop-'));
  const path = join(dir, 'vectors.bin');
  writeWord2vecBinary(path);
  const { worker } = testComputeWorker();
  after(() => {
    worker.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  it(`stays under ${MAX_DELAY_MS} ms while the worker loads, projects and answers neighbour queries`, async (t) => {
    await worker.info(); // the worker's start-up (module loading) is a one-off of the worker thread, measured below anyway
    let rows = 0;
    const worst = await worstDelayDuring(async () => {
      const view = await worker.rpc.request('view/open', { jobId: 1, path });
      // What the panel does on the host with a view: keep it and post copies to the webview.
      const copies = [view.xy.slice(0), view.tokens.utf8.slice(0), view.tokens.ends.slice(0)];
      rows = copies[0] ? copies[0].byteLength / 8 : 0;
      for (let row = 0; row < 20; row++) await worker.rpc.request('view/neighbors', { path, row: row * 3989, k: 10 });
    });
    assert.equal(rows, ROWS);
    t.diagnostic(`worst event-loop delay ${worst.toFixed(1)} ms`);
    assert.ok(worst < MAX_DELAY_MS, `worst event-loop delay ${worst.toFixed(1)} ms`);
  });

  it('notices a blocked loop (the measurement can fail)', async () => {
    const worst = await worstDelayDuring(async () => {
      await new Promise((resolve) => setTimeout(resolve, 20));
      const until = Date.now() + 4 * MAX_DELAY_MS;
      while (Date.now() < until); // what running the projection on the host's thread would do
      await new Promise((resolve) => setTimeout(resolve, 20));
    });
    assert.ok(worst >= 2 * MAX_DELAY_MS, `a ${4 * MAX_DELAY_MS} ms block measured as only ${worst.toFixed(1)} ms`);
  });
});
