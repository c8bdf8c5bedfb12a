import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { seededRandom } from '../../../../src/core/analysis/seeded-random';
import { encodeLines, type EncodedCorpus } from '../../../../src/core/train/corpus';
import { drawAlias, fillAliasTable, NEGATIVE_POWER } from '../../../../src/core/train/negative-table';
import { ALWAYS_KEEP, keepProbability, keepThresholds } from '../../../../src/core/train/subsample';
import { prepareWord2vec, word2vecSettings, type Word2vecOptions } from '../../../../src/core/train/word2vec';
import { JsWord2vecKernel } from '../../../../src/core/train/word2vec-js';
import { memoryBuffer } from '../../../../src/core/train/word2vec-kernel';
import { CTX } from '../../../../src/core/train/word2vec-layout';
import { CHUNK_IDS, learningRateAt, runShare } from '../../../../src/core/train/word2vec-share';

/** What one kernel step was given: the input rows and the target rows (the positive first). */
interface RecordedStep {
  readonly inputs: number[];
  readonly targets: number[];
}

/** The JavaScript kernel (bit-identical to the wasm one), recording every step's samples and every call's rate. */
class RecordingKernel extends JsWord2vecKernel {
  readonly steps: RecordedStep[] = [];
  readonly rates: number[] = [];
  private readonly ints: Int32Array;

  constructor(buffer: ArrayBufferLike) {
    super(buffer);
    this.ints = new Int32Array(buffer);
  }

  override train(ctx: number, from: number, to: number, alpha: number): number {
    this.rates.push(alpha);
    return super.train(ctx, from, to, alpha);
  }

  override step(ctx: number, inputs: number, inputCount: number, targets: number, targetCount: number, alpha: number): void {
    this.steps.push({
      inputs: Array.from(this.ints.subarray(inputs >> 2, (inputs >> 2) + inputCount)),
      targets: Array.from(this.ints.subarray(targets >> 2, (targets >> 2) + targetCount)),
    });
    super.step(ctx, inputs, inputCount, targets, targetCount, alpha);
  }
}

/** Runs a share's generator to its end, as a worker thread does. */
function drain(share: Generator<void, void, void>): void {
  while (!share.next().done);
}

/** Runs one epoch of a corpus on the recording kernel. */
function record(corpus: EncodedCorpus, options: Word2vecOptions): { kernel: RecordingKernel; kept: number } {
  const job = prepareWord2vec(corpus, word2vecSettings({ epochs: 1, dim: 4, ...options }), 'js');
  const buffer = memoryBuffer(job.memory);
  const kernel = new RecordingKernel(buffer);
  drain(runShare(kernel, buffer, job.plan, 0));
  const kept = new Float64Array(buffer)[((job.plan.ctx[0] ?? 0) + CTX.keptDone) >> 3] ?? 0;
  return { kernel, kept };
}

/** The probability of each row implied by an alias table of `rows` [threshold, alias] pairs. */
function impliedProbabilities(table: Uint32Array, rows: number): Float64Array {
  const implied = new Float64Array(rows);
  for (let bucket = 0; bucket < rows; bucket++) {
    const threshold = table[2 * bucket] ?? 0;
    const own = threshold === 0xffffffff ? 1 : threshold / 2 ** 32;
    const alias = table[2 * bucket + 1] ?? 0;
    implied[bucket] = (implied[bucket] ?? 0) + own / rows;
    implied[alias] = (implied[alias] ?? 0) + (1 - own) / rows;
  }
  return implied;
}

/** One sentence of n distinct words, so each step's rows name the positions they came from. */
const distinct = (n: number): EncodedCorpus => encodeLines([Array.from({ length: n }, (_, i) => `w${i}`).join(' ')], { minCount: 1 });

