import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  compareCheckpoints,
  neighbourChanges,
  sharedVocabulary,
  type CheckpointComparison,
  type EmbeddingTable,
} from '../../../../../src/core/analysis/compare/checkpoint-compare';
import { checkpointSummary } from '../../../../../src/core/analysis/compare/compare-report';
import { fillGaussian } from '../../../../../src/core/analysis/seeded-random';
import type { CheckpointError } from '../../../../../src/core/errors';
import { seededRandom } from '../../../helpers';
import { assertClose, loadTable, truth, type CheckpointCase } from './compare-fixtures';

/** Float64 figures against numpy (errors observed ≤ 1e-12); effective ranks carry the Gram route's √ε (see compare-uv.test). */
const FLOAT64 = 1e-9;
const SPECTRUM = 1e-6;

function assertMatchesNumpy(result: CheckpointComparison, c: CheckpointCase): void {
  assert.equal(result.sharedRows, c.sharedRows);
  assert.deepEqual(Array.from(result.shared.rowsA), c.rowsA);
  assert.deepEqual(Array.from(result.shared.rowsB), c.rowsB);
  assert.equal(result.k, c.k);
  result.drift.forEach((drift, i) => assertClose(drift, c.drift[i]!, FLOAT64, `drift of shared row ${i}`));
  assert.deepEqual(Array.from(result.driftOrder.subarray(0, 50)), c.driftOrder.slice(0, 50));
  assertClose(result.meanAlignedCos, c.meanAlignedCos, FLOAT64, 'mean aligned cos');
  assertClose(result.medianAlignedCos, c.medianAlignedCos, FLOAT64, 'median aligned cos');
  result.rotation.forEach((value, i) => assertClose(value, c.rotation[i]!, FLOAT64, `rotation entry ${i}`));
  assertClose(result.linearCka, c.linearCka, FLOAT64, 'linear CKA');
  assertClose(result.procrustesResidual, c.procrustesResidual, FLOAT64, 'Procrustes residual');
  const fragile = new Set(c.jaccardFragile);
  const queries = result.sample === null ? Array.from({ length: c.sharedRows }, (_, i) => i) : Array.from(result.sample);
  queries.forEach((row, q) => fragile.has(row) || assertClose(result.jaccard[row]!, c.jaccard[q]!, 2e-7, `Jaccard of row ${row}`));
  assertClose(result.meanJaccard, c.meanJaccard, FLOAT64 + fragile.size / queries.length, 'mean Jaccard');
  assertClose(result.effectiveRank.a, c.effectiveRank.a, SPECTRUM, 'effective rank of A');
  assertClose(result.effectiveRank.b, c.effectiveRank.b, SPECTRUM, 'effective rank of B');
  assertClose(result.anisotropy.a.mean, c.anisotropy.a, FLOAT64, 'anisotropy of A');
  assertClose(result.anisotropy.b.mean, c.anisotropy.b, FLOAT64, 'anisotropy of B');
}

/** A token-labelled Gaussian table. */
function table(rows: number, cols: number, seed: number, prefix = 'w'): EmbeddingTable {
  const values = new Float64Array(rows * cols);
  fillGaussian(values, seededRandom(seed));
  return { data: Float32Array.from(values), rows, cols, tokens: Array.from({ length: rows }, (_, i) => `${prefix}${i}`) };
}

/** scale·A·R + shift for a rotation R in the plane of columns 0 and 1, with the rows (and tokens) in another order. */
function rotatedCopy(a: EmbeddingTable, scale: number, shift: number): EmbeddingTable {
  const { rows, cols } = a;
  const [c, s] = [Math.cos(0.9), Math.sin(0.9)];
  const order = Array.from({ length: rows }, (_, i) => (i * 37) % rows); // 37 is coprime to the row counts used
  const data = new Float32Array(rows * cols);
  order.forEach((source, row) => {
    const x = (col: number): number => a.data[source * cols + col] as number;
    for (let col = 0; col < cols; col++) {
      const rotated = col === 0 ? c * x(0) - s * x(1) : col === 1 ? s * x(0) + c * x(1) : x(col);
      data[row * cols + col] = scale * rotated + shift;
    }
  });
  return { data, rows, cols, tokens: order.map((source) => a.tokens[source] as string) };
}

