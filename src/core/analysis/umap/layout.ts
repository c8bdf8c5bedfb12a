import type { SparseGraph } from './fuzzy-graph';
import { powerTable } from './fast-pow';
import type { UmapInit } from './initial-layout';
import { steps2 } from './layout-kernel-2d';
import { steps3 } from './layout-kernel-3d';
import type { LayoutState } from './layout-state';

/** What the optimiser needs besides the graph and the starting layout. */
export interface LayoutParams {
  readonly dims: 2 | 3;
  readonly epochs: number;
  readonly a: number;
  readonly b: number;
  /** Weight of the negative samples (umap-learn's repulsion_strength, gamma). */
  readonly repulsion: number;
  /** Initial learning rate; decays linearly towards 0 over the epochs. */
  readonly learningRate: number;
  /** Negative samples per positive sample. */
  readonly negativeSampleRate: number;
  /** Seed of the negative-sample streams (any 32-bit value). */
  readonly seed: number;
}

/** How a run was set up (for the caller to show). */
export interface UmapInfo {
  /** The start actually used ('spectral' can fall back to 'pca' or 'random'). */
  readonly init: UmapInit;
  /** Connected components of the fuzzy graph. */
  readonly components: number;
  readonly a: number;
  readonly b: number;
}

/**
 * UMAP's stochastic layout optimisation (umap-learn's optimize_layout_euclidean with move_other): every directed
 * edge of the symmetric graph is sampled about n_epochs·w/w_max times, pulling its two ends together, and each
 * sample pushes the head away from `negativeSampleRate` random rows; the learning rate decays linearly. The edges
 * run in two interleaved lanes (see steps2), deterministically. State is typed arrays only; the hot loop allocates
 * nothing. Work can be run in slices (`advance`) that end mid-epoch: the result does not depend on the slicing.
 */
export class UmapOptimizer {
  /** Rows laid out. */
  readonly rows: number;
  readonly dims: 2 | 3;
  /** Epochs in all. */
  readonly epochs: number;
  /** Directed edges optimised (each undirected pair appears twice). */
  readonly edges: number;
  /** How the run was set up. */
  readonly info: UmapInfo;
  private readonly state: LayoutState;
  private readonly learningRate: number;
  /** Lane A holds edges 0..split-1, lane B the rest. */
  private readonly split: number;
  private completed = 0;
  /** Steps done in the current epoch; −1 before its due edges are listed. */
  private cursor = -1;

  /** Takes ownership of `initial` (rows × dims, row-major), which becomes the layout being optimised. */
  constructor(graph: SparseGraph, initial: Float64Array, params: LayoutParams, info: UmapInfo) {
    this.info = info;
    this.rows = graph.rows;
    this.dims = params.dims;
    this.epochs = params.epochs;
    this.learningRate = params.learningRate;
    const edges = graph.weights.length;
    this.edges = edges;
    this.split = Math.ceil(edges / 2);
    const head = new Int32Array(edges);
    let max = 0;
    for (let e = 0; e < edges; e++) max = Math.max(max, graph.weights[e] as number);
    const epochsPerSample = new Float64Array(edges);
    const epochsPerNegativeSample = new Float64Array(edges);
    for (let row = 0; row < graph.rows; row++) {
      for (let e = graph.indptr[row] as number; e < (graph.indptr[row + 1] as number); e++) {
        head[e] = row;
        // umap-learn's make_epochs_per_sample: n_epochs / (n_epochs · w / w_max) = w_max / w.
        const perSample = max / (graph.weights[e] as number);
        epochsPerSample[e] = perSample;
        epochsPerNegativeSample[e] = perSample / params.negativeSampleRate;
      }
    }
    this.state = {
      rows: graph.rows,
      embedding: initial,
      head,
      tail: graph.indices,
      epochsPerSample,
      epochOfNextSample: epochsPerSample.slice(),
      epochsPerNegativeSample,
      epochOfNextNegativeSample: epochsPerNegativeSample.slice(),
      dueA: new Int32Array(this.split),
      dueB: new Int32Array(edges - this.split),
      countA: 0,
      countB: 0,
      a: params.a,
      b: params.b,
      power: powerTable(params.b),
      repulsion: params.repulsion,
      alpha: params.learningRate,
      epoch: 0,
      // xorshift32 states must be non-zero; the lanes get distinct streams.
      randomA: params.seed | 0 || 0x2545f491,
      randomB: Math.imul((params.seed | 0) ^ 0x5bd1e995, 0x27d4eb2d) | 0 || 0x1b873593,
    };
  }

  /** Epochs completed. */
  get epoch(): number {
    return this.completed;
  }

  /** True once every epoch has run. */
  get done(): boolean {
    return this.completed >= this.epochs;
  }

  /** Runs `epochsToRun` more epochs (fewer at the end); true when the optimisation is finished. */
  step(epochsToRun = 1): boolean {
    const target = Math.min(this.epochs, this.completed + Math.max(0, Math.floor(epochsToRun)));
    while (this.completed < target) this.advance(Infinity);
    return this.done;
  }

  /**
   * Runs up to `stepBudget` more steps (at least one; a step is one due edge of each lane, with its negative
   * samples), crossing into the next epoch when this one ends and budget is left; true when finished.
   * `advance(Infinity)` finishes the current epoch.
   */
  advance(stepBudget: number): boolean {
    let budget = Math.max(1, stepBudget);
    const s = this.state;
    while (budget > 0 && !this.done) {
      if (this.cursor < 0) {
        this.listDueEdges();
        this.cursor = 0;
      }
      const steps = Math.max(s.countA, s.countB);
      const to = Math.min(steps, this.cursor + budget);
      if (this.dims === 2) steps2(s, this.cursor, to);
      else steps3(s, this.cursor, to);
      budget -= Math.max(1, to - this.cursor);
      this.cursor = to;
      if (to >= steps) {
        this.finishEpoch();
        if (stepBudget === Infinity) break;
      }
    }
    return this.done;
  }

  /** A copy of the layout: rows × dims float32, row-major. */
  coords(): Float32Array {
    return Float32Array.from(this.state.embedding);
  }

  /** Lists each lane's edges due this epoch (an edge's schedule only changes when it runs, at most once an epoch). */
  private listDueEdges(): void {
    const s = this.state;
    const next = s.epochOfNextSample;
    const epoch = s.epoch;
    let count = 0;
    for (let i = 0; i < this.split; i++) if ((next[i] as number) <= epoch) s.dueA[count++] = i;
    s.countA = count;
    count = 0;
    for (let i = this.split; i < this.edges; i++) if ((next[i] as number) <= epoch) s.dueB[count++] = i;
    s.countB = count;
  }

  private finishEpoch(): void {
    // umap-learn sets alpha = initial · (1 − n / n_epochs) after epoch n (so epochs 0 and 1 both run at the initial rate).
    this.state.alpha = this.learningRate * (1 - this.completed / this.epochs);
    this.completed++;
    this.state.epoch = this.completed;
    this.cursor = -1;
  }
}
