import type { Checkpoint, Role } from '../core/checkpoint';
import type { Metric } from '../core/neighbors';
import { neighborsOfToken } from '../core/token-neighbors';

/** `neighbors --json` document (schema 1). */
export interface NeighborsResult {
  readonly schema: 1;
  readonly token: string;
  readonly matrix: Role;
  readonly metric: Metric;
  readonly neighbors: { token: string; score: number }[];
}

/** Exact top-k neighbours of a token in U or V as the CLI's schema-1 document. */
export async function neighborsOf(
  checkpoint: Checkpoint,
  token: string,
  k: number,
  role: 'input' | 'output',
  metric: Metric,
): Promise<NeighborsResult> {
  const { neighbors } = await neighborsOfToken(checkpoint, token, k, role, metric);
  return { schema: 1, token, matrix: role, metric, neighbors };
}

/** The neighbour list as aligned text. */
export function neighborsText(result: NeighborsResult): string {
  const width = Math.max(5, ...result.neighbors.map((n) => n.token.length));
  return [
    `${result.neighbors.length} nearest to "${result.token}" in ${result.matrix === 'input' ? 'U (input)' : 'V (output)'} by ${result.metric}:`,
    ...result.neighbors.map((n, i) => `${String(i + 1).padStart(3)}. ${n.token.padEnd(width)}  ${n.score.toFixed(4)}`),
  ].join('\n');
}
