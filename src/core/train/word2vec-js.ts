import type { Word2vecKernel } from './word2vec-kernel';
import { drawAlias } from './negative-table';
import { CTX } from './word2vec-layout';

const fround = Math.fround;

/** 2^-k for k = 0..127 as float32 values (exact; built by halving), as the wasm kernel builds them from bits. */
const POW2_NEG = new Float64Array(128);
for (let k = 0, value = 1; k < POW2_NEG.length; k++, value /= 2) POW2_NEG[k] = value;

/** The float32 constants of the wasm kernel's $signals (the same decimal literals, so the same float32 values). */
const LOG2E = fround(1.4426950216293335);
const LN2_HI = fround(0.693359375);
const LN2_LO = fround(-0.00021219444170128554);
const EXP_TAYLOR = [0.0013888889225199819, 0.008333333767950535, 0.0416666679084301, 0.1666666716337204, 0.5, 1, 1].map(fround);
const EXP_LEAD = fround(0.00019841270113829523);
const ATANH_SERIES = [0.1111111119389534, 0.1428571492433548, 0.20000000298023224, 0.3333333432674408, 1].map(fround);
const ATANH_LEAD = fround(0.09090909361839294);

/** exp(-|f|) in float32, operation for operation as a lane of the wasm kernel's $signals. */
export function expNegFloat32(f: number): number {
  const y = -Math.min(Math.abs(f), 80);
  const k = Math.floor(fround(fround(y * LOG2E) + 0.5));
  const r = fround(fround(y - fround(k * LN2_HI)) - fround(k * LN2_LO));
  let p = EXP_LEAD;
  for (const c of EXP_TAYLOR) p = fround(fround(p * r) + c);
  return fround(p * (POW2_NEG[-k] ?? 0));
}

/** log(1 + e) for e in (0, 1] in float32, as a lane of the wasm kernel's $signals. */
export function log1pFloat32(e: number): number {
  const s = fround(e / fround(2 + e));
  const s2 = fround(s * s);
  let p = ATANH_LEAD;
  for (const c of ATANH_SERIES) p = fround(fround(p * s2) + c);
  return fround(fround(s + s) * p);
}

/**
 * word2vec-kernels.wat in plain JavaScript, for where WebAssembly SIMD is missing: the same memory layout, the same
 * random draws and, float32 operation for float32 operation (Math.fround after each, four lanes per accumulator), the
 * same arithmetic, so both give bit-identical models. About a third of the wasm kernel's speed.
 */
export class JsWord2vecKernel implements Word2vecKernel {
  private readonly u32: Uint32Array;
  private readonly i32: Int32Array;
  private readonly f32: Float32Array;
  private readonly f64: Float64Array;
  private random = 0;

  constructor(buffer: ArrayBufferLike) {
    this.u32 = new Uint32Array(buffer);
    this.i32 = new Int32Array(buffer);
    this.f32 = new Float32Array(buffer);
    this.f64 = new Float64Array(buffer);
  }

  /** See Word2vecKernel.train and the wasm kernel's `train`. */
  train(ctx: number, from: number, to: number, alpha: number): number {
    const { u32, i32 } = this;
    const field = (name: keyof typeof CTX): number => u32[(ctx + CTX[name]) >> 2] ?? 0;
    const table = field('table') >> 2;
    const rows = field('rows');
    const keep = field('keep') >> 2;
    const ids = field('ids') >> 2;
    const ends = field('ends') >> 2;
    const window = field('window');
    const negative = field('negative');
    const cbow = field('cbow') !== 0;
    const sentence = field('sentence');
    const targets = field('targets');
    const inputs = field('inputs');
    this.random = field('random');
    let kept = 0;
    for (let s = from; s < to; s++) {
      const end = i32[ends + s] ?? 0;
      let n = 0;
      for (let pos = s === 0 ? 0 : (i32[ends + s - 1] ?? 0); pos < end; pos++) {
        const id = i32[ids + pos] ?? 0;
        const threshold = u32[keep + id] ?? 0;
        if (threshold !== 0xffffffff && this.next() > threshold) continue;
        i32[(sentence >> 2) + n++] = id;
      }
      kept += n;
      for (let i = 0; i < n; i++) {
        const centre = i32[(sentence >> 2) + i] ?? 0;
        const b = this.next() % window;
        const lo = Math.max(0, i - window + b);
        const hi = Math.min(n, i + window + 1 - b);
        if (cbow) {
          let c = 0;
          for (let j = lo; j < hi; j++) if (j !== i) i32[(inputs >> 2) + c++] = i32[(sentence >> 2) + j] ?? 0;
          if (c > 0) this.step(ctx, inputs, c, targets, this.draw(targets, centre, negative, table, rows), alpha);
        } else {
          for (let j = lo; j < hi; j++) {
            if (j !== i) this.step(ctx, sentence + 4 * j, 1, targets, this.draw(targets, centre, negative, table, rows), alpha);
          }
        }
      }
    }
    u32[(ctx + CTX.random) >> 2] = this.random;
    return kept;
  }

