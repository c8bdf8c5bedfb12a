import { tablePow } from './fast-pow';
import { CLIP, REPULSION_EPSILON, UINT32_SCALE, type LayoutState } from './layout-state';

/**
 * Steps from..to of the current epoch in 2-D. Each step runs lane A's and lane B's next due edge with their
 * negative samples interleaved: the two dependency chains (each sample moves the head the next one starts from) are
 * independent, so the CPU overlaps them (1.5× the speed of one chain here; 3 or 4 lanes were no faster). Per edge
 * the arithmetic is umap-learn's: attraction −2ab·d^(2(b−1)) / (1 + a·d^(2b)) on both ends, repulsion
 * 2γb / ((0.001 + d²)(1 + a·d^(2b))) on the head, each coordinate clipped to ±4. The lanes see each other's heads as
 * of their last write (like umap-learn's parallel mode with two threads, but deterministic).
 */
export function steps2(s: LayoutState, from: number, to: number): void {
  // Imported constants copied into locals: a module import can compile to a getter, which would not fold into the loop.
  const clip = CLIP;
  const epsilon = REPULSION_EPSILON;
  const uint32Scale = UINT32_SCALE;
  const e = s.embedding;
  const { head, tail, epochsPerSample, epochOfNextSample, epochsPerNegativeSample, epochOfNextNegativeSample, dueA, dueB } = s;
  const { countA, countB, a, b, alpha, epoch } = s;
  const { values: powers, c1, c2, c3 } = s.power;
  const attract = -2 * a * b;
  const repel = 2 * s.repulsion * b;
  const rowScale = s.rows * uint32Scale;
  let ra = s.randomA;
  let rb = s.randomB;
  for (let q = from; q < to; q++) {
    if (q >= countA || q >= countB) {
      if (q < countA) ra = singleEdge2(s, dueA[q] as number, ra);
      if (q < countB) rb = singleEdge2(s, dueB[q] as number, rb);
      continue;
    }
    const ia = dueA[q] as number;
    const ib = dueB[q] as number;
    const ja = head[ia] as number;
    const jb = head[ib] as number;
    let ax = e[2 * ja] as number;
    let ay = e[2 * ja + 1] as number;
    let bx = e[2 * jb] as number;
    let by = e[2 * jb + 1] as number;
    // Attraction along edge A.
    let kx = 2 * (tail[ia] as number);
    let ox = e[kx] as number;
    let oy = e[kx + 1] as number;
    let dx = ax - ox;
    let dy = ay - oy;
    let d2 = dx * dx + dy * dy;
    if (d2 > 0) {
      const power = tablePow(d2, b, powers, c1, c2, c3);
      const coefficient = (attract * power) / (d2 * (a * power + 1));
      let gx = coefficient * dx;
      let gy = coefficient * dy;
      gx = gx > clip ? clip : gx < -clip ? -clip : gx;
      gy = gy > clip ? clip : gy < -clip ? -clip : gy;
      ax += gx * alpha;
      ay += gy * alpha;
      e[kx] = ox - gx * alpha;
      e[kx + 1] = oy - gy * alpha;
    }
    // Attraction along edge B.
    kx = 2 * (tail[ib] as number);
    ox = e[kx] as number;
    oy = e[kx + 1] as number;
    dx = bx - ox;
    dy = by - oy;
    d2 = dx * dx + dy * dy;
    if (d2 > 0) {
      const power = tablePow(d2, b, powers, c1, c2, c3);
      const coefficient = (attract * power) / (d2 * (a * power + 1));
      let gx = coefficient * dx;
      let gy = coefficient * dy;
      gx = gx > clip ? clip : gx < -clip ? -clip : gx;
      gy = gy > clip ? clip : gy < -clip ? -clip : gy;
      bx += gx * alpha;
      by += gy * alpha;
      e[kx] = ox - gx * alpha;
      e[kx + 1] = oy - gy * alpha;
    }
    epochOfNextSample[ia] = (epochOfNextSample[ia] as number) + (epochsPerSample[ia] as number);
    epochOfNextSample[ib] = (epochOfNextSample[ib] as number) + (epochsPerSample[ib] as number);
    const na = Math.trunc((epoch - (epochOfNextNegativeSample[ia] as number)) / (epochsPerNegativeSample[ia] as number));
    const nb = Math.trunc((epoch - (epochOfNextNegativeSample[ib] as number)) / (epochsPerNegativeSample[ib] as number));
    const longest = na > nb ? na : nb;
    for (let p = 0; p < longest; p++) {
      if (p < na) {
        ra ^= ra << 13;
        ra ^= ra >>> 17;
        ra ^= ra << 5;
        const m = ((ra >>> 0) * rowScale) | 0;
        // The head itself: distance 0 and j = k, which umap-learn skips.
        if (m !== ja) {
          const ex = ax - (e[2 * m] as number);
          const ey = ay - (e[2 * m + 1] as number);
          const r2 = ex * ex + ey * ey;
          if (r2 > 0) {
            const coefficient = repel / ((epsilon + r2) * (a * tablePow(r2, b, powers, c1, c2, c3) + 1));
            let gx = coefficient * ex;
            let gy = coefficient * ey;
            gx = gx > clip ? clip : gx < -clip ? -clip : gx;
            gy = gy > clip ? clip : gy < -clip ? -clip : gy;
            ax += gx * alpha;
            ay += gy * alpha;
          } else {
            // Coinciding points: umap-learn pushes by the clip value along every axis.
            ax += clip * alpha;
            ay += clip * alpha;
          }
        }
      }
      if (p < nb) {
        rb ^= rb << 13;
        rb ^= rb >>> 17;
        rb ^= rb << 5;
        const m = ((rb >>> 0) * rowScale) | 0;
        if (m !== jb) {
          const ex = bx - (e[2 * m] as number);
          const ey = by - (e[2 * m + 1] as number);
          const r2 = ex * ex + ey * ey;
          if (r2 > 0) {
            const coefficient = repel / ((epsilon + r2) * (a * tablePow(r2, b, powers, c1, c2, c3) + 1));
            let gx = coefficient * ex;
            let gy = coefficient * ey;
            gx = gx > clip ? clip : gx < -clip ? -clip : gx;
            gy = gy > clip ? clip : gy < -clip ? -clip : gy;
            bx += gx * alpha;
            by += gy * alpha;
          } else {
            bx += clip * alpha;
            by += clip * alpha;
          }
        }
      }
    }
    epochOfNextNegativeSample[ia] = (epochOfNextNegativeSample[ia] as number) + na * (epochsPerNegativeSample[ia] as number);
    epochOfNextNegativeSample[ib] = (epochOfNextNegativeSample[ib] as number) + nb * (epochsPerNegativeSample[ib] as number);
    e[2 * ja] = ax;
    e[2 * ja + 1] = ay;
    e[2 * jb] = bx;
    e[2 * jb + 1] = by;
  }
  s.randomA = ra;
  s.randomB = rb;
}

