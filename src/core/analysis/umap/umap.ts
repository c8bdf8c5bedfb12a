import type { KnnGraph } from '../knn';
import { Pacer } from '../pacer';
import { seededRandom } from '../seeded-random';
import { findAbParams } from './ab-params';
import { fuzzyGraph, knnDistances, maxWeight, pruneGraph, smoothKnn } from './fuzzy-graph';
import { initialLayout, type UmapInit } from './initial-layout';
import { UmapOptimizer, type UmapInfo } from './layout';
import type { UmapRows } from './spectral-init';

/** Settings of a UMAP run; defaults are umap-learn's. */
export interface UmapOptions {
  /** What the graph's scores are: cosine similarities (distance 1 − s) or euclidean distances. */
  readonly metric: 'cosine' | 'euclidean';
  /** Output dimensions (default 2). */
  readonly dims?: 2 | 3;
  /** Seed of every random choice (default 1): the same seed and graph give the same coordinates. */
  readonly seed?: number;
  /** Smallest distance between points in the layout (default 0.1). */
  readonly minDist?: number;
  /** Scale of the layout's distances (default 1). */
  readonly spread?: number;
  /** Epochs (default: 500 up to 10,000 rows, else 200, as umap-learn). */
  readonly nEpochs?: number;
  /** Starting layout (default 'spectral'). */
  readonly init?: UmapInit;
  /** Initial learning rate (default 1). */
  readonly learningRate?: number;
  /** Negative samples per positive sample (default 5). */
  readonly negativeSampleRate?: number;
  /** Weight of the negative samples (default 1). */
  readonly repulsionStrength?: number;
  /** Checked in every phase; the run throws a `cancelled` CheckpointError once it fires. */
  readonly signal?: AbortSignal;
  /** Share of the preparation (graph, starting layout) done, 0..1. */
  onPrepareProgress?(fraction: number): void;
}

/** Settings of `runUmap`: those of `prepareUmap` plus a progress callback. */
export interface RunUmapOptions extends UmapOptions {
  /** Called with the starting layout (epoch 0), then at least every PROGRESS_INTERVAL_MS, and at the end; `coords` is a copy. */
  onProgress?(epoch: number, epochs: number, coords: Float32Array): void;
}

/** What a finished run produced. */
export interface UmapResult {
  /** rows × dims float32, row-major. */
  readonly coords: Float32Array;
  readonly dims: 2 | 3;
  readonly epochs: number;
  readonly info: UmapInfo;
}

/** umap-learn runs 500 epochs up to this many rows and 200 beyond. */
const SMALL_GRAPH_ROWS = 10_000;
/** Progress with coordinates at least this often (the scatter updates ≥ twice a second). */
export const PROGRESS_INTERVAL_MS = 250;
/** Aim of one slice of edges between pacer checks: well under the pacer's 40 ms yield period. */
const SLICE_MS = 15;
/** Steps (a due edge of each lane with its negative samples, ~0.5 µs) in the first slice, before the rate is measured. */
const FIRST_SLICE_STEPS = 20_000;
/** Preparation work units per row besides the spectral solver (σ/ρ, the graph's three passes). */
const GRAPH_WORK_PER_ROW = 4;
/** Expected solver iterations, for the progress estimate only. */
const EXPECTED_SOLVER_ITERATIONS = 100;

/**
 * Builds UMAP's fuzzy graph from a precomputed kNN graph (each row's k neighbours, itself excluded: umap-learn's
 * n_neighbors = k + 1), fits a and b, makes the starting layout and returns the optimiser, ready to `step`.
 * `rows` (the vectors) is needed only for init 'pca' and to place disconnected components by their centroids.
 */
export async function prepareUmap(graph: KnnGraph, rows: UmapRows | undefined, options: UmapOptions): Promise<UmapOptimizer> {
  checkArguments(graph, rows, options);
  const n = graph.queries;
  const dims = options.dims ?? 2;
  const pacer = new Pacer(n * (GRAPH_WORK_PER_ROW + EXPECTED_SOLVER_ITERATIONS), options.signal, options.onPrepareProgress, 'umap');
  const random = seededRandom(options.seed ?? 1);
  const { a, b } = findAbParams(options.spread ?? 1, options.minDist ?? 0.1);
  const distances = knnDistances(graph, options.metric);
  const smooth = await smoothKnn(graph, distances, pacer);
  const fuzzy = await fuzzyGraph(graph, distances, smooth, pacer);
  const defaultEpochs = n <= SMALL_GRAPH_ROWS ? 500 : 200;
  const epochs = options.nEpochs ?? defaultEpochs;
  // umap-learn drops edges too weak to be sampled even once in the run (with its default epochs for short runs).
  const pruned = pruneGraph(fuzzy, maxWeight(fuzzy) / (epochs > 10 ? epochs : defaultEpochs));
  const start = await initialLayout(pruned, rows, dims, options.init ?? 'spectral', options.metric, random, pacer, options.signal);
  pacer.finish();
  const params = {
    dims,
    epochs,
    a,
    b,
    repulsion: options.repulsionStrength ?? 1,
    learningRate: options.learningRate ?? 1,
    negativeSampleRate: options.negativeSampleRate ?? 5,
    seed: Math.floor(random() * 2 ** 32),
  };
  return new UmapOptimizer(pruned, start.embedding, params, { init: start.init, components: start.components, a, b });
}

