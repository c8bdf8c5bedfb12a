import { vocabularySize } from '../core/checkpoint';
import { exactNeighbors } from '../core/neighbors';
import { describeCheckpoint } from '../core/summary';
import { pca } from '../core/analysis/pca';
import { frequencyShade } from '../core/view/frequency-shade';
import { packTokens } from '../core/view/token-table';
import type { RowNeighbors, ViewData } from '../protocol/worker';
import type { OpenedCheckpoint } from './open-checkpoints';

/** Seed of the PCA row sample: fixed so a checkpoint always gets the same picture. */
const PROJECTION_SEED = 1;

/** The panel's first view of a checkpoint: tokens, shading and a PCA of U, as exact-size buffers. */
export async function openView(
  opened: OpenedCheckpoint,
  signal: AbortSignal,
  progress: (message: string, fraction?: number) => void,
  /** When the request arrived (performance.now()): eager formats read the whole file while opening. */
  started: number,
): Promise<ViewData> {
  const { checkpoint } = opened;
  const first = opened.inputMatrix;
  progress(first ? `Loading ${first.name} (${first.rows.toLocaleString('en-US')}×${first.cols})` : 'Loading');
  const { matrix, data } = await opened.input(signal);
  const loaded = performance.now();
  progress(`Projecting ${matrix.rows.toLocaleString('en-US')} rows (PCA)`);
  const result = await pca(data, matrix.rows, matrix.cols, {
    components: 2,
    seed: PROJECTION_SEED,
    signal,
    onProgress: (fraction) => progress('Projecting (PCA)', fraction),
  });
  const projected = performance.now();
  const rows = Math.min(matrix.rows, vocabularySize(checkpoint.vocab));
  const tokens = packTokens(checkpoint.vocab.tokens, rows);
  const counts = checkpoint.vocab.counts;
  const shade = counts ? frequencyShade(counts, rows) : null;
  const xy = exactCopy(result.coords.subarray(0, rows * 2));
  const view: ViewData = {
    description: describeCheckpoint(checkpoint),
    tokens: { utf8: exactCopy(tokens.utf8), ends: exactCopy(tokens.ends) },
    shade: shade ? exactCopy(shade) : null,
    xy,
    projection: {
      method: 'pca',
      matrix: matrix.name,
      rows,
      explainedVarianceRatio: result.explainedVarianceRatio,
      fittedRows: result.fittedRows,
      loadMs: Math.round(loaded - started),
      projectMs: Math.round(projected - loaded),
    },
  };
  return view;
}

/** A row's neighbours in U and V (cosine, the row left out) and across (V's rows by uᵢ·v). */
export async function rowNeighbors(opened: OpenedCheckpoint, row: number, k: number): Promise<RowNeighbors> {
  const input = await opened.input();
  const cols = input.matrix.cols;
  if (!Number.isInteger(row) || row < 0 || row >= input.matrix.rows) {
    throw new RangeError(`row ${row} is outside the ${input.matrix.rows} rows of ${input.matrix.name}`);
  }
  const own = input.data.subarray(row * cols, (row + 1) * cols);
  const inU = exactNeighbors(input.data, cols, own, k, 'cosine', row);
  const output = await opened.output();
  if (!output || row >= output.matrix.rows) return { row, input: inU, output: null, cross: null };
  const v = output.data;
  const vCols = output.matrix.cols;
  const inV = exactNeighbors(v, vCols, v.subarray(row * vCols, (row + 1) * vCols), k, 'cosine', row);
  const cross = vCols === cols ? exactNeighbors(v, cols, own, k, 'dot', -1) : null;
  return { row, input: inU, output: inV, cross };
}

/** A copy with its own exact-size buffer (a view over a larger buffer would ship the whole backing store). */
function exactCopy(view: Float32Array | Uint8Array | Uint32Array): ArrayBuffer {
  return view.slice().buffer as ArrayBuffer;
}