  /** See Word2vecKernel.step and the wasm kernel's `step` (same phases: h, all dot products, grouped updates, inputs). */
  step(ctx: number, inputs: number, inputCount: number, targets: number, targetCount: number, alpha: number): void {
    const { u32, i32, f32, f64 } = this;
    const field = (name: keyof typeof CTX): number => u32[(ctx + CTX[name]) >> 2] ?? 0;
    const u = field('u') >> 2;
    const v = field('v') >> 2;
    const rf = field('rowFloats');
    const work = field('work') >> 2;
    const signals = field('signals') >> 2;
    const t = targets >> 2;
    let h = field('h') >> 2;
    if (inputCount === 1) {
      const row = u + (i32[inputs >> 2] ?? 0) * rf;
      if (field('tied') === 0) h = row;
      else f32.copyWithin(h, row, row + rf);
    } else {
      f32.fill(0, h, h + rf);
      for (let i = 0; i < inputCount; i++) {
        const row = u + (i32[(inputs >> 2) + i] ?? 0) * rf;
        for (let c = 0; c < rf; c++) f32[h + c] = (f32[h + c] ?? 0) + (f32[row + c] ?? 0);
      }
      const inverse = fround(1 / inputCount);
      for (let c = 0; c < rf; c++) f32[h + c] = (f32[h + c] ?? 0) * inverse;
    }
    f32.fill(0, work, work + rf);
    let padded = targetCount;
    while (padded % 3 !== 0) i32[t + padded++] = field('zeroRow');
    const alpha32 = fround(alpha);
    // The four float32 lanes of the wasm kernel's loss accumulator (lane 3 only ever adds zeros).
    const losses = [0, 0, 0];
    for (let k = 0; k < padded; k++) {
      if (k >= targetCount) {
        f32[signals + k] = 0;
        continue;
      }
      const f = this.dot(h, v + (i32[t + k] ?? 0) * rf, rf);
      const e = expNegFloat32(f);
      const label = k === 0 ? 1 : 0;
      f32[signals + k] = fround(label - fround((f >= 0 ? 1 : e) / fround(1 + e))) * alpha32;
      const lane = k % 3;
      losses[lane] = fround((losses[lane] ?? 0) + fround(Math.max(label ? -f : f, 0) + log1pFloat32(e)));
    }
    for (let k = 0; k < padded; k += 3) {
      const r0 = v + (i32[t + k] ?? 0) * rf;
      const r1 = v + (i32[t + k + 1] ?? 0) * rf;
      const r2 = v + (i32[t + k + 2] ?? 0) * rf;
      const g0 = f32[signals + k] ?? 0;
      const g1 = f32[signals + k + 1] ?? 0;
      const g2 = f32[signals + k + 2] ?? 0;
      for (let d = 0; d < rf; d++) {
        const hd = f32[h + d] ?? 0;
        let w = f32[work + d] ?? 0;
        let x = f32[r0 + d] ?? 0;
        w = fround(w + fround(g0 * x));
        f32[r0 + d] = x + fround(g0 * hd);
        x = f32[r1 + d] ?? 0;
        w = fround(w + fround(g1 * x));
        f32[r1 + d] = x + fround(g1 * hd);
        x = f32[r2 + d] ?? 0;
        w = fround(w + fround(g2 * x));
        f32[r2 + d] = x + fround(g2 * hd);
        f32[work + d] = w;
      }
    }
    for (let i = 0; i < inputCount; i++) {
      const row = u + (i32[(inputs >> 2) + i] ?? 0) * rf;
      for (let c = 0; c < rf; c++) f32[row + c] = (f32[row + c] ?? 0) + (f32[work + c] ?? 0);
    }
    const loss = fround(fround((losses[0] ?? 0) + (losses[1] ?? 0)) + (losses[2] ?? 0));
    f64[(ctx + CTX.lossSum) >> 3] = (f64[(ctx + CTX.lossSum) >> 3] ?? 0) + loss;
    f64[(ctx + CTX.lossSteps) >> 3] = (f64[(ctx + CTX.lossSteps) >> 3] ?? 0) + 1;
  }

