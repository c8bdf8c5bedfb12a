// word2vec training benchmark: ours (skip-gram and CBOW untied, skip-gram tied) side by side with fastText and gensim
// Word2Vec, in one run, on the same corpus and hyper-parameters.
//
//   node bench/train.mjs [--corpus full|1m] [--runs 1] [--epochs 5] [--threads 2] [--only ours,gensim,fasttext]
//                        [--configs "ours cbow,fastText cbow"] [--no-write]
//
// Corpus: ../shared/data/corpus/corpus-1m.txt (1M tokens) or the full corpus (17.8M tokens), decompressed once to
// bench/data/corpus.txt. Every trainer: dim 100, window 5, 5 negatives, min count 5, sample 1e-3, `epochs` epochs,
// `threads` threads, learning rate 0.025 for skip-gram and 0.05 for CBOW decaying linearly (word2vec.c's defaults,
// given to all three), run r (from 1) with seed r for every tool, each in a fresh process under /usr/bin/time (wall, user + system CPU, peak RSS). fastText runs
// word-only (-minn 0 -maxn 0 -bucket 0: no subword matrix to allocate). Throughput is raw corpus tokens × epochs per
// second, end to end (reading the text and building the vocabulary included), and for the training phase alone where
// the tool reports it. Quality: our `embedding-lens eval` (src/core/eval) on each model's input vectors: WordSim-353
// and SimLex-999 Spearman, analogy accuracy (3CosAdd over the 30k most frequent words). The configurations alternate
// order from run to run; figures are medians with the min–max spread, and the load average is recorded because the
// machine is shared. Writes the section 'train' (full corpus, the benchmark) or 'train-1m' of bench/RESULTS.md.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync } from 'node:fs';
import { loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { writeResultsSection } from './results-file.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');
const OUT = join(here, 'out', 'train');
const SHARED = join(root, '..', 'shared', 'data');
const CORPORA = { '1m': join(SHARED, 'corpus', 'corpus-1m.txt'), full: join(here, 'data', 'corpus.txt') };
const EVAL = join(SHARED, 'eval');
const PYTHON = '/usr/bin/python3'; // Debian's Python: gensim 4.2
const FASTTEXT = '/usr/bin/fasttext';
/** The pool's worker bundled as the extension ships it (dist/word2vec-worker.js): a .ts worker compiles in each thread. */
const WORKER = join(here, 'out', 'word2vec-worker.js');
/** Written by `npm run bench:tfjs` (bench/tfjs-models.mts lm). */
const LM_FIGURES = join(here, 'out', 'tfjs', 'lm.json');
/** word2vec.c's starting learning rates, given to every trainer. */
const ALPHA = { sg: 0.025, cbow: 0.05 };
// The targets: throughput ≥ 1× gensim (stretch ≥ fastText); quality within 0.02 ρ and 2 analogy points of
// the better anchor.
const TARGET = { spearman: 0.02, analogyPoints: 2 };

const CONFIGS = [
  { name: 'ours sg', tool: 'ours', mode: 'sg', tied: false },
  { name: 'gensim sg', tool: 'gensim', mode: 'sg' },
  { name: 'fastText sg', tool: 'fasttext', mode: 'sg' },
  { name: 'ours cbow', tool: 'ours', mode: 'cbow', tied: false },
  { name: 'gensim cbow', tool: 'gensim', mode: 'cbow' },
  { name: 'fastText cbow', tool: 'fasttext', mode: 'cbow' },
  { name: 'ours sg tied', tool: 'ours', mode: 'sg', tied: true },
  // fastText draws negatives ∝ count^0.5 (fixed in its source), word2vec.c and gensim ∝ count^0.75 (our default): ours
  // with fastText's exponent, to tell that difference from the rest.
  { name: 'ours cbow (negatives ∝ count^0.5)', tool: 'ours', mode: 'cbow', tied: false, negativePower: 0.5 },
];

function flag(name, fallback) {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 && process.argv[at + 1] !== undefined ? process.argv[at + 1] : fallback;
}

