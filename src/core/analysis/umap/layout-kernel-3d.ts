import { tablePow } from './fast-pow';
import { CLIP, REPULSION_EPSILON, UINT32_SCALE, type LayoutState } from './layout-state';

/**
 * Steps from..to of the current epoch in 3-D: the 2-D kernel (steps2 in layout-kernel-2d.ts) with a third
 * coordinate — two lanes of due edges interleaved, umap-learn's gradients, deterministic.
 */
export function steps3(s: LayoutState, from: number, to: number): void {
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
      if (q < countA) ra = singleEdge3(s, dueA[q] as number, ra);
      if (q < countB) rb = singleEdge3(s, dueB[q] as number, rb);
      continue;
    }
    const ia = dueA[q] as number;
    const ib = dueB[q] as number;
    const ja = head[ia] as number;
    const jb = head[ib] as number;
    let ax = e[3 * ja] as number;
    let ay = e[3 * ja + 1] as number;
    let az = e[3 * ja + 2] as number;
    let bx = e[3 * jb] as number;
    let by = e[3 * jb + 1] as number;
    let bz = e[3 * jb + 2] as number;
    // Attraction along edge A.
    let kx = 3 * (tail[ia] as number);
    let ox = e[kx] as number;
    let oy = e[kx + 1] as number;
    let oz = e[kx + 2] as number;
    let dx = ax - ox;
    let dy = ay - oy;
    let dz = az - oz;
    let d2 = dx * dx + dy * dy + dz * dz;
    if (d2 > 0) {
      const power = tablePow(d2, b, powers, c1, c2, c3);
      const coefficient = (attract * power) / (d2 * (a * power + 1));
      let gx = coefficient * dx;
      let gy = coefficient * dy;
      let gz = coefficient * dz;
      gx = gx > clip ? clip : gx < -clip ? -clip : gx;
      gy = gy > clip ? clip : gy < -clip ? -clip : gy;
      gz = gz > clip ? clip : gz < -clip ? -clip : gz;
      ax += gx * alpha;
      ay += gy * alpha;
      az += gz * alpha;
      e[kx] = ox - gx * alpha;
      e[kx + 1] = oy - gy * alpha;
      e[kx + 2] = oz - gz * alpha;
    }
    // Attraction along edge B.
    kx = 3 * (tail[ib] as number);
    ox = e[kx] as number;
    oy = e[kx + 1] as number;
    oz = e[kx + 2] as number;
    dx = bx - ox;
    dy = by - oy;
    dz = bz - oz;
    d2 = dx * dx + dy * dy + dz * dz;
    if (d2 > 0) {
      const power = tablePow(d2, b, powers, c1, c2, c3);
      const coefficient = (attract * power) / (d2 * (a * power + 1));
      let gx = coefficient * dx;
      let gy = coefficient * dy;
      let gz = coefficient * dz;
      gx = gx > clip ? clip : gx < -clip ? -clip : gx;
      gy = gy > clip ? clip : gy < -clip ? -clip : gy;
      gz = gz > clip ? clip : gz < -clip ? -clip : gz;
      bx += gx * alpha;
      by += gy * alpha;
      bz += gz * alpha;
      e[kx] = ox - gx * alpha;
      e[kx + 1] = oy - gy * alpha;
      e[kx + 2] = oz - gz * alpha;
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
          const ex = ax - (e[3 * m] as number);
          const ey = ay - (e[3 * m + 1] as number);
          const ez = az - (e[3 * m + 2] as number);
          const r2 = ex * ex + ey * ey + ez * ez;
          if (r2 > 0) {
            const coefficient = repel / ((epsilon + r2) * (a * tablePow(r2, b, powers, c1, c2, c3) + 1));
            let gx = coefficient * ex;
            let gy = coefficient * ey;
            let gz = coefficient * ez;
            gx = gx > clip ? clip : gx < -clip ? -clip : gx;
            gy = gy > clip ? clip : gy < -clip ? -clip : gy;
            gz = gz > clip ? clip : gz < -clip ? -clip : gz;
            ax += gx * alpha;
            ay += gy * alpha;
            az += gz * alpha;
          } else {
            // Coinciding points: umap-learn pushes by the clip value along every axis.
            ax += clip * alpha;
            ay += clip * alpha;
            az += clip * alpha;
          }
        }
      }
      if (p < nb) {
        rb ^= rb << 13;
        rb ^= rb >>> 17;
        rb ^= rb << 5;
        const m = ((rb >>> 0) * rowScale) | 0;
        if (m !== jb) {
          const ex = bx - (e[3 * m] as number);
          const ey = by - (e[3 * m + 1] as number);
          const ez = bz - (e[3 * m + 2] as number);
          const r2 = ex * ex + ey * ey + ez * ez;
          if (r2 > 0) {
            const coefficient = repel / ((epsilon + r2) * (a * tablePow(r2, b, powers, c1, c2, c3) + 1));
            let gx = coefficient * ex;
            let gy = coefficient * ey;
            let gz = coefficient * ez;
            gx = gx > clip ? clip : gx < -clip ? -clip : gx;
            gy = gy > clip ? clip : gy < -clip ? -clip : gy;
            gz = gz > clip ? clip : gz < -clip ? -clip : gz;
            bx += gx * alpha;
            by += gy * alpha;
            bz += gz * alpha;
          } else {
            bx += clip * alpha;
            by += clip * alpha;
            bz += clip * alpha;
          }
        }
      }
    }
    epochOfNextNegativeSample[ia] = (epochOfNextNegativeSample[ia] as number) + na * (epochsPerNegativeSample[ia] as number);
    epochOfNextNegativeSample[ib] = (epochOfNextNegativeSample[ib] as number) + nb * (epochsPerNegativeSample[ib] as number);
    e[3 * ja] = ax;
    e[3 * ja + 1] = ay;
    e[3 * ja + 2] = az;
    e[3 * jb] = bx;
    e[3 * jb + 1] = by;
    e[3 * jb + 2] = bz;
  }
  s.randomA = ra;
  s.randomB = rb;
}

