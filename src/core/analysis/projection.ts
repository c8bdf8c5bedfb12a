import { axisTitle } from './axis-title';
import type { Preservation, ProjectionFacts, ProjectionRequest } from './projection-types';
import { CheckpointError } from '../errors';
import { LookupError } from '../token-neighbors';
import type { KnnGraph } from './knn';
import { topK } from './knn';
import { approximateKnn } from './nn-descent';
import { pca } from './pca';
import { customAxes } from './custom-axes';
import { neighborhoodPreservation } from './preservation';
import { seededRandom, sortedSample } from './seeded-random';
import { runUmap } from './umap/umap';
import { gatherRows, topRows } from './row-selection';

/** A matrix in memory, as the projection reads it. */
export interface LoadedMatrix {
  readonly name: string;
  readonly data: Float32Array;
  readonly rows: number;
  readonly cols: number;
}

/** What a projection is computed from. */
export interface ProjectionSource {
  /** Names the checkpoint in error messages. */
  readonly path: string;
  readonly tokens: readonly string[];
  readonly counts: readonly number[] | undefined;
  readonly input: LoadedMatrix;
  readonly output: LoadedMatrix | null;
}

/** A computed projection: coordinates and the vocabulary row of each point. */
export interface ProjectionOutput {
  /** `dims` values per point. */
  readonly coords: Float32Array;
  /** Vocabulary row per point; a joint layout lists the rows for U, then again for V. */
  readonly rows: Int32Array;
  readonly facts: ProjectionFacts;
}

/** Hooks of a running projection. */
export interface ProjectionHooks {
  readonly signal?: AbortSignal;
  /** What is happening, and how far along (0–1) when known. */
  onProgress?(message: string, fraction?: number): void;
  /** A partial layout (UMAP, while it optimises): `dims` values per point, and the vocabulary row of each point. */
  onStep?(epoch: number, epochs: number, coords: Float32Array, rows: Int32Array): void;
}

/** Default seed: the same picture every time for the same request. */
export const DEFAULT_PROJECTION_SEED = 1;

/** The points a request places and their vectors: U's rows, V's, or both (unit length, so U and V are comparable). */
export function projectionPoints(
  source: ProjectionSource,
  request: ProjectionRequest,
): { rows: Int32Array; data: Float32Array; cols: number; matrices: string[] } {
  checkRequest(request);
  const { input, output } = source;
  if (request.space !== 'input' && !output) {
    throw new CheckpointError(
      'no-embedding',
      `${source.path}: expected an output matrix V for this view, the checkpoint has only ${input.name}`,
    );
  }
  if (request.space === 'joint' && output && output.cols !== input.cols) {
    throw new CheckpointError(
      'no-embedding',
      `${source.path}: a joint layout expected U and V of equal width, found ${input.cols} and ${output.cols}`,
    );
  }
  const available = Math.min(request.space === 'input' ? input.rows : Math.min(input.rows, output?.rows ?? 0), source.tokens.length);
  const rows = topRows(available, request.limit, source.counts);
  if (request.space === 'input') return { rows, data: gatherRows(input.data, input.cols, rows), cols: input.cols, matrices: [input.name] };
  const v = output as LoadedMatrix;
  if (request.space === 'output') return { rows, data: gatherRows(v.data, v.cols, rows), cols: v.cols, matrices: [v.name] };
  const data = new Float32Array(2 * rows.length * input.cols);
  data.set(gatherRows(input.data, input.cols, rows, true));
  data.set(gatherRows(v.data, v.cols, rows, true), rows.length * input.cols);
  const both = new Int32Array(2 * rows.length);
  both.set(rows);
  both.set(rows, rows.length);
  return { rows: both, data, cols: input.cols, matrices: [input.name, v.name] };
}

