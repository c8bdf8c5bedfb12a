// npm run bench:load — our loader side by side with gensim's KeyedVectors.load_word2vec_format, in one run.
//
//   node bench/load.mjs [--reps 5] [--skip-build]
//
// Builds the data if missing (bench/make-data.sh), bundles bench/load-ours.ts with esbuild and builds dist/cli.js,
// warms the page cache, then alternates fresh processes (gensim, ours, ours+readInto) for each file and repetition,
// and times header-only inspect of the ~1 GB .npy and .safetensors. Writes bench/RESULTS.md and
// bench/out/load-results.json. Every figure is a median over the repetitions; the machine may be shared.
import { execFileSync, spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, totalmem } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { writeResultsSection } from './results-file.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const data = join(root, 'bench', 'data');
const out = join(root, 'bench', 'out');
const PYTHON = '/usr/bin/python3'; // Debian's Python: the one with python3-gensim
const args = process.argv.slice(2);
const repsAt = args.indexOf('--reps');
const reps = repsAt >= 0 ? Math.max(1, Number(args[repsAt + 1]) || 1) : 5;
// The issue's targets.
const TARGET = { binarySpeed: 1, textSpeed: 3, memory: 1.5, inspectSeconds: 0.5 };

const rel = (path) => relative(root, path);
const median = (values) => {
  const sorted = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  if (sorted.length === 0) return NaN;
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};
const mb = (bytes) => (bytes / 1e6).toFixed(1);
const fixed = (value, digits = 3) => (Number.isFinite(value) ? value.toFixed(digits) : 'n/a');
const verdict = (ok) => (ok === undefined ? 'n/a' : ok ? '**pass**' : '**FAIL**');

function sh(command, commandArgs, options = {}) {
  return execFileSync(command, commandArgs, { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], ...options }).trim();
}

/** Runs one measuring process and parses its one JSON line. */
function measure(command, commandArgs, env = {}) {
  const result = spawnSync(command, commandArgs, { cwd: root, encoding: 'utf8', env: { ...process.env, ...env } });
  const line = result.stdout.trim().split('\n').at(-1) ?? '';
  try {
    return JSON.parse(line);
  } catch {
    return { error: `${command} ${commandArgs.join(' ')} exited ${result.status}: ${(result.stderr || line).trim().split('\n').at(-1)}` };
  }
}

/** Wall time of a whole process, start included (for `embedding-lens inspect`). */
function wallTime(command, commandArgs) {
  const started = process.hrtime.bigint();
  const result = spawnSync(command, commandArgs, { cwd: root, encoding: 'utf8' });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (result.status !== 0) return { error: (result.stderr || result.stdout).trim().split('\n').at(-1), seconds };
  return { seconds, stdout: result.stdout };
}

/** Reads a file once so every timed run finds it in the page cache. */
function warm(path) {
  const fd = openSync(path, 'r');
  const buffer = Buffer.allocUnsafe(8 << 20);
  while (readSync(fd, buffer, 0, buffer.length, null) > 0);
  closeSync(fd);
}

// 1. Data, bundles, machine facts.
const files = {
  binary: join(data, 'vectors.bin'),
  text: join(data, 'vectors.txt'),
  npy: join(data, 'big.npy'),
  safetensors: join(data, 'big.safetensors'),
};
if (!Object.values(files).every(existsSync)) {
  console.log('building bench/data with bench/make-data.sh …');
  execFileSync('sh', [join(root, 'bench', 'make-data.sh')], { stdio: 'inherit' });
}
mkdirSync(out, { recursive: true });
if (!args.includes('--skip-build')) {
  sh(process.execPath, ['scripts/build.mjs']);
  await build({
    entryPoints: [join(root, 'bench', 'load-ours.ts')],
    outfile: join(out, 'load-ours.js'),
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    logLevel: 'warning',
  });
}
const ours = join(out, 'load-ours.js');
const machine = {
  date: new Date().toISOString(),
  nproc: availableParallelism(),
  cpu: cpus()[0]?.model ?? 'unknown',
  memory: `${(totalmem() / 2 ** 30).toFixed(1)} GiB`,
  node: process.version,
  python: sh(PYTHON, ['-c', 'import platform; print(platform.python_version())']),
  gensim: sh(PYTHON, ['-c', 'import gensim; print(gensim.__version__)']),
  numpy: sh(PYTHON, ['-c', 'import numpy; print(numpy.__version__)']),
  commit:
    (spawnSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: root, encoding: 'utf8' }).stdout.trim() || 'unknown') +
    (spawnSync('git', ['status', '--porcelain', 'src'], { cwd: root, encoding: 'utf8' }).stdout.trim() ? ' + uncommitted src changes' : ''),
  loadBefore: loadavg()
    .map((x) => x.toFixed(2))
    .join(' '),
};
for (const path of Object.values(files)) warm(path);

