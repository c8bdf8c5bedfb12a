import * as tf from '@tensorflow/tfjs';
import type { DataId, DataType, KernelConfig, KernelFunc, NamedAttrMap, TensorInfo } from '@tensorflow/tfjs';

/**
 * Kernels the TensorFlow.js backends here lack or run slowly (ENVIRONMENT.md):
 * - UnsortedSegmentSum, the gradient of tf.gather (so of every Embedding layer): missing on wasm, and on cpu built
 *   from one masked sum per segment, O(segments × rows × width) — hopeless at a 10k–30k vocabulary. Ours is one
 *   zero fill of the output and one pass over the rows: O(segments × width + rows × width).
 * - BatchMatMul and _FusedMatMul with transpose flags on wasm run ~10× slower than without, and every matMul
 *   gradient sets a flag. Ours materialises the transposed operand (or the transposed product, whichever moves
 *   fewer numbers) and runs the fast flag-free path.
 * - Sum over the leading axes on wasm (every bias gradient: a column sum of a [tokens, vocab] matrix) transposes
 *   the whole input first; ours adds the rows up in place, one pass.
 */

/** The parts of tfjs-backend-wasm's BackendWasm a kernel needs (structural, so no import of its internals). */
interface WasmBackendLike {
  makeOutput(shape: number[], dtype: DataType): TensorInfo;
  typedArrayFromHeap(info: TensorInfo): Float32Array | Int32Array | Uint8Array;
  disposeData(dataId: DataId): boolean;
}

/** The parts of tfjs-backend-cpu's MathBackendCPU a kernel needs. */
interface CpuBackendLike {
  readSync(dataId: DataId): unknown;
  makeTensorInfo(shape: number[], dtype: DataType, values?: Float32Array | Int32Array): TensorInfo;
}

type Numeric = Float32Array | Int32Array;

/**
 * Sums rows of `x` (rows × inner, row-major) into `out` (numSegments × inner) by segment id; ids outside
 * [0, numSegments) are skipped, as the stock cpu kernel skips them. `out` is overwritten.
 */
export function segmentSumRows(x: Numeric, ids: Int32Array, inner: number, numSegments: number, out: Numeric): void {
  out.fill(0);
  for (let row = 0; row < ids.length; row++) {
    const segment = ids[row] as number;
    if (segment < 0 || segment >= numSegments) continue;
    const from = row * inner;
    const to = segment * inner;
    for (let j = 0; j < inner; j++) out[to + j] = (out[to + j] as number) + (x[from + j] as number);
  }
}

function segmentShape(x: TensorInfo, segmentIds: TensorInfo, numSegments: number): { shape: number[]; inner: number; rows: number } {
  const rank = segmentIds.shape.length;
  const inner = x.shape.slice(rank).reduce((a, b) => a * b, 1);
  const rows = segmentIds.shape.reduce((a, b) => a * b, 1);
  return { shape: [numSegments, ...x.shape.slice(rank)], inner, rows };
}

function checkSegmentInputs(x: TensorInfo | undefined, segmentIds: TensorInfo | undefined): asserts x is TensorInfo {
  if (!x || !segmentIds) throw new Error('UnsortedSegmentSum: expected inputs x and segmentIds');
  if (x.dtype !== 'float32' && x.dtype !== 'int32') throw new Error(`UnsortedSegmentSum: expected x as float32 or int32, found ${x.dtype}`);
  if (segmentIds.dtype !== 'int32') throw new Error(`UnsortedSegmentSum: expected int32 segment ids, found ${segmentIds.dtype}`);
}