/** Requests come over a wire: anything but the documented values is refused in one line. */
function checkRequest(request: ProjectionRequest): void {
  const bad = (what: string, expected: string, found: unknown): never => {
    throw new CheckpointError('unsupported', `projection ${what}: expected ${expected}, got ${JSON.stringify(found)}`);
  };
  if (!['pca', 'umap', 'axes'].includes(request.method)) bad('method', 'pca, umap or axes', request.method);
  if (!['input', 'output', 'joint'].includes(request.space)) bad('matrix', 'input, output or joint', request.space);
  if (request.dims !== 2 && request.dims !== 3) bad('dims', '2 or 3', request.dims);
  if (request.limit !== undefined && !(Number.isSafeInteger(request.limit) && request.limit >= 1))
    bad('limit', 'a whole number ≥ 1', request.limit);
  if (request.seed !== undefined && !(Number.isSafeInteger(request.seed) && request.seed >= 0))
    bad('seed', 'a whole number ≥ 0', request.seed);
}

/** Facts shared by every method, filled in by each. */
export function baseFacts(request: ProjectionRequest, matrices: string[], points: number): ProjectionFacts {
  return {
    method: request.method,
    space: request.space,
    dims: request.dims,
    matrices,
    points,
    explainedVarianceRatio: [],
    axisTitles: [],
    missingWords: [],
    preservation: null,
    seed: request.seed ?? DEFAULT_PROJECTION_SEED,
    epochs: 0,
    knnMs: 0,
    layoutMs: 0,
    preservationMs: 0,
  };
}

/** PCA of the request's points. */
export async function pcaProjection(
  points: { data: Float32Array; cols: number; rows: Int32Array; matrices: string[] },
  request: ProjectionRequest,
  hooks: ProjectionHooks,
): Promise<ProjectionOutput> {
  const started = performance.now();
  const n = points.rows.length;
  const result = await pca(points.data, n, points.cols, {
    components: request.dims,
    seed: request.seed ?? DEFAULT_PROJECTION_SEED,
    ...(hooks.signal ? { signal: hooks.signal } : {}),
    onProgress: (fraction) => hooks.onProgress?.('Projecting (PCA)', fraction),
  });
  const laidOut = performance.now();
  const preservation = await sampledPreservation(points, result.coords, request.dims, request.seed ?? DEFAULT_PROJECTION_SEED, hooks);
  return {
    coords: result.coords,
    rows: points.rows,
    facts: {
      ...baseFacts(request, points.matrices, n),
      explainedVarianceRatio: result.explainedVarianceRatio,
      layoutMs: Math.round(laidOut - started),
      preservation,
      preservationMs: Math.round(performance.now() - laidOut),
    },
  };
}

/** Neighbours per point the quality figure compares (the figure the benchmark reports too). */
export const PRESERVATION_K = 10;
/** Points measured for layouts without a full neighbour graph (PCA, axes): a standard error near 0.01 at this size. */
export const PRESERVATION_SAMPLE = 1000;

/**
 * Neighbourhood preservation of a layout measured on a seeded sample of its points: their exact cosine kNN in the
 * original space (one scan each) against their euclidean kNN in the layout.
 */
export async function sampledPreservation(
  points: ProjectionPoints,
  coords: Float32Array,
  dims: number,
  seed: number,
  hooks: ProjectionHooks,
): Promise<Preservation | null> {
  const n = points.rows.length;
  if (n <= PRESERVATION_K) return null;
  const sample = sortedSample(n, PRESERVATION_SAMPLE, seededRandom(seed));
  const queries = new Float32Array(sample.length * points.cols);
  sample.forEach((point, i) => queries.set(points.data.subarray(point * points.cols, (point + 1) * points.cols), i * points.cols));
  const found = await topK({
    data: points.data,
    cols: points.cols,
    queries,
    exclude: Int32Array.from(sample),
    k: PRESERVATION_K,
    metric: 'cosine',
    ...(hooks.signal ? { signal: hooks.signal } : {}),
    onProgress: (fraction) => hooks.onProgress?.('Measuring neighbourhood preservation', fraction),
  });
  // A graph over every point in which only the sampled points have neighbours: the others are not measured.
  const indices = new Int32Array(n * PRESERVATION_K).fill(-1);
  const scores = new Float32Array(n * PRESERVATION_K).fill(Number.NaN);
  sample.forEach((point, i) => {
    indices.set(found.indices.subarray(i * PRESERVATION_K, (i + 1) * PRESERVATION_K), point * PRESERVATION_K);
    scores.set(found.scores.subarray(i * PRESERVATION_K, (i + 1) * PRESERVATION_K), point * PRESERVATION_K);
  });
  return graphPreservation({ queries: n, k: PRESERVATION_K, indices, scores }, coords, dims, hooks);
}