/** Runs a command under /usr/bin/time; returns its last stdout line as JSON (or null) and the time's figures. */
function timed(command, args) {
  const result = spawnSync('/usr/bin/time', ['-f', 'TIME %e %U %S %M', command, ...args], {
    cwd: root,
    encoding: 'utf8',
    maxBuffer: 1 << 26,
  });
  const line = result.stderr.split('\n').findLast((text) => text.startsWith('TIME '));
  if (result.status !== 0 || !line) throw new Error(`${command} ${args.join(' ')} failed:\n${result.stderr.slice(-2000)}`);
  const [wall, user, system, rssKb] = line.split(' ').slice(1).map(Number);
  const last = result.stdout.trim().split('\n').at(-1) ?? '';
  return { report: last.startsWith('{') ? JSON.parse(last) : null, wall, cpu: user + system, rssMb: rssKb / 1024 };
}

/** One training of one configuration; the model's input vectors end up in `vec`. */
function train(config, corpus, epochs, threads, vec, seed) {
  if (config.tool === 'ours') {
    const tied = config.tied ? 'tied' : 'untied';
    return timed(process.execPath, [
      '--import',
      'tsx',
      join(here, 'train-ours.ts'),
      corpus,
      vec,
      config.mode,
      tied,
      threads,
      epochs,
      WORKER,
      '--seed',
      seed,
      ...(config.negativePower === undefined ? [] : ['--negative-power', config.negativePower]),
    ]);
  }
  if (config.tool === 'gensim') {
    return timed(PYTHON, [join(here, 'train_gensim.py'), corpus, vec, config.mode, threads, epochs, ALPHA[config.mode], seed]);
  }
  const prefix = vec.replace(/\.vec$/, '');
  const args = ['-input', corpus, '-output', prefix, '-dim', 100, '-ws', 5, '-neg', 5, '-minCount', 5, '-t', 1e-3, '-epoch', epochs];
  args.push('-thread', threads, '-minn', 0, '-maxn', 0, '-bucket', 0, '-lr', ALPHA[config.mode], '-seed', seed, '-verbose', 0);
  const figures = timed(FASTTEXT, [config.mode === 'sg' ? 'skipgram' : 'cbow', ...args.map(String)]);
  return figures;
}

/** Our evaluation CLI on a word2vec text file. */
function evaluate(vec) {
  const sets = [
    '--wordsim',
    join(EVAL, 'wordsim353.tsv'),
    '--simlex',
    join(EVAL, 'simlex999.txt'),
    '--analogies',
    join(EVAL, 'questions-words.txt'),
  ];
  const result = spawnSync(process.execPath, ['--import', 'tsx', join(root, 'src', 'cli', 'cli.ts'), 'eval', vec, ...sets, '--json'], {
    cwd: root,
    encoding: 'utf8',
    maxBuffer: 1 << 26,
  });
  if (result.status !== 0) throw new Error(`eval ${vec} failed:\n${result.stderr}`);
  return JSON.parse(result.stdout);
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = (sorted.length - 1) / 2;
  return (sorted[Math.floor(mid)] + sorted[Math.ceil(mid)]) / 2;
}

/** "median (min–max)". */
function spread(values, digits) {
  const text = median(values).toFixed(digits);
  return values.length > 1 ? `${text} (${Math.min(...values).toFixed(digits)}–${Math.max(...values).toFixed(digits)})` : text;
}

const thousands = (value) => `${Math.round(value / 1000).toLocaleString('en-US')}k`;

