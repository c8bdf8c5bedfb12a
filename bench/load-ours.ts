// One measurement of our loader in a fresh process, bundled by bench/load.mjs and run as
//   node bench/out/load-ours.js load|open PATH
// `load` times openCheckpoint + the first matrix's load(); `open` times openCheckpoint alone (the header-only
// path `inspect` takes). Prints one JSON line: seconds, peak extra RSS over the pre-load baseline, shape.
import { openCheckpoint } from '../src/core/open';
import { nodeFiles } from '../src/node/node-files';

/** How often the RSS sampler looks (ms): fine enough to see a transient buffer between parser chunks. */
const SAMPLE_MS = 2;

async function measure(mode: string, path: string): Promise<Record<string, unknown>> {
  const baseline = process.memoryUsage().rss;
  let sampledPeak = baseline;
  const sampler = setInterval(() => {
    sampledPeak = Math.max(sampledPeak, process.memoryUsage().rss);
  }, SAMPLE_MS);
  const started = performance.now();
  const checkpoint = await openCheckpoint(path, nodeFiles);
  const matrix = checkpoint.matrices[0];
  if (!matrix) throw new Error(`${path}: no matrix`);
  let checksum = 0;
  if (mode === 'load') {
    const values = await matrix.load();
    checksum = (values[0] ?? 0) + (values[values.length - 1] ?? 0);
  }
  const seconds = (performance.now() - started) / 1000;
  clearInterval(sampler);
  // maxRSS is in KiB and covers moments the sampler missed (a long synchronous parse between awaits).
  const peak = Math.max(sampledPeak, process.memoryUsage().rss, process.resourceUsage().maxRSS * 1024);
  const result = {
    tool: 'ours',
    mode,
    format: checkpoint.format,
    rows: matrix.rows,
    cols: matrix.cols,
    // Only after loading: a lazily built vocabulary must not be built by the header-only measurement.
    vocab: mode === 'load' ? checkpoint.vocab.tokens.length : undefined,
    seconds,
    baselineBytes: baseline,
    peakExtraBytes: peak - baseline,
    checksum,
  };
  await checkpoint.close();
  return result;
}

const [mode, path] = process.argv.slice(2);
if ((mode !== 'load' && mode !== 'open') || path === undefined) {
  process.stderr.write('usage: load-ours.js load|open PATH\n');
  process.exit(2);
}
measure(mode, path).then(
  (result) => process.stdout.write(`${JSON.stringify(result)}\n`),
  (error: unknown) => {
    process.stdout.write(`${JSON.stringify({ tool: 'ours', mode, error: (error as Error).message })}\n`);
    process.exitCode = 1;
  },
);
