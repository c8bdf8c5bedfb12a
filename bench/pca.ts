// PCA benchmark: our pca() (src/core/analysis/pca.ts) against numpy and scikit-learn on the same matrices.
//   node --import tsx bench/pca.ts [--reps 4] [--big] [--no-python]
// Each shape runs in a fresh Node process (so the first call is a cold start, as in the compute worker), then
// `reps` more calls in that process; the Python anchors run on the same .npy file. Matrices are made by numpy
// (bench/pca_numpy.py make) into bench/data/ on first use; the real fastText vectors are used when
// bench/data/vectors.bin exists (sh bench/make-data.sh). Prints a Markdown table.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_MAX_FIT_ROWS, pca } from '../src/core/analysis/pca';
import { openCheckpoint } from '../src/core/open';
import { nodeFiles } from '../src/node/node-files';

const here = dirname(fileURLToPath(import.meta.url));
const data = join(here, 'data');
const out = join(here, 'out');
const python = '/usr/bin/python3';
/** Axes in every run: the panel's scatter is 2-D. */
const COMPONENTS = 2;

interface Shape {
  readonly name: string;
  readonly file: string;
  /** How bench/pca_numpy.py makes it; undefined for the real vectors. */
  readonly make?: { rows: number; cols: number; kind: 'embedding' | 'isotropic' | 'lowrank' };
}

interface OursRun {
  rows: number;
  cols: number;
  coldMs: number;
  coldCpuMs: number;
  warmMs: number[];
  /** CPU time (user + system) of each warm call: steadier than wall time on a shared machine. */
  warmCpuMs: number[];
  passes: number;
  converged: boolean;
  fittedRows: number;
  ratios: number[];
}

function shapes(big: boolean): Shape[] {
  const made = (rows: number, cols: number, kind: 'embedding' | 'isotropic' | 'lowrank'): Shape => ({
    name: `${rows / 1000}k×${cols} ${kind}`,
    file: join(data, `pca-${rows}x${cols}-${kind}.npy`),
    make: { rows, cols, kind },
  });
  return [
    made(80_000, 100, 'embedding'),
    ...(existsSync(join(data, 'vectors.bin')) ? [{ name: '78k×100 fastText (real)', file: join(data, 'vectors.bin') }] : []),
    made(30_000, 300, 'embedding'),
    made(50_000, 768, 'embedding'),
    made(50_000, 768, 'isotropic'),
    ...(big ? [made(128_000, 4096, 'lowrank')] : []),
  ];
}

/** Child mode: load the matrix once, time a cold call and `reps` warm ones, save our axes for the quality check. */
async function measure(file: string, reps: number, axesFile: string): Promise<void> {
  const checkpoint = await openCheckpoint(file, nodeFiles);
  const matrix = checkpoint.matrices[0];
  if (!matrix) throw new Error(`${file}: no matrix`);
  const values = await matrix.load();
  const times: number[] = [];
  const cpu: number[] = [];
  let last;
  for (let rep = 0; rep <= reps; rep++) {
    const cpuBefore = process.cpuUsage();
    const started = performance.now();
    last = await pca(values, matrix.rows, matrix.cols, { components: COMPONENTS, seed: 1 });
    times.push(performance.now() - started);
    const used = process.cpuUsage(cpuBefore);
    cpu.push((used.user + used.system) / 1000);
  }
  await checkpoint.close();
  if (!last) throw new Error('no run');
  writeFileSync(axesFile, last.components);
  const run: OursRun = {
    rows: matrix.rows,
    cols: matrix.cols,
    coldMs: times[0] as number,
    coldCpuMs: cpu[0] as number,
    warmMs: times.slice(1),
    warmCpuMs: cpu.slice(1),
    passes: last.passes,
    converged: last.converged,
    fittedRows: last.fittedRows,
    ratios: last.explainedVarianceRatio,
  };
  console.log(JSON.stringify(run));
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length === 0
    ? NaN
    : ((sorted[Math.floor((sorted.length - 1) / 2)] as number) + (sorted[Math.ceil((sorted.length - 1) / 2)] as number)) / 2;
}

