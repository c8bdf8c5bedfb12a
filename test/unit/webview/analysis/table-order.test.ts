import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { seededRandom } from '../../../../src/core/analysis/seeded-random';
import { filterOrder, identityOrder, positionsOf, sortByText, sortByValues } from '../../../../webview/analysis/table-order';

describe('table order', () => {
  it('sorts ascending and descending with NaN last in both directions', () => {
    const values = Float32Array.from([3, NaN, 1, 2, NaN, -Infinity, Infinity]);
    const order = identityOrder(values.length);
    assert.deepEqual([...sortByValues(order, values, 'asc')], [5, 2, 3, 0, 6, 1, 4]);
    assert.deepEqual([...sortByValues(order, values, 'desc')], [6, 0, 3, 2, 5, 1, 4]);
  });

  it('keeps equal values in their previous order, in both directions (stable)', () => {
    const values = Int32Array.from([1, 0, 1, 0, 1]);
    const order = Uint32Array.from([4, 3, 2, 1, 0]);
    assert.deepEqual([...sortByValues(order, values, 'asc')], [3, 1, 4, 2, 0]);
    assert.deepEqual([...sortByValues(order, values, 'desc')], [4, 2, 0, 3, 1]);
  });

  it('sorts 200,000 seeded rows into a permutation that is ordered and stable', () => {
    const random = seededRandom(9);
    const n = 200_000;
    const values = new Float32Array(n);
    // Few distinct values, so ties are everywhere; some NaN.
    for (let i = 0; i < n; i++) values[i] = random() < 0.01 ? NaN : Math.floor(random() * 50) / 10;
    const sorted = sortByValues(identityOrder(n), values, 'desc');
    const seen = new Uint8Array(n);
    for (const row of sorted) seen[row] = 1;
    assert.equal(
      seen.reduce((a, b) => a + b, 0),
      n,
    );
    for (let p = 1; p < n; p++) {
      const a = values[sorted[p - 1] as number] as number;
      const b = values[sorted[p] as number] as number;
      if (Number.isNaN(b)) {
        if (Number.isNaN(a)) assert.ok((sorted[p - 1] as number) < (sorted[p] as number));
        continue;
      }
      assert.ok(!Number.isNaN(a), 'NaN only at the end');
      assert.ok(a > b || (a === b && (sorted[p - 1] as number) < (sorted[p] as number)), `position ${p}`);
    }
  });

  it('sorts tokens case-insensitively, then by exact text, stably', () => {
    const tokens = ['b', 'B', 'a', 'שלום', '', 'A', 'b'];
    const asc = sortByText(identityOrder(tokens.length), (row) => tokens[row] as string, 'asc');
    assert.deepEqual(
      [...asc].map((row) => tokens[row]),
      ['', 'A', 'a', 'B', 'b', 'b', 'שלום'],
    );
    assert.deepEqual([...asc].slice(4, 6), [0, 6]);
    const desc = sortByText(identityOrder(tokens.length), (row) => tokens[row] as string, 'desc');
    assert.deepEqual([...desc].slice(1, 3), [0, 6]);
  });

  it('filters by a row predicate keeping the order, and maps rows back to positions', () => {
    const order = Uint32Array.from([5, 3, 1, 0, 2, 4]);
    const kept = filterOrder(order, (row) => row % 2 === 1);
    assert.deepEqual([...kept], [5, 3, 1]);
    assert.deepEqual([...positionsOf(kept, 6)], [-1, 2, -1, 1, -1, 0]);
  });
});
