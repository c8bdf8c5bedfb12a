// npm run bench:scatter — pan/zoom frame time of our Scatter against the Embedding Projector's approach (three.js
// THREE.Points), in headless Debian Chromium, on the same seeded clustered points.
//
//   node bench/scatter.mjs [--reps 5] [--reps-large 3] [--frames 240] [--frames-large 60] [--sizes 100000,1000000]
//                          [--sync 1] [--no-write] [--skip-build]
//
// Bundles bench/scatter/page.mjs with esbuild into bench/out/scatter/, serves it on 127.0.0.1 (node:http), and for
// every repetition × size opens fresh pages, in an order rotated per repetition: each implementation alone (frame
// intervals, CPU per draw, draw → done), and ours side by side with each three.js variant in one page (both get the
// same input in the same frames, so their per-frame costs pair up on a noisy machine). Reports medians over
// repetitions of each run's median and p95. Writes its section of bench/RESULTS.md and the raw runs to bench/out/scatter-results.json.
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { cpus, loadavg, totalmem } from 'node:os';
import { dirname, extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { chromium } from 'playwright-core';
import { writeResultsSection } from './results-file.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'bench', 'out', 'scatter');
const args = process.argv.slice(2);
const option = (name, fallback) => {
  const at = args.indexOf(`--${name}`);
  return at >= 0 && args[at + 1] !== undefined ? args[at + 1] : fallback;
};
const sizes = option('sizes', '100000,1000000').split(',').map(Number);
// Above LARGE points a frame takes up to seconds in software WebGL: fewer frames and repetitions keep the run short.
const LARGE = 100_000;
const repsFor = (n) => Math.max(1, Number(n > LARGE ? option('reps-large', 3) : option('reps', 5)) || 1);
const framesFor = (n) => Math.max(8, Number(n > LARGE ? option('frames-large', 60) : option('frames', 240)) || 60);
const WARMUP_FRAMES = 30;
const sync = option('sync', '1') !== '0';
const SOLO = ['ours', 'three-projector', 'three-points', 'ours-canvas2d'];
const PAIRS = ['ours+three-projector', 'ours+three-points'];
const CHROMIUM = '/usr/bin/chromium';
// WebGL2 in headless Chromium without a GPU: ANGLE on SwiftShader (Vulkan). Vsync and the frame-rate limit are
// off so a frame takes as long as its work, not a 16.7 ms display tick.
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-dev-shm-usage',
  '--use-angle=swiftshader',
  '--enable-unsafe-swiftshader',
  '--disable-gpu-vsync',
  '--disable-frame-rate-limit',
  '--disable-background-timer-throttling',
  '--disable-renderer-backgrounding',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
const LABELS = {
  ours: 'ours (WebGL2)',
  'ours-canvas2d': 'ours (Canvas2D fallback)',
  'three-projector': 'three.js, projector-style',
  'three-points': 'three.js, plain Points',
};

function quantile(values, q) {
  const sorted = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  if (sorted.length === 0) return NaN;
  const at = (sorted.length - 1) * q;
  const lo = Math.floor(at);
  const hi = Math.ceil(at);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (at - lo);
}
const median = (values) => quantile(values, 0.5);
const fixed = (value, digits = 1) => (Number.isFinite(value) ? value.toFixed(digits) : 'n/a');
const count = (n) => n.toLocaleString('en-US');

async function bundle() {
  mkdirSync(out, { recursive: true });
  await build({
    entryPoints: [join(root, 'bench', 'scatter', 'page.mjs')],
    outfile: join(out, 'page.js'),
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: 'es2022',
    minify: true, // as shipped: the extension's webview bundle is minified for production
    logLevel: 'warning',
  });
  copyFileSync(join(root, 'bench', 'scatter', 'index.html'), join(out, 'index.html'));
}

function serve() {
  const types = { '.html': 'text/html', '.js': 'text/javascript' };
  const server = createServer((req, res) => {
    const path = normalize(join(out, new URL(req.url ?? '/', 'http://x').pathname));
    if (!path.startsWith(out) || !existsSync(path) || !extname(path)) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': types[extname(path)] ?? 'application/octet-stream' }).end(readFileSync(path));
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

/** One page: `impl` is one implementation or two joined by '+'. */
async function runPage(browser, base, impl, n) {
  const frames = framesFor(n);
  const page = await browser.newPage({ viewport: { width: 1640, height: 620 }, deviceScaleFactor: 1 });
  const errors = [];
  page.on('pageerror', (error) => errors.push(error.message));
  try {
    const query = new URLSearchParams({
      impl,
      n: String(n),
      frames: String(frames),
      warmup: String(WARMUP_FRAMES),
      seed: '1',
      sync: sync ? '1' : '0',
    });
    await page.goto(`${base}/index.html?${query}`);
    await page.waitForFunction(() => 'benchResult' in window, undefined, { timeout: 1_800_000, polling: 250 });
    const result = await page.evaluate(() => window.benchResult);
    return { page: impl, ...result, errors };
  } catch (error) {
    return { page: impl, n, error: `${error.message.split('\n')[0]}${errors.length ? ` (page: ${errors.join('; ')})` : ''}` };
  } finally {
    await page.close();
  }
}

/** Per-run figures of one implementation. */
function figures(subject, intervals) {
  return {
    doneMedian: median(subject.done),
    doneP95: quantile(subject.done, 0.95),
    frameMedian: median(intervals),
    frameP95: quantile(intervals, 0.95),
    cpuMedian: median(subject.cpu),
    cpuP95: quantile(subject.cpu, 0.95),
    draws: subject.cpu.length,
  };
}

function describeRun(run) {
  if (run.error) return run.error;
  return run.subjects
    .map((s) => {
      const f = figures(s, run.intervals);
      return `${s.impl}: draw→done ${fixed(f.doneMedian)} ms (p95 ${fixed(f.doneP95)}), cpu ${fixed(f.cpuMedian, 2)} ms, ${f.draws} draws`;
    })
    .join(' | ')
    .concat(run.subjects.length === 1 ? `, frame ${fixed(median(run.intervals))} ms (p95 ${fixed(quantile(run.intervals, 0.95))})` : '');
}

async function main() {
  const loadBefore = loadavg();
  if (!args.includes('--skip-build')) await bundle();
  const server = await serve();
  const base = `http://127.0.0.1:${server.address().port}`;
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
  const runs = [];
  try {
    for (const n of sizes) {
      const pages = [...SOLO, ...PAIRS];
      const reps = repsFor(n);
      for (let rep = 0; rep < reps; rep++) {
        // Rotate the order each repetition so no page always runs first (or right after the heaviest).
        for (const impl of pages.map((_, k) => pages[(k + rep) % pages.length])) {
          const run = await runPage(browser, base, impl, n);
          runs.push({ rep, ...run });
          console.log(`n=${n} rep ${rep + 1}/${reps} ${impl}: ${describeRun(run)}`);
        }
      }
    }
  } finally {
    await browser.close();
    server.close();
  }
  const loadAfter = loadavg();
  mkdirSync(join(root, 'bench', 'out'), { recursive: true });
  writeFileSync(join(root, 'bench', 'out', 'scatter-results.json'), JSON.stringify({ loadBefore, loadAfter, runs }));
  const section = report(runs, loadBefore, loadAfter);
  if (!args.includes('--no-write')) await writeSection(section);
  console.log(section);
}

function report(runs, loadBefore, loadAfter) {
  const ok = runs.filter((run) => !run.error);
  const failed = runs.filter((run) => run.error);
  const renderers = [
    ...new Set(ok.flatMap((run) => run.subjects.map((s) => s.renderer.replace(/^[^:]*: /, ''))).filter((r) => r.includes('ANGLE'))),
  ];
  const soloRows = [];
  const pairRows = [];
  for (const n of sizes) {
    const solo = (impl) => {
      const mine = ok.filter((run) => run.n === n && run.page === impl).map((run) => figures(run.subjects[0], run.intervals));
      if (mine.length === 0) return undefined;
      const pick = (key) => median(mine.map((f) => f[key]));
      return { reps: mine.length, ...Object.fromEntries(Object.keys(mine[0]).map((key) => [key, pick(key)])) };
    };
    const ours = solo('ours');
    for (const impl of SOLO) {
      const c = solo(impl);
      if (!c) continue;
      const ratio = (key) => (ours && impl.startsWith('three') ? fixed(ours[key] / c[key], 2) : '—');
      soloRows.push(
        `| ${count(n)} | ${LABELS[impl]} | ${fixed(c.doneMedian)} | ${fixed(c.doneP95)} | ${fixed(c.frameMedian)} | ${fixed(c.frameP95)} | ${fixed(1000 / c.frameMedian, 0)} | ${fixed(c.cpuMedian, 2)} | ${fixed(c.cpuP95, 2)} | ${ratio('doneMedian')} | ${ratio('frameMedian')} | ${c.reps} |`,
      );
    }
    for (const pair of PAIRS) {
      const mine = ok.filter((run) => run.n === n && run.page === pair);
      if (mine.length === 0) continue;
      const per = mine.map((run) => {
        const [a, b] = run.subjects.map((s) => figures(s, run.intervals));
        return { a, b, done: a.doneMedian / b.doneMedian, doneP95: a.doneP95 / b.doneP95, cpu: a.cpuMedian / b.cpuMedian };
      });
      const m = (f) => median(per.map(f));
      pairRows.push(
        `| ${count(n)} | ${LABELS[pair.split('+')[1]]} | ${fixed(m((p) => p.a.doneMedian))} | ${fixed(m((p) => p.b.doneMedian))} | **${fixed(
          m((p) => p.done),
          2,
        )}** | ${fixed(
          m((p) => p.doneP95),
          2,
        )} | ${fixed(
          m((p) => p.a.cpuMedian),
          2,
        )} | ${fixed(
          m((p) => p.b.cpuMedian),
          2,
        )} | ${fixed(
          m((p) => p.cpu),
          2,
        )} | ${per.length} |`,
      );
    }
  }
  const commit = (() => {
    try {
      const head = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: root, encoding: 'utf8' }).trim();
      // What was measured may differ from the commit: say so when the scatter or this benchmark has local edits.
      const dirty = execFileSync('git', ['status', '--porcelain', '--', 'webview/scatter', 'bench/scatter', 'bench/scatter.mjs'], {
        cwd: root,
        encoding: 'utf8',
      }).trim();
      return dirty ? `${head} (working tree modified)` : head;
    } catch {
      return 'n/a';
    }
  })();
  const framesNote = sizes.map((n) => `${count(n)} points: ${framesFor(n)} frames × ${repsFor(n)} repetitions`).join('; ');
  return [
    '## Scatter frame time',
    '',
    `Written by \`npm run bench:scatter\` (bench/scatter.mjs) on ${new Date().toISOString()}, commit ${commit}. ${cpus().length} cores (${cpus()[0]?.model.trim() ?? 'unknown CPU'}), ${(totalmem() / 2 ** 30).toFixed(1)} GiB, no GPU.`,
    `Load average ${loadBefore.map((v) => v.toFixed(2)).join(' ')} before and ${loadAfter.map((v) => v.toFixed(2)).join(' ')} after this run: the machine is shared, so single figures move by tens of percent between runs; the paired ratios (second table) are the comparison to trust.`,
    '',
    `Browser: headless Chromium ${chromiumVersion()} (Debian) with \`${CHROMIUM_ARGS.filter((a) => /angle|swiftshader|vsync|frame-rate/.test(a)).join(' ')}\`; WebGL2 renderer string: ${renderers.map((r) => `\`${r}\``).join('; ') || 'n/a'} (software rendering on the CPU). Canvas 800×600 CSS px at devicePixelRatio 1. ${framesNote}, after ${WARMUP_FRAMES} warm-up frames; page order rotated per repetition. Every figure is the median over repetitions of each run's median (or p95).`,
    '',
    '### Each implementation alone',
    '',
    '| points | implementation | draw → done ms (median) | draw → done ms (p95) | frame interval ms (median) | frame interval ms (p95) | fps | CPU ms per draw (median) | CPU ms per draw (p95) | ours / this, draw → done | ours / this, frame interval | reps |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
    ...soloRows,
    '',
    '### Ours and a three.js variant in the same page, same frames (paired)',
    '',
    '| points | three.js variant | ours draw → done ms (median) | three.js draw → done ms (median) | ratio ours / three.js (median) | ratio of p95s | ours CPU ms per draw | three.js CPU ms per draw | CPU ratio | reps |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
    ...pairRows,
    '',
    'Ratios below 1 mean ours is faster.',
    '',
    '### How it is measured',
    '',
    '- Data: `bench/scatter/data.mjs`, seeded (mulberry32, seed 1): 60 Gaussian clusters with Zipf-like weights and spreads plus 8 % uniform background, ±50 data units; shade = row / n (a frequency rank). The same points for every implementation.',
    "- Script (`bench/scatter/page.mjs`): one synthetic input event per animation frame on each canvas, so each implementation's own input handling runs: a quarter of the frames zooming in at the centre (8× in total), a quarter drag-panning 6, 3 px per frame, a quarter panning back, a quarter zooming out. Wheel deltas are converted so all zoom by the same factor per frame (ours: e^(−0.002·Δ); OrbitControls: 0.95^(0.01·|Δ|)). `setPointerCapture` is a no-op on the page (synthetic pointers cannot be captured), for every implementation.",
    '- Draw → done: CPU time of the draw call plus a 1-pixel `readPixels` right after it, which returns only when the GPU process (SwiftShader, on the CPU) has executed everything queued: the whole cost of one frame. Frame interval: time between consecutive `requestAnimationFrame` callbacks while the script runs, with that sync in the loop (vsync and the frame-rate limit off, so a frame takes as long as its work plus compositing); fps = 1000 / its median. CPU per draw: `performance.now()` around the draw call alone (ours: `Scatter.lastFrameMs()`; three.js: around `render()`, both passes for projector-style). Without the sync (`--sync 0`) Chromium pipelines and drops frames: intervals of 1–4 ms at 1M points, which measure nothing. For the Canvas2D fallback the sync is a 1-pixel `getImageData`.',
    '- ours: `webview/scatter/` as the webview ships it (minified bundle): one `drawArrays` of all points from buffers uploaded once (normalised float32 x,y + RGBA8 colour), antialiased discs with premultiplied alpha, drawn in the animation frame after an input event.',
    "- three.js, projector-style (`bench/scatter/three-projector.mjs`, three 0.187): the approach of tensorboard's `vz_projector` (`scatterPlot.ts`, `scatterPlotVisualizerSprites.ts`), rewritten for the benchmark: `WebGLRenderer`, `THREE.Points` over a `BufferGeometry` of xyz positions normalised to ±1 with `color` and `scaleFactor` attributes, a `ShaderMaterial` discarding outside a circle, `OrthographicCamera` moved by `OrbitControls` (left button pans, rotation off), rendering on every controls `change`. As the projector does on each render: an O(n) near/far scan of the points, a picking pass (ids as colours) into a canvas-sized render target, and fresh colour/scale `BufferAttribute`s (uploaded again) for both passes.",
    '- three.js, plain Points: the same scene with one pass and attributes uploaded once: the best case of the three.js approach.',
    "- Same pixels for all: the three.js frustum is fitted to the data with our 24 px margin (the projector uses ±1.2 around data normalised to ±1), and point size and opacity come from our `pointStyle` (3 px at 100k points when fitted, growing with zoom). The projector's own size rule (200 / ln n / ln 8 / 1.5, at least 5 px) would give three.js 5.6 px discs at 100k: 3.5× the fragments.",
    '- ours (Canvas2D fallback): the same Scatter forced to `renderer: canvas2d`: discs splatted in JavaScript into one ImageData, put once per frame.',
    '- Raw runs: bench/out/scatter-results.json (git-ignored). Options: `--reps`, `--reps-large`, `--frames`, `--frames-large`, `--sizes`, `--sync 0`, `--no-write`.',
    ...(failed.length ? ['', `Failed runs: ${failed.map((run) => `${run.page} n=${run.n}: ${run.error}`).join('; ')}`] : []),
    '',
  ].join('\n');
}

function chromiumVersion() {
  try {
    const text = execFileSync(CHROMIUM, ['--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    return /\d+(\.\d+)+/.exec(text)?.[0] ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

/** Replaces (or appends) the scatter section of bench/RESULTS.md. */
async function writeSection(section) {
  await writeResultsSection('scatter', section);
}

await main();