/** One due edge on its own (the longer lane's tail of an epoch); returns the lane's advanced random state. */
function singleEdge3(s: LayoutState, i: number, random: number): number {
  const clip = CLIP;
  const epsilon = REPULSION_EPSILON;
  const uint32Scale = UINT32_SCALE;
  const e = s.embedding;
  const { a, b, alpha } = s;
  const { values: powers, c1, c2, c3 } = s.power;
  const j = s.head[i] as number;
  let cx = e[3 * j] as number;
  let cy = e[3 * j + 1] as number;
  let cz = e[3 * j + 2] as number;
  const kx = 3 * (s.tail[i] as number);
  const ox = e[kx] as number;
  const oy = e[kx + 1] as number;
  const oz = e[kx + 2] as number;
  const dx = cx - ox;
  const dy = cy - oy;
  const dz = cz - oz;
  const d2 = dx * dx + dy * dy + dz * dz;
  if (d2 > 0) {
    const power = tablePow(d2, b, powers, c1, c2, c3);
    const coefficient = (-2 * a * b * power) / (d2 * (a * power + 1));
    let gx = coefficient * dx;
    let gy = coefficient * dy;
    let gz = coefficient * dz;
    gx = gx > clip ? clip : gx < -clip ? -clip : gx;
    gy = gy > clip ? clip : gy < -clip ? -clip : gy;
    gz = gz > clip ? clip : gz < -clip ? -clip : gz;
    cx += gx * alpha;
    cy += gy * alpha;
    cz += gz * alpha;
    e[kx] = ox - gx * alpha;
    e[kx + 1] = oy - gy * alpha;
    e[kx + 2] = oz - gz * alpha;
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
    const ex = cx - (e[3 * m] as number);
    const ey = cy - (e[3 * m + 1] as number);
    const ez = cz - (e[3 * m + 2] as number);
    const r2 = ex * ex + ey * ey + ez * ez;
    if (r2 > 0) {
      const coefficient = repel / ((epsilon + r2) * (a * tablePow(r2, b, powers, c1, c2, c3) + 1));
      let gx = coefficient * ex;
      let gy = coefficient * ey;
      let gz = coefficient * ez;
      gx = gx > clip ? clip : gx < -clip ? -clip : gx;
      gy = gy > clip ? clip : gy < -clip ? -clip : gy;
      gz = gz > clip ? clip : gz < -clip ? -clip : gz;
      cx += gx * alpha;
      cy += gy * alpha;
      cz += gz * alpha;
    } else {
      cx += clip * alpha;
      cy += clip * alpha;
      cz += clip * alpha;
    }
  }
  s.epochOfNextNegativeSample[i] = (s.epochOfNextNegativeSample[i] as number) + negatives * perNegative;
  e[3 * j] = cx;
  e[3 * j + 1] = cy;
  e[3 * j + 2] = cz;
  return random;
}
