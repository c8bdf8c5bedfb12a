import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { CheckpointError } from '../../../../src/core/errors';
import { countCooccurrences } from '../../../../src/core/train/cooccurrence';
import { encodeLines } from '../../../../src/core/train/corpus';
import type { GloveOptions } from '../../../../src/core/train/glove';
import { gloveRates, gloveSettings, trainGlove } from '../../../../src/core/train/glove';
import { EpochShare, gloveEntries, gloveWeight } from '../../../../src/core/train/glove-entries';
import { allocateGloveMemory } from '../../../../src/core/train/glove-kernel';
import { batchAt, gloveLayout } from '../../../../src/core/train/glove-params';
import { gloveWasmAvailable } from '../../../../src/core/train/glove-wasm';
import type { TrainProgress } from '../../../../src/core/train/train-types';
import { shared } from '../../helpers';

const lines = readFileSync(shared('data/corpus/corpus-1m.txt'), 'utf8').split('\n').slice(0, 2000);
const corpus = encodeLines(lines, { minCount: 3 });
const options: GloveOptions = { dim: 16, window: 5, epochs: 4, seed: 5 };

/** Each record as "i j" with its log X and weight, sorted: the multiset of a set of records. */
function recordKeys(records: Int32Array, floats: Float32Array, from: number, to: number): string[] {
  const keys: string[] = [];
  for (let k = from; k < to; k++) keys.push(`${records[4 * k]} ${records[4 * k + 1]} ${floats[4 * k + 2]} ${floats[4 * k + 3]}`);
  return keys.sort();
}

describe('GloVe training entries', () => {
  it('hold every nonzero of the full matrix once, with log X and f(X), in a seeded random order (cancellable)', async () => {
    const counts = await countCooccurrences(corpus, { window: 5 });
    const entries = await gloveEntries(counts, 100, 0.75, 1);
    assert.equal(entries.count, counts.nonzeros);
    const expected: string[] = [];
    for (let k = 0; k < counts.rows.length; k++) {
      const x = counts.values[k] as number;
      const tail = `${Math.fround(Math.log(x))} ${Math.fround(gloveWeight(x, 100, 0.75))}`;
      expected.push(`${counts.rows[k]} ${counts.cols[k]} ${tail}`);
      if (counts.rows[k] !== counts.cols[k]) expected.push(`${counts.cols[k]} ${counts.rows[k]} ${tail}`);
    }
    assert.deepEqual(recordKeys(entries.records, entries.floats, 0, entries.count), expected.sort());
    const again = await gloveEntries(counts, 100, 0.75, 1);
    assert.deepEqual(again.records, entries.records, 'same seed, same order');
    const other = await gloveEntries(counts, 100, 0.75, 2);
    assert.notDeepEqual(other.records, entries.records, 'another seed, another order');
    const fractions: number[] = [];
    await gloveEntries(counts, 100, 0.75, 1, { onProgress: (fraction) => fractions.push(fraction) });
    assert.equal(fractions.at(-1), 1);
    const abort = new AbortController();
    abort.abort();
    await assert.rejects(gloveEntries(counts, 100, 0.75, 1, { signal: abort.signal }), { code: 'cancelled' });
    const firstRows = Array.from({ length: 200 }, (_, k) => entries.records[4 * k] as number);
    assert.ok(new Set(firstRows).size > 50, 'the first records are not one row after another');
  });

  it('weights f(x) = (x/xMax)^alpha below xMax and 1 from there on', () => {
    assert.equal(gloveWeight(50, 100, 0.75), 0.5 ** 0.75);
    assert.equal(gloveWeight(100, 100, 0.75), 1);
    assert.equal(gloveWeight(1e4, 100, 0.75), 1);
  });

  it('hands every record of a share to the kernel exactly once per epoch, in a new order each epoch', async () => {
    const entries = await gloveEntries(await countCooccurrences(corpus, { window: 5 }), 100, 0.75, 1);
    const layout = gloveLayout(corpus.vocab.tokens.length, 4, 1);
    const memory = allocateGloveMemory(layout, 'js');
    const batch = batchAt(layout, 0);
    const from = 1000;
    const to = entries.count - 3000;
    const before = recordKeys(entries.records, entries.floats, from, to);
    const outside = [entries.records.slice(0, 4 * from), entries.records.slice(4 * to)];
    const orders: string[][] = [];
    for (const seed of [1, 2]) {
      const share = new EpochShare(entries, from, to, seed);
      const seen: string[] = [];
      for (let count = share.fill(memory, batch); count > 0; count = share.fill(memory, batch)) {
        seen.push(...recordKeys(memory.ints, memory.floats, batch / 16, batch / 16 + count));
        assert.equal(share.remaining, to - from - seen.length);
      }
      orders.push(Array.from({ length: 50 }, (_, k) => `${entries.records[4 * (from + k)]}`));
      assert.deepEqual(seen.sort(), before, 'each record once');
    }
    assert.notDeepEqual(orders[0], orders[1], 'the epochs reorder the share');
    assert.deepEqual([entries.records.slice(0, 4 * from), entries.records.slice(4 * to)], outside, 'records outside the share stay put');
  });
});