const wasmSegmentSum: KernelFunc = ({ inputs, backend, attrs }) => {
  const { x, segmentIds } = inputs;
  checkSegmentInputs(x, segmentIds);
  const wasm = backend as WasmBackendLike;
  const numSegments = Number((attrs as NamedAttrMap)['numSegments']);
  const { shape, inner } = segmentShape(x, segmentIds as TensorInfo, numSegments);
  // makeOutput may grow the wasm memory, which detaches earlier views of the heap: take the views after it.
  const out = wasm.makeOutput(shape, x.dtype);
  const values = wasm.typedArrayFromHeap(x) as Numeric;
  const ids = wasm.typedArrayFromHeap(segmentIds as TensorInfo) as Int32Array;
  segmentSumRows(values, ids, inner, numSegments, wasm.typedArrayFromHeap(out) as Numeric);
  return out;
};

const cpuSegmentSum: KernelFunc = ({ inputs, backend, attrs }) => {
  const { x, segmentIds } = inputs;
  checkSegmentInputs(x, segmentIds);
  const cpu = backend as CpuBackendLike;
  const numSegments = Number((attrs as NamedAttrMap)['numSegments']);
  const { shape, inner, rows } = segmentShape(x, segmentIds as TensorInfo, numSegments);
  const out = x.dtype === 'int32' ? new Int32Array(numSegments * inner) : new Float32Array(numSegments * inner);
  const ids = cpu.readSync((segmentIds as TensorInfo).dataId) as Int32Array;
  segmentSumRows(cpu.readSync(x.dataId) as Numeric, ids.subarray(0, rows), inner, numSegments, out);
  return cpu.makeTensorInfo(shape, x.dtype, out);
};

/** Permutation swapping the last two axes of a rank-`rank` tensor. */
function swapLastTwo(rank: number): number[] {
  const perm = Array.from({ length: rank }, (_, i) => i);
  perm[rank - 2] = rank - 1;
  perm[rank - 1] = rank - 2;
  return perm;
}

function size(info: TensorInfo): number {
  return info.shape.reduce((a, b) => a * b, 1);
}

/** Product of the dimensions before the last two (1 for a matrix). */
function batchOf(info: TensorInfo): number {
  return info.shape.slice(0, -2).reduce((a, b) => a * b, 1);
}

/** Wraps a wasm matMul kernel so it never runs with transpose flags. */
function flagFreeMatMul(original: KernelConfig, fused: boolean): KernelFunc {
  return ({ inputs, backend, attrs }) => {
    const named = attrs ?? {};
    const transposeA = named['transposeA'] === true;
    const transposeB = named['transposeB'] === true;
    if (!transposeA && !transposeB) return original.kernelFunc({ inputs, backend, attrs: named });
    const a = inputs['a'] as TensorInfo;
    const b = inputs['b'] as TensorInfo;
    const wasm = backend as WasmBackendLike;
    const transposeKernel = tf.getKernel('Transpose', 'wasm');
    if (!transposeKernel) return original.kernelFunc({ inputs, backend, attrs: named });
    const transpose = (x: TensorInfo): TensorInfo =>
      transposeKernel.kernelFunc({ inputs: { x }, backend, attrs: { perm: swapLastTwo(x.shape.length) } }) as TensorInfo;
    const outRows = transposeA ? (a.shape[a.shape.length - 1] as number) : (a.shape[a.shape.length - 2] as number);
    const outCols = transposeB ? (b.shape[b.shape.length - 2] as number) : (b.shape[b.shape.length - 1] as number);
    const batch = Math.max(batchOf(a), batchOf(b));
    // Way 1: transpose the flagged operands. Way 2 (plain matMul only): (op(A)·op(B))ᵀ = op(B)ᵀ·op(A)ᵀ, where
    // op(X)ᵀ needs a copy only when X was NOT flagged, then transpose the product. Pick the one moving fewer numbers.
    const wayOne = (transposeA ? size(a) : 0) + (transposeB ? size(b) : 0);
    const wayTwo = (transposeA ? 0 : size(a)) + (transposeB ? 0 : size(b)) + batch * outRows * outCols;
    const flagFree = { ...named, transposeA: false, transposeB: false };
    const temporaries: TensorInfo[] = [];
    const keep = (x: TensorInfo): TensorInfo => {
      temporaries.push(x);
      return x;
    };
    try {
      if (fused || wayOne <= wayTwo) {
        const left = transposeA ? keep(transpose(a)) : a;
        const right = transposeB ? keep(transpose(b)) : b;
        return original.kernelFunc({ inputs: { ...inputs, a: left, b: right }, backend, attrs: flagFree }) as TensorInfo;
      }
      const left = transposeB ? b : keep(transpose(b));
      const right = transposeA ? a : keep(transpose(a));
      const product = keep(original.kernelFunc({ inputs: { a: left, b: right }, backend, attrs: flagFree }) as TensorInfo);
      return transpose(product);
    } finally {
      for (const temporary of temporaries) wasm.disposeData(temporary.dataId);
    }
  };
}

