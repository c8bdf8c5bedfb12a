import { matrixWithRole, type Checkpoint } from './checkpoint';
import { exactNeighbors, nearestSpellings, type Metric } from './neighbors';

/** A query that cannot be answered from this checkpoint: an unknown token, or a matrix it does not have. */
export class LookupError extends Error {
  override readonly name = 'LookupError';
  constructor(
    readonly code: 'unknown-token' | 'no-matrix',
    message: string,
  ) {
    super(message);
  }
}

/** A token's neighbours by token string. */
export interface TokenNeighbors {
  readonly token: string;
  readonly neighbors: { token: string; score: number }[];
}

/** Exact top-k neighbours of a token in U ('input') or V ('output'), excluding the token itself. */
export async function neighborsOfToken(
  checkpoint: Checkpoint,
  token: string,
  k: number,
  role: 'input' | 'output',
  metric: Metric,
  signal?: AbortSignal,
): Promise<TokenNeighbors> {
  const matrix = matrixWithRole(checkpoint, role);
  if (!matrix) {
    const has = checkpoint.matrices.map((m) => `${m.name} (${m.role})`).join(', ') || 'none';
    throw new LookupError('no-matrix', `${checkpoint.path}: --matrix ${role} expected an ${role} matrix, the file has ${has}`);
  }
  const tokens = checkpoint.vocab.tokens;
  const row = tokens.indexOf(token);
  if (row < 0 || row >= matrix.rows) {
    const suggestions = nearestSpellings(tokens.slice(0, matrix.rows), token, 5);
    throw new LookupError(
      'unknown-token',
      `${checkpoint.path}: token "${token}" is not in the vocabulary of ${matrix.rows} rows${suggestions.length ? `; nearest spellings: ${suggestions.join(', ')}` : ''}`,
    );
  }
  const data = await matrix.load(signal);
  const query = data.subarray(row * matrix.cols, (row + 1) * matrix.cols);
  const found = exactNeighbors(data, matrix.cols, query, k, metric, row);
  return { token, neighbors: found.map((hit) => ({ token: tokens[hit.row] ?? `#${hit.row}`, score: hit.score })) };
}
