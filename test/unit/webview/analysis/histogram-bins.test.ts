import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { seededRandom } from '../../../../src/core/analysis/seeded-random';
import { binIndex, binRange, histogram, inBin, niceTicks, rangeText } from '../../../../webview/analysis/histogram-bins';

function sum(counts: Uint32Array): number {
  return counts.reduce((a, b) => a + b, 0);
}

describe('histogram binning', () => {
  it('spreads values over equal-width bins with the maximum in the last bin', () => {
    const h = histogram(Float32Array.from([0, 0.1, 0.5, 0.99, 1]), { bins: 2 });
    assert.equal(h.lo, 0);
    assert.equal(h.hi, 1);
    assert.deepEqual([...h.counts], [2, 3]);
    assert.equal(h.maxCount, 3);
    assert.equal(h.binned, 5);
  });

  it('counts NaN and ±Infinity apart instead of binning or dropping them', () => {
    const h = histogram(Float32Array.from([NaN, 1, Infinity, 2, -Infinity, NaN, 3]), { bins: 4 });
    assert.equal(h.nan, 2);
    assert.equal(h.posInf, 1);
    assert.equal(h.negInf, 1);
    assert.equal(h.binned, 3);
    assert.equal(h.lo, 1);
    assert.equal(h.hi, 3);
    assert.equal(sum(h.counts), 3);
  });

  it('makes one degenerate bin when every finite value is equal', () => {
    const h = histogram(Float32Array.from([0.5, 0.5, NaN, 0.5]), { bins: 20 });
    assert.equal(h.degenerate, true);
    assert.equal(h.bins, 1);
    assert.deepEqual([...h.counts], [3]);
    assert.deepEqual(binRange(h, 0), { index: 0, lo: 0.5, hi: 0.5, closed: true, count: 3 });
    assert.equal(inBin(h, 0)(0.5), true);
    assert.equal(inBin(h, 0)(0.51), false);
  });

  it('has no bins when there is no finite value', () => {
    const h = histogram(Float32Array.from([NaN, Infinity]), { bins: 10 });
    assert.equal(h.bins, 0);
    assert.equal(h.maxCount, 0);
    assert.equal(binIndex(h, 1), -1);
    const empty = histogram(new Float32Array(0), { bins: 10 });
    assert.equal(empty.bins, 0);
  });

  it('counts values outside an explicit range as below and above', () => {
    const h = histogram(Float32Array.from([-1, -1.5, 0, 1, 1.0000001]), { bins: 4, range: [-1, 1] });
    assert.equal(h.below, 1);
    assert.equal(h.above, 1);
    assert.equal(h.binned, 3);
    assert.deepEqual([...h.counts], [1, 0, 1, 1]);
  });

  it('rejects zero bins and a reversed range with a message naming them', () => {
    assert.throws(() => histogram([1], { bins: 0 }), /bins must be an integer ≥ 1; got 0/);
    assert.throws(() => histogram([1], { bins: 3, range: [1, 0] }), /lo ≤ hi; got \[1, 0\]/);
  });

  it('filters exactly the values a bar counts, for every bin of 10,000 seeded cosines', () => {
    const random = seededRandom(5);
    const values = new Float32Array(10_000);
    for (let i = 0; i < values.length; i++) values[i] = Math.fround(Math.tanh((random() - 0.5) * 3));
    values[17] = NaN;
    const h = histogram(values, { bins: 37, range: [-1, 1] });
    assert.equal(h.binned + h.nan + h.below + h.above, values.length);
    for (let b = 0; b < h.bins; b++) {
      const keep = inBin(h, b);
      let matched = 0;
      for (const v of values) if (keep(v)) matched++;
      assert.equal(matched, h.counts[b], `bin ${b}`);
      const range = binRange(h, b);
      assert.ok(range.lo < range.hi);
      assert.equal(range.closed, b === h.bins - 1);
    }
    assert.equal(binRange(h, 0).lo, -1);
    assert.equal(binRange(h, h.bins - 1).hi, 1);
  });

  it('picks round tick values inside the range', () => {
    assert.deepEqual(niceTicks(-1, 1, 4), [-1, -0.5, 0, 0.5, 1]);
    assert.deepEqual(niceTicks(0, 7, 3), [0, 2, 4, 6]);
    assert.deepEqual(niceTicks(0, 1, 10), [0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1]);
    assert.deepEqual(niceTicks(3, 3, 5), [3]);
    assert.deepEqual(niceTicks(NaN, 1, 5), []);
    for (const t of niceTicks(-0.37, 0.91, 5)) assert.ok(t >= -0.37 && t <= 0.91);
  });

  it('describes a bin as a half-open range, the last one closed', () => {
    const h = histogram(Float32Array.from([-1, 1]), { bins: 4, range: [-1, 1] });
    assert.equal(rangeText(binRange(h, 0), false), '[−1, −0.5)');
    assert.equal(rangeText(binRange(h, 3), false), '[0.5, 1]');
    assert.equal(rangeText(binRange(histogram([2, 2], { bins: 3 }), 0), true), '= 2');
  });
});