describe('word2vec frequency subsampling', () => {
  it("keeps a word with gensim's probability (√(c/t) + 1)·t/c, t = sample × total, capped at 1", () => {
    // t = 1e-3 × 1e6 = 1000: c = 10,000 → (√10 + 1) / 10; c = 4000 → (2 + 1) / 4; c ≤ t·(1+√5)²/4 ≈ 2618 → 1.
    assert.ok(Math.abs(keepProbability(10_000, 1e6, 1e-3) - (Math.sqrt(10) + 1) / 10) < 1e-15);
    assert.equal(keepProbability(4000, 1e6, 1e-3), 0.75);
    assert.equal(keepProbability(2000, 1e6, 1e-3), 1);
    assert.equal(keepProbability(500_000, 1e6, 0), 1, 'sample 0 keeps everything');
    const probabilities = [3000, 10_000, 50_000, 200_000].map((count) => keepProbability(count, 1e6, 1e-3));
    probabilities.slice(1).forEach((p, i) => assert.ok(p < (probabilities[i] ?? 0), 'the more frequent, the less kept'));
  });

  it('turns probabilities into uint32 thresholds, rare words kept without a draw', () => {
    // t = 1e-3 × 100,205 ≈ 100: 200 and 5 are under 2.618 t (always kept), 100,000 is kept 3.3% of the time.
    const thresholds = keepThresholds(Float64Array.from([100_000, 200, 5]), 1e-3);
    assert.equal(thresholds[0], Math.floor(keepProbability(100_000, 100_205, 1e-3) * 2 ** 32));
    assert.equal(thresholds[1], ALWAYS_KEEP);
    assert.equal(thresholds[2], ALWAYS_KEEP);
  });

  it('keeps, in the kernel, about Σ count × p words per epoch', () => {
    const random = seededRandom(3);
    const lines = Array.from({ length: 2000 }, () => Array.from({ length: 30 }, () => `t${Math.floor(200 ** random())}`).join(' '));
    const corpus = encodeLines(lines, { minCount: 1 });
    const total = corpus.vocab.counts.reduce((sum, count) => sum + count, 0);
    let expected = 0;
    let variance = 0;
    for (const count of corpus.vocab.counts) {
      const p = keepProbability(count, total, 1e-3);
      expected += count * p;
      variance += count * p * (1 - p);
    }
    assert.ok(expected < 0.8 * total, 'the test corpus is subsampled noticeably');
    const { kept } = record(corpus, { sample: 1e-3, mode: 'cbow' });
    assert.ok(
      Math.abs(kept - expected) < 5 * Math.sqrt(variance),
      `kept ${kept}, expected ${expected.toFixed(0)} ± ${Math.sqrt(variance).toFixed(0)}`,
    );
  });
});

describe('word2vec negative sampling', () => {
  const counts = Float64Array.from({ length: 50 }, (_, i) => Math.round(5000 / (i + 1)));
  const weights = Array.from(counts, (count) => count ** NEGATIVE_POWER);
  const totalWeight = weights.reduce((sum, weight) => sum + weight, 0);
  const table = new Uint32Array(2 * counts.length);
  fillAliasTable(table, counts);

  it('builds an alias table whose implied probabilities are the unigram counts to the power 0.75', () => {
    const implied = impliedProbabilities(table, counts.length);
    implied.forEach((p, row) => assert.ok(Math.abs(p - (weights[row] ?? 0) / totalWeight) < 1e-9, `row ${row}: ${p}`));
  });

  it('lays out, for training, the table of the negativePower asked for (fastText’s 0.5 here) and rejects one outside [-1, 1]', () => {
    const random = seededRandom(6);
    const lines = Array.from({ length: 200 }, () => Array.from({ length: 20 }, () => `t${Math.floor(100 ** random())}`).join(' '));
    const corpus = encodeLines(lines, { minCount: 1 });
    const rows = corpus.vocab.counts.length;
    const impliedFor = (options: Word2vecOptions): Float64Array => {
      const job = prepareWord2vec(corpus, word2vecSettings({ dim: 4, ...options }), 'js');
      const u32 = new Uint32Array(memoryBuffer(job.memory));
      return impliedProbabilities(u32.subarray(job.plan.table >> 2, (job.plan.table >> 2) + 2 * rows), rows);
    };
    for (const [options, power] of [
      [{}, NEGATIVE_POWER],
      [{ negativePower: 0.5 }, 0.5],
      [{ negativePower: 0 }, 0],
    ] as const) {
      const total = corpus.vocab.counts.reduce((sum, count) => sum + count ** power, 0);
      impliedFor(options).forEach((p, row) => {
        const expected = (corpus.vocab.counts[row] ?? 0) ** power / total;
        assert.ok(Math.abs(p - expected) < 1e-9, `power ${power}, row ${row}: ${p} vs ${expected}`);
      });
    }
    // The lower the power, the more often rare words are drawn: the rarest row's share grows from 0.75 to 0.5 to 0.
    const rarest = rows - 1;
    const shares = [{}, { negativePower: 0.5 }, { negativePower: 0 }].map((options) => impliedFor(options)[rarest] ?? 0);
    assert.ok((shares[0] ?? 0) < (shares[1] ?? 0) && (shares[1] ?? 0) < (shares[2] ?? 0), shares.join(' < '));
    for (const negativePower of [1.5, -2, Number.NaN]) {
      assert.throws(() => word2vecSettings({ negativePower }), { code: 'unsupported', message: /negativePower in \[-1, 1\]/ });
    }
  });

  it('draws rows with those frequencies (chi-square over 200,000 draws)', () => {
    const random = seededRandom(9);
    const seen = new Float64Array(counts.length);
    const draws = 200_000;
    for (let i = 0; i < draws; i++) {
      const row = drawAlias(table, 0, counts.length, Math.floor(random() * 2 ** 32));
      seen[row] = (seen[row] ?? 0) + 1;
    }
    let chiSquare = 0;
    seen.forEach((observed, row) => {
      const expected = (draws * (weights[row] ?? 0)) / totalWeight;
      chiSquare += (observed - expected) ** 2 / expected;
    });
    // 49 degrees of freedom: the 99.9th percentile of χ² is 85.4.
    assert.ok(chiSquare < 85.4, `χ² = ${chiSquare.toFixed(1)}`);
  });

  it('gives every step the centre word as positive and `negative` draws that are never the centre', () => {
    const random = seededRandom(4);
    const lines = Array.from({ length: 100 }, () => Array.from({ length: 20 }, () => `t${Math.floor(20 * random())}`).join(' '));
    const corpus = encodeLines(lines, { minCount: 1 });
    const { kernel } = record(corpus, { sample: 0, negative: 7, mode: 'cbow' });
    assert.ok(kernel.steps.length > 1000);
    let skipped = 0;
    for (const { targets } of kernel.steps) {
      const [centre, ...negatives] = targets;
      assert.ok(negatives.length <= 7);
      skipped += 7 - negatives.length;
      assert.ok(!negatives.includes(centre as number), 'a negative equal to the positive is skipped');
    }
    // Over 20 roughly equally likely words, about 1 draw in 20 hits the centre.
    assert.ok(skipped > 0 && skipped < 0.1 * 7 * kernel.steps.length, `skipped ${skipped}`);
  });
});