/** Adds the rows of `x` (rows × inner) into `out` (inner). */
export function sumRows(x: Float32Array, rows: number, inner: number, out: Float32Array): void {
  out.fill(0);
  for (let r = 0; r < rows; r++) {
    const base = r * inner;
    for (let j = 0; j < inner; j++) out[j] = (out[j] as number) + (x[base + j] as number);
  }
}

/** Wraps the wasm Sum: a float32 sum over exactly the leading axes runs as a row sum without a transpose. */
function leadingAxesSum(original: KernelConfig): KernelFunc {
  return ({ inputs, backend, attrs }) => {
    const named = attrs ?? {};
    const x = inputs['x'] as TensorInfo;
    const raw = named['axis'];
    const rank = x.shape.length;
    const axes = (Array.isArray(raw) ? (raw as number[]) : [raw as number]).map((a) => (a < 0 ? a + rank : a)).sort((p, q) => p - q);
    const leading = axes.length > 0 && axes.length < rank && axes.every((a, i) => a === i);
    if (!leading || x.dtype !== 'float32') return original.kernelFunc({ inputs, backend, attrs: named });
    const wasm = backend as WasmBackendLike;
    const kept = x.shape.slice(axes.length);
    const inner = kept.reduce((a, b) => a * b, 1);
    const rows = x.shape.slice(0, axes.length).reduce((a, b) => a * b, 1);
    const out = wasm.makeOutput(named['keepDims'] === true ? [...axes.map(() => 1), ...kept] : kept, 'float32');
    sumRows(wasm.typedArrayFromHeap(x) as Float32Array, rows, inner, wasm.typedArrayFromHeap(out) as Float32Array);
    return out;
  };
}

const installed = new Set<string>();

/** Replaces (or adds) a kernel for a backend, keeping the original's setup and dispose functions. */
function install(kernelName: string, backendName: string, kernelFunc: (original: KernelConfig | undefined) => KernelFunc): void {
  const key = `${backendName}_${kernelName}`;
  if (installed.has(key)) return;
  const original = tf.getKernel(kernelName, backendName);
  if (original) tf.unregisterKernel(kernelName, backendName);
  tf.registerKernel({
    kernelName,
    backendName,
    kernelFunc: kernelFunc(original),
    ...(original?.setupFunc ? { setupFunc: original.setupFunc } : {}),
    ...(original?.disposeFunc ? { disposeFunc: original.disposeFunc } : {}),
  });
  installed.add(key);
}

/** Registers our UnsortedSegmentSum and, on wasm, the flag-free matMuls. Idempotent; call before training. */
export function registerFastKernels(backendName: 'wasm' | 'cpu'): void {
  if (backendName === 'cpu') {
    install('UnsortedSegmentSum', 'cpu', () => cpuSegmentSum);
    return;
  }
  install('UnsortedSegmentSum', 'wasm', () => wasmSegmentSum);
  for (const [name, fused] of [
    ['BatchMatMul', false],
    ['_FusedMatMul', true],
  ] as const) {
    const original = tf.getKernel(name, 'wasm');
    if (original) install(name, 'wasm', () => flagFreeMatMul(original, fused));
  }
  const sum = tf.getKernel('Sum', 'wasm');
  if (sum) install('Sum', 'wasm', () => leadingAxesSum(sum));
}
