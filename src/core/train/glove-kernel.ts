import { CheckpointError } from '../errors';
import { createWasmMemory, type WasmMemory } from '../wasm/wasm-module';
import type { GloveLayout } from './glove-params';
import { ENTRY_BYTES } from './glove-params';
import { gloveWasmAvailable, instantiateGloveWasm } from './glove-wasm';

/** Which code runs the AdaGrad steps: the WebAssembly SIMD kernel or plain JavaScript (the fallback). */
export type GloveEngine = 'wasm' | 'js';

/**
 * The memory a GloVe layout lives in: a shared WebAssembly memory for the wasm engine, a SharedArrayBuffer (or an
 * ArrayBuffer where there is none) for the JS engine. Posting `handle` to a worker shares the parameters.
 */
export interface GloveMemory {
  readonly engine: GloveEngine;
  readonly handle: WasmMemory | ArrayBufferLike;
  readonly floats: Float32Array;
  readonly ints: Int32Array;
}

/** The step sizes of a kernel call (see glove-kernels.wat for the math). */
export interface GloveRates {
  /** AdaGrad's learning rate for the vectors. */
  readonly eta: number;
  /** AdaGrad's learning rate for the biases. */
  readonly biasEta: number;
  /** Vector gradient components are clipped to ±clip. */
  readonly clip: number;
}

/** Runs AdaGrad steps on a batch written at a byte offset of the memory. */
export interface GloveKernel {
  readonly engine: GloveEngine;
  /** Steps through `count` entries at byte offset `batch`, in order; returns the sum of their costs ½·f·diff². */
  train(batch: number, count: number, rates: GloveRates): number;
}

/**
 * Memory for `layout`, zeroed: wasm unless `engine` says 'js' or WebAssembly SIMD with shared memory is missing
 * ('wasm' then throws), or the layout passes wasm32's 4 GiB.
 */
export function allocateGloveMemory(layout: GloveLayout, engine: 'auto' | GloveEngine = 'auto'): GloveMemory {
  if (engine !== 'js' && gloveWasmAvailable()) {
    const memory = createWasmMemory(layout.bytes, true);
    if (memory) return adoptGloveMemory('wasm', memory);
  }
  if (engine === 'wasm') {
    throw new CheckpointError(
      'unsupported',
      `GloVe: the wasm engine cannot run here (no WebAssembly SIMD, or ${layout.bytes} bytes over 4 GiB)`,
    );
  }
  const buffer = typeof SharedArrayBuffer === 'function' ? new SharedArrayBuffer(layout.bytes) : new ArrayBuffer(layout.bytes);
  return adoptGloveMemory('js', buffer);
}

/** Views over a memory made elsewhere (a worker receiving the handle). */
export function adoptGloveMemory(engine: GloveEngine, handle: WasmMemory | ArrayBufferLike): GloveMemory {
  const buffer = 'buffer' in handle ? handle.buffer : handle;
  return { engine, handle, floats: new Float32Array(buffer), ints: new Int32Array(buffer) };
}

/** The kernel of the memory's engine over `layout`. */
export function gloveKernel(memory: GloveMemory, layout: GloveLayout): GloveKernel {
  if (memory.engine === 'js') return { engine: 'js', train: (batch, count, rates) => trainJs(memory, layout, batch, count, rates) };
  const wasm = instantiateGloveWasm(memory.handle as WasmMemory);
  const stride = layout.rowFloats * 4;
  const { wordsAt, contextsAt, pdim } = layout;
  return {
    engine: 'wasm',
    train: (batch, count, { eta, biasEta, clip }) => wasm.train(wordsAt, contextsAt, stride, pdim, batch, count, eta, biasEta, clip),
  };
}

/** The same steps as glove-kernels.wat's `train`, in plain JavaScript (float64 arithmetic, float32 storage). */
function trainJs(memory: GloveMemory, layout: GloveLayout, batch: number, count: number, rates: GloveRates): number {
  const { eta, biasEta, clip } = rates;
  const { floats: m, ints } = memory;
  const { pdim, rowFloats } = layout;
  const words = layout.wordsAt / 4;
  const contexts = layout.contextsAt / 4;
  let cost = 0;
  for (let e = 0; e < count; e++) {
    const at = (batch + e * ENTRY_BYTES) / 4;
    const wi = words + (ints[at] as number) * rowFloats;
    const wj = contexts + (ints[at + 1] as number) * rowFloats;
    const logX = m[at + 2] as number;
    const weight = m[at + 3] as number;
    let diff = (m[wi + 2 * pdim] as number) + (m[wj + 2 * pdim] as number) - logX;
    for (let c = 0; c < pdim; c++) diff += (m[wi + c] as number) * (m[wj + c] as number);
    if (!Number.isFinite(diff)) continue;
    const fdiff = weight * diff;
    cost += 0.5 * fdiff * diff;
    for (let c = 0; c < pdim; c++) {
      const w = m[wi + c] as number;
      const t = m[wj + c] as number;
      const u1 = eta * Math.min(clip, Math.max(-clip, fdiff * t));
      const u2 = eta * Math.min(clip, Math.max(-clip, fdiff * w));
      m[wi + c] = w - u1 / Math.sqrt(m[wi + pdim + c] as number);
      m[wj + c] = t - u2 / Math.sqrt(m[wj + pdim + c] as number);
      m[wi + pdim + c] = (m[wi + pdim + c] as number) + u1 * u1;
      m[wj + pdim + c] = (m[wj + pdim + c] as number) + u2 * u2;
    }
    const u = biasEta * fdiff;
    const bi = wi + 2 * pdim;
    const bj = wj + 2 * pdim;
    m[bi] = (m[bi] as number) - u / Math.sqrt(m[bi + 1] as number);
    m[bi + 1] = (m[bi + 1] as number) + u * u;
    m[bj] = (m[bj] as number) - u / Math.sqrt(m[bj + 1] as number);
    m[bj + 1] = (m[bj + 1] as number) + u * u;
  }
  return cost;
}