/** One due edge on its own (the longer lane's tail of an epoch); returns the lane's advanced random state. */
function singleEdge2(s: LayoutState, i: number, random: number): number {
  const clip = CLIP;
  const epsilon = REPULSION_EPSILON;
  const uint32Scale = UINT32_SCALE;
  const e = s.embedding;
  const { a, b, alpha } = s;
  const { values: powers, c1, c2, c3 } = s.power;
  const j = s.head[i] as number;
  let cx = e[2 * j] as number;
  let cy = e[2 * j + 1] as number;
  const kx = 2 * (s.tail[i] as number);
  const ox = e[kx] as number;
  const oy = e[kx + 1] as number;
  const dx = cx - ox;
  const dy = cy - oy;
  const d2 = dx * dx + dy * dy;
  if (d2 > 0) {
    const power = tablePow(d2, b, powers, c1, c2, c3);
    const coefficient = (-2 * a * b * power) / (d2 * (a * power + 1));
    let gx = coefficient * dx;
    let gy = coefficient * dy;
    gx = gx > clip ? clip : gx < -clip ? -clip : gx;
    gy = gy > clip ? clip : gy < -clip ? -clip : gy;
    cx += gx * alpha;
    cy += gy * alpha;
    e[kx] = ox - gx * alpha;
    e[kx + 1] = oy - gy * alpha;
  }
  s.epochOfNextSample[i] = (s.epochOfNextSample[i] as number) + (s.epochsPerSample[i] as number);
  const perNegative = s.epochsPerNegativeSample[i] as number;
  const negatives = Math.trunc((s.epoch - (s.epochOfNextNegativeSample[i] as number)) / perNegative);
  const repel = 2 * s.repulsion * b;
  const rowScale = s.rows * uint32Scale;
  for (let p = 0; p < negatives; p++) {
    random ^= random << 13;
    random ^= random >>> 17;
    random ^= random << 5;
    const m = ((random >>> 0) * rowScale) | 0;
    if (m === j) continue;
    const ex = cx - (e[2 * m] as number);
    const ey = cy - (e[2 * m + 1] as number);
    const r2 = ex * ex + ey * ey;
    if (r2 > 0) {
      const coefficient = repel / ((epsilon + r2) * (a * tablePow(r2, b, powers, c1, c2, c3) + 1));
      let gx = coefficient * ex;
      let gy = coefficient * ey;
      gx = gx > clip ? clip : gx < -clip ? -clip : gx;
      gy = gy > clip ? clip : gy < -clip ? -clip : gy;
      cx += gx * alpha;
      cy += gy * alpha;
    } else {
      cx += clip * alpha;
      cy += clip * alpha;
    }
  }
  s.epochOfNextNegativeSample[i] = (s.epochOfNextNegativeSample[i] as number) + negatives * perNegative;
  e[2 * j] = cx;
  e[2 * j + 1] = cy;
  return random;
}
