import type { Metric } from '../../neighbors';
import type { Pacer } from '../pacer';
import { pca } from '../pca';
import type { Random } from '../seeded-random';
import type { SparseGraph } from './fuzzy-graph';
import { lobpcg, type BlockOperator } from './lobpcg';

/** The vectors a kNN graph was built from, row-major. */
export interface UmapRows {
  readonly data: Float32Array;
  readonly cols: number;
}

/** Connected components of a graph: labels numbered by first appearance (row 0 is in component 0). */
export interface Components {
  readonly count: number;
  readonly labels: Int32Array;
  readonly sizes: Int32Array;
}

/**
 * Stop when every wanted eigenpair's residual is below this (eigenvalues are then exact to ~1e-6). Measured on
 * 20k fastText rows, 1e-2, 1e-3 and 1e-4 give the same final kNN recall within seed noise (the layout only starts
 * from these vectors), and 1e-3 takes 25 % fewer iterations than 1e-4.
 */
const TOLERANCE = 1e-3;
/** Iteration cap: clustered spectra of large kNN graphs converge slowly, and a nearly converged subspace is as good a start. */
const MAX_ITERATIONS = 300;
/** Extra block vectors beyond the wanted ones: they carry the next eigenvalues and speed convergence. */
const GUARD_VECTORS = 2;

/** Components by union–find with path halving. */
export function connectedComponents(graph: SparseGraph): Components {
  const n = graph.rows;
  const parent = new Int32Array(n);
  for (let i = 0; i < n; i++) parent[i] = i;
  const find = (i: number): number => {
    while (parent[i] !== i) {
      parent[i] = parent[parent[i] as number] as number;
      i = parent[i] as number;
    }
    return i;
  };
  for (let i = 0; i < n; i++) {
    for (let e = graph.indptr[i] as number; e < (graph.indptr[i + 1] as number); e++) {
      const a = find(i);
      const b = find(graph.indices[e] as number);
      if (a !== b) parent[Math.max(a, b)] = Math.min(a, b);
    }
  }
  const labels = new Int32Array(n);
  const labelOfRoot = new Int32Array(n).fill(-1);
  let count = 0;
  for (let i = 0; i < n; i++) {
    const root = find(i);
    if (labelOfRoot[root] === -1) labelOfRoot[root] = count++;
    labels[i] = labelOfRoot[root] as number;
  }
  const sizes = new Int32Array(count);
  for (let i = 0; i < n; i++) {
    const label = labels[i] as number;
    sizes[label] = (sizes[label] as number) + 1;
  }
  return { count, labels, sizes };
}

/**
 * umap-learn's spectral layout: the eigenvectors of the normalised Laplacian I − D^-½·W·D^-½ for the smallest
 * non-zero eigenvalues, as n × dims (row-major). A disconnected graph is laid out per component around a meta
 * layout of the components (umap-learn's multi_component_layout; here each component's radius is its share of the
 * gap to its nearest neighbour by √size, so a giant component is not squeezed by a small one next to it).
 * Returns null when the solver produced non-finite values.
 */
export async function spectralLayout(
  graph: SparseGraph,
  dims: number,
  random: Random,
  pacer: Pacer,
  rows: UmapRows | undefined,
  metric: Metric,
  signal?: AbortSignal,
): Promise<Float64Array | null> {
  const n = graph.rows;
  const components = connectedComponents(graph);
  if (components.count === 1) {
    if (n <= dims + 1 || n < 2 * dims) return randomBox(n, dims, 1, random);
    return componentEigenvectors(graph, dims, random, pacer);
  }
  const meta = await metaLayout(components, dims, random, rows, metric, signal);
  const radius = componentRadii(meta, components, dims);
  const result = new Float64Array(n * dims);
  const members = membersByComponent(components);
  for (let label = 0; label < components.count; label++) {
    const rowsOf = members.rows.subarray(members.starts[label] as number, members.starts[label + 1] as number);
    const size = rowsOf.length;
    const range = radius[label] as number;
    let local: Float64Array | null;
    if (size <= dims + 1 || size < 2 * dims) {
      local = randomBox(size, dims, range, random);
    } else {
      local = await componentEigenvectors(subgraph(graph, rowsOf, members.localOf), dims, random, pacer);
      if (local === null) return null;
      let largest = 0;
      for (let i = 0; i < local.length; i++) largest = Math.max(largest, Math.abs(local[i] as number));
      const expansion = largest > 0 ? range / largest : 0;
      for (let i = 0; i < local.length; i++) local[i] = (local[i] as number) * expansion;
    }
    for (let r = 0; r < size; r++) {
      const row = rowsOf[r] as number;
      for (let c = 0; c < dims; c++) result[row * dims + c] = (local[r * dims + c] as number) + (meta[label * dims + c] as number);
    }
  }
  return result;
}