// 2. Loading ~80k×100 vectors: alternate the tools within each repetition, flipping the order every time.
const loads = { binary: { gensim: [], ours: [] }, text: { gensim: [], ours: [] } };
const runners = {
  gensim: (kind) => measure(PYTHON, ['bench/load_gensim.py', kind, files[kind]]),
  ours: (kind) => measure(process.execPath, [ours, 'load', files[kind]]),
};
for (let rep = 0; rep < reps; rep++) {
  for (const kind of ['binary', 'text']) {
    const order = rep % 2 === 0 ? ['gensim', 'ours'] : ['ours', 'gensim'];
    for (const tool of order) {
      const result = runners[tool](kind);
      loads[kind][tool].push(result);
      if (result.error) console.error(`${kind} ${tool}: ${result.error}`);
    }
  }
  console.log(`repetition ${rep + 1}/${reps} done`);
}

// 3. Header-only inspect of the ~1 GB files: in-process openCheckpoint, and the CLI end to end.
const inspects = {};
for (const kind of ['npy', 'safetensors']) {
  const runs = { open: [], cli: [], node: [] };
  for (let rep = 0; rep < reps; rep++) {
    runs.open.push(measure(process.execPath, [ours, 'open', files[kind]]));
    runs.cli.push(wallTime(process.execPath, ['dist/cli.js', 'inspect', '--json', files[kind]]));
    runs.node.push(wallTime(process.execPath, ['-e', '0'])); // Node's own start, for scale
  }
  inspects[kind] = runs;
}
machine.loadAfter = loadavg()
  .map((x) => x.toFixed(2))
  .join(' ');

// 4. Summaries and RESULTS.md.
const summary = { machine, reps, loads: {}, inspects: {} };
const rows = [];
for (const kind of ['binary', 'text']) {
  const g = loads[kind].gensim.filter((r) => !r.error);
  const shape = g[0] ?? loads[kind].ours.find((r) => !r.error);
  const matrixBytes = shape ? shape.rows * shape.cols * 4 : NaN;
  const line = (tool) => {
    const ok = loads[kind][tool].filter((r) => !r.error);
    return {
      runs: ok.length,
      errors: loads[kind][tool].filter((r) => r.error).map((r) => r.error),
      seconds: median(ok.map((r) => r.seconds)),
      peakExtraBytes: median(ok.map((r) => r.peakExtraBytes)),
      checksums: [...new Set(ok.map((r) => r.checksum))],
    };
  };
  const entry = { file: rel(files[kind]), bytes: statSync(files[kind]).size, shape, matrixBytes };
  for (const tool of ['gensim', 'ours']) entry[tool] = line(tool);
  entry.sameValues = entry.gensim.checksums.length === 1 && entry.ours.checksums.join() === entry.gensim.checksums.join();
  summary.loads[kind] = entry;
  for (const tool of ['ours']) {
    const speed = entry.gensim.seconds / entry[tool].seconds;
    const memory = entry[tool].peakExtraBytes / matrixBytes;
    rows.push({ kind, tool, entry, speed, memory });
  }
}
for (const kind of ['npy', 'safetensors']) {
  const runs = inspects[kind];
  const open = runs.open.filter((r) => !r.error);
  const cli = runs.cli.filter((r) => !r.error);
  summary.inspects[kind] = {
    file: rel(files[kind]),
    bytes: statSync(files[kind]).size,
    format: open[0]?.format,
    shape: open[0] ? [open[0].rows, open[0].cols] : undefined,
    openSeconds: median(open.map((r) => r.seconds)),
    openPeakExtraBytes: median(open.map((r) => r.peakExtraBytes)),
    cliSeconds: median(cli.map((r) => r.seconds)),
    nodeStartSeconds: median(runs.node.map((r) => r.seconds)),
    errors: [...new Set([...runs.open, ...runs.cli].filter((r) => r.error).map((r) => r.error))],
  };
}
writeFileSync(join(out, 'load-results.json'), JSON.stringify({ summary, loads, inspects }, null, 1));

