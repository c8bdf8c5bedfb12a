import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { seededRandom } from '../../../../src/core/analysis/seeded-random';
import { CheckpointError } from '../../../../src/core/errors';
import { encodeLines } from '../../../../src/core/train/corpus';
import type { TrainedEmbeddings, TrainProgress } from '../../../../src/core/train/train-types';
import { prepareWord2vec, trainWord2vec, word2vecSettings } from '../../../../src/core/train/word2vec';
import { memoryBuffer } from '../../../../src/core/train/word2vec-kernel';
import { readMatrix, splitShares } from '../../../../src/core/train/word2vec-layout';
import { readCorpusFiles } from '../../../../src/node/corpus-files';
import { shared } from '../../helpers';

/** 600 seeded sentences over a Zipf-like vocabulary of ~80 words. */
const corpus = encodeLines(
  Array.from({ length: 600 }, (_, i) => {
    const random = seededRandom(100 + i);
    return Array.from({ length: 12 + (i % 9) }, () => `t${Math.floor(80 ** random())}`).join(' ');
  }),
  { minCount: 2 },
);

const bytes = (data: Float32Array): Uint8Array => new Uint8Array(data.buffer, data.byteOffset, data.byteLength);

describe('word2vec options', () => {
  it("fills in word2vec's defaults, with CBOW's larger starting rate", () => {
    const sg = word2vecSettings({});
    assert.deepEqual(
      { ...sg },
      {
        mode: 'sg',
        dim: 100,
        window: 5,
        negative: 5,
        epochs: 5,
        sample: 1e-3,
        alpha: 0.025,
        minAlpha: 0.0001,
        tied: false,
        seed: 1,
        threads: 1,
        negativePower: 0.75,
      },
    );
    assert.equal(word2vecSettings({ mode: 'cbow' }).alpha, 0.05);
  });

  it('rejects an option out of range with a message naming it, the expected range and the value', () => {
    const rejects = (options: Parameters<typeof word2vecSettings>[0], pattern: RegExp): void =>
      assert.throws(
        () => word2vecSettings(options),
        (error: unknown) => error instanceof CheckpointError && error.code === 'unsupported' && pattern.test(error.message),
      );
    rejects({ dim: 0 }, /dim to be an integer from 1 to 10000, found 0/);
    rejects({ window: 2.5 }, /window .* found 2.5/);
    rejects({ sample: 1 }, /sample in \[0, 1\), found 1/);
    rejects({ alpha: 0.01, minAlpha: 0.02 }, /minAlpha in \[0, alpha = 0.01\], found 0.02/);
    rejects({ mode: 'glove' as 'sg' }, /mode 'sg' or 'cbow', found 'glove'/);
  });

  it('refuses a corpus whose ids or sentences the kernels could not trust', () => {
    const broken = { ...corpus, ids: Int32Array.from(corpus.ids, (id, i) => (i === 5 ? corpus.vocab.tokens.length : id)) };
    assert.throws(() => prepareWord2vec(broken, word2vecSettings({})), {
      code: 'bad-header',
      message: /ids below the vocabulary's \d+ rows, found \d+/,
    });
    const long = { ...corpus, ids: new Int32Array(10_001), sentenceEnds: Int32Array.from([10_001]) };
    assert.throws(() => prepareWord2vec(long, word2vecSettings({})), { code: 'bad-header', message: /sentences of 1 to 10000 ids/ });
  });

  it('splits the sentences into contiguous thread shares of nearly equal ids', () => {
    for (const threads of [1, 2, 3, 7]) {
      const shares = splitShares(corpus.sentenceEnds, threads);
      assert.equal(shares.length, threads);
      assert.deepEqual([shares[0]?.from, shares[threads - 1]?.to], [0, corpus.sentenceEnds.length]);
      shares.slice(1).forEach((share, t) => assert.equal(share.from, shares[t]?.to, 'contiguous'));
      assert.equal(
        shares.reduce((sum, share) => sum + share.ids, 0),
        corpus.ids.length,
      );
      // Within one sentence (at most 20 ids here) of an equal split.
      for (const share of shares) assert.ok(Math.abs(share.ids - corpus.ids.length / threads) <= 20, `${threads} threads: ${share.ids}`);
    }
  });

  it('starts U uniform in ±0.5/dim and V at zero; a tied model has one matrix', () => {
    const untied = prepareWord2vec(corpus, word2vecSettings({ dim: 20 }), 'js');
    const u = readMatrix(memoryBuffer(untied.memory), untied.plan, 'u');
    assert.ok(u.every((value) => Math.abs(value) <= 0.5 / 20));
    assert.ok(Math.abs(u.reduce((sum, value) => sum + value, 0) / u.length) < 0.002, 'centred');
    assert.ok(
      u.some((value) => Math.abs(value) > 0.02),
      'spread over the interval',
    );
    assert.ok(readMatrix(memoryBuffer(untied.memory), untied.plan, 'v').every((value) => value === 0));
    const tied = prepareWord2vec(corpus, word2vecSettings({ dim: 20, tied: true }), 'js');
    assert.equal(tied.plan.v, tied.plan.u);
    assert.deepEqual(bytes(readMatrix(memoryBuffer(tied.memory), tied.plan, 'u')), bytes(u), 'the same start as the untied U');
  });
});

