// Our side of the UMAP benchmark and the umap-js anchor, one measurement per process (bench/analysis-umap.mjs
// bundles this file with esbuild, as the extension ships its code, and runs the bundle):
//   node analysis-umap-ours.mjs ours MATRIX.f32 N COLS SEED KNN OUT.f32     KNN: exact (allPairsKnn) | approx (NN-descent)
//   node analysis-umap-ours.mjs umapjs MATRIX.f32 N COLS SEED OUT.f32
//   node analysis-umap-ours.mjs preservation N TRUTH.i32 K LAYOUT.f32...
// Each prints one JSON line. The matrix is the raw float32 rows bench/analysis_umap.py wrote (not normalised: every
// tool is given the same rows and the cosine metric).
import { readFileSync, writeFileSync } from 'node:fs';
import { UMAP } from 'umap-js';
import { allPairsKnn, type KnnGraph } from '../src/core/analysis/knn';
import { approximateKnn } from '../src/core/analysis/nn-descent';
import { neighborhoodPreservation } from '../src/core/analysis/preservation';
import { seededRandom } from '../src/core/analysis/seeded-random';
import { runUmap } from '../src/core/analysis/umap/umap';

/** umap-learn's n_neighbors = 15 counts the row itself: 14 others. */
const NEIGHBOURS = 14;

function readFloats(path: string, count: number): Float32Array {
  const bytes = readFileSync(path);
  return new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + count * 4));
}

/** Ours end to end as the worker runs it: kNN, then runUmap with a signal and progress copies; then a cancel probe. */
async function ours(matrix: string, n: number, cols: number, seed: number, knn: string, out: string): Promise<void> {
  const data = readFloats(matrix, n * cols);
  const started = performance.now();
  const cpu = process.cpuUsage();
  const graph: KnnGraph =
    knn === 'approx' ? await approximateKnn(data, cols, NEIGHBOURS, { seed }) : await allPairsKnn(data, cols, NEIGHBOURS);
  const graphed = performance.now();
  let prepared = 0;
  let reports = 0;
  let lastReport = 0;
  let longestGap = 0;
  const result = await runUmap(
    graph,
    { data, cols },
    {
      metric: 'cosine',
      seed,
      signal: new AbortController().signal,
      onProgress: (epoch) => {
        const now = performance.now();
        if (epoch === 0) prepared = now;
        else longestGap = Math.max(longestGap, now - lastReport);
        lastReport = now;
        reports++;
      },
    },
  );
  const finished = performance.now();
  const used = process.cpuUsage(cpu);
  writeFileSync(out, result.coords);

  // Cancel probe: the same run again, aborted 1 s into the epochs; time from abort() to the rejection.
  const controller = new AbortController();
  let abortedAt = 0;
  let abortedEpoch = 0;
  const probe = runUmap(
    graph,
    { data, cols },
    {
      metric: 'cosine',
      seed,
      signal: controller.signal,
      onProgress: (epoch) => {
        if (epoch === 0) {
          setTimeout(() => {
            abortedAt = performance.now();
            controller.abort();
          }, 1000);
        }
        abortedEpoch = epoch;
      },
    },
  );
  let cancelMs = NaN;
  try {
    await probe;
  } catch {
    cancelMs = performance.now() - abortedAt;
  }
  console.log(
    JSON.stringify({
      knnSeconds: (graphed - started) / 1000,
      prepareSeconds: (prepared - graphed) / 1000,
      epochSeconds: (finished - prepared) / 1000,
      seconds: (finished - started) / 1000,
      cpuSeconds: (used.user + used.system) / 1e6,
      epochs: result.epochs,
      init: result.info.init,
      components: result.info.components,
      reports,
      longestGapMs: longestGap,
      cancelMs,
      cancelEpoch: abortedEpoch,
    }),
  );
}

/** Plain umap-js fit() as its README shows it, with a cosine distance (it computes its own kNN by NN-descent). */
function umapJs(matrix: string, n: number, cols: number, seed: number, out: string): void {
  const data = readFloats(matrix, n * cols);
  const rows = Array.from({ length: n }, (_, i) => Array.from(data.subarray(i * cols, (i + 1) * cols)));
  const cosine = (x: number[], y: number[]): number => {
    let dot = 0;
    let xx = 0;
    let yy = 0;
    for (let c = 0; c < x.length; c++) {
      dot += (x[c] as number) * (y[c] as number);
      xx += (x[c] as number) ** 2;
      yy += (y[c] as number) ** 2;
    }
    return xx === 0 || yy === 0 ? 1 : 1 - dot / Math.sqrt(xx * yy);
  };
  const started = performance.now();
  const embedding = new UMAP({ nNeighbors: 15, minDist: 0.1, distanceFn: cosine, random: seededRandom(seed) }).fit(rows);
  const seconds = (performance.now() - started) / 1000;
  writeFileSync(out, Float32Array.from(embedding.flat()));
  console.log(JSON.stringify({ seconds }));
}

/** Neighbourhood preservation at k of each layout against the exact cosine top-k lists in TRUTH.i32. */
async function preservation(n: number, truthFile: string, k: number, layouts: string[]): Promise<void> {
  const indices = new Int32Array(readFileSync(truthFile).buffer.slice(0));
  const graph: KnnGraph = { queries: n, k, indices, scores: new Float32Array(n * k) };
  const recalls: Record<string, number> = {};
  for (const layout of layouts) {
    recalls[layout] = (await neighborhoodPreservation(graph, readFloats(layout, n * 2), 2, k, { maxRows: n })).recall;
  }
  console.log(JSON.stringify(recalls));
}

async function main(): Promise<void> {
  const [mode, ...args] = process.argv.slice(2);
  if (mode === 'ours') {
    await ours(args[0] as string, Number(args[1]), Number(args[2]), Number(args[3]), args[4] as string, args[5] as string);
  } else if (mode === 'umapjs') {
    umapJs(args[0] as string, Number(args[1]), Number(args[2]), Number(args[3]), args[4] as string);
  } else if (mode === 'preservation') {
    await preservation(Number(args[0]), args[1] as string, Number(args[2]), args.slice(3));
  } else {
    throw new Error(`unknown mode ${mode}`);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