const md = [];
md.push('# Load benchmark: ours vs gensim', '');
md.push(
  `Written by \`npm run bench:load\` (bench/load.mjs) on ${machine.date}. Medians of ${reps} repetitions; in each repetition`,
  'the tools run one after another in fresh processes, in alternating order, on files already in the page cache.',
  `The machine (2 cores) may be shared with other work: load average ${machine.loadBefore} before and ${machine.loadAfter} after`,
  'this run. Expect ±20 % on single figures; the ratios are what to compare.',
  '',
);
md.push('## Machine', '');
md.push(`| nproc | CPU | memory | node | python | gensim | numpy | commit |`, '|---|---|---|---|---|---|---|---|');
md.push(
  `| ${machine.nproc} | ${machine.cpu} | ${machine.memory} | ${machine.node} | ${machine.python} | ${machine.gensim} | ${machine.numpy} | ${machine.commit} |`,
  '',
);
md.push('## Loading word2vec vectors (target: ≥ 1× gensim on binary, ≥ 3× on text, peak memory ≤ 1.5× the matrix)', '');
const bin = summary.loads.binary;
md.push(
  `Files: ${bin.shape ? `${bin.shape.rows.toLocaleString('en')}×${bin.shape.cols}` : '?'} float32 (matrix ${mb(bin.matrixBytes)} MB), ` +
    `\`${bin.file}\` (${mb(bin.bytes)} MB) and \`${summary.loads.text.file}\` (${mb(summary.loads.text.bytes)} MB), written by gensim. ` +
    `Same values read by both: binary ${bin.sameValues ? 'yes' : 'NO'}, text ${summary.loads.text.sameValues ? 'yes' : 'NO'} (first and last value compared).`,
  '',
);
md.push(
  '| file | gensim s | ours s | speed (gensim s / ours s) | speed target | gensim peak extra MB | ours peak extra MB | ours peak / matrix | memory target |',
  '|---|---|---|---|---|---|---|---|---|',
);
for (const { kind, tool, entry, speed, memory } of rows) {
  const speedTarget = kind === 'binary' ? TARGET.binarySpeed : TARGET.textSpeed;
  md.push(
    `| ${kind} | ${fixed(entry.gensim.seconds)} | ${fixed(entry[tool].seconds)} | ${fixed(speed, 2)}× | ≥ ${speedTarget}×: ${verdict(
      Number.isFinite(speed) ? speed >= speedTarget : undefined,
    )} | ${mb(entry.gensim.peakExtraBytes)} (${fixed(entry.gensim.peakExtraBytes / entry.matrixBytes, 2)}×) | ${mb(
      entry[tool].peakExtraBytes,
    )} | ${fixed(memory, 2)}× | ≤ ${TARGET.memory}×: ${verdict(Number.isFinite(memory) ? memory <= TARGET.memory : undefined)} |`,
  );
}
md.push('');
md.push('## Header-only `inspect` of ~1 GB files (target: < 0.5 s)', '');
md.push(
  '| file | size | format found | shape | `embedding-lens inspect --json` (process start included) | target | in-process openCheckpoint (no load) | its peak extra MB | `node -e 0` |',
  '|---|---|---|---|---|---|---|---|---|',
);
for (const kind of ['npy', 'safetensors']) {
  const s = summary.inspects[kind];
  const missing = s.format === undefined;
  md.push(
    `| \`${s.file}\` | ${mb(s.bytes)} MB | ${missing ? `reader missing or failing: ${s.errors[0] ?? '?'}` : s.format} | ${s.shape ? s.shape.join('×') : '–'} | ${
      missing ? '–' : `${fixed(s.cliSeconds)} s`
    } | ${verdict(missing ? undefined : s.cliSeconds < TARGET.inspectSeconds)} | ${missing ? '–' : `${fixed(s.openSeconds)} s`} | ${
      missing ? '–' : mb(s.openPeakExtraBytes)
    } | ${fixed(s.nodeStartSeconds)} s |`,
  );
}
md.push('');
const remarks = [];
for (const kind of ['npy', 'safetensors']) {
  const s = summary.inspects[kind];
  if (s.format !== undefined && s.openPeakExtraBytes > 32e6) {
    remarks.push(
      `- Header-only open of \`${s.file}\` allocates ${mb(s.openPeakExtraBytes)} MB and takes ${fixed(s.openSeconds)} s although no matrix is read: something builds per-row data eagerly (row names are meant to be lazy, \`rowNumberVocabulary\` in src/core/checkpoint.ts).`,
    );
  }
}
if (remarks.length > 0) md.push('## Reading the results', '', ...remarks, '');
md.push(
  '## How it is measured',
  '',
  "- Data: `sh bench/make-data.sh` (see its header). fastText 0.9.2 `skipgram -dim 100 -epoch 1 -thread 2 -minCount 5 -minn 0 -maxn 0 -seed 1` on `../shared/data/corpus/corpus.txt.xz` (17.8M tokens) gives 77,981 words (the 77,980 corpus words seen at least 5 times, plus `</s>`; minCount 4 would give 92k, 6 would give 69k). gensim loads fastText's .vec and writes `vectors.txt` (`save_word2vec_format(binary=False)`) and `vectors.bin` (`binary=True`), so both tools read the same files. `big.npy`: 2,600,000×100 float32 written in 100k-row slices through numpy's `open_memmap`; `big.safetensors`: the same matrix as `model.embed_tokens.weight`, written by the safetensors library (0.8, a venv in bench/data/venv) from the memory-mapped .npy.",
  '- gensim: `/usr/bin/python3 bench/load_gensim.py text|binary FILE`, a fresh process; `time.perf_counter` around `KeyedVectors.load_word2vec_format(FILE, binary=…)` only (imports excluded). Peak extra memory: `ru_maxrss` after the load minus the RSS just before it (/proc/self/statm).',
  '- ours: `node bench/out/load-ours.js load FILE` (bench/load-ours.ts bundled by esbuild), a fresh process; `performance.now` around `openCheckpoint(FILE, nodeFiles)` + `matrices[0].load()`. Peak extra memory: the largest of `process.memoryUsage().rss` sampled every 2 ms and `process.resourceUsage().maxRSS`, minus the RSS just before opening. The matrix is 4 × rows × cols bytes; the tokens are extra memory for both tools.',
  '- Streaming readers reuse one 256 KB buffer through `ByteSource.readInto` (src/node/node-files.ts): with a fresh array per read, dead arrays wait for the next scavenge and a parser that allocates little triggers few scavenges, so 10–20 MB of them would pile up beside the matrix.',
  "- Header-only inspect: wall time of `node dist/cli.js inspect --json FILE` around the whole process (spawnSync, process start included), and `node bench/out/load-ours.js open FILE` (openCheckpoint without `load()`, timed in the process). `node -e 0` is Node's own start, for scale.",
  `- Command: \`npm run bench:load\` (\`node bench/load.mjs\`, ${reps} repetitions; \`--reps N\` to change, \`--skip-build\` to reuse the bundles). Raw runs: bench/out/load-results.json (git-ignored).`,
  '',
);
// Its own section of bench/RESULTS.md (headings one level down under the file's title); other benchmarks keep theirs.
const markdown = md.join('\n').replace(/^(#+) /gm, '#$1 ');
await writeResultsSection('load', markdown);
console.log(markdown);