/** Neighbourhood preservation of a layout against a neighbour graph of its points (rows without neighbours are skipped). */
async function graphPreservation(
  graph: KnnGraph,
  coords: Float32Array,
  dims: number,
  hooks: ProjectionHooks,
): Promise<Preservation | null> {
  if (graph.k < PRESERVATION_K) return null;
  const result = await neighborhoodPreservation(graph, coords, dims, PRESERVATION_K, {
    maxRows: graph.queries,
    ...(hooks.signal ? { signal: hooks.signal } : {}),
  });
  return { k: result.k, recall: result.recall, measuredRows: result.rows };
}

/** Neighbours per row in UMAP's graph: umap-learn's default n_neighbors = 15 counts the row itself. */
export const UMAP_NEIGHBORS = 14;

/** The points of a projection, as `projectionPoints` returns them. */
export type ProjectionPoints = ReturnType<typeof projectionPoints>;

/**
 * From this many points UMAP's graph comes from NN-descent (recall@10 ≈ 0.99 against exact on fastText vectors,
 * bench:knn) instead of exact search: it is 2–3× faster at 50k and leaves the layout's quality unchanged (bench:umap).
 */
export const APPROXIMATE_GRAPH_POINTS = 20_000;

/**
 * Cosine kNN of every point among the points (itself left out): UMAP's input. Exact below APPROXIMATE_GRAPH_POINTS,
 * seeded NN-descent from there.
 */
export function pointsGraph(
  points: ProjectionPoints,
  k: number,
  hooks: ProjectionHooks,
  seed = DEFAULT_PROJECTION_SEED,
): Promise<KnnGraph> {
  const n = points.rows.length;
  const common = {
    metric: 'cosine' as const,
    ...(hooks.signal ? { signal: hooks.signal } : {}),
    onProgress: (fraction: number) => hooks.onProgress?.('Finding neighbours', fraction),
  };
  const wanted = Math.min(k, Math.max(1, n - 1));
  if (n >= APPROXIMATE_GRAPH_POINTS) return approximateKnn(points.data, points.cols, wanted, { ...common, seed });
  return topK({
    ...common,
    data: points.data,
    cols: points.cols,
    queries: points.data,
    exclude: Int32Array.from({ length: n }, (_, i) => i),
    k: wanted,
  });
}

/**
 * UMAP of the request's points on their cosine kNN graph (`graphOf` may hand back a graph computed before),
 * reporting partial layouts through `onStep`.
 */
export async function umapProjection(
  points: ProjectionPoints,
  request: ProjectionRequest,
  hooks: ProjectionHooks,
  graphOf: () => Promise<KnnGraph> = () => pointsGraph(points, UMAP_NEIGHBORS, hooks),
): Promise<ProjectionOutput> {
  const started = performance.now();
  const graph = await graphOf();
  const graphed = performance.now();
  const seed = request.seed ?? DEFAULT_PROJECTION_SEED;
  const result = await runUmap(
    graph,
    { data: points.data, cols: points.cols },
    {
      metric: 'cosine',
      dims: request.dims,
      seed,
      ...(hooks.signal ? { signal: hooks.signal } : {}),
      onPrepareProgress: (fraction) => hooks.onProgress?.('Preparing the layout (fuzzy graph, spectral start)', fraction),
      onProgress: (epoch, epochs, coords) => hooks.onStep?.(epoch, epochs, coords, points.rows),
    },
  );
  const laidOut = performance.now();
  // An exact graph holds every point's true neighbours; an approximate one is measured against exact search on a sample.
  const preservation =
    points.rows.length < APPROXIMATE_GRAPH_POINTS
      ? await graphPreservation(graph, result.coords, request.dims, hooks)
      : await sampledPreservation(points, result.coords, request.dims, seed, hooks);
  return {
    coords: result.coords,
    rows: points.rows,
    facts: {
      ...baseFacts(request, points.matrices, points.rows.length),
      epochs: result.epochs,
      knnMs: Math.round(graphed - started),
      layoutMs: Math.round(laidOut - graphed),
      preservation,
      preservationMs: Math.round(performance.now() - laidOut),
    },
  };
}

