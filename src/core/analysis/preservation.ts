import type { KnnGraph } from './knn';
import { Pacer } from './pacer';
import { seededRandom, sortedSample } from './seeded-random';

/** How to measure neighbourhood preservation. */
export interface PreservationOptions {
  /** Rows measured when there are more: a seeded uniform sample of them (default 100,000; all rows below). */
  readonly maxRows?: number;
  /** Seed of that sample (default 1). */
  readonly seed?: number;
  readonly signal?: AbortSignal;
  /** Share of the rows measured, 0..1. */
  onProgress?(fraction: number): void;
}

/** The kNN recall of a layout. */
export interface PreservationResult {
  /** Mean over the measured rows of |kNN in the original space ∩ kNN in the layout| / k, in [0, 1]. */
  readonly recall: number;
  readonly k: number;
  /** Rows the mean is over (rows with no neighbour in the original graph are left out). */
  readonly rows: number;
  /** Number of rows sampled when a seeded sample was measured instead of every row; null when all rows were. */
  readonly sampled: number | null;
}

/** Rows measured by default: the estimate's standard error is then below 0.002 and the cost a fraction of a second. */
export const DEFAULT_MAX_PRESERVATION_ROWS = 100_000;
/** Points per k-d tree leaf: scanning a few points beats another level of the tree. */
const LEAF_SIZE = 12;
/** Rows between pacer checks. */
const ROWS_PER_CHUNK = 2048;

/**
 * Neighbourhood preservation ("kNN recall of the layout"): for each row, the share of its k nearest neighbours in
 * the original space (the first k entries of `graphHigh`, built without the row itself) that are also among its k
 * nearest in the layout (exact euclidean, by a k-d tree over `coords`, rows × dims row-major, the row itself
 * excluded). A row with fewer than k neighbours in the graph is measured on the ones it has.
 */
export async function neighborhoodPreservation(
  graphHigh: KnnGraph,
  coords: Float32Array,
  dims: number,
  k: number,
  options: PreservationOptions = {},
): Promise<PreservationResult> {
  const n = graphHigh.queries;
  if (!Number.isSafeInteger(k) || k < 1) throw new RangeError(`preservation: k must be a whole number ≥ 1, got ${k}`);
  if (k > graphHigh.k) throw new RangeError(`preservation: k = ${k} needs a graph of at least k neighbours per row, got ${graphHigh.k}`);
  if (!Number.isSafeInteger(dims) || dims < 1) throw new RangeError(`preservation: dims must be a whole number ≥ 1, got ${dims}`);
  if (coords.length !== n * dims) throw new RangeError(`preservation: coords must hold ${n} rows × ${dims}, got ${coords.length} values`);
  const maxRows = options.maxRows ?? DEFAULT_MAX_PRESERVATION_ROWS;
  const rowsToMeasure = sortedSample(n, maxRows, seededRandom(options.seed ?? 1));
  const pacer = new Pacer(rowsToMeasure.length, options.signal, options.onProgress, 'neighbourhood preservation');
  const tree = new KdTree(coords, dims, n);
  const stamp = new Int32Array(n).fill(-1);
  const found = new Int32Array(k);
  const distances = new Float64Array(k);
  let total = 0;
  let measured = 0;
  for (let from = 0; from < rowsToMeasure.length; from += ROWS_PER_CHUNK) {
    const to = Math.min(rowsToMeasure.length, from + ROWS_PER_CHUNK);
    for (let s = from; s < to; s++) {
      const row = rowsToMeasure[s] as number;
      let wanted = 0;
      for (let j = 0; j < k; j++) {
        const neighbour = graphHigh.indices[row * graphHigh.k + j] as number;
        if (neighbour >= 0 && neighbour !== row) wanted++;
      }
      if (wanted === 0) continue;
      const got = tree.nearest(row, wanted, found, distances);
      for (let j = 0; j < got; j++) stamp[found[j] as number] = row;
      let shared = 0;
      for (let j = 0; j < k; j++) {
        const neighbour = graphHigh.indices[row * graphHigh.k + j] as number;
        if (neighbour >= 0 && neighbour !== row && stamp[neighbour] === row) shared++;
      }
      total += shared / wanted;
      measured++;
    }
    await pacer.step(to - from);
  }
  pacer.finish();
  return {
    recall: measured > 0 ? total / measured : 0,
    k,
    rows: measured,
    sampled: rowsToMeasure.length < n ? rowsToMeasure.length : null,
  };
}

/** A k-d tree over low-dimensional points for exact nearest-neighbour queries by point index. */
class KdTree {
  private readonly points: Float64Array;
  private readonly order: Int32Array;
  // Node arrays: a leaf has left = −1 and covers order[start..end).
  private readonly start: Int32Array;
  private readonly end: Int32Array;
  private readonly left: Int32Array;
  private readonly right: Int32Array;
  private readonly axis: Int32Array;
  private readonly split: Float64Array;
  private nodes = 0;
  // Query state, reused between queries.
  private query = 0;
  private wanted = 0;
  private count = 0;
  private foundRows: Int32Array = new Int32Array(0);
  private foundDistances: Float64Array = new Float64Array(0);