/** Eigenvectors 2..dims+1 of a connected graph's normalised Laplacian (n × dims), signs fixed; null if not finite. */
async function componentEigenvectors(graph: SparseGraph, dims: number, random: Random, pacer: Pacer): Promise<Float64Array | null> {
  const n = graph.rows;
  const invSqrtDegree = new Float64Array(n);
  const trivial = new Float64Array(n);
  let norm = 0;
  for (let i = 0; i < n; i++) {
    let degree = 0;
    for (let e = graph.indptr[i] as number; e < (graph.indptr[i + 1] as number); e++) degree += graph.weights[e] as number;
    invSqrtDegree[i] = degree > 0 ? 1 / Math.sqrt(degree) : 0;
    trivial[i] = Math.sqrt(degree);
    norm += degree;
  }
  norm = Math.sqrt(norm);
  for (let i = 0; i < n; i++) trivial[i] = (trivial[i] as number) / norm;
  // (I + D^-½·W·D^-½) / 2 has the Laplacian's eigenvectors with eigenvalues 1 − λ/2 in [0, 1]: the smallest
  // Laplacian eigenvalues become the largest, which LOBPCG finds. Its top vector D^½·1 is deflated.
  const operator: BlockOperator = {
    n,
    apply(x, y, stride, from, to) {
      const { indptr, indices, weights } = graph;
      for (let i = 0; i < n; i++) {
        const out = i * stride;
        const own = 0.5 * (invSqrtDegree[i] as number);
        const first = indptr[i] as number;
        const last = indptr[i + 1] as number;
        // Four columns at a time in registers; the block is 3–5 wide.
        let c = from;
        for (; c + 4 <= to; c += 4) {
          let y0 = 0;
          let y1 = 0;
          let y2 = 0;
          let y3 = 0;
          for (let e = first; e < last; e++) {
            const j = indices[e] as number;
            const weight = (weights[e] as number) * (invSqrtDegree[j] as number);
            const at = j * stride + c;
            y0 += weight * (x[at] as number);
            y1 += weight * (x[at + 1] as number);
            y2 += weight * (x[at + 2] as number);
            y3 += weight * (x[at + 3] as number);
          }
          y[out + c] = 0.5 * (x[out + c] as number) + own * y0;
          y[out + c + 1] = 0.5 * (x[out + c + 1] as number) + own * y1;
          y[out + c + 2] = 0.5 * (x[out + c + 2] as number) + own * y2;
          y[out + c + 3] = 0.5 * (x[out + c + 3] as number) + own * y3;
        }
        for (; c < to; c++) {
          let y0 = 0;
          for (let e = first; e < last; e++) {
            const j = indices[e] as number;
            y0 += (weights[e] as number) * (invSqrtDegree[j] as number) * (x[j * stride + c] as number);
          }
          y[out + c] = 0.5 * (x[out + c] as number) + own * y0;
        }
      }
    },
  };
  const blockSize = Math.min(dims + GUARD_VECTORS, n - 1);
  const solved = await lobpcg(operator, {
    wanted: dims,
    blockSize,
    deflate: trivial,
    tolerance: TOLERANCE,
    maxIterations: MAX_ITERATIONS,
    random,
    pacer,
  });
  const vectors = solved.vectors;
  for (let i = 0; i < vectors.length; i++) if (!Number.isFinite(vectors[i] as number)) return null;
  fixSigns(vectors, n, dims);
  return vectors;
}

/** Flips each column so that its largest-magnitude entry is positive: the same picture whatever the start vectors. */
function fixSigns(vectors: Float64Array, n: number, dims: number): void {
  for (let c = 0; c < dims; c++) {
    let largest = 0;
    for (let i = 0; i < n; i++)
      if (Math.abs(vectors[i * dims + c] as number) > Math.abs(vectors[largest * dims + c] as number)) largest = i;
    if ((vectors[largest * dims + c] as number) < 0) for (let i = 0; i < n; i++) vectors[i * dims + c] = -(vectors[i * dims + c] as number);
  }
}

/**
 * Where each component goes (count × dims): up to 2·dims components on ± unit axes (umap-learn's choice); more are
 * placed by PCA of their centroids (cosine: of unit rows), scaled to a largest coordinate of 1 — a deterministic
 * stand-in for umap-learn's spectral embedding of the centroids — or, without the vectors, at seeded random spots.
 */
