import type { Metric } from '../../neighbors';
import type { Pacer } from '../pacer';
import { pca } from '../pca';
import { fillGaussian, type Random } from '../seeded-random';
import type { SparseGraph } from './fuzzy-graph';
import { connectedComponents, randomBox, spectralLayout, type UmapRows } from './spectral-init';

/** How the layout starts: the graph's Laplacian eigenvectors (umap-learn's default), PCA of the vectors, or uniform noise (umap-js). */
export type UmapInit = 'spectral' | 'pca' | 'random';

/** A starting layout and how it was made. */
export interface InitialLayout {
  /** rows × dims, row-major, each axis scaled to [0, 10] as umap-learn does before optimising. */
  readonly embedding: Float64Array;
  /** The method that produced it: 'spectral' falls back to 'pca' (or 'random' without vectors) when the solver fails. */
  readonly init: UmapInit;
  /** Connected components of the graph. */
  readonly components: number;
}

/** umap-learn scales spectral and PCA starts to a largest coordinate of 10 … */
const EXPANDED_EXTENT = 10;
/** … adds Gaussian noise of this scale to break ties (its "little noise to avoid local minima") … */
const INIT_NOISE = 0.0001;
/** … and the random start is uniform in ±10. */
const RANDOM_EXTENT = 10;

/** The starting layout of `graph` by `init`, with umap-learn's expansion, noise and final [0, 10] rescaling. */
export async function initialLayout(
  graph: SparseGraph,
  rows: UmapRows | undefined,
  dims: 2 | 3,
  init: UmapInit,
  metric: Metric,
  random: Random,
  pacer: Pacer,
  signal?: AbortSignal,
): Promise<InitialLayout> {
  const n = graph.rows;
  const components = connectedComponents(graph).count;
  let used = init;
  let start: Float64Array | null = null;
  if (init === 'spectral') {
    start = await spectralLayout(graph, dims, random, pacer, rows, metric, signal);
    if (start === null) used = rows ? 'pca' : 'random';
  }
  if (used === 'pca') {
    if (rows === undefined) throw new RangeError("umap: init 'pca' needs the vectors (rows), got none");
    const projected = await pca(rows.data, n, rows.cols, {
      components: dims,
      seed: Math.floor(random() * 2 ** 31),
      ...(signal ? { signal } : {}),
    });
    start = Float64Array.from(projected.coords);
  }
  let embedding: Float64Array;
  if (used === 'random' || start === null) {
    embedding = randomBox(n, dims, RANDOM_EXTENT, random);
  } else {
    let largest = 0;
    for (let i = 0; i < start.length; i++) largest = Math.max(largest, Math.abs(start[i] as number));
    const expansion = largest > 0 ? EXPANDED_EXTENT / largest : 0;
    const noise = new Float64Array(start.length);
    fillGaussian(noise, random);
    embedding = new Float64Array(start.length);
    for (let i = 0; i < start.length; i++) embedding[i] = (start[i] as number) * expansion + INIT_NOISE * (noise[i] as number);
  }
  rescaleAxes(embedding, n, dims);
  return { embedding, init: used, components };
}

/** Maps each axis onto [0, 10] (umap-learn does this to every start); a flat axis becomes 0. */
function rescaleAxes(embedding: Float64Array, n: number, dims: number): void {
  for (let c = 0; c < dims; c++) {
    let min = Infinity;
    let max = -Infinity;
    for (let i = 0; i < n; i++) {
      const value = embedding[i * dims + c] as number;
      if (value < min) min = value;
      if (value > max) max = value;
    }
    const range = max - min;
    for (let i = 0; i < n; i++) {
      embedding[i * dims + c] = range > 0 ? (EXPANDED_EXTENT * ((embedding[i * dims + c] as number) - min)) / range : 0;
    }
  }
}
