import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatCount, formatFixed, formatTick, scoreBars, tiedMetricCards } from '../../../../webview/analysis/metric-text';

describe('analysis text', () => {
  it('formats numbers with a true minus, no negative zero, and a dash for NaN', () => {
    assert.equal(formatFixed(0.1234, 2), '0.12');
    assert.equal(formatFixed(-0.1234, 2), '−0.12');
    assert.equal(formatFixed(-0.0001, 3), '0.000');
    assert.equal(formatFixed(NaN, 2), '—');
    assert.equal(formatFixed(-Infinity, 2), '−∞');
    assert.equal(formatCount(200000), '200,000');
    assert.equal(formatTick(-0.5), '−0.5');
    assert.equal(formatTick(123456), '1.23e+5');
    assert.equal(formatTick(0.333333), '0.333');
  });

  it('states what tying implies: cos 1, self rank 1, Jaccard 1, CKA 1 and residual 0', () => {
    const cards = tiedMetricCards(30000, 10);
    assert.deepEqual(
      cards.map((c) => [c.id, c.value]),
      [
        ['cos-uv', '1'],
        ['self-rank', '1'],
        ['jaccard', '1'],
        ['cka-procrustes', '1 · 0'],
      ],
    );
    assert.ok(cards.every((c) => c.explanation.length > 0 && !c.explanation.includes('\n')));
    assert.equal(cards[2]?.title, 'Jaccard@10');
  });

  it('scales neighbour bars: cosines as they are, other scores relative to the largest', () => {
    assert.deepEqual(scoreBars([0.9, -0.2, NaN, 1.2], 'cosine'), [0.9, 0, 0, 1]);
    assert.deepEqual(scoreBars([10, 5, -2.5], 'relative'), [1, 0.5, 0.25]);
    assert.deepEqual(scoreBars([0, 0], 'relative'), [0, 0]);
  });
});
