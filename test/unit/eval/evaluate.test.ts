import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { eagerMatrix, type Checkpoint } from '../../../src/core/checkpoint';
import { evaluateAnalogies } from '../../../src/core/eval/analogies';
import { parseAnalogies } from '../../../src/core/eval/eval-files';
import { readEvalSets, standardEvalPaths, type EvalSets } from '../../../src/core/eval/eval-sets';
import { caseInsensitiveLookup, frequentRows } from '../../../src/core/eval/eval-vocab';
import { evaluateCheckpoint, evaluateEmbedding, loadEvalMatrix, type EvalMatrix, type EvalReport } from '../../../src/core/eval/evaluate';
import { evaluateWordPairs, type WordPairScore } from '../../../src/core/eval/word-pairs';
import { seededRandom } from '../../../src/core/analysis/seeded-random';
import { nodeFiles } from '../../../src/node/node-files';
import { expected, shared, withCheckpoint, fixture } from '../helpers';

/** gensim 4.2's numbers for the fixtures (test/fixtures/scripts/make_eval.py). */
interface GensimScores {
  wordsim: WordPairScore & { spearman: number };
  simlex: WordPairScore & { spearman: number };
  analogies: { accuracy: number; correct: number; answered: number; total: number };
}
interface Reference {
  rows: number;
  default: Record<EvalMatrix, GensimScores>;
  restricted: { pairVocab: number; analogyVocab: number; input: GensimScores };
  cased: GensimScores & { rows: number; variantWords: number };
}
const reference = expected<Reference>('eval/expected.json');
const model = fixture('eval/word2vec.model');
const cased = fixture('eval/cased.bin');

/**
 * Spearman ρ: gensim takes float32 cosines, we take float64 ones; the ranks agree unless two cosines fall within
 * float32 rounding of each other, and then ρ itself agrees to float64 rounding.
 */
const RHO = 1e-9;

let sets: EvalSets;
before(async () => {
  sets = await readEvalSets(nodeFiles, standardEvalPaths(shared('data/eval')));
});

function assertMatchesGensim(report: EvalReport, gensim: GensimScores, what: string): void {
  for (const key of ['wordsim', 'simlex'] as const) {
    const ours = report[key];
    assert.ok(ours, `${what}: ${key} missing`);
    assert.equal(ours.pairs, gensim[key].pairs, `${what} ${key} pairs`);
    assert.equal(ours.covered, gensim[key].covered, `${what} ${key} covered`);
    assert.ok(
      ours.spearman !== null && Math.abs(ours.spearman - gensim[key].spearman) <= RHO,
      `${what} ${key}: ${ours.spearman} vs gensim ${gensim[key].spearman}`,
    );
  }
  const analogies = report.analogies;
  assert.ok(analogies, `${what}: analogies missing`);
  assert.equal(analogies.total, gensim.analogies.total, `${what} analogies total`);
  assert.equal(analogies.answered, gensim.analogies.answered, `${what} analogies answered`);
  assert.equal(Math.round((analogies.accuracy ?? NaN) * analogies.answered), gensim.analogies.correct, `${what} analogies correct`);
  assert.equal(analogies.accuracy, gensim.analogies.accuracy, `${what} accuracy`);
}

