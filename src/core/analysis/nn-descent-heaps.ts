/**
 * NN-descent's per-row state in flat typed arrays: for each row a bounded min-heap of its best neighbours so far
 * (root = the worst kept, so a candidate is rejected with one comparison) with a "new" flag per entry, and the
 * bounded random samples of candidates each iteration joins.
 */
export class NeighborHeaps {
  /** rows × size scores (higher is nearer), heap-ordered per row; -Infinity in empty slots. */
  readonly scores: Float32Array;
  /** rows × size neighbour rows matching `scores`; -1 in empty slots. */
  readonly ids: Int32Array;
  /** rows × size: 1 while the entry has not yet taken part in a local join. */
  readonly fresh: Uint8Array;

  constructor(
    readonly rows: number,
    readonly size: number,
  ) {
    this.scores = new Float32Array(rows * size).fill(-Infinity);
    this.ids = new Int32Array(rows * size).fill(-1);
    this.fresh = new Uint8Array(rows * size);
  }

  /** The score a candidate must beat to enter row i's heap. */
  worst(i: number): number {
    return this.scores[i * this.size] as number;
  }

  /** Offers neighbour j with `score` to row i; returns 1 when it was taken (better than the worst, not already there). */
  push(i: number, j: number, score: number): number {
    const { size, scores, ids, fresh } = this;
    const base = i * size;
    if (!(score > (scores[base] as number))) return 0;
    for (let t = base; t < base + size; t++) if (ids[t] === j) return 0;
    let at = 0;
    for (;;) {
      const left = 2 * at + 1;
      if (left >= size) break;
      const right = left + 1;
      const child = right < size && (scores[base + right] as number) < (scores[base + left] as number) ? right : left;
      if ((scores[base + child] as number) >= score) break;
      scores[base + at] = scores[base + child] as number;
      ids[base + at] = ids[base + child] as number;
      fresh[base + at] = fresh[base + child] as number;
      at = child;
    }
    scores[base + at] = score;
    ids[base + at] = j;
    fresh[base + at] = 1;
    return 1;
  }

  /** Row i's neighbours, best first (ties: lower row first), written to `out`; returns how many there are. */
  sorted(i: number, out: Int32Array): number {
    const { size, scores, ids } = this;
    const base = i * size;
    const order: number[] = [];
    for (let t = 0; t < size; t++) if ((ids[base + t] as number) >= 0) order.push(base + t);
    order.sort((a, b) => (scores[b] as number) - (scores[a] as number) || (ids[a] as number) - (ids[b] as number));
    order.forEach((slot, t) => (out[t] = ids[slot] as number));
    return order.length;
  }
}

/**
 * For each row, at most `size` candidate rows chosen uniformly at random from those offered: each offer carries a
 * random priority and the `size` smallest are kept (a max-heap on priority per row), so the sample does not depend
 * on the order of the offers.
 */
export class CandidateSets {
  readonly ids: Int32Array;
  private readonly priorities: Float32Array;

  constructor(
    readonly rows: number,
    readonly size: number,
  ) {
    this.ids = new Int32Array(rows * size);
    this.priorities = new Float32Array(rows * size);
    this.clear();
  }

  /** Empties every set. */
  clear(): void {
    this.ids.fill(-1);
    this.priorities.fill(Infinity);
  }

  /** Offers candidate j to row i's set with a random `priority` in [0, 1). */
  offer(i: number, j: number, priority: number): void {
    const { size, ids, priorities } = this;
    const base = i * size;
    if (!(priority < (priorities[base] as number))) return;
    for (let t = base; t < base + size; t++) if (ids[t] === j) return;
    let at = 0;
    for (;;) {
      const left = 2 * at + 1;
      if (left >= size) break;
      const right = left + 1;
      const child = right < size && (priorities[base + right] as number) > (priorities[base + left] as number) ? right : left;
      if ((priorities[base + child] as number) <= priority) break;
      priorities[base + at] = priorities[base + child] as number;
      ids[base + at] = ids[base + child] as number;
      at = child;
    }
    priorities[base + at] = priority;
    ids[base + at] = j;
  }

  /** True when row i's set holds j. */
  has(i: number, j: number): boolean {
    const base = i * this.size;
    for (let t = base; t < base + this.size; t++) if (this.ids[t] === j) return true;
    return false;
  }
}