  constructor(
    coords: Float32Array,
    private readonly dims: number,
    n: number,
  ) {
    this.points = Float64Array.from(coords);
    this.order = Int32Array.from({ length: n }, (_, i) => i);
    const capacity = Math.max(1, 2 * Math.ceil(n / (LEAF_SIZE / 2)) + 1);
    this.start = new Int32Array(capacity);
    this.end = new Int32Array(capacity);
    this.left = new Int32Array(capacity);
    this.right = new Int32Array(capacity);
    this.axis = new Int32Array(capacity);
    this.split = new Float64Array(capacity);
    this.build(0, n);
  }

  /** The `wanted` nearest points to point `row` (itself excluded), nearest first, into rows/distances; returns how many. */
  nearest(row: number, wanted: number, rows: Int32Array, distances: Float64Array): number {
    this.query = row;
    this.wanted = wanted;
    this.count = 0;
    this.foundRows = rows;
    this.foundDistances = distances;
    if (this.nodes > 0) this.search(0);
    return this.count;
  }

  private build(from: number, to: number): number {
    const node = this.nodes++;
    this.start[node] = from;
    this.end[node] = to;
    if (to - from <= LEAF_SIZE) {
      this.left[node] = -1;
      return node;
    }
    // Split on the axis of widest extent at the median.
    let bestAxis = 0;
    let bestExtent = -1;
    for (let c = 0; c < this.dims; c++) {
      let min = Infinity;
      let max = -Infinity;
      for (let i = from; i < to; i++) {
        const value = this.points[(this.order[i] as number) * this.dims + c] as number;
        if (value < min) min = value;
        if (value > max) max = value;
      }
      if (max - min > bestExtent) {
        bestExtent = max - min;
        bestAxis = c;
      }
    }
    const middle = (from + to) >> 1;
    this.select(from, to - 1, middle, bestAxis);
    this.axis[node] = bestAxis;
    this.split[node] = this.points[(this.order[middle] as number) * this.dims + bestAxis] as number;
    this.left[node] = this.build(from, middle);
    this.right[node] = this.build(middle, to);
    return node;
  }

  /** Quickselect (Hoare) on order[lo..hi] by coordinate `axis`, so that order[target] is in its sorted place. */
  private select(lo: number, hi: number, target: number, axis: number): void {
    const { points, order, dims } = this;
    while (hi > lo) {
      const pivot = points[(order[(lo + hi) >> 1] as number) * dims + axis] as number;
      let i = lo;
      let j = hi;
      while (i <= j) {
        while ((points[(order[i] as number) * dims + axis] as number) < pivot) i++;
        while ((points[(order[j] as number) * dims + axis] as number) > pivot) j--;
        if (i <= j) {
          const swap = order[i] as number;
          order[i] = order[j] as number;
          order[j] = swap;
          i++;
          j--;
        }
      }
      if (target <= j) hi = j;
      else if (target >= i) lo = i;
      else return;
    }
  }

  private search(node: number): void {
    const { points, dims } = this;
    const q = this.query * dims;
    const leftChild = this.left[node] as number;
    if (leftChild < 0) {
      for (let i = this.start[node] as number; i < (this.end[node] as number); i++) {
        const candidate = this.order[i] as number;
        if (candidate === this.query) continue;
        let squared = 0;
        for (let c = 0; c < dims; c++) squared += ((points[candidate * dims + c] as number) - (points[q + c] as number)) ** 2;
        this.offer(candidate, squared);
      }
      return;
    }
    const difference = (points[q + (this.axis[node] as number)] as number) - (this.split[node] as number);
    const near = difference < 0 ? leftChild : (this.right[node] as number);
    const far = difference < 0 ? (this.right[node] as number) : leftChild;
    this.search(near);
    if (this.count < this.wanted || difference * difference <= (this.foundDistances[this.count - 1] as number)) this.search(far);
  }

  /** Inserts a candidate into the sorted list of the best so far (ties: the lower row first). */
  private offer(candidate: number, squared: number): void {
    const rows = this.foundRows;
    const distances = this.foundDistances;
    const full = this.count === this.wanted;
    if (full) {
      const worst = distances[this.count - 1] as number;
      if (squared > worst || (squared === worst && candidate > (rows[this.count - 1] as number))) return;
    }
    let slot = full ? this.count - 1 : this.count++;
    while (
      slot > 0 &&
      ((distances[slot - 1] as number) > squared || ((distances[slot - 1] as number) === squared && (rows[slot - 1] as number) > candidate))
    ) {
      distances[slot] = distances[slot - 1] as number;
      rows[slot] = rows[slot - 1] as number;
      slot--;
    }
    distances[slot] = squared;
    rows[slot] = candidate;
  }
}