describe('word2vec reduced window', () => {
  it('trains each centre word on a contiguous window of radius 1..window around it (skip-gram)', () => {
    const n = 3000;
    const { kernel } = record(distinct(n), { sample: 0, window: 5, mode: 'sg' });
    // Skip-gram steps come per centre in order: input = a context word, positive = the centre.
    const contexts = new Map<number, number[]>();
    for (const { inputs, targets } of kernel.steps) {
      const centre = targets[0] as number;
      contexts.set(centre, [...(contexts.get(centre) ?? []), inputs[0] as number]);
    }
    const radii = new Float64Array(6);
    // Rows are frequency-ordered; with all counts 1 they keep their order of appearance, so row = position.
    for (const [centre, context] of contexts) {
      const radius = Math.max(...context.map((position) => Math.abs(position - centre)));
      assert.ok(radius >= 1 && radius <= 5, `radius ${radius}`);
      const expected = [];
      for (let j = Math.max(0, centre - radius); j <= Math.min(n - 1, centre + radius); j++) if (j !== centre) expected.push(j);
      assert.deepEqual(context, expected, `centre ${centre}`);
      if (centre >= 5 && centre < n - 5) radii[radius] = (radii[radius] ?? 0) + 1;
    }
    // Each radius 1..5 equally likely: about (n - 10) / 5 each.
    for (let radius = 1; radius <= 5; radius++)
      assert.ok(Math.abs((radii[radius] ?? 0) - (n - 10) / 5) < 120, `radius ${radius}: ${radii[radius]}`);
  });

  it('uses exactly the neighbours with window 1, and the same windows as inputs for CBOW', () => {
    const n = 200;
    assert.equal(record(distinct(n), { sample: 0, window: 1, mode: 'sg' }).kernel.steps.length, 2 * (n - 1));
    const cbow = record(distinct(n), { sample: 0, window: 3, mode: 'cbow' }).kernel.steps;
    assert.equal(cbow.length, n);
    for (const { inputs, targets } of cbow) {
      const centre = targets[0] as number;
      const radius = Math.max(...inputs.map((position) => Math.abs(position - centre)));
      assert.ok(radius >= 1 && radius <= 3);
      assert.deepEqual(
        inputs,
        inputs.slice().sort((a, b) => a - b),
      );
      assert.equal(inputs.length, Math.min(n - 1, centre + radius) - Math.max(0, centre - radius));
    }
  });
});

describe('word2vec learning rate', () => {
  it('decays linearly from alpha at the start to minAlpha at the end, never below', () => {
    assert.equal(learningRateAt(0, 0.025, 0.0001), 0.025);
    assert.equal(learningRateAt(1, 0.025, 0.0001), 0.0001);
    assert.ok(Math.abs(learningRateAt(0.5, 0.025, 0.0001) - 0.01255) < 1e-15);
    assert.equal(learningRateAt(1.2, 0.025, 0.0001), 0.0001);
  });

  it('gives the kernel alpha on the first chunk and falling rates that end one chunk short of minAlpha', () => {
    const corpus = encodeLines(
      Array.from({ length: 400 }, (_, i) => Array.from({ length: 100 }, (_, j) => `t${(i * 7 + j) % 50}`).join(' ')),
      { minCount: 1 },
    );
    const epochs = 3;
    const job = prepareWord2vec(corpus, word2vecSettings({ epochs, dim: 4, alpha: 0.05, minAlpha: 0.001 }), 'js');
    const buffer = memoryBuffer(job.memory);
    const kernel = new RecordingKernel(buffer);
    drain(runShare(kernel, buffer, job.plan, 0));
    const rates = kernel.rates;
    assert.equal(rates[0], 0.05);
    rates.slice(1).forEach((rate, i) => assert.ok(rate < (rates[i] ?? 0)));
    const lastChunk = CHUNK_IDS / (corpus.ids.length * epochs);
    assert.ok(
      Math.abs((rates[rates.length - 1] ?? 0) - 0.001) <= (0.05 - 0.001) * lastChunk * 1.01,
      `last rate ${rates[rates.length - 1]}`,
    );
  });
});
