import { matrixWithRole, type Checkpoint, type Matrix } from './checkpoint';
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

/**
 * Where a token's neighbours are looked for: among U's rows by uᵢ ('input'), among V's rows by vᵢ ('output'), or
 * among V's rows by uᵢ ('cross': the contexts the model predicts for the token, as uᵢ·V scores them in SGNS).
 */
export type NeighborSpace = 'input' | 'output' | 'cross';

/** A token's neighbours by token string. */
export interface TokenNeighbors {
  readonly token: string;
  readonly neighbors: { token: string; score: number }[];
}

/**
 * Exact top-k neighbours of a token. In U and in V the token itself is left out; across (uᵢ against V) it is not,
 * since vᵢ is a context like any other.
 */
export async function neighborsOfToken(
  checkpoint: Checkpoint,
  token: string,
  k: number,
  space: NeighborSpace,
  metric: Metric,
  signal?: AbortSignal,
): Promise<TokenNeighbors> {
  const searched = requireMatrix(checkpoint, space === 'input' ? 'input' : 'output', space);
  const queried = space === 'cross' ? requireMatrix(checkpoint, 'input', space) : searched;
  if (queried.cols !== searched.cols) {
    throw new LookupError(
      'no-matrix',
      `${checkpoint.path}: --matrix cross expected U and V of equal width, found ${queried.cols} and ${searched.cols}`,
    );
  }
  const tokens = checkpoint.vocab.tokens;
  const row = tokens.indexOf(token);
  const rows = Math.min(queried.rows, searched.rows);
  if (row < 0 || row >= rows) {
    const suggestions = nearestSpellings(tokens.slice(0, rows), token, 5);
    throw new LookupError(
      'unknown-token',
      `${checkpoint.path}: token "${token}" is not in the vocabulary of ${rows} rows${suggestions.length ? `; nearest spellings: ${suggestions.join(', ')}` : ''}`,
    );
  }
  const data = await searched.load(signal);
  const source = queried === searched ? data : await queried.load(signal);
  const cols = searched.cols;
  const found = exactNeighbors(
    data.subarray(0, searched.rows * cols),
    cols,
    source.subarray(row * cols, (row + 1) * cols),
    k,
    metric,
    space === 'cross' ? -1 : row,
  );
  const neighbors = found.map((hit) => ({ token: tokens[hit.row] ?? `#${hit.row}`, score: hit.score }));
  return { token, neighbors };
}

function requireMatrix(checkpoint: Checkpoint, role: 'input' | 'output', space: NeighborSpace): Matrix {
  const matrix = matrixWithRole(checkpoint, role);
  if (matrix) return matrix;
  const has = checkpoint.matrices.map((m) => `${m.name} (${m.role})`).join(', ') || 'none';
  const wanted = space === 'cross' ? 'an input and an output matrix' : `an ${role} matrix`;
  throw new LookupError('no-matrix', `${checkpoint.path}: --matrix ${space} expected ${wanted}, the file has ${has}`);
}
