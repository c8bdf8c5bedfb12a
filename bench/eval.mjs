// Evaluation benchmark: our built-in evaluation (src/core/eval) side by side with gensim 4.2, in one run.
//
//   node bench/eval.mjs [--reps 3] [--no-write]
//
// On bench/data/fasttext.vec (77,981 × 100), U only: WordSim-353 and SimLex-999 Spearman, and Google analogy accuracy
// (3CosAdd, restricted to the 30,000 most frequent rows) with the evaluation sets of ../shared/data/eval.
// - phases, in-process: reading the .vec, the two pair sets, the analogies (bench/eval-ours.mts against
//   bench/eval_gensim.py: KeyedVectors.load_word2vec_format, evaluate_word_pairs, evaluate_word_analogies);
// - end to end: `embedding-lens eval` (the bundled CLI, a fresh node process) against the whole gensim script (a
//   fresh python process), wall seconds.
// Every figure is the median over `reps` runs, each in a fresh process, ours and gensim alternating; the machine is
// shared, so the spread (min–max) is reported too. Writes the section 'eval' of bench/RESULTS.md.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { writeResultsSection } from './results-file.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');
const VEC = join(here, 'data', 'fasttext.vec');
const EVAL = join(root, '..', 'shared', 'data', 'eval');
const OUT = join(here, 'out');
const CLI = join(OUT, 'eval-cli.js');
const PYTHON = '/usr/bin/python3'; // Debian's Python: gensim 4.2

