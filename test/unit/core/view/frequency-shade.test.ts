import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { frequencyShade } from '../../../../src/core/view/frequency-shade';

describe('frequency shading', () => {
  it('gives the most frequent token 0 and the rarest 1, by rank not by count', () => {
    assert.deepEqual([...frequencyShade([5, 1000, 1, 6], 4)], [...Float32Array.of(2 / 3, 0, 1, 1 / 3)]);
  });

  it('keeps row order among equal counts and leaves rows without a count unshaded', () => {
    const shade = frequencyShade([3, 3, 3], 4);
    assert.deepEqual([...shade.subarray(0, 3)], [0, 0.5, 1]);
    assert.ok(Number.isNaN(shade[3]));
  });

  it('handles a single token', () => {
    assert.deepEqual([...frequencyShade([7], 1)], [0]);
  });
});
