// Seeded clustered 2-D points that look like a projected vocabulary: many Gaussian clusters of Zipf-like sizes and
// spreads, plus a sparse uniform background. Same seed → same points in every implementation and run.

/** mulberry32: a small seeded PRNG. */
export function seededRandom(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * `n` points as float32 x,y pairs (around ±50 data units) and a shade per point (index / n, as a frequency rank
 * would be: row 0 is the most frequent token).
 * @param {number} n
 * @param {number} seed
 * @returns {{ xy: Float32Array, shade: Float32Array }}
 */
export function clusteredPoints(n, seed) {
  const random = seededRandom(seed);
  const clusters = 60;
  const centres = [];
  let total = 0;
  for (let c = 0; c < clusters; c++) {
    const weight = 1 / (c + 1); // Zipf: a few big clusters, many small ones
    total += weight;
    centres.push({ x: (random() - 0.5) * 80, y: (random() - 0.5) * 60, spread: 0.5 + random() * 4, weight: total });
  }
  const xy = new Float32Array(2 * n);
  const shade = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    shade[i] = i / Math.max(1, n - 1);
    if (random() < 0.08) {
      xy[2 * i] = (random() - 0.5) * 100;
      xy[2 * i + 1] = (random() - 0.5) * 75;
      continue;
    }
    const pick = random() * total;
    let c = 0;
    while (centres[c].weight < pick) c++;
    const centre = centres[c];
    const r = Math.sqrt(-2 * Math.log(1 - random())) * centre.spread;
    const t = 2 * Math.PI * random();
    xy[2 * i] = centre.x + r * Math.cos(t);
    xy[2 * i + 1] = centre.y + r * Math.sin(t);
  }
  return { xy, shade };
}
