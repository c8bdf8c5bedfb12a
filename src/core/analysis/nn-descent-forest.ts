import type { PairScorer } from './nn-descent-pairs';
import { PAIR_BATCH } from './nn-descent-pairs';
import type { Random } from './seeded-random';

/** One random-projection tree's leaves: `order` holds every row once, leaf l is order[bounds[l]..bounds[l+1]). */
export interface TreeLeaves {
  readonly order: Int32Array;
  readonly bounds: Int32Array;
}

/**
 * A random-projection tree over the scorer's rows (its copy: normalised rows for cosine), split until leaves hold at
 * most `leafSize` rows. Each split takes two random rows a, b of the node and sends a row x left when
 * x·(a − b) > (a − b)·(a + b)/2, i.e. when x is nearer a than b (for unit rows the hyperplane passes the origin).
 * Rows close to each other tend to share leaves, so all pairs within each leaf make a good first kNN graph.
 */
export function projectionTree(scorer: PairScorer, cols: number, leafSize: number, random: Random): TreeLeaves {
  const rows = scorer.rows;
  const order = Int32Array.from({ length: rows }, (_, i) => i);
  const side = new Uint8Array(rows);
  const spare = new Int32Array(rows);
  const normal = new Float64Array(cols);
  const bounds: number[] = [];
  const stack: number[] = [0, rows];
  while (stack.length > 0) {
    const hi = stack.pop() as number;
    const lo = stack.pop() as number;
    if (hi - lo <= leafSize) {
      bounds.push(lo);
      continue;
    }
    const first = Math.floor(random() * (hi - lo));
    let second = Math.floor(random() * (hi - lo - 1));
    if (second >= first) second++;
    const a = order[lo + first] as number;
    const b = order[lo + second] as number;
    const rowA = scorer.row(a);
    const rowB = scorer.row(b);
    let offset = 0;
    for (let c = 0; c < cols; c++) {
      const x = rowA[c] as number;
      const y = rowB[c] as number;
      normal[c] = x - y;
      offset += ((x - y) * (x + y)) / 2;
    }
    scorer.setScratch(normal);
    let left = 0;
    for (let from = lo; from < hi; from += PAIR_BATCH) {
      const count = Math.min(PAIR_BATCH, hi - from);
      const pairs = scorer.pairs();
      for (let p = 0; p < count; p++) {
        pairs[2 * p] = order[from + p] as number;
        pairs[2 * p + 1] = rows;
      }
      const dots = scorer.dots(count);
      for (let p = 0; p < count; p++) {
        const margin = (dots[p] as number) - offset;
        // A row on the hyperplane (duplicates of a or b, zero rows) goes to a random side.
        const goesLeft = margin > 0 || (margin === 0 && random() < 0.5);
        side[from + p] = goesLeft ? 1 : 0;
        if (goesLeft) left++;
      }
    }
    let mid: number;
    if (left === 0 || left === hi - lo) {
      // Every row on one side (all identical): halve the node instead.
      mid = lo + ((hi - lo) >> 1);
    } else {
      let l = lo;
      let r = 0;
      for (let t = lo; t < hi; t++) {
        if (side[t] === 1) order[l++] = order[t] as number;
        else spare[r++] = order[t] as number;
      }
      order.set(spare.subarray(0, r), l);
      mid = l;
    }
    stack.push(mid, hi, lo, mid);
  }
  bounds.sort((x, y) => x - y);
  bounds.push(rows);
  return { order, bounds: Int32Array.from(bounds) };
}