/** Runs the whole benchmark and returns its Markdown section. */
export async function benchTrain({
  corpus: corpusName = 'full',
  runs = 1,
  epochs = 5,
  threads = 2,
  only = ['ours', 'gensim', 'fasttext'],
  names = null,
  log = (line) => process.stderr.write(`${line}\n`),
} = {}) {
  const corpus = CORPORA[corpusName];
  if (!corpus) throw new Error(`--corpus: expected 1m or full, found ${corpusName}`);
  if (corpusName === 'full' && !existsSync(corpus)) {
    log(`decompressing ${join(SHARED, 'corpus', 'corpus.txt.xz')} to ${corpus}`);
    mkdirSync(dirname(corpus), { recursive: true });
    const xz = spawnSync('sh', ['-c', `xz -dc "${join(SHARED, 'corpus', 'corpus.txt.xz')}" > "${corpus}.part"`], { stdio: 'inherit' });
    if (xz.status !== 0) throw new Error('xz failed');
    renameSync(`${corpus}.part`, corpus);
  }
  mkdirSync(OUT, { recursive: true });
  await build({
    entryPoints: [join(root, 'src', 'node', 'word2vec-worker.ts')],
    outfile: WORKER,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    logLevel: 'warning',
  });
  const configs = CONFIGS.filter((config) => only.includes(config.tool) && (!names || names.includes(config.name)));
  if (configs.length === 0) throw new Error(`no configuration left: --configs takes names from ${CONFIGS.map((c) => c.name).join(', ')}`);
  const figures = new Map(configs.map((config) => [config.name, []]));
  const loads = [];
  for (let run = 0; run < runs; run++) {
    // Rotate the order from run to run, so no configuration always runs first (or after the heaviest).
    const order = configs.map((_, i) => configs[(i + run) % configs.length]);
    for (const config of order) {
      loads.push(loadavg()[0]);
      const vec = join(OUT, `${corpusName}-${config.name.replace(/[^\w.-]+/g, '-')}.vec`);
      const result = train(config, corpus, epochs, threads, vec, run + 1);
      // Evaluated at once, so each run's model counts (two Hogwild threads make every run a different model).
      const q = evaluate(vec);
      figures.get(config.name).push({ ...result, quality: q });
      log(
        `run ${run + 1}/${runs} ${config.name}: ${result.wall.toFixed(1)} s wall, ${result.cpu.toFixed(1)} s CPU, load ${loads.at(-1).toFixed(1)}; ` +
          `wordsim ${q.wordsim.spearman.toFixed(3)}, simlex ${q.simlex.spearman.toFixed(3)}, analogies ${q.analogies.accuracy.toFixed(3)}`,
      );
    }
  }
  loads.push(loadavg()[0]);
  const rawTokens = [...figures.values()].flat().find((result) => result.report?.rawTokens)?.report.rawTokens;
  let cancel = null;
  if (only.includes('ours')) {
    cancel = timed(process.execPath, [
      '--import',
      'tsx',
      join(here, 'train-ours.ts'),
      corpus,
      join(OUT, 'cancel.vec'),
      'sg',
      'untied',
      threads,
      epochs,
      WORKER,
      '--cancel-after',
      3,
    ]).report;
  }
  return markdown({ corpusName, rawTokens, epochs, threads, runs, configs, figures, loads, cancel, lm: languageModels(log) });
}

/**
 * The tied-vs-untied language models of `npm run bench:tfjs` (bench/tfjs-models.mts writes LM_FIGURES and each
 * model's U as word2vec text): their figures, with U evaluated as the word2vec models are. Null when not run yet.
 */
function languageModels(log) {
  if (!existsSync(LM_FIGURES)) {
    log(`${LM_FIGURES} not found: run npm run bench:tfjs for the LM rows`);
    return null;
  }
  const figures = JSON.parse(readFileSync(LM_FIGURES, 'utf8'));
  return { ...figures, runs: figures.runs.map((run) => ({ ...run, quality: evaluate(join(root, run.vec)) })) };
}

