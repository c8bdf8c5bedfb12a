/** A seeded stream of uniform numbers in [0, 1): the same seed gives the same stream on every platform. */
export type Random = () => number;

/** mulberry32: 32-bit state, good enough for sampling rows and starting vectors, and fast. */
export function seededRandom(seed: number): Random {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Standard normal numbers (Box–Muller) filling `target`. */
export function fillGaussian(target: Float64Array, random: Random): void {
  for (let i = 0; i < target.length; i += 2) {
    // 1 - u is in (0, 1]: log never sees 0.
    const radius = Math.sqrt(-2 * Math.log(1 - random()));
    const angle = 2 * Math.PI * random();
    target[i] = radius * Math.cos(angle);
    if (i + 1 < target.length) target[i + 1] = radius * Math.sin(angle);
  }
}

/**
 * `count` distinct indices out of `0..total-1`, uniformly, in increasing order (Knuth's selection sampling:
 * one pass, no shuffle buffer). All indices when `count >= total`.
 */
export function sortedSample(total: number, count: number, random: Random): Int32Array {
  if (count >= total) return Int32Array.from({ length: total }, (_, i) => i);
  const chosen = new Int32Array(count);
  let taken = 0;
  for (let i = 0; i < total && taken < count; i++) {
    if (random() * (total - i) < count - taken) chosen[taken++] = i;
  }
  return chosen;
}