async function metaLayout(
  components: Components,
  dims: number,
  random: Random,
  rows: UmapRows | undefined,
  metric: Metric,
  signal: AbortSignal | undefined,
): Promise<Float64Array> {
  const count = components.count;
  const meta = new Float64Array(count * dims);
  if (count <= 2 * dims) {
    const half = Math.ceil(count / 2);
    for (let label = 0; label < count; label++) {
      const axis = label % half;
      meta[label * dims + axis] = label < half ? 1 : -1;
    }
    return meta;
  }
  if (rows === undefined || rows.cols === 0) return randomBox(count, dims, 1, random);
  const { data, cols } = rows;
  const centroids = new Float32Array(count * cols);
  const sums = new Float64Array(count * cols);
  for (let i = 0; i < components.labels.length; i++) {
    const label = components.labels[i] as number;
    let scale = 1;
    if (metric === 'cosine') {
      let norm = 0;
      for (let c = 0; c < cols; c++) norm += (data[i * cols + c] as number) ** 2;
      scale = norm > 0 ? 1 / Math.sqrt(norm) : 0;
    }
    for (let c = 0; c < cols; c++) sums[label * cols + c] = (sums[label * cols + c] as number) + scale * (data[i * cols + c] as number);
  }
  for (let label = 0; label < count; label++) {
    const size = components.sizes[label] as number;
    for (let c = 0; c < cols; c++) centroids[label * cols + c] = (sums[label * cols + c] as number) / size;
  }
  const projected = await pca(centroids, count, cols, {
    components: dims === 3 ? 3 : 2,
    seed: Math.floor(random() * 2 ** 31),
    ...(signal ? { signal } : {}),
  });
  let largest = 0;
  for (let i = 0; i < projected.coords.length; i++) largest = Math.max(largest, Math.abs(projected.coords[i] as number));
  for (let i = 0; i < meta.length; i++) meta[i] = largest > 0 ? (projected.coords[i] as number) / largest : 0;
  return meta;
}

/**
 * Each component's radius: its √size share of the distance to the nearest other component's centre, so
 * neighbouring components never overlap (umap-learn uses half the distance to the nearest one for every component).
 */
function componentRadii(meta: Float64Array, components: Components, dims: number): Float64Array {
  const count = components.count;
  const radius = new Float64Array(count).fill(Infinity);
  const weight = Float64Array.from(components.sizes, (size) => Math.sqrt(size));
  for (let p = 0; p < count; p++) {
    for (let q = p + 1; q < count; q++) {
      let squared = 0;
      for (let c = 0; c < dims; c++) squared += ((meta[p * dims + c] as number) - (meta[q * dims + c] as number)) ** 2;
      const distance = Math.sqrt(squared);
      const total = (weight[p] as number) + (weight[q] as number);
      radius[p] = Math.min(radius[p] as number, (distance * (weight[p] as number)) / total);
      radius[q] = Math.min(radius[q] as number, (distance * (weight[q] as number)) / total);
    }
  }
  // Coinciding centres (equal centroids) would give radius 0: fall back to a small share of the layout's extent.
  for (let p = 0; p < count; p++) if (!((radius[p] as number) > 1e-3) || !Number.isFinite(radius[p] as number)) radius[p] = 1e-3;
  return radius;
}

/** Rows of each component, grouped: component c's rows are rows[starts[c]..starts[c+1]), ascending; localOf[row] is its place there. */
function membersByComponent(components: Components): { rows: Int32Array; starts: Int32Array; localOf: Int32Array } {
  const starts = new Int32Array(components.count + 1);
  for (let c = 0; c < components.count; c++) starts[c + 1] = (starts[c] as number) + (components.sizes[c] as number);
  const fill = starts.slice(0, components.count);
  const rows = new Int32Array(components.labels.length);
  const localOf = new Int32Array(components.labels.length);
  for (let i = 0; i < components.labels.length; i++) {
    const label = components.labels[i] as number;
    rows[fill[label] as number] = i;
    localOf[i] = (fill[label] as number) - (starts[label] as number);
    fill[label] = (fill[label] as number) + 1;
  }
  return { rows, starts, localOf };
}

/** The subgraph of one component (`rowsOf`), renumbered by `localOf` (a row's position within its component). */
function subgraph(graph: SparseGraph, rowsOf: Int32Array, localOf: Int32Array): SparseGraph {
  const indptr = new Int32Array(rowsOf.length + 1);
  let nnz = 0;
  for (let r = 0; r < rowsOf.length; r++) {
    const row = rowsOf[r] as number;
    nnz += (graph.indptr[row + 1] as number) - (graph.indptr[row] as number);
    indptr[r + 1] = nnz;
  }
  const indices = new Int32Array(nnz);
  const weights = new Float64Array(nnz);
  let at = 0;
  for (let r = 0; r < rowsOf.length; r++) {
    const row = rowsOf[r] as number;
    for (let e = graph.indptr[row] as number; e < (graph.indptr[row + 1] as number); e++) {
      // Every neighbour is in the same component (that is what a component is).
      indices[at] = localOf[graph.indices[e] as number] as number;
      weights[at] = graph.weights[e] as number;
      at++;
    }
  }
  return { rows: rowsOf.length, indptr, indices, weights };
}

/** count × dims uniform values in [−range, range). */
export function randomBox(count: number, dims: number, range: number, random: Random): Float64Array {
  const out = new Float64Array(count * dims);
  for (let i = 0; i < out.length; i++) out[i] = (2 * random() - 1) * range;
  return out;
}
