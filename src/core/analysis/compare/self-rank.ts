import type { WorkMeter } from './work-meter';

/** Queries scored together: each V row is loaded once per QUERY_BLOCK queries (4 × 2 rows fits the registers). */
const QUERY_BLOCK = 4;
/** Multiply-adds between progress steps (about a millisecond). */
const WORK_PER_STEP = 1 << 21;

/** Work units `selfRanks` reports for these sizes. */
export function selfRankWork(queries: number, rows: number, cols: number): number {
  return queries * rows * cols;
}

/**
 * Self rank of each query row i: where vᵢ lands among all rows of V when scored by the dot product uᵢ·vⱼ (the logit
 * a softmax over V would give), 1 = best. rank = 1 + #{j : uᵢ·vⱼ > uᵢ·vᵢ}, with every score accumulated in float64 in
 * the same order, so ties (equal scores, duplicate rows) count in the token's favour: the best rank among equals.
 * `queries` lists the rows to rank (all rows when null). Costs queries × rows × cols multiply-adds.
 */
export async function selfRanks(
  u: Float32Array,
  v: Float32Array,
  rows: number,
  cols: number,
  queries: Int32Array | null,
  meter: WorkMeter,
): Promise<Int32Array> {
  const count = queries === null ? rows : queries.length;
  const ranks = new Int32Array(count);
  const block = new Float64Array(QUERY_BLOCK * cols); // interleaved: block[c*4 + k] is column c of query k
  const self = new Float64Array(QUERY_BLOCK);
  const above = new Int32Array(QUERY_BLOCK);
  const chunkRows = Math.max(2, Math.floor(WORK_PER_STEP / (QUERY_BLOCK * Math.max(1, cols))));
  for (let start = 0; start < count; start += QUERY_BLOCK) {
    const size = Math.min(QUERY_BLOCK, count - start);
    block.fill(0);
    for (let k = 0; k < QUERY_BLOCK; k++) {
      if (k >= size) {
        self[k] = Infinity; // padding: nothing is counted for it
        continue;
      }
      const row = queries === null ? start + k : (queries[start + k] as number);
      let score = 0;
      for (let c = 0; c < cols; c++) {
        const x = u[row * cols + c] as number;
        block[c * QUERY_BLOCK + k] = x;
        score += x * (v[row * cols + c] as number);
      }
      self[k] = score;
    }
    above.fill(0);
    for (let from = 0; from < rows; from += chunkRows) {
      countAbove(block, self, above, v, from, Math.min(rows, from + chunkRows), cols);
      await meter.step(size * (Math.min(rows, from + chunkRows) - from) * cols);
    }
    for (let k = 0; k < size; k++) ranks[start + k] = 1 + (above[k] as number);
  }
  return ranks;
}

/** above[k] += #{j in [from, to) : q_k·v_j > self[k]}, two V rows at a time. */
function countAbove(q: Float64Array, self: Float64Array, above: Int32Array, v: Float32Array, from: number, to: number, cols: number): void {
  const s0 = self[0] as number;
  const s1 = self[1] as number;
  const s2 = self[2] as number;
  const s3 = self[3] as number;
  let c0 = 0;
  let c1 = 0;
  let c2 = 0;
  let c3 = 0;
  let j = from;
  for (; j + 1 < to; j += 2) {
    const at = j * cols;
    const bt = at + cols;
    let d0 = 0;
    let d1 = 0;
    let d2 = 0;
    let d3 = 0;
    let e0 = 0;
    let e1 = 0;
    let e2 = 0;
    let e3 = 0;
    for (let c = 0, b = 0; c < cols; c++, b += QUERY_BLOCK) {
      const x = v[at + c] as number;
      const y = v[bt + c] as number;
      const a0 = q[b] as number;
      const a1 = q[b + 1] as number;
      const a2 = q[b + 2] as number;
      const a3 = q[b + 3] as number;
      d0 += a0 * x;
      d1 += a1 * x;
      d2 += a2 * x;
      d3 += a3 * x;
      e0 += a0 * y;
      e1 += a1 * y;
      e2 += a2 * y;
      e3 += a3 * y;
    }
    c0 += (d0 > s0 ? 1 : 0) + (e0 > s0 ? 1 : 0);
    c1 += (d1 > s1 ? 1 : 0) + (e1 > s1 ? 1 : 0);
    c2 += (d2 > s2 ? 1 : 0) + (e2 > s2 ? 1 : 0);
    c3 += (d3 > s3 ? 1 : 0) + (e3 > s3 ? 1 : 0);
  }
  if (j < to) {
    const at = j * cols;
    let d0 = 0;
    let d1 = 0;
    let d2 = 0;
    let d3 = 0;
    for (let c = 0, b = 0; c < cols; c++, b += QUERY_BLOCK) {
      const x = v[at + c] as number;
      d0 += (q[b] as number) * x;
      d1 += (q[b + 1] as number) * x;
      d2 += (q[b + 2] as number) * x;
      d3 += (q[b + 3] as number) * x;
    }
    c0 += d0 > s0 ? 1 : 0;
    c1 += d1 > s1 ? 1 : 0;
    c2 += d2 > s2 ? 1 : 0;
    c3 += d3 > s3 ? 1 : 0;
  }
  above[0] = (above[0] as number) + c0;
  above[1] = (above[1] as number) + c1;
  above[2] = (above[2] as number) + c2;
  above[3] = (above[3] as number) + c3;
}
