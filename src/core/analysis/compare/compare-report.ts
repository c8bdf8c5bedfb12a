import type { CheckpointComparison } from './checkpoint-compare';
import type { UvReport } from './compare-uv';

/**
 * `compare --json` for one checkpoint (schema 1): U against V. Non-finite numbers (a metric undefined for the data,
 * such as CKA of a constant matrix) are written as null.
 */
export interface UvSummary {
  readonly schema: 1;
  /** Rows compared (U's vocabulary rows). */
  readonly rows: number;
  /** Neighbours per list in jaccardAtK (the requested k capped at rows − 1). */
  readonly k: number;
  /** U and V are one matrix: the pairwise metrics below are the values tying implies. */
  readonly tied: boolean;
  /** Mean and median over rows of cos(uᵢ, vᵢ). */
  readonly meanCosUV: number | null;
  readonly medianCosUV: number | null;
  /** Mean over the rows used of |N_U(i) ∩ N_V(i)| / |N_U(i) ∪ N_V(i)|, N_X(i) the exact cosine top-k of row i in X excluding i. */
  readonly jaccardAtK: number | null;
  /** ‖VᵀU‖²_F / (‖UᵀU‖_F ‖VᵀV‖_F) on column-centred U, V. */
  readonly linearCKA: number | null;
  /** Centred, unit-Frobenius U and V: min over orthogonal R of ‖U R − V‖²_F = 2 − 2·(sum of singular values of UᵀV). */
  readonly procrustesResidual: number | null;
  /** exp of the entropy of the normalised singular values (Roy & Vetterli 2007) of U and of V (uncentred). */
  readonly effectiveRankU: number | null;
  readonly effectiveRankV: number | null;
  /** Mean cosine of pairs of distinct rows: all pairs up to 100,000, else 100,000 seeded random pairs (the same for U and V). */
  readonly anisotropyU: number | null;
  readonly anisotropyV: number | null;
  /** Rows in the seeded sample jaccardAtK (and self rank) used, or null when every row was used. */
  readonly sampled: number | null;
}

/**
 * `compare --against --json` (schema 1): the same keys for U (first checkpoint) against U′ (second) on the shared
 * vocabulary — `rows` stays the first checkpoint's row count; meanCosUV/medianCosUV are cosines after aligning U′ to U
 * (1 − drift); tied means the two matrices hold the same numbers on the shared rows — plus the shared count and the
 * tokens that drifted most.
 */
export interface CheckpointSummary extends UvSummary {
  /** Tokens in both vocabularies. */
  readonly sharedRows: number;
  /** The TOP_DRIFT tokens with the largest drift = 1 − cos(uᵢ − μ, (u′ᵢ − μ′)·R), largest first. */
  readonly topDrift: { token: string; drift: number }[];
}

/** Tokens listed in `topDrift`. */
export const TOP_DRIFT = 20;

/** The schema-1 document of a U-vs-V report, keys in the documented order. */
export function uvSummary(report: UvReport): UvSummary {
  return {
    schema: 1,
    rows: report.rows,
    k: report.k,
    tied: report.tied,
    meanCosUV: finite(report.meanCos),
    medianCosUV: finite(report.medianCos),
    jaccardAtK: finite(report.meanJaccard),
    linearCKA: finite(report.linearCka),
    procrustesResidual: finite(report.procrustesResidual),
    effectiveRankU: finite(report.effectiveRank.u),
    effectiveRankV: finite(report.effectiveRank.v),
    anisotropyU: finite(report.anisotropy.u.mean),
    anisotropyV: finite(report.anisotropy.v.mean),
    sampled: report.sample === null ? null : report.sample.length,
  };
}

/** The schema-1 document of a checkpoint comparison; `tokensA` are the first checkpoint's tokens, `rowsA` its rows. */
export function checkpointSummary(comparison: CheckpointComparison, tokensA: readonly string[], rowsA: number): CheckpointSummary {
  return {
    schema: 1,
    rows: rowsA,
    k: comparison.k,
    tied: comparison.identical,
    meanCosUV: finite(comparison.meanAlignedCos),
    medianCosUV: finite(comparison.medianAlignedCos),
    jaccardAtK: finite(comparison.meanJaccard),
    linearCKA: finite(comparison.linearCka),
    procrustesResidual: finite(comparison.procrustesResidual),
    effectiveRankU: finite(comparison.effectiveRank.a),
    effectiveRankV: finite(comparison.effectiveRank.b),
    anisotropyU: finite(comparison.anisotropy.a.mean),
    anisotropyV: finite(comparison.anisotropy.b.mean),
    sampled: comparison.sample === null ? null : comparison.sample.length,
    sharedRows: comparison.sharedRows,
    topDrift: Array.from(comparison.driftOrder.subarray(0, TOP_DRIFT), (shared) => ({
      token: tokensA[comparison.shared.rowsA[shared] as number] ?? `#${comparison.shared.rowsA[shared]}`,
      drift: comparison.drift[shared] as number,
    })),
  };
}

function finite(value: number): number | null {
  return Number.isFinite(value) ? value : null;
}
