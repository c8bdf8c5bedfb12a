import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compareUV, type UvReport } from '../../../../../src/core/analysis/compare/compare-uv';
import { assertClose, loadPair, truth, type UvCase } from './compare-fixtures';

/**
 * Tolerances against numpy (both sides accumulate in float64 from the same float32 data, in different orders):
 * FLOAT64 for figures computed directly (errors observed ≤ 1e-12); SPECTRUM for singular values (relative to σ₁) and
 * effective ranks, which come from eigenvalues of the Gram matrix and so carry √ε·σ₁ ≈ 1.5e-8 absolute error on
 * singular values that are truly 0; FLOAT32 for per-token values handed out as float32.
 */
const FLOAT64 = 1e-9;
const SPECTRUM = 1e-6;
const FLOAT32 = 2e-7;

/** compareUV of a fixture case with the case's k, seed and sample size. */
async function run(c: UvCase): Promise<UvReport> {
  const { u, v } = await loadPair(c);
  return compareUV(u, v, c.rows, c.cols, { k: c.k, seed: c.seed, sampleRows: c.sampleRows });
}

/** Checks every figure of a report against numpy's; `uniqueRotation` when UᵀV is non-singular (R is then unique). */
function assertMatchesNumpy(report: UvReport, c: UvCase, uniqueRotation: boolean): void {
  assert.equal(report.rows, c.rows);
  assert.equal(report.k, c.k);
  assert.equal(report.tied, false);
  report.cos.forEach((value, row) => assertClose(value, c.cos[row]!, FLOAT32, `cos of row ${row}`));
  assertClose(report.meanCos, c.meanCos, FLOAT64, 'mean cos');
  assertClose(report.medianCos, c.medianCos, FLOAT64, 'median cos');
  assert.deepEqual(report.sample === null ? null : Array.from(report.sample), c.sample);
  const queries = c.sample ?? Array.from({ length: c.rows }, (_, i) => i);
  const rankFragile = new Set(c.selfRankFragile);
  const jaccardFragile = new Set(c.jaccardFragile);
  queries.forEach((row, q) => {
    if (!rankFragile.has(row)) assert.equal(report.selfRank[row], c.selfRank[q], `self rank of row ${row}`);
    if (!jaccardFragile.has(row)) assertClose(report.jaccard[row]!, c.jaccard[q]!, FLOAT32, `Jaccard of row ${row}`);
  });
  // A row whose k-th and (k+1)-th neighbours are closer than float32 can order may legitimately differ, by at most 1.
  assertClose(report.meanJaccard, c.meanJaccard, FLOAT64 + jaccardFragile.size / queries.length, 'mean Jaccard');
  assertClose(report.linearCka, c.linearCka, FLOAT64, 'linear CKA');
  assertClose(report.procrustesResidual, c.procrustesResidual, FLOAT64, 'Procrustes residual');
  if (uniqueRotation) report.rotation.forEach((value, i) => assertClose(value, c.rotation[i]!, FLOAT64, `rotation entry ${i}`));
  for (const key of ['u', 'v', 'sum'] as const) {
    const reference = c.singularValues[key];
    report.singularValues[key].forEach((sigma, i) =>
      assertClose(sigma / reference[0]!, reference[i]! / reference[0]!, SPECTRUM, `σ${i} of ${key}`),
    );
    assertClose(report.effectiveRank[key], c.effectiveRank[key], SPECTRUM, `effective rank of ${key}`);
  }
  assertClose(report.anisotropy.u.mean, c.anisotropy.u, FLOAT64, 'anisotropy of U');
  assertClose(report.anisotropy.v.mean, c.anisotropy.v, FLOAT64, 'anisotropy of V');
  assert.equal(report.anisotropy.u.pairs, c.anisotropy.pairs);
}

describe('compareUV against numpy', () => {
  it('matches every figure of a noisy rotated pair, all rows, with 100,000 seeded anisotropy pairs', async () => {
    const c = truth.cases['pair']!;
    const report = await run(c);
    assertMatchesNumpy(report, c, true);
    assert.equal(report.anisotropy.u.sampled, true);
  });

  it('matches on a seeded sample of query rows and reports the rows used', async () => {
    const c = truth.cases['pair-sampled']!;
    const report = await run(c);
    assertMatchesNumpy(report, c, true);
    assert.equal(report.sample?.length, 150);
    // Rows outside the sample carry no Jaccard (NaN) and no self rank (0).
    const inSample = new Set(c.sample);
    const outside = Array.from({ length: c.rows }, (_, i) => i).filter((row) => !inSample.has(row));
    assert.ok(outside.every((row) => Number.isNaN(report.jaccard[row]) && report.selfRank[row] === 0));
  });

  it('matches on rank-deficient matrices (duplicated and zero columns), where the rotation is not unique', async () => {
    const c = truth.cases['rankdef']!;
    const report = await run(c);
    assertMatchesNumpy(report, c, false);
    assert.equal(report.anisotropy.u.sampled, false, '200 rows have 19,900 pairs: all are used');
  });

  it('matches when UᵀV has tied singular values, and V = U·R leaves no residual', async () => {
    const c = truth.cases['ties']!;
    const report = await run(c);
    assertMatchesNumpy(report, c, true);
    assert.ok(report.procrustesResidual < 1e-12);
  });

  it("matches on gensim's Word2Vec (wv.vectors against syn1neg)", async () => {
    const c = truth.cases['gensim']!;
    assertMatchesNumpy(await run(c), c, true);
  });

  it("matches on a seeded 300-row sample of gensim's Word2Vec", async () => {
    const c = truth.cases['gensim-sampled']!;
    assertMatchesNumpy(await run(c), c, true);
  });

  it('lists the extremes of cos(uᵢ, vᵢ) in order, highest and lowest', async () => {
    const c = truth.cases['pair']!;
    const report = await run(c);
    const byCos = Array.from({ length: c.rows }, (_, i) => i).sort((i, j) => c.cos[j]! - c.cos[i]! || i - j);
    assert.deepEqual(Array.from(report.highestCos), byCos.slice(0, report.highestCos.length));
    assert.deepEqual(Array.from(report.lowestCos), byCos.reverse().slice(0, report.lowestCos.length));
  });
});
