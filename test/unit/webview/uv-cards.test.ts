import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { UvView } from '../../../src/protocol/analysis';
import { uvCards } from '../../../webview/uv-cards';

function view(tied: boolean, sampled: number | null): UvView {
  return {
    summary: {
      schema: 1,
      rows: 30000,
      k: 10,
      tied,
      meanCosUV: -0.72,
      medianCosUV: -0.75,
      jaccardAtK: 0.0312,
      linearCKA: 0.41,
      procrustesResidual: 1.2,
      effectiveRankU: 80.12,
      effectiveRankV: 61.5,
      anisotropyU: 0.05,
      anisotropyV: 0.62,
      sampled,
    },
    matrices: ['wv', 'syn1neg'],
    cols: 100,
    medianSelfRank: 37,
    cos: new ArrayBuffer(0),
    jaccard: new ArrayBuffer(0),
    selfRank: new ArrayBuffer(0),
    counts: null,
    singularValues: { u: [], v: [], sum: [] },
    effectiveRankSum: 90,
    ms: 1,
  };
}

describe('U-vs-V metric cards', () => {
  it('show each figure with what it was computed over and what it means', () => {
    const cards = uvCards(view(false, 2000));
    assert.deepEqual(
      cards.map((c) => c.id),
      ['cos-uv', 'self-rank', 'jaccard', 'cka', 'procrustes', 'effective-rank', 'anisotropy'],
    );
    const byId = new Map(cards.map((c) => [c.id, c]));
    assert.equal(byId.get('cos-uv')?.value, '−0.720');
    assert.equal(byId.get('jaccard')?.detail, 'mean over 2,000 sampled of 30,000 tokens');
    assert.equal(byId.get('effective-rank')?.value, '80.1 · 61.5 · 90.0');
    assert.equal(byId.get('anisotropy')?.status, 'warn', 'a narrow cone in V is worth a look');
    assert.ok(cards.every((c) => c.explanation.length > 0));
  });

  it('say what tying implies instead of pairwise figures, keeping the measured self rank and spectra', () => {
    const cards = uvCards(view(true, null));
    const ids = cards.map((c) => c.id);
    assert.ok(ids.includes('self-rank') && ids.includes('effective-rank') && ids.includes('anisotropy'));
    assert.equal(cards.find((c) => c.id === 'cos-uv')?.value, '1');
    assert.equal(cards.find((c) => c.id === 'self-rank')?.value, '37');
  });
});