function run(command: string, args: string[]): string {
  const result = spawnSync(command, args, { encoding: 'utf8', maxBuffer: 1 << 24 });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed:\n${result.stderr}`);
  return result.stdout.trim().split('\n').at(-1) ?? '';
}

function hasSklearn(): boolean {
  return existsSync(python) && spawnSync(python, ['-c', 'import sklearn'], { stdio: 'ignore' }).status === 0;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const option = (name: string): string | undefined => {
    const at = args.indexOf(name);
    return at >= 0 ? args[at + 1] : undefined;
  };
  const reps = Number(option('--reps') ?? 4);
  const measured = option('--measure');
  if (measured !== undefined) return measure(measured, reps, option('--axes') ?? join(out, 'pca-axes.f32'));

  mkdirSync(data, { recursive: true });
  mkdirSync(out, { recursive: true });
  const withPython = !args.includes('--no-python') && hasSklearn();
  const loadBefore = loadavg()
    .map((x) => x.toFixed(2))
    .join(' ');
  const lines = [
    `| matrix | ours cold ms (CPU) | ours warm ms (median of ${reps}) | ours warm CPU ms | passes | fitted rows | ratios | sklearn auto (all rows) ms | sklearn randomized, ${DEFAULT_MAX_FIT_ROWS / 1000}k-row fit ms | numpy eigh, ${DEFAULT_MAX_FIT_ROWS / 1000}k-row fit ms | variance captured: ours / exact |`,
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
  ];
  for (const shape of shapes(args.includes('--big'))) {
    if (shape.make && !existsSync(shape.file)) {
      process.stderr.write(`making ${shape.file}\n`);
      run(python, [join(here, 'pca_numpy.py'), 'make', shape.file, String(shape.make.rows), String(shape.make.cols), shape.make.kind]);
    }
    const axesFile = join(out, `pca-axes-${shape.name.replace(/[^a-z0-9]+/gi, '-')}.f32`);
    const ours = JSON.parse(
      run(process.execPath, [
        '--import',
        'tsx',
        resolve(here, 'pca.ts'),
        '--measure',
        shape.file,
        '--reps',
        String(reps),
        '--axes',
        axesFile,
      ]),
    ) as OursRun;
    let anchors: Record<string, number> = {};
    if (withPython) {
      anchors = JSON.parse(
        run(python, [join(here, 'pca_numpy.py'), 'time', shape.file, axesFile, String(COMPONENTS), String(DEFAULT_MAX_FIT_ROWS)]),
      );
    }
    const ms = (seconds: number | undefined): string => (seconds === undefined ? 'n/a' : (seconds * 1000).toFixed(0));
    const share = (value: number | undefined): string => (value === undefined ? 'n/a' : value.toFixed(5));
    lines.push(
      `| ${shape.name} | ${ours.coldMs.toFixed(0)} (${ours.coldCpuMs.toFixed(0)}) | ${median(ours.warmMs).toFixed(0)} | ${median(ours.warmCpuMs).toFixed(0)} | ${ours.passes}${ours.converged ? '' : ' (limit)'} | ${ours.fittedRows} | ${ours.ratios.map((r) => r.toFixed(4)).join(', ')} | ${ms(anchors.sklearnAutoSeconds)} | ${ms(anchors.sklearnSampledSeconds)} | ${ms(anchors.numpySampledSeconds)} | ${share(anchors.oursCapturedShare)} / ${share(anchors.exactCapturedShare)} |`,
    );
    process.stderr.write(`${lines.at(-1)}\n`);
  }
  console.log(
    `PCA, ${COMPONENTS} components, Node ${process.version}; load average ${loadBefore} before, ${loadavg()
      .map((x) => x.toFixed(2))
      .join(' ')} after.\n`,
  );
  console.log(lines.join('\n'));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
