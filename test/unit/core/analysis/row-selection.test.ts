import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { gatherRows, topRows } from '../../../../src/core/analysis/row-selection';

describe('rows a limited view works on', () => {
  it('are the most frequent tokens when the file has counts, listed in row order', () => {
    assert.deepEqual([...topRows(5, 3, [5, 50, 1, 40, 50])], [1, 3, 4]);
  });

  it('are the first rows without counts, and all rows without a limit', () => {
    assert.deepEqual([...topRows(5, 2, undefined)], [0, 1]);
    assert.deepEqual([...topRows(3, undefined, [1, 2, 3])], [0, 1, 2]);
    assert.deepEqual([...topRows(3, 10, [1, 2, 3])], [0, 1, 2]);
  });

  it('put rows without a count last', () => {
    assert.deepEqual([...topRows(4, 2, [Number.NaN, 3, 7])], [1, 2]);
  });
});

describe('gathering rows', () => {
  it('copies the listed rows, scaled to unit length when asked', () => {
    const data = Float32Array.from([3, 4, 0, 0, 1, 0]);
    assert.deepEqual([...gatherRows(data, 2, Int32Array.of(2, 0))], [1, 0, 3, 4]);
    assert.deepEqual(
      [...gatherRows(data, 2, Int32Array.of(0, 1), true)].map((x) => Math.round(x * 100) / 100),
      [0.6, 0.8, 0, 0],
    );
  });
});