/**
 * UMAP of a precomputed kNN graph, start to finish: prepares, then optimises in time-boxed slices of steps,
 * reporting the coordinates at least every PROGRESS_INTERVAL_MS and (with a signal) yielding to the event loop
 * every ~40 ms so an abort lands promptly.
 */
export async function runUmap(graph: KnnGraph, rows: UmapRows | undefined, options: RunUmapOptions): Promise<UmapResult> {
  const optimizer = await prepareUmap(graph, rows, options);
  const pacer = new Pacer(optimizer.epochs, options.signal, undefined, 'umap');
  const report = options.onProgress;
  report?.(0, optimizer.epochs, optimizer.coords());
  let lastReport = performance.now();
  let budget = FIRST_SLICE_STEPS;
  while (!optimizer.done) {
    const started = performance.now();
    optimizer.advance(budget);
    const now = performance.now();
    // Steer the slice towards SLICE_MS from the rate just seen (within ×4 per slice, so one odd slice cannot swing it).
    const elapsed = Math.max(now - started, 0.05);
    budget = Math.max(1000, Math.round(budget * Math.min(4, Math.max(0.25, SLICE_MS / elapsed))));
    if (report && !optimizer.done && now - lastReport >= PROGRESS_INTERVAL_MS) {
      report(optimizer.epoch, optimizer.epochs, optimizer.coords());
      lastReport = now;
    }
    pacer.jumpTo(optimizer.epoch);
    await pacer.step(0);
  }
  const coords = optimizer.coords();
  report?.(optimizer.epochs, optimizer.epochs, coords.slice());
  return { coords, dims: optimizer.dims, epochs: optimizer.epochs, info: optimizer.info };
}

function checkArguments(graph: KnnGraph, rows: UmapRows | undefined, options: UmapOptions): void {
  const n = graph.queries;
  const { k } = graph;
  if (graph.indices.length !== n * k || graph.scores.length !== n * k) {
    throw new RangeError(
      `umap: graph must hold queries × k = ${n * k} indices and scores, got ${graph.indices.length} and ${graph.scores.length}`,
    );
  }
  for (let i = 0; i < graph.indices.length; i++) {
    const index = graph.indices[i] as number;
    if (index >= n || index < -1)
      throw new RangeError(`umap: the graph must be square (neighbours among its own ${n} rows), found index ${index}`);
  }
  if (options.metric !== 'cosine' && options.metric !== 'euclidean') {
    throw new RangeError(`umap: metric must be 'cosine' or 'euclidean', got '${String(options.metric)}'`);
  }
  if (options.dims !== undefined && options.dims !== 2 && options.dims !== 3) {
    throw new RangeError(`umap: dims must be 2 or 3, got ${String(options.dims)}`);
  }
  const epochs = options.nEpochs;
  if (epochs !== undefined && (!Number.isSafeInteger(epochs) || epochs < 1)) {
    throw new RangeError(`umap: nEpochs must be a whole number ≥ 1, got ${epochs}`);
  }
  const rate = options.negativeSampleRate;
  if (rate !== undefined && !(rate > 0)) throw new RangeError(`umap: negativeSampleRate must be > 0, got ${rate}`);
  const repulsion = options.repulsionStrength;
  if (repulsion !== undefined && !(repulsion > 0)) throw new RangeError(`umap: repulsionStrength must be > 0, got ${repulsion}`);
  const learningRate = options.learningRate;
  if (learningRate !== undefined && !(learningRate > 0)) throw new RangeError(`umap: learningRate must be > 0, got ${learningRate}`);
  if (rows !== undefined && rows.data.length < n * rows.cols) {
    throw new RangeError(`umap: rows must hold ${n} × ${rows.cols} values, got ${rows.data.length}`);
  }
}