describe('trainWord2vec', () => {
  it('returns U and V named for the output, a falling loss per epoch, and tokens counted per epoch', async () => {
    const result = await trainWord2vec(corpus, { dim: 16, epochs: 4, seed: 3, sample: 0 });
    const rows = corpus.vocab.tokens.length;
    assert.deepEqual([result.input.name, result.input.rows, result.input.cols, result.input.data.length], ['U', rows, 16, rows * 16]);
    assert.deepEqual([result.output?.name, result.output?.rows, result.output?.cols], ['V', rows, 16]);
    assert.equal(result.tied, false);
    assert.equal(result.vocab, corpus.vocab);
    assert.equal(result.tokensProcessed, corpus.rawTokens * 4);
    assert.equal(result.lossPerEpoch.length, 4);
    const [first, , , last] = result.lossPerEpoch as [number, number, number, number];
    assert.ok(last < first - 0.1, `loss per epoch ${result.lossPerEpoch.join(', ')}`);
    assert.equal(result.loss, result.lossPerEpoch[3]);
    assert.ok(result.input.data.every(Number.isFinite) && result.output?.data.every(Number.isFinite));
    assert.equal(result.metrics['keptWordsPerEpoch'], corpus.ids.length, 'sample 0 keeps every word');
  });

  it('returns one matrix and no output for a tied model', async () => {
    const result = await trainWord2vec(corpus, { dim: 8, epochs: 1, tied: true, mode: 'cbow' });
    assert.equal(result.tied, true);
    assert.equal(result.output, null);
    assert.ok(result.input.data.every(Number.isFinite));
  });

  it('is bit-for-bit reproducible for a seed on one thread, and differs for another seed', async () => {
    const options = { dim: 12, epochs: 2, seed: 42 };
    const train = (seed: number): Promise<TrainedEmbeddings> => trainWord2vec(corpus, { ...options, seed });
    const [a, b, c] = [await train(42), await train(42), await train(43)];
    assert.deepEqual(bytes(a.input.data), bytes(b.input.data));
    assert.deepEqual(bytes((a.output as { data: Float32Array }).data), bytes((b.output as { data: Float32Array }).data));
    assert.deepEqual(a.lossPerEpoch, b.lossPerEpoch);
    assert.notDeepEqual(bytes(a.input.data), bytes(c.input.data));
  });

  it('runs two Hogwild shares interleaved on this thread, each with its own random stream, also reproducibly', async () => {
    const options = { dim: 12, epochs: 2, threads: 2 };
    const [a, b] = [await trainWord2vec(corpus, options), await trainWord2vec(corpus, options)];
    assert.equal(a.metrics['threads'], 2);
    assert.deepEqual(bytes(a.input.data), bytes(b.input.data));
    assert.notDeepEqual(bytes(a.input.data), bytes((await trainWord2vec(corpus, { ...options, threads: 1 })).input.data));
  });

  it('reports progress: fractions rising to 1, epochs, a loss, a throughput and a falling learning rate', async () => {
    const big = encodeLines(
      Array.from({ length: 15 }, () => Array.from({ length: 3000 }, (_, j) => `t${(j * 7919) % 97}`).join(' ')),
      { minCount: 1 },
    );
    const reports: TrainProgress[] = [];
    await trainWord2vec(big, { dim: 50, epochs: 2, engine: 'js' }, { onProgress: (progress) => reports.push(progress) });
    assert.ok(reports.length >= 2, `${reports.length} reports`);
    reports.slice(1).forEach((report, i) => {
      assert.ok(report.fraction >= (reports[i]?.fraction ?? 0));
      assert.ok((report.learningRate ?? 0) <= (reports[i]?.learningRate ?? 0));
    });
    const last = reports[reports.length - 1] as TrainProgress;
    assert.deepEqual([last.fraction, last.epoch, last.epochs], [1, 2, 2]);
    assert.ok(reports.every((report) => report.epoch >= 1 && report.epoch <= 2 && report.tokensPerSecond > 0));
    assert.ok(reports.some((report) => report.loss !== null && Number.isFinite(report.loss) && report.loss > 0));
  });

  it('stops with a cancelled error when the signal fires, and does not start when it already has', async () => {
    const big = encodeLines(
      Array.from({ length: 200 }, () => Array.from({ length: 3000 }, (_, j) => `t${(j * 7919) % 97}`).join(' ')),
      { minCount: 1 },
    );
    const abort = new AbortController();
    let last = 0;
    await assert.rejects(
      trainWord2vec(
        big,
        { dim: 100, epochs: 50 },
        { signal: abort.signal, onProgress: (progress) => ((last = progress.fraction), abort.abort()) },
      ),
      (error: unknown) => error instanceof CheckpointError && error.code === 'cancelled',
    );
    assert.ok(last < 0.5, `stopped at ${last}`);
    await assert.rejects(trainWord2vec(big, {}, { signal: AbortSignal.abort() }), { code: 'cancelled' });
  });

  it('learns that related words of the 1M-token corpus lie closer than unrelated ones (skip-gram, 1 epoch)', async () => {
    const text = await readCorpusFiles([shared('data/corpus/corpus-1m.txt')], { minCount: 5 });
    const model = await trainWord2vec(text, { dim: 50, epochs: 1, seed: 1 });
    const { data, rows, cols } = model.input;
    // Cosines of mean-centred vectors: one epoch leaves every vector sharing a large common direction.
    const mean = new Float64Array(cols);
    for (let row = 0; row < rows; row++) for (let c = 0; c < cols; c++) mean[c] = (mean[c] ?? 0) + (data[row * cols + c] ?? 0) / rows;
    const cosine = (a: string, b: string): number => {
      const [i, j] = [text.vocab.index.get(a), text.vocab.index.get(b)].map((row) => (row ?? -1) * cols) as [number, number];
      let dot = 0;
      let na = 0;
      let nb = 0;
      for (let c = 0; c < cols; c++) {
        const [x, y] = [(data[i + c] ?? 0) - (mean[c] ?? 0), (data[j + c] ?? 0) - (mean[c] ?? 0)];
        dot += x * y;
        na += x * x;
        nb += y * y;
      }
      return dot / Math.sqrt(na * nb);
    };
    for (const [word, related, unrelated] of [
      ['three', 'four', 'linux'],
      ['linux', 'config', 'father'],
      ['red', 'black', 'linux'],
      ['father', 'mother', 'linux'],
      ['north', 'south', 'linux'],
    ] as const) {
      assert.ok(
        cosine(word, related) > cosine(word, unrelated) + 0.3,
        `${word}: ${related} ${cosine(word, related)}, ${unrelated} ${cosine(word, unrelated)}`,
      );
    }
  });
});
