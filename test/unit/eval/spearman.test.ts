import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { averageRanks, pearson, spearman } from '../../../src/core/eval/spearman';
import { seededRandom } from '../../../src/core/analysis/seeded-random';
import { expected } from '../helpers';

/** scipy.stats.spearmanr and rankdata on fixed series (test/fixtures/scripts/make_eval.py). */
const cases = expected<{ spearman: Record<string, { x: number[]; y: number[]; rho: number; ranksX: number[] }> }>(
  'eval/expected.json',
).spearman;

/** Both sides compute in float64; only summation order differs. */
const FLOAT64 = 1e-12;

describe('spearman', () => {
  for (const [name, { x, y, rho, ranksX }] of Object.entries(cases)) {
    it(`equals scipy.stats.spearmanr on the "${name}" series, ranks included`, () => {
      assert.deepEqual(Array.from(averageRanks(x)), ranksX);
      const ours = spearman(x, y);
      assert.ok(ours !== null && Math.abs(ours - rho) <= FLOAT64, `${ours} vs scipy ${rho}`);
    });
  }

  it('gives tied values the mean of the ranks they span, and ranks that sum to n(n+1)/2', () => {
    assert.deepEqual(Array.from(averageRanks([5, 1, 5, 5, 2])), [4, 1, 4, 4, 2]);
    const random = seededRandom(11);
    const values = Array.from({ length: 200 }, () => Math.floor(random() * 20));
    const ranks = averageRanks(values);
    assert.equal(
      ranks.reduce((sum, r) => sum + r, 0),
      (200 * 201) / 2,
    );
  });

  it('is 1 for any increasing transform, −1 for a decreasing one, and symmetric in its arguments', () => {
    const random = seededRandom(3);
    const x = Array.from({ length: 50 }, () => random() * 10 - 5);
    const y = Array.from({ length: 50 }, () => random());
    assert.equal(spearman(x, x.map(Math.exp)), 1);
    assert.equal(
      spearman(
        x,
        x.map((v) => -(v ** 3)),
      ),
      -1,
    );
    assert.equal(spearman(x, y), spearman(y, x));
  });

  it('is null for fewer than two values or a constant series (where scipy says NaN)', () => {
    assert.equal(spearman([], []), null);
    assert.equal(spearman([1], [2]), null);
    assert.equal(spearman([1, 2, 3], [4, 4, 4]), null);
    assert.equal(pearson([2, 2], [1, 3]), null);
  });

  it('refuses series of different lengths', () => {
    assert.throws(() => spearman([1, 2], [1, 2, 3]), RangeError);
  });
});