describe('evaluateCheckpoint against gensim 4.2', () => {
  for (const matrix of ['input', 'output', 'sum'] as const) {
    it(`matches evaluate_word_pairs and evaluate_word_analogies(restrict_vocab=30000) on ${matrix === 'sum' ? 'U + V' : matrix === 'input' ? 'U' : 'V'} of a gensim Word2Vec`, async () => {
      const report = await withCheckpoint(model, (checkpoint) => evaluateCheckpoint(checkpoint, matrix, sets));
      assert.equal(report.schema, 1);
      assert.equal(report.matrix, matrix);
      assertMatchesGensim(report, reference.default[matrix], matrix);
    });
  }

  it('matches gensim with restrict_vocab=1000 for both the pairs and the analogies', async () => {
    const { pairVocab, analogyVocab } = reference.restricted;
    const report = await withCheckpoint(model, (checkpoint) => evaluateCheckpoint(checkpoint, 'input', sets, { pairVocab, analogyVocab }));
    assertMatchesGensim(report, reference.restricted.input, 'restricted');
  });

  it('lets the first (most frequent) of several case variants answer for all of them, as gensim does', async () => {
    const report = await withCheckpoint(cased, (checkpoint) => evaluateCheckpoint(checkpoint, 'input', sets));
    assertMatchesGensim(report, reference.cased, 'cased');
    // The fixture discriminates: letting the last variant answer instead gives other cosines and another ρ.
    const lastWins = await withCheckpoint(cased, async (checkpoint) => {
      const data = await checkpoint.matrices[0]!.load();
      const rows = frequentRows(checkpoint.vocab, checkpoint.matrices[0]!.rows, 300_000).reverse();
      return evaluateWordPairs(data, checkpoint.matrices[0]!.cols, caseInsensitiveLookup(checkpoint.vocab.tokens, rows), sets.simlex!);
    });
    assert.notEqual(lastWins.spearman, report.simlex?.spearman);
  });

  it('puts only the keys of the sets given in the report', async () => {
    const report = await withCheckpoint(model, (checkpoint) => evaluateCheckpoint(checkpoint, 'input', { simlex: sets.simlex! }));
    assert.deepEqual(Object.keys(report), ['schema', 'matrix', 'simlex']);
  });
});

describe('evaluateEmbedding', () => {
  /** A small seeded embedding whose rows are shuffled along with their counts. */
  function shuffled(data: Float32Array, rows: number, cols: number, tokens: readonly string[], counts: readonly number[], seed: number) {
    const random = seededRandom(seed);
    const order = Array.from({ length: rows }, (_, i) => i);
    for (let i = rows - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [order[i], order[j]] = [order[j]!, order[i]!];
    }
    const moved = new Float32Array(data.length);
    order.forEach((from, to) => moved.set(data.subarray(from * cols, from * cols + cols), to * cols));
    return {
      data: moved,
      rows,
      cols,
      vocab: { tokens: order.map((i) => tokens[i]!), counts: order.map((i) => counts[i]!), source: 'shuffled' },
    };
  }

  it('ranks rows by their counts, not their order, so shuffling rows with their counts changes nothing', async () => {
    await withCheckpoint(model, async (checkpoint) => {
      const u = checkpoint.matrices[0]!;
      const data = await u.load();
      const options = { pairVocab: 800, analogyVocab: 800 };
      const original = await evaluateEmbedding({ data, rows: u.rows, cols: u.cols, vocab: checkpoint.vocab }, 'input', sets, options);
      const moved = shuffled(data, u.rows, u.cols, checkpoint.vocab.tokens, checkpoint.vocab.counts!, 5);
      assert.deepEqual(await evaluateEmbedding(moved, 'input', sets, options), original);
      // Without counts the shuffled order is taken as frequency order, and the top 800 are other words.
      const withoutCounts = { tokens: moved.vocab.tokens, source: moved.vocab.source };
      const rowOrder = await evaluateEmbedding({ ...moved, vocab: withoutCounts }, 'input', sets, options);
      assert.notEqual(rowOrder.analogies?.answered, original.analogies?.answered);
    });
  });

  it('reports progress that never goes back and ends at 1', async () => {
    const fractions: number[] = [];
    await withCheckpoint(model, (checkpoint) => evaluateCheckpoint(checkpoint, 'sum', sets, { onProgress: (f) => fractions.push(f) }));
    assert.ok(fractions.length > 2);
    assert.ok(fractions.every((f, i) => i === 0 || f >= fractions[i - 1]!));
    assert.equal(fractions.at(-1), 1);
  });

  it('stops with a cancelled error when the signal fires, before or during the analogies', async () => {
    await withCheckpoint(model, async (checkpoint) => {
      await assert.rejects(evaluateCheckpoint(checkpoint, 'input', sets, { signal: AbortSignal.abort() }), { code: 'cancelled' });
      const controller = new AbortController();
      await assert.rejects(
        evaluateCheckpoint(checkpoint, 'input', sets, { signal: controller.signal, onProgress: () => controller.abort() }),
        { code: 'cancelled', message: /questions-words\.txt: analogies: cancelled/ },
      );
    });
  });
});