function markdown({ corpusName, rawTokens, epochs, threads, runs, configs, figures, loads, cancel, lm }) {
  const work = rawTokens * epochs;
  const med = (name, pick) => median(figures.get(name).map(pick));
  const anchors = (mode) => ['gensim', 'fastText'].map((tool) => `${tool} ${mode}`).filter((name) => figures.has(name));
  const ratio = (name, anchor, pick) => (figures.has(anchor) ? `${(med(anchor, pick) / med(name, pick)).toFixed(2)}×` : '—');
  const lines = [
    `## word2vec training (${corpusName === 'full' ? 'full corpus' : '1M-token slice'})`,
    '',
    `${rawTokens.toLocaleString('en-US')} raw tokens × ${epochs} epochs, ${threads} threads; dim 100, window 5, 5 negatives, min count 5, ` +
      `sample 1e-3, learning rate 0.025 (sg) / 0.05 (cbow) → 0.0001 (fastText: → 0). ${runs} run${runs > 1 ? 's' : ''} per configuration in fresh processes, ` +
      `run r with seed r for every tool, order rotated; medians (min–max). Load average (1 min) during the runs: ${Math.min(...loads).toFixed(1)}–${Math.max(...loads).toFixed(1)} ` +
      `on 2 cores. Written by \`npm run bench:train${corpusName === 'full' ? '' : ' -- --corpus 1m'}\`.`,
    '',
    '| model | wall s | tokens/s (wall) | tokens per CPU-s | training phase: s, tokens/s | peak RSS MB | speed vs gensim (wall, CPU) | vs fastText (wall, CPU) |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const config of configs) {
    const results = figures.get(config.name);
    const phase = results[0].report
      ? `${spread(
          results.map((r) => r.report.trainSeconds),
          1,
        )}, ${thousands(work / med(config.name, (r) => r.report.trainSeconds))}`
      : '—';
    const [gensim, fasttext] = [`gensim ${config.mode}`, `fastText ${config.mode}`];
    const versus = (anchor) =>
      config.tool === 'ours' && figures.has(anchor)
        ? `${ratio(config.name, anchor, (r) => r.wall)}, ${ratio(config.name, anchor, (r) => r.cpu)}`
        : '';
    lines.push(
      `| ${config.name} | ${spread(
        results.map((r) => r.wall),
        1,
      )} | ${thousands(work / med(config.name, (r) => r.wall))} | ` +
        `${thousands(work / med(config.name, (r) => r.cpu))} | ${phase} | ${med(config.name, (r) => r.rssMb).toFixed(0)} | ${versus(gensim)} | ${versus(fasttext)} |`,
    );
  }
  lines.push(
    '',
    'Quality of the input vectors (U), by `embedding-lens eval` (Spearman ρ over the pairs both words of which are in the vocabulary; ' +
      'analogies: 3CosAdd over the 30k most frequent words, accuracy over all questions), median (min–max) over the runs: with two ' +
      'Hogwild threads every run trains a different model. The tied and LM rows are the experiment: does one matrix for both roles ' +
      'cost quality?',
    '',
    '| model | WordSim-353 ρ (pairs) | SimLex-999 ρ (pairs) | analogies (answered of total) | final loss | ours − better anchor (ρ ws, ρ sl, analogy points) |',
    '| --- | ---: | ---: | ---: | ---: | ---: |',
  );
  // Medians over the runs of each configuration's scores.
  const score = (name, pick) => med(name, (r) => pick(r.quality));
  const [wordsim, simlex, analogies] = [(q) => q.wordsim.spearman, (q) => q.simlex.spearman, (q) => q.analogies.accuracy];
  for (const config of configs) {
    const results = figures.get(config.name);
    const q = results[0].quality;
    const loss = results[0].report?.lossPerEpoch ? med(config.name, (r) => r.report.lossPerEpoch.at(-1)) : undefined;
    let versus = '';
    const untied = `ours ${config.mode}`;
    if (config.tied && figures.has(untied)) {
      const delta = (pick, scale = 1, digits = 3) => ((score(config.name, pick) - score(untied, pick)) * scale).toFixed(digits);
      versus = `tied − untied: ${delta(wordsim)}, ${delta(simlex)}, ${delta(analogies, 100, 1)}`;
    } else if (config.tool === 'ours' && anchors(config.mode).length > 0) {
      const best = (pick) => Math.max(...anchors(config.mode).map((anchor) => score(anchor, pick)));
      const deltas = [score(config.name, wordsim) - best(wordsim), score(config.name, simlex) - best(simlex)];
      const points = (score(config.name, analogies) - best(analogies)) * 100;
      const ok = deltas.every((delta) => delta >= -TARGET.spearman) && points >= -TARGET.analogyPoints;
      versus = `${deltas.map((delta) => delta.toFixed(3)).join(', ')}, ${points.toFixed(1)} ${ok ? '(within target)' : '(outside target)'}`;
    }
    const scores = (pick, scale, digits) =>
      spread(
        results.map((r) => pick(r.quality) * scale),
        digits,
      );
    lines.push(
      `| ${config.name} | ${scores(wordsim, 1, 3)} (${q.wordsim.covered}/${q.wordsim.pairs}) | ${scores(simlex, 1, 3)} (${q.simlex.covered}/${q.simlex.pairs}) | ` +
        `${scores(analogies, 100, 1)}% (${q.analogies.answered}/${q.analogies.total}) | ${loss === undefined ? '—' : loss.toFixed(3)} | ${versus} |`,
    );
  }
  if (lm) {
    const untied = lm.runs.find((run) => !run.tied);
    for (const run of lm.runs) {
      const q = run.quality;
      const perplexity = run.perplexityPerEpoch.at(-1);
      let versus = `held-out perplexity ${perplexity.toFixed(1)}, ${run.parameters.toLocaleString('en-US')} parameters`;
      if (run.tied && untied) {
        const delta = (pick, scale = 1, digits = 3) => ((pick(q) - pick(untied.quality)) * scale).toFixed(digits);
        versus += `; tied − untied: ${delta(wordsim)}, ${delta(simlex)}, ${delta(analogies, 100, 1)}`;
      }
      lines.push(
        `| LM ${run.tied ? 'tied' : 'untied'} (GRU, ${lm.epochs} epoch${lm.epochs > 1 ? 's' : ''}) | ${wordsim(q).toFixed(3)} (${q.wordsim.covered}/${q.wordsim.pairs}) | ` +
          `${simlex(q).toFixed(3)} (${q.simlex.covered}/${q.simlex.pairs}) | ${(analogies(q) * 100).toFixed(1)}% (${q.analogies.answered}/${q.analogies.total}) | — | ${versus} |`,
      );
    }
  } else {
    lines.push('| LM untied / tied | — | — | — | — | not measured: run `npm run bench:tfjs` first |');
  }
  if (configs.some((config) => config.negativePower !== undefined)) {
    lines.push(
      '',
      'fastText is not word2vec.c: its negatives are drawn ∝ count^0.5 (word2vec.c, gensim and our default: count^0.75) and redrawn ' +
        'when equal to the positive (word2vec.c, gensim, ours: skipped, about 0.1% of the draws on the full corpus), U starts in ±1/dim (ours ±0.5/dim; ' +
        'fastText 0.9.2 with T threads fills only the first T/10 of the rows, the rest start at zero), the learning rate decays to 0, ' +
        'σ is a table clamped at ±8 and every line ends with a </s> token that is a word of the vocabulary. Of these we tried the ' +
        'exponent, both initialisations and the </s> token on ours (CBOW, 2–4 seeds each): only the exponent moved the scores beyond ' +
        'the seed-to-seed spread. The row with count^0.5 (the option `negativePower`, default 0.75) measures ours at fastText’s exponent.',
    );
  }
  if (lm) {
    const corpus = lm.corpus.replace(/^(\.\.\/)+/, '../');
    lines.push(
      '',
      `The LM rows come from \`npm run bench:tfjs\` (bench/tfjs-models.mts, its section tfjs-lm): a GRU language model (d = hidden = ${lm.dim}, ` +
        `vocabulary ${lm.runs[0]?.vocabulary.toLocaleString('en-US')} with <unk>, backend ${lm.backend}) on ${corpus} (${lm.rawTokens.toLocaleString('en-US')} tokens), ` +
        'not on the corpus above: its input embedding U evaluated the same way, its held-out perplexity and parameter count beside it.',
    );
  }
  if (cancel)
    lines.push(
      '',
      `Cancel: a 2-thread skip-gram training aborted after 3 s stopped in ${cancel.cancelMs.toFixed(0)} ms (${cancel.outcome}).`,
    );
  return lines.join('\n');
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const corpus = flag('corpus', 'full');
  const section = await benchTrain({
    corpus,
    runs: Number(flag('runs', '1')),
    epochs: Number(flag('epochs', '5')),
    threads: Number(flag('threads', '2')),
    only: flag('only', 'ours,gensim,fasttext').split(','),
    names: process.argv.includes('--configs') ? flag('configs', '').split(',') : null,
  });
  process.stdout.write(`${section}\n`);
  if (!process.argv.includes('--no-write')) await writeResultsSection(corpus === 'full' ? 'train' : 'train-1m', section);
}
