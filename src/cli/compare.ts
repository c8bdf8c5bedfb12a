import { matrixWithRole, type Checkpoint, type Matrix } from '../core/checkpoint';
import { compareCheckpoints, neighbourChanges, type CheckpointComparison } from '../core/analysis/compare/checkpoint-compare';
import { checkpointSummary, uvSummary, type CheckpointSummary, type UvSummary } from '../core/analysis/compare/compare-report';
import { compareUV, type UvReport } from '../core/analysis/compare/compare-uv';
import { CheckpointError } from '../core/errors';
import { LookupError } from '../core/token-neighbors';
import { integer } from './args';
import { terminalSafe } from './neighbors';

/** Largest --k for compare: Jaccard@k of lists longer than this says little, and the lists cost k per row. */
const MAX_COMPARE_K = 1000;
/** Tokens shown at each end of the cos(uᵢ, vᵢ) distribution in the text form. */
const SHOWN_EXTREMES = 8;
/** Most-drifted tokens whose neighbour-list changes the text form spells out. */
const SHOWN_CHANGES = 5;

/** What `compare` prints: the schema-1 document and its readable text. */
export interface CompareOutput {
  readonly summary: UvSummary | CheckpointSummary;
  readonly text: string;
}

/**
 * `compare PATH [--against PATH2] [--k 10]`: U against V of one checkpoint, or U against U′ of a second one (opened
 * with `open`, closed here) on the shared vocabulary.
 */
export async function compareCommand(
  checkpoint: Checkpoint,
  flags: Map<string, string>,
  open: (path: string) => Promise<Checkpoint>,
): Promise<CompareOutput> {
  const k = integer(flags, 'k', 10, MAX_COMPARE_K);
  const against = flags.get('against');
  if (against === undefined) return compareOne(checkpoint, k);
  const other = await open(against);
  try {
    return await compareTwo(checkpoint, other, k);
  } finally {
    await other.close();
  }
}

async function compareOne(checkpoint: Checkpoint, k: number): Promise<CompareOutput> {
  const u = inputMatrix(checkpoint);
  const v = matrixWithRole(checkpoint, 'output') ?? (checkpoint.tied ? u : undefined);
  if (v === undefined)
    throw new LookupError(
      'no-matrix',
      `${checkpoint.path}: compare needs an output matrix V beside U; the file has ${matricesOf(checkpoint)} (to compare two checkpoints, add --against PATH2)`,
    );
  if (v.rows !== u.rows || v.cols !== u.cols)
    throw new CheckpointError(
      'unsupported',
      `${checkpoint.path}: U (${u.name}) is ${u.rows}×${u.cols} and V (${v.name}) is ${v.rows}×${v.cols}; U-vs-V metrics need one shape`,
    );
  const uData = await u.load();
  const vData = v === u ? uData : await v.load();
  const report = await compareUV(uData, vData, u.rows, u.cols, { k, tied: checkpoint.tied });
  return { summary: uvSummary(report), text: uvText(report, checkpoint, u, v) };
}

async function compareTwo(first: Checkpoint, second: Checkpoint, k: number): Promise<CompareOutput> {
  const a = inputMatrix(first);
  const b = inputMatrix(second);
  const tokensA = first.vocab.tokens;
  let comparison: CheckpointComparison;
  try {
    comparison = await compareCheckpoints(
      { data: await a.load(), rows: a.rows, cols: a.cols, tokens: tokensA },
      { data: await b.load(), rows: b.rows, cols: b.cols, tokens: second.vocab.tokens },
      { k },
    );
  } catch (error) {
    // The core speaks of "the checkpoints": name them.
    if (error instanceof CheckpointError && error.code === 'unsupported')
      throw new CheckpointError(error.code, `${first.path} against ${second.path}: ${error.message}`);
    throw error;
  }
  const summary = checkpointSummary(comparison, tokensA, a.rows);
  return { summary, text: await checkpointText(comparison, summary, first, second, b.rows) };
}

function inputMatrix(checkpoint: Checkpoint): Matrix {
  const u = matrixWithRole(checkpoint, 'input');
  if (u === undefined)
    throw new LookupError('no-matrix', `${checkpoint.path}: compare needs an input matrix U; the file has ${matricesOf(checkpoint)}`);
  return u;
}

function matricesOf(checkpoint: Checkpoint): string {
  return checkpoint.matrices.map((m) => `${m.name} (${m.role})`).join(', ') || 'none';
}