  /**
   * Float32 dot product of the rows at float offsets a and b: four lanes in each of two accumulators (blocks of 8,
   * a 4-float tail in the first), added lane by lane, then (l0 + l1) + (l2 + l3): the wasm kernel's order.
   */
  private dot(a: number, b: number, rf: number): number {
    const f32 = this.f32;
    // prettier-ignore
    let a0 = 0, a1 = 0, a2 = 0, a3 = 0, b0 = 0, b1 = 0, b2 = 0, b3 = 0;
    let c = 0;
    for (const end = rf & ~7; c < end; c += 8) {
      a0 = fround(a0 + fround((f32[a + c] ?? 0) * (f32[b + c] ?? 0)));
      a1 = fround(a1 + fround((f32[a + c + 1] ?? 0) * (f32[b + c + 1] ?? 0)));
      a2 = fround(a2 + fround((f32[a + c + 2] ?? 0) * (f32[b + c + 2] ?? 0)));
      a3 = fround(a3 + fround((f32[a + c + 3] ?? 0) * (f32[b + c + 3] ?? 0)));
      b0 = fround(b0 + fround((f32[a + c + 4] ?? 0) * (f32[b + c + 4] ?? 0)));
      b1 = fround(b1 + fround((f32[a + c + 5] ?? 0) * (f32[b + c + 5] ?? 0)));
      b2 = fround(b2 + fround((f32[a + c + 6] ?? 0) * (f32[b + c + 6] ?? 0)));
      b3 = fround(b3 + fround((f32[a + c + 7] ?? 0) * (f32[b + c + 7] ?? 0)));
    }
    if (c < rf) {
      a0 = fround(a0 + fround((f32[a + c] ?? 0) * (f32[b + c] ?? 0)));
      a1 = fround(a1 + fround((f32[a + c + 1] ?? 0) * (f32[b + c + 1] ?? 0)));
      a2 = fround(a2 + fround((f32[a + c + 2] ?? 0) * (f32[b + c + 2] ?? 0)));
      a3 = fround(a3 + fround((f32[a + c + 3] ?? 0) * (f32[b + c + 3] ?? 0)));
    }
    return fround(fround(fround(a0 + b0) + fround(a1 + b1)) + fround(fround(a2 + b2) + fround(a3 + b3)));
  }

  /** The positive and the negatives drawn for it (draws equal to the positive skipped); returns the target count. */
  private draw(targets: number, centre: number, negative: number, table: number, rows: number): number {
    const { i32 } = this;
    i32[targets >> 2] = centre;
    let m = 1;
    for (let k = 0; k < negative; k++) {
      const t = drawAlias(this.u32, table, rows, this.next());
      if (t !== centre) i32[(targets >> 2) + m++] = t;
    }
    return m;
  }

  /** mulberry32's next uint32 (the wasm kernel's $next). */
  private next(): number {
    this.random = (this.random + 0x6d2b79f5) >>> 0;
    let t = this.random;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  }
}