describe('evaluateAnalogies', () => {
  // b̂ − â + ĉ ≈ (−0.29, 1.71): by cosine c and its case variant 'C' (same vector) come first, then d, then b.
  const tokens = ['a', 'b', 'c', 'd', 'e', 'C'];
  const data = Float32Array.from([1, 0, 1, 1, 0, 1, 0.5, 1, 1, 0.1, 0, 1]);
  const rows = Int32Array.from([0, 1, 2, 3, 4, 5]);

  it('never answers with a, b or c (nor a case variant of them), and counts a question only when all four words are allowed', async () => {
    const set = parseAnalogies(': s\nA B C D\nA B C E\nA B C X\n', 'q.txt');
    const score = await evaluateAnalogies(data, 2, tokens, rows, set);
    assert.deepEqual(score, { accuracy: 0.5, answered: 2, total: 3 });
    const restricted = await evaluateAnalogies(data, 2, tokens, Int32Array.from([0, 1, 2, 3, 5]), set);
    assert.deepEqual(restricted, { accuracy: 1, answered: 1, total: 3 });
  });

  it('gives a null accuracy when no question can be answered', async () => {
    const score = await evaluateAnalogies(data, 2, tokens, rows, parseAnalogies('x y z w\n', 'q.txt'));
    assert.deepEqual(score, { accuracy: null, answered: 0, total: 1 });
  });
});

describe('loadEvalMatrix', () => {
  function fake(matrices: { role: 'input' | 'output'; rows: number; cols: number }[], tied = false): Checkpoint {
    return {
      format: 'test',
      path: 'fake.ckpt',
      vocab: { tokens: ['x', 'y'], source: 'test' },
      matrices: matrices.map((m, i) =>
        eagerMatrix(
          { name: `m${i}`, role: m.role, rows: m.rows, cols: m.cols, dtype: 'float32', tensorNames: [] },
          new Float32Array(m.rows * m.cols).fill(i + 1),
        ),
      ),
      tied,
      provenance: { files: [], notes: [] },
      close: () => Promise.resolve(),
    };
  }

  it('sums U and V row-wise without changing either, and doubles U when V is U (tied)', async () => {
    const checkpoint = fake([
      { role: 'input', rows: 2, cols: 3 },
      { role: 'output', rows: 2, cols: 3 },
    ]);
    const sum = await loadEvalMatrix(checkpoint, 'sum');
    assert.deepEqual(Array.from(sum.data), [3, 3, 3, 3, 3, 3]);
    assert.deepEqual(Array.from(await checkpoint.matrices[0]!.load()), [1, 1, 1, 1, 1, 1]);
    const tied = await loadEvalMatrix(fake([{ role: 'input', rows: 2, cols: 3 }], true), 'sum');
    assert.deepEqual(Array.from(tied.data), [2, 2, 2, 2, 2, 2]);
  });

  it('says which matrix is missing and what the checkpoint has', async () => {
    const onlyU = fake([{ role: 'input', rows: 2, cols: 3 }]);
    for (const matrix of ['output', 'sum'] as const) {
      await assert.rejects(loadEvalMatrix(onlyU, matrix), {
        code: 'no-embedding',
        message: `fake.ckpt: --matrix ${matrix} needs an output matrix V; the checkpoint has m0 (input)`,
      });
    }
  });

  it('refuses to sum U and V of different widths', async () => {
    const checkpoint = fake([
      { role: 'input', rows: 2, cols: 3 },
      { role: 'output', rows: 2, cols: 4 },
    ]);
    await assert.rejects(loadEvalMatrix(checkpoint, 'sum'), {
      code: 'unsupported',
      message: 'fake.ckpt: --matrix sum needs U and V of one shape, found U (m0) 2×3 and V (m1) 2×4',
    });
  });
});