function uvText(report: UvReport, checkpoint: Checkpoint, u: Matrix, v: Matrix): string {
  const s = uvSummary(report);
  const token = (row: number): string => terminalSafe(checkpoint.vocab.tokens[row] ?? `#${row}`);
  const listed = (rows: Int32Array): string =>
    Array.from(rows.subarray(0, SHOWN_EXTREMES), (row) => `${token(row)} ${number(report.cos[row] as number)}`).join(', ');
  const lines = [
    `U (${u.name}) vs V (${v.name}) of ${checkpoint.path}: ${report.rows} rows × ${report.cols}, k = ${report.k}`,
    report.tied ? '  tied: U and V are one matrix, so cos = 1, Jaccard = 1, CKA = 1 and residual = 0 by construction' : '  tied: no',
    row('mean cos(uᵢ, vᵢ)', number(s.meanCosUV)),
    row('median cos(uᵢ, vᵢ)', number(s.medianCosUV)),
    row(`Jaccard@${report.k}`, `${number(s.jaccardAtK)}  ${sampleNote(s.sampled)}`),
    row('median self rank', `${number(report.medianSelfRank, 0)}  (rank of vᵢ among all V by uᵢ·vⱼ; 1 = best)`),
    row('linear CKA', number(s.linearCKA)),
    row('Procrustes residual', `${number(s.procrustesResidual)}  (0 = V is a rotated U, 2 = unrelated)`),
    row('effective rank', `U ${number(s.effectiveRankU, 2)}  V ${number(s.effectiveRankV, 2)}  U+V ${number(report.effectiveRank.sum, 2)}`),
    row('anisotropy', `U ${number(s.anisotropyU)}  V ${number(s.anisotropyV)}  (mean cos of ${report.anisotropy.u.pairs} row pairs)`),
  ];
  if (!report.tied) lines.push(`highest cos(uᵢ, vᵢ): ${listed(report.highestCos)}`, `lowest cos(uᵢ, vᵢ): ${listed(report.lowestCos)}`);
  return lines.join('\n');
}

async function checkpointText(
  comparison: CheckpointComparison,
  s: CheckpointSummary,
  first: Checkpoint,
  second: Checkpoint,
  rowsB: number,
): Promise<string> {
  const tokensA = first.vocab.tokens;
  const token = (shared: number): string => {
    const row = comparison.shared.rowsA[shared] as number;
    return terminalSafe(tokensA[row] ?? `#${row}`);
  };
  const lines = [
    `U of ${first.path} vs U′ of ${second.path}: ${s.sharedRows} shared tokens (of ${s.rows} and ${rowsB}), ${comparison.cols} columns, k = ${s.k}`,
    s.tied ? '  identical on the shared tokens: drift 0, Jaccard 1, CKA 1, residual 0' : '  U′ aligned to U by orthogonal Procrustes',
    row('mean cos after alignment', number(s.meanCosUV)),
    row('median cos after alignment', number(s.medianCosUV)),
    row(`Jaccard@${s.k}`, `${number(s.jaccardAtK)}  ${sampleNote(s.sampled)}`),
    row('linear CKA', number(s.linearCKA)),
    row('Procrustes residual', number(s.procrustesResidual)),
    row('effective rank', `U ${number(s.effectiveRankU, 2)}  U′ ${number(s.effectiveRankV, 2)}`),
    row('anisotropy', `U ${number(s.anisotropyU)}  U′ ${number(s.anisotropyV)}`),
  ];
  if (s.tied || s.k === 0) return lines.join('\n');
  const shown = s.topDrift.map((entry) => terminalSafe(entry.token));
  const width = Math.max(5, ...shown.map((t) => t.length));
  lines.push('largest drift (1 − cos after alignment):');
  s.topDrift.forEach((entry, i) =>
    lines.push(`${String(i + 1).padStart(4)}. ${(shown[i] as string).padEnd(width)}  ${number(entry.drift)}`),
  );
  const top = comparison.driftOrder.subarray(0, SHOWN_CHANGES);
  const changes = await neighbourChanges(comparison, top);
  lines.push(`neighbour changes of the ${top.length} most-drifted tokens (+ appeared in U′, − gone from U):`);
  for (const change of changes) {
    const plus = Array.from(change.appeared, token).join(', ') || 'none';
    const minus = Array.from(change.disappeared, token).join(', ') || 'none';
    lines.push(`  ${token(change.row)}: + ${plus}; − ${minus}`);
  }
  return lines.join('\n');
}

/** Label column width of the text form. */
const LABEL_WIDTH = 28;

function row(label: string, value: string): string {
  return `  ${label.padEnd(LABEL_WIDTH)}${value}`;
}

function number(value: number | null, digits = 4): string {
  return value === null || !Number.isFinite(value) ? 'n/a' : value.toFixed(digits);
}

function sampleNote(sampled: number | null): string {
  return sampled === null ? '(all rows)' : `(seeded sample of ${sampled} rows)`;
}
