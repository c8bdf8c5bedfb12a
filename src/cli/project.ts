import type { Checkpoint } from '../core/checkpoint';
import { matrixWithRole } from '../core/checkpoint';
import { CheckpointError } from '../core/errors';
import { runProjection, type ProjectionOutput, type ProjectionSource } from '../core/analysis/projection';
import type { ProjectionFacts, ProjectionRequest } from '../core/analysis/projection-types';
import { coordinatesCsv } from '../core/export/coordinates';
import { csvRecord, csvText } from '../core/export/csv';
import { csvNumberText } from '../core/export/number-text';

/** `project --json` / `--out FILE.json` document (schema 1). */
export interface ProjectResult {
  readonly schema: 1;
  readonly path: string;
  readonly method: 'umap' | 'pca';
  readonly dims: 2 | 3;
  /** input: U; output: V; joint: U and V together (each token twice). */
  readonly matrix: ProjectionRequest['space'];
  readonly seed: number;
  readonly rows: number;
  /** Share of each point's k original-space cosine neighbours among its k layout neighbours; null when not measured. */
  readonly preservation: ProjectionFacts['preservation'];
  readonly explainedVarianceRatio: readonly number[];
  readonly epochs: number;
  readonly seconds: number;
  /** One entry per point: the token, its vocabulary row, which matrix (joint only), and its coordinates. */
  readonly points: { token: string; row: number; matrix?: 'U' | 'V'; x: number; y: number; z?: number }[];
}

/** Loads the matrices a request needs and projects them. */
export async function projectCheckpoint(
  checkpoint: Checkpoint,
  request: ProjectionRequest,
  progress: (message: string, fraction?: number) => void,
): Promise<ProjectionOutput> {
  const input = matrixWithRole(checkpoint, 'input') ?? checkpoint.matrices[0];
  if (!input) throw new CheckpointError('no-embedding', `${checkpoint.path}: expected an embedding matrix, found none`);
  const output = request.space === 'input' ? undefined : matrixWithRole(checkpoint, 'output');
  const source: ProjectionSource = {
    path: checkpoint.path,
    tokens: checkpoint.vocab.tokens,
    counts: checkpoint.vocab.counts,
    input: { name: input.name, data: await input.load(), rows: input.rows, cols: input.cols },
    output: output ? { name: output.name, data: await output.load(), rows: output.rows, cols: output.cols } : null,
  };
  return runProjection(source, request, { onProgress: progress });
}

/** The projection as the schema-1 JSON document. */
export function projectJson(path: string, tokens: readonly string[], output: ProjectionOutput, seconds: number): ProjectResult {
  const { facts, coords, rows } = output;
  const dims = facts.dims;
  const half = facts.space === 'joint' ? rows.length / 2 : Infinity;
  return {
    schema: 1,
    path,
    method: facts.method === 'umap' ? 'umap' : 'pca',
    dims,
    matrix: facts.space,
    seed: facts.seed,
    rows: rows.length,
    preservation: facts.preservation,
    explainedVarianceRatio: facts.explainedVarianceRatio,
    epochs: facts.epochs,
    seconds: Math.round(seconds * 1000) / 1000,
    points: Array.from(rows, (row, i) => ({
      token: tokens[row] ?? `#${row}`,
      row,
      ...(half === Infinity ? {} : { matrix: i < half ? ('U' as const) : ('V' as const) }),
      x: coords[i * dims] as number,
      y: coords[i * dims + 1] as number,
      ...(dims === 3 ? { z: coords[i * dims + 2] as number } : {}),
    })),
  };
}

/** The projection as CSV: `token,x,y[,z]`, with a `matrix` column (U or V) after the token in a joint layout. */
export function projectCsv(tokens: readonly string[], output: ProjectionOutput): string {
  const { rows, facts, coords } = output;
  if (facts.space !== 'joint') {
    return coordinatesCsv({ tokens: (point) => tokens[rows[point] as number] ?? `#${rows[point]}`, coords, dims: facts.dims });
  }
  const half = rows.length / 2;
  const axes = facts.dims === 3 ? ['x', 'y', 'z'] : ['x', 'y'];
  const records = [csvRecord(['token', 'matrix', ...axes])];
  for (let point = 0; point < rows.length; point++) {
    const row = rows[point] as number;
    const fields = [csvText(tokens[row] ?? `#${row}`), point < half ? 'U' : 'V'];
    for (let d = 0; d < facts.dims; d++) fields.push(csvNumberText(coords[point * facts.dims + d] as number));
    records.push(csvRecord(fields));
  }
  return records.join('');
}