describe('compareCheckpoints against numpy', () => {
  it('aligns B to A on the shared tokens and matches drift, rotation, CKA, residual, Jaccard, ranks and anisotropy', async () => {
    const c = truth.cases['checkpoints']!;
    const result = await compareCheckpoints(await loadTable(c.a), await loadTable(c.b));
    assertMatchesNumpy(result, c);
    assert.equal(result.identical, false);
  });

  it('matches on a seeded sample of shared rows with another k', async () => {
    const c = truth.cases['checkpoints-sampled']!;
    const result = await compareCheckpoints(await loadTable(c.a), await loadTable(c.b), { sampleRows: 120, seed: 5, k: 8 });
    assertMatchesNumpy(result, c);
    assert.equal(result.sample?.length, 120);
  });

  it('puts the token that was moved away at the top of the drift ranking, in the schema-1 summary too', async () => {
    const c = truth.cases['checkpoints']!;
    const a = await loadTable(c.a);
    const summary = checkpointSummary(await compareCheckpoints(a, await loadTable(c.b)), a.tokens, a.rows);
    assert.equal(summary.topDrift[0]?.token, '\u001b[31mred');
    assert.deepEqual(
      summary.topDrift.map((entry) => entry.token),
      c.topDrift.map((entry) => entry.token),
    );
    summary.topDrift.forEach((entry, i) => assertClose(entry.drift, c.topDrift[i]!.drift, FLOAT64, `top drift ${i}`));
  });
});

describe('compareCheckpoints: properties', () => {
  it('finds no drift when U′ is a rotated, scaled, shifted copy of U with its tokens in another order', async () => {
    const a = table(150, 6, 1);
    const result = await compareCheckpoints(a, rotatedCopy(a, 4, 1.5), { k: 5 });
    assert.equal(result.sharedRows, 150);
    assert.ok(
      result.drift.every((drift) => Math.abs(drift) < 1e-10),
      `largest drift ${Math.max(...result.drift)}`,
    );
    assert.ok(result.procrustesResidual < 1e-12);
    assert.ok(Math.abs(result.linearCka - 1) < 1e-9);
    // Cosine neighbours are not shift-invariant; without the shift they are kept exactly.
    const unshifted = await compareCheckpoints(a, rotatedCopy(a, 4, 0), { k: 5 });
    assert.equal(unshifted.meanJaccard, 1);
  });

  it('gives the implied values when both checkpoints hold the same numbers', async () => {
    const a = table(80, 5, 2);
    const result = await compareCheckpoints(a, { ...a, data: Float32Array.from(a.data) });
    assert.equal(result.identical, true);
    assert.ok(result.drift.every((drift) => drift === 0));
    assert.equal(result.linearCka, 1);
    assert.equal(result.procrustesResidual, 0);
    assert.ok(Number.isFinite(result.effectiveRank.a) && result.effectiveRank.a === result.effectiveRank.b);
  });

  it('lists which neighbours appeared and disappeared for a token', async () => {
    const a = table(60, 4, 3);
    const data = Float32Array.from(a.data);
    data.set(a.data.subarray(10 * 4, 11 * 4), 0); // row 0 of B takes row 10's vector: its neighbourhood changes
    const result = await compareCheckpoints(a, { ...a, data }, { k: 5 });
    const [change] = await neighbourChanges(result, Int32Array.of(0));
    assert.equal(change?.row, 0);
    assert.equal(change!.kept.length + change!.appeared.length, 5);
    assert.equal(change!.kept.length + change!.disappeared.length, 5);
    assert.ok(change!.appeared.length > 0);
    assert.ok(Array.from(change!.appeared).every((row) => !Array.from(change!.kept).includes(row)));
  });

  it('matches tokens by string, keeping A’s order and the first of any repeated token', () => {
    const shared = sharedVocabulary(['a', 'b', 'c', 'b', 'd'], 5, ['d', 'x', 'b', 'a', 'b'], 5);
    assert.deepEqual(Array.from(shared.rowsA), [0, 1, 4]);
    assert.deepEqual(Array.from(shared.rowsB), [3, 2, 0]);
  });

  it('refuses checkpoints of different widths and checkpoints without a shared token', async () => {
    await assert.rejects(
      compareCheckpoints(table(10, 4, 4), table(10, 6, 5)),
      (error: CheckpointError) =>
        error.code === 'unsupported' && /have 4 and 6 columns; aligning them .* needs equal dimensions/.test(error.message),
    );
    await assert.rejects(
      compareCheckpoints(table(10, 4, 4), table(10, 4, 5, 'z')),
      (error: CheckpointError) => error.code === 'unsupported' && /share no token/.test(error.message),
    );
  });
});
