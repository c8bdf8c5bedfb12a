import { matrixWithRole, type Checkpoint, type Role } from '../core/checkpoint';
import { exactNeighbors, nearestSpellings, type Metric } from '../core/neighbors';
import { UsageError } from './args';

/** `neighbors --json` document (schema 1). */
export interface NeighborsResult {
  readonly schema: 1;
  readonly token: string;
  readonly matrix: Role;
  readonly metric: Metric;
  readonly neighbors: { token: string; score: number }[];
}

/** A token the vocabulary does not have; the CLI exits non-zero with the suggestions. */
export class UnknownTokenError extends Error {}

/** Exact top-k neighbours of a token in U or V, excluding the token itself. */
export async function neighborsOf(
  checkpoint: Checkpoint,
  token: string,
  k: number,
  role: 'input' | 'output',
  metric: Metric,
): Promise<NeighborsResult> {
  const matrix = matrixWithRole(checkpoint, role);
  if (!matrix) {
    throw new UsageError(
      `${checkpoint.path}: --matrix ${role} expected an ${role} matrix, the file has ${checkpoint.matrices.map((m) => `${m.name} (${m.role})`).join(', ') || 'none'}`,
    );
  }
  const tokens = checkpoint.vocab.tokens;
  const row = tokens.indexOf(token);
  if (row < 0 || row >= matrix.rows) {
    const suggestions = nearestSpellings(tokens.slice(0, matrix.rows), token, 5);
    throw new UnknownTokenError(
      `${checkpoint.path}: token "${token}" is not in the vocabulary of ${matrix.rows} rows${suggestions.length ? `; nearest spellings: ${suggestions.join(', ')}` : ''}`,
    );
  }
  const data = await matrix.load();
  const query = data.subarray(row * matrix.cols, (row + 1) * matrix.cols);
  const found = exactNeighbors(data, matrix.cols, query, k, metric, row);
  return {
    schema: 1,
    token,
    matrix: role,
    metric,
    neighbors: found.map((hit) => ({ token: tokens[hit.row] ?? `#${hit.row}`, score: hit.score })),
  };
}

/** The neighbour list as aligned text. */
export function neighborsText(result: NeighborsResult): string {
  const width = Math.max(5, ...result.neighbors.map((n) => n.token.length));
  return [
    `${result.neighbors.length} nearest to "${result.token}" in ${result.matrix === 'input' ? 'U (input)' : 'V (output)'} by ${result.metric}:`,
    ...result.neighbors.map((n, i) => `${String(i + 1).padStart(3)}. ${n.token.padEnd(width)}  ${n.score.toFixed(4)}`),
  ].join('\n');
}