/**
 * Custom axes: each point's scalar projection on directions defined by words (mean of the + words minus mean of the
 * − words, on unit-length rows). Words are looked up among the projected points (U's half of a joint layout); words
 * that are not there are reported in `missingWords` and left out of the means.
 */
export async function axesProjection(
  points: ProjectionPoints,
  request: ProjectionRequest,
  tokens: readonly string[],
  hooks: ProjectionHooks,
): Promise<ProjectionOutput> {
  const started = performance.now();
  const axes = request.axes ?? [];
  if (axes.length !== request.dims) {
    const expected = request.dims === 3 ? 'an x, a y and a z axis' : 'an x and a y axis';
    throw new CheckpointError('unsupported', `custom axes expected ${expected}, got ${axes.length}`);
  }
  const pointOfRow = new Map<string, number>();
  const shown = request.space === 'joint' ? points.rows.length / 2 : points.rows.length;
  for (let point = shown - 1; point >= 0; point--) pointOfRow.set(tokens[points.rows[point] as number] ?? '', point);
  const missing: string[] = [];
  const resolve = (words: readonly string[]): number[] =>
    words.flatMap((word) => {
      const point = pointOfRow.get(word);
      if (point === undefined) missing.push(word);
      return point === undefined ? [] : [point];
    });
  const [x, y, z] = axes.map((axis, i) => {
    const positive = resolve(axis.positive);
    const negative = resolve(axis.negative);
    if (positive.length === 0)
      throw new LookupError(
        'unknown-token',
        `custom ${'xyz'[i]} axis: none of ${axis.positive.join(', ') || '(no + words)'} is among the shown tokens`,
      );
    return { positive, negative };
  }) as [
    { positive: number[]; negative: number[] },
    { positive: number[]; negative: number[] },
    { positive: number[]; negative: number[] }?,
  ];
  let result;
  try {
    result = customAxes(points.data, points.rows.length, points.cols, { x, y, ...(z ? { z } : {}) });
  } catch (error) {
    throw new CheckpointError('unsupported', `custom axes: ${(error as Error).message}`);
  }
  const laidOut = performance.now();
  const preservation = await sampledPreservation(points, result.coords, request.dims, request.seed ?? DEFAULT_PROJECTION_SEED, hooks);
  return {
    coords: result.coords,
    rows: points.rows,
    facts: {
      ...baseFacts(request, points.matrices, points.rows.length),
      axisTitles: axes.map(axisTitle),
      missingWords: missing,
      layoutMs: Math.round(laidOut - started),
      preservation,
      preservationMs: Math.round(performance.now() - laidOut),
    },
  };
}

/** Keeps results between runs (the worker's per-checkpoint memo); without one, everything is computed afresh. */
export type ResultCache = <T>(key: string, compute: () => Promise<T>) => Promise<T>;

/** The request's points placed by its method; `cache` may keep UMAP's neighbour graph for later runs. */
export function runProjection(
  source: ProjectionSource,
  request: ProjectionRequest,
  hooks: ProjectionHooks,
  cache: ResultCache = (_key, compute) => compute(),
): Promise<ProjectionOutput> {
  const points = projectionPoints(source, request);
  switch (request.method) {
    case 'pca':
      return pcaProjection(points, request, hooks);
    case 'umap': {
      // The graph depends on the points only: a second UMAP of them (another seed) reuses it.
      const which = JSON.stringify({ space: request.space, limit: request.limit ?? null });
      return umapProjection(points, request, hooks, () => cache(`graph ${which}`, () => pointsGraph(points, UMAP_NEIGHBORS, hooks)));
    }
    case 'axes':
      return axesProjection(points, request, source.tokens, hooks);
  }
}
