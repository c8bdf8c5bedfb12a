import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PointIndex } from '../../../webview/point-index';

describe('points and vocabulary rows', () => {
  it('map a limited layout both ways, rows not shown to -1', () => {
    const index = new PointIndex(Int32Array.of(0, 2, 5), false);
    assert.equal(index.rowOf(2), 5);
    assert.equal(index.pointOf(5), 2);
    assert.equal(index.pointOf(1), -1);
    assert.equal(index.pointOf(99), -1);
    assert.deepEqual(index.pointsOf([5, 1, 0]), [2, 0]);
    assert.equal(index.twinOf(1), -1);
    assert.equal(index.matrixOf(1), '');
  });

  it('pair each row of a joint layout with its point in the other matrix', () => {
    const index = new PointIndex(Int32Array.of(3, 7, 3, 7), true);
    assert.equal(index.pointOf(7), 1);
    assert.deepEqual(index.pointsOf([7]), [1, 3]);
    assert.equal(index.twinOf(1), 3);
    assert.equal(index.twinOf(3), 1);
    assert.equal(index.matrixOf(0), 'U');
    assert.equal(index.matrixOf(2), 'V');
    assert.equal(index.rowOf(2), 3);
  });
});
