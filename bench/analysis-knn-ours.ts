// Our side of the kNN benchmark, one measurement per process (bench/analysis-knn.mjs runs it with tsx):
//   node --import tsx bench/analysis-knn-ours.ts exact VEC N K OUT.i32 [THREADS WORKER.js]
//   node --import tsx bench/analysis-knn-ours.ts approx VEC N K EXACT.i32
//   node --import tsx bench/analysis-knn-ours.ts query ROWS COLS QUERIES
// Prints one JSON line. The .vec is read with our own reader (openCheckpoint) and its first N rows normalised to unit
// length before timing, as the numpy side does.
import { writeFileSync, readFileSync } from 'node:fs';
import { allPairsKnn } from '../src/core/analysis/knn';
import { KnnIndex } from '../src/core/analysis/knn-index';
import { approximateKnn } from '../src/core/analysis/nn-descent';
import { fillGaussian, seededRandom } from '../src/core/analysis/seeded-random';
import { openCheckpoint } from '../src/core/open';
import { allPairsKnnParallel } from '../src/node/knn-pool';
import { nodeFiles } from '../src/node/node-files';

async function firstRows(path: string, n: number): Promise<{ data: Float32Array; cols: number }> {
  const checkpoint = await openCheckpoint(path, nodeFiles);
  try {
    const matrix = checkpoint.matrices[0];
    if (!matrix) throw new Error(`${path}: no matrix`);
    const all = await matrix.load();
    const cols = matrix.cols;
    const data = all.slice(0, n * cols);
    for (let i = 0; i < n; i++) {
      let sum = 0;
      for (let c = 0; c < cols; c++) sum += (data[i * cols + c] as number) ** 2;
      const scale = sum === 0 ? 1 : 1 / Math.sqrt(sum);
      for (let c = 0; c < cols; c++) data[i * cols + c] = (data[i * cols + c] as number) * scale;
    }
    return { data, cols };
  } finally {
    await checkpoint.close();
  }
}

/** Wall and CPU (user + system, all threads of this process) seconds of `run`. */
async function timed<T>(run: () => Promise<T>): Promise<{ result: T; seconds: number; cpuSeconds: number }> {
  const cpu = process.cpuUsage();
  const started = performance.now();
  const result = await run();
  const seconds = (performance.now() - started) / 1000;
  const used = process.cpuUsage(cpu);
  return { result, seconds, cpuSeconds: (used.user + used.system) / 1e6 };
}

function recall(found: Int32Array, truth: Int32Array, rows: number, k: number): number {
  let hits = 0;
  for (let i = 0; i < rows; i++) {
    const wanted = new Set(truth.subarray(i * k, (i + 1) * k));
    for (let j = 0; j < k; j++) if (wanted.has(found[i * k + j] as number)) hits++;
  }
  return hits / (rows * k);
}

async function main(): Promise<void> {
  const [mode, ...args] = process.argv.slice(2);
  if (mode === 'exact') {
    const [path, n, k, out, threads, workerScript] = [
      args[0] as string,
      Number(args[1]),
      Number(args[2]),
      args[3] as string,
      Number(args[4] ?? 1),
      args[5],
    ];
    const { data, cols } = await firstRows(path, n);
    const parallel = { threads, ...(workerScript ? { workerScript } : {}) };
    const run = timed(() => (threads > 1 ? allPairsKnnParallel(data, cols, k, parallel) : allPairsKnn(data, cols, k)));
    const { result, seconds, cpuSeconds } = await run;
    writeFileSync(out, result.indices);
    console.log(JSON.stringify({ seconds, cpuSeconds, flops: 2 * n * n * (cols + 1) }));
  } else if (mode === 'approx') {
    const [path, n, k, exactFile] = [args[0] as string, Number(args[1]), Number(args[2]), args[3] as string];
    const { data, cols } = await firstRows(path, n);
    const { result, seconds, cpuSeconds } = await timed(() => approximateKnn(data, cols, k, { seed: 1 }));
    const truth = new Int32Array(readFileSync(exactFile).buffer.slice(0));
    console.log(JSON.stringify({ seconds, cpuSeconds, recall: recall(result.indices, truth, n, k) }));
  } else if (mode === 'query') {
    const [rows, cols, queries] = [Number(args[0]), Number(args[1]), Number(args[2])];
    const values = new Float64Array(rows * cols);
    fillGaussian(values, seededRandom(3));
    const data = Float32Array.from(values);
    const built = await timed(async () => new KnnIndex(data, cols));
    const index = built.result;
    const times: number[] = [];
    const random = seededRandom(4);
    for (let q = 0; q < queries; q++) {
      const row = Math.floor(random() * rows);
      const started = performance.now();
      index.searchOne(data.subarray(row * cols, (row + 1) * cols), 10, 'cosine', row);
      times.push(performance.now() - started);
    }
    times.sort((a, b) => a - b);
    const at = (share: number): number => times[Math.min(times.length - 1, Math.floor(share * times.length))] as number;
    console.log(JSON.stringify({ buildSeconds: built.seconds, medianMs: at(0.5), p90Ms: at(0.9), engine: index.engine }));
  } else {
    throw new Error(`unknown mode ${mode}`);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