describe('trainGlove', () => {
  it('returns W as U, W̃ as V, their biases and W + W̃, with a decreasing loss', async () => {
    const trained = await trainGlove(corpus, options);
    const rows = corpus.vocab.tokens.length;
    assert.equal(trained.tied, false);
    assert.deepEqual([trained.input.name, trained.input.rows, trained.input.cols], ['U', rows, 16]);
    assert.deepEqual([trained.output?.name, trained.output?.rows, trained.output?.cols], ['V', rows, 16]);
    assert.deepEqual(
      trained.extras.map((m) => [m.name, m.rows, m.cols]),
      [
        ['U_bias', rows, 1],
        ['V_bias', rows, 1],
        ['U_plus_V', rows, 16],
      ],
    );
    const sum = trained.extras[2]?.data as Float32Array;
    const v = trained.output?.data as Float32Array;
    assert.ok(sum.every((value, k) => value === Math.fround((trained.input.data[k] as number) + (v[k] as number))));
    assert.equal(trained.lossPerEpoch.length, 4);
    for (let e = 1; e < 4; e++)
      assert.ok((trained.lossPerEpoch[e] as number) < (trained.lossPerEpoch[e - 1] as number), `${trained.lossPerEpoch}`);
    assert.equal(trained.loss, trained.lossPerEpoch[3]);
    assert.equal(trained.tokensProcessed, corpus.rawTokens * 4);
    assert.ok((trained.metrics['cooccurrenceNonzeros'] as number) > 0);
    assert.equal(trained.metrics['wasmKernel'], gloveWasmAvailable() ? 1 : 0);
    assert.ok(trained.input.data.every(Number.isFinite));
  });

  it('gives the same vectors for the same seed and others for another seed', async () => {
    const small = { ...options, epochs: 2 };
    const a = await trainGlove(corpus, small);
    const b = await trainGlove(corpus, small);
    const c = await trainGlove(corpus, { ...small, seed: 6 });
    assert.deepEqual(a.input.data, b.input.data);
    assert.deepEqual(a.output?.data, b.output?.data);
    assert.deepEqual(a.lossPerEpoch, b.lossPerEpoch);
    assert.notDeepEqual(a.input.data, c.input.data);
  });

  it('trains the same with the JavaScript kernel as with the wasm one, up to float rounding', { skip: !gloveWasmAvailable() }, async () => {
    const counts = await countCooccurrences(corpus, { window: 5 });
    const wasm = await trainGlove(corpus, { ...options, epochs: 2, engine: 'wasm' }, {}, counts);
    const js = await trainGlove(corpus, { ...options, epochs: 2, engine: 'js' }, {}, counts);
    assert.equal(js.metrics['wasmKernel'], 0);
    for (let e = 0; e < 2; e++) {
      const relative = Math.abs((js.lossPerEpoch[e] as number) - (wasm.lossPerEpoch[e] as number)) / (wasm.lossPerEpoch[e] as number);
      assert.ok(relative < 1e-4, `epoch ${e + 1}: ${js.lossPerEpoch[e]} vs ${wasm.lossPerEpoch[e]}`);
    }
  });

  it('reports progress through counting and every epoch, with the loss since the last report', async () => {
    const reports: TrainProgress[] = [];
    await trainGlove(corpus, options, { onProgress: (progress) => reports.push(progress) });
    assert.ok(reports.length >= 5);
    assert.ok(reports.every((r, i) => i === 0 || r.fraction >= (reports[i - 1] as TrainProgress).fraction));
    assert.ok(
      reports.some((r) => r.loss === null && r.fraction <= 0.05),
      'counting reports have no loss',
    );
    assert.deepEqual([...new Set(reports.filter((r) => r.fraction > 0.05).map((r) => r.epoch))], [1, 2, 3, 4]);
    assert.equal(reports[reports.length - 1]?.fraction, 1);
    assert.ok(reports.every((r) => r.epochs === 4 && r.tokensPerSecond >= 0));
    assert.ok(reports.some((r) => r.loss !== null && r.loss > 0));
  });

  it('stops with a cancelled error once aborted', async () => {
    const abort = new AbortController();
    const training = trainGlove(
      corpus,
      { ...options, epochs: 50 },
      { signal: abort.signal, onProgress: (p) => p.epoch >= 2 && abort.abort() },
    );
    await assert.rejects(training, (error: unknown) => error instanceof CheckpointError && error.code === 'cancelled');
  });

  it('takes given co-occurrences instead of counting, and rejects bad options', async () => {
    const counts = await countCooccurrences(corpus, { window: 2 });
    const trained = await trainGlove(corpus, { ...options, epochs: 1 }, {}, counts);
    assert.equal(trained.metrics['cooccurrenceNonzeros'], counts.nonzeros);
    assert.equal(trained.metrics['countSeconds'], 0);
    await assert.rejects(trainGlove(corpus, { ...options, dim: 0 }), { code: 'unsupported' });
    await assert.rejects(trainGlove(corpus, { ...options, epochs: 1.5 }), { code: 'unsupported' });
  });

  it("defaults to glove.c's hyper-parameters, biases stepping without eta as glove.c does since 2019", () => {
    const settings = gloveSettings(options);
    assert.deepEqual([settings.xMax, settings.alpha, settings.learningRate, settings.gradientClip], [100, 0.75, 0.05, 100]);
    assert.deepEqual(gloveRates(settings), { eta: 0.05, biasEta: 1, clip: 100 });
    assert.equal(gloveRates(gloveSettings({ ...options, learningRate: 0.1, biasLearningRate: 0.1 })).biasEta, 0.1);
  });

  it('rejects a corpus where no two words share a sentence', async () => {
    await assert.rejects(trainGlove(encodeLines(['a', 'b', 'a'], { minCount: 1 }), options), { code: 'empty' });
  });

  it('ships the compiled kernel that glove-kernels.wat builds to', async () => {
    const { expectedKernelsModule } = await import('../../../../scripts/build-wasm.mjs');
    const { path, text } = await expectedKernelsModule('glove');
    assert.equal(readFileSync(path, 'utf8'), text, 'run node scripts/build-wasm.mjs');
  });
});