function timed(command, args, env = process.env) {
  const started = performance.now();
  const result = spawnSync(command, args, { cwd: root, env, encoding: 'utf8', maxBuffer: 1 << 26 });
  const wall = (performance.now() - started) / 1000;
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed:\n${result.stderr}`);
  // The CLI prints indented JSON, the helper scripts one line.
  return { wall, json: JSON.parse(result.stdout) };
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = (sorted.length - 1) / 2;
  return (sorted[Math.floor(mid)] + sorted[Math.ceil(mid)]) / 2;
}

/** "median (min–max)" of seconds. */
function spread(values, digits = 2) {
  const text = median(values).toFixed(digits);
  return values.length > 1 ? `${text} (${Math.min(...values).toFixed(digits)}–${Math.max(...values).toFixed(digits)})` : text;
}

/** Runs the whole benchmark and returns its Markdown section. */
export async function benchEval({ reps = 3, log = (line) => process.stderr.write(`${line}\n`) } = {}) {
  if (!existsSync(VEC)) throw new Error(`${VEC} is missing: run sh bench/make-data.sh`);
  mkdirSync(OUT, { recursive: true });
  await build({
    entryPoints: [join(root, 'src', 'cli', 'cli.ts')],
    outfile: CLI,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    logLevel: 'warning',
  });
  const loadBefore = loadavg()
    .map((x) => x.toFixed(1))
    .join(' ');
  const runs = { ours: [], gensim: [], gensim1: [], cli: [], script: [] };
  // OpenBLAS on one thread: gensim's per-CPU speed, and steadier than two threads on a busy machine.
  const oneThread = { ...process.env, OPENBLAS_NUM_THREADS: '1' };
  for (let rep = 0; rep < reps; rep++) {
    runs.ours.push(timed(process.execPath, ['--import', 'tsx', join(here, 'eval-ours.mts'), VEC, EVAL]).json);
    runs.gensim.push(timed(PYTHON, [join(here, 'eval_gensim.py'), VEC, EVAL]).json);
    runs.gensim1.push(timed(PYTHON, [join(here, 'eval_gensim.py'), VEC, EVAL], oneThread).json);
    const sets = ['--wordsim', join(EVAL, 'wordsim353.tsv'), '--simlex', join(EVAL, 'simlex999.txt')];
    const cli = timed(process.execPath, [CLI, 'eval', VEC, ...sets, '--analogies', join(EVAL, 'questions-words.txt'), '--json']);
    runs.cli.push(cli);
    runs.script.push(timed(PYTHON, [join(here, 'eval_gensim.py'), VEC, EVAL]));
    log(
      `rep ${rep + 1}/${reps}: analogies ours ${runs.ours.at(-1).analogies.wall.toFixed(2)} s, gensim ${runs.gensim.at(-1).analogies.wall.toFixed(2)} s`,
    );
  }
  const loadAfter = loadavg()
    .map((x) => x.toFixed(1))
    .join(' ');
  const phase = (side, name, key = 'wall') => runs[side].map((run) => run[name][key]);
  const ratio = (name, anchor = 'gensim') => (median(phase('ours', name)) / median(phase(anchor, name))).toFixed(2);
  const ours = runs.cli[0].json;
  const theirs = runs.gensim[0].scores;
  const agree =
    ours.wordsim.covered === theirs.wordsim.covered &&
    ours.simlex.covered === theirs.simlex.covered &&
    Math.abs(ours.wordsim.spearman - theirs.wordsim.spearman) < 1e-9 &&
    Math.abs(ours.simlex.spearman - theirs.simlex.spearman) < 1e-9 &&
    ours.analogies.answered === theirs.analogies.answered &&
    ours.analogies.accuracy === theirs.analogies.accuracy;
  const rows = [
    ['read the .vec', 'load'],
    ['WordSim-353 + SimLex-999', 'pairs'],
    ['analogies (3CosAdd, top 30k)', 'analogies'],
  ].map(
    ([label, name]) =>
      `| ${label} | ${spread(phase('gensim', name))} | ${spread(phase('gensim1', name))} | ${spread(phase('ours', name))} | ${ratio(name)}× / ${ratio(name, 'gensim1')}× | ${median(phase('gensim', name, 'cpu')).toFixed(2)} / ${median(phase('gensim1', name, 'cpu')).toFixed(2)} / ${median(phase('ours', name, 'cpu')).toFixed(2)} |`,
  );
  const cliWall = runs.cli.map((run) => run.wall);
  const scriptWall = runs.script.map((run) => run.wall);
  return `## Evaluation: WordSim-353, SimLex-999, Google analogies, against gensim 4.2

bench/data/fasttext.vec (77,981 × 100), U. Median of ${reps} fresh-process runs (min–max in brackets), wall seconds; ours and gensim alternating. Node ${process.version}, 2 cores shared with other work (load average ${loadBefore} before, ${loadAfter} after).

| phase | gensim, s | gensim 1 BLAS thread, s | ours (1 thread), s | ours / gensim / gensim 1t | CPU s: gensim / gensim 1t / ours |
| ----- | --------- | ----------------------- | ------------------ | ------------------------- | -------------------------------- |
${rows.join('\n')}
| end to end (process start to exit) | ${spread(scriptWall)} | | ${spread(cliWall)} | ${(median(cliWall) / median(scriptWall)).toFixed(2)}× | |

Scores: WordSim-353 ρ ${ours.wordsim.spearman.toFixed(4)} (${ours.wordsim.covered} of ${ours.wordsim.pairs} pairs), SimLex-999 ρ ${ours.simlex.spearman.toFixed(4)} (${ours.simlex.covered} of ${ours.simlex.pairs}), analogies ${(ours.analogies.accuracy * 100).toFixed(2)} % (${ours.analogies.answered} of ${ours.analogies.total} answered); ${agree ? 'identical to gensim’s (ρ within 1e-9, counts and accuracy exactly)' : '**differs from gensim’s**: ' + JSON.stringify(theirs)}.

Ours: \`evaluateEmbedding\` (src/core/eval): cosines in float64; the answerable analogy questions as one query matrix b̂ − â + ĉ searched by \`KnnIndex\` (WebAssembly SIMD blocked matrix product over the unit rows of the top 30k, top 8 rescored in float64, then gensim's rule of skipping a, b, c). gensim: \`evaluate_word_pairs\` (default restrict_vocab 300,000), \`evaluate_word_analogies(restrict_vocab=30000)\` (one \`most_similar\` BLAS matrix-vector product per question; OpenBLAS on its default 2 threads, and on one with OPENBLAS_NUM_THREADS=1). End to end: \`embedding-lens eval PATH --wordsim --simlex --analogies --json\` (bench/out/eval-cli.js, bundled like dist/cli.js) against bench/eval_gensim.py as a whole (Python start, gensim import, load, both evaluations).
Command: \`npm run bench:eval\` (\`node bench/eval.mjs\`, \`--reps N\`, \`--no-write\`).`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const at = args.indexOf('--reps');
  const markdown = await benchEval({ reps: at >= 0 ? Number(args[at + 1]) : 3 });
  process.stdout.write(`${markdown}\n`);
  if (!args.includes('--no-write')) await writeResultsSection('eval', markdown);
}
