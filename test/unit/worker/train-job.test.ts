import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { TrainProgress } from '../../../src/core/train/train-types';
import { latestRun } from '../../../src/node/train-run';
import { trainJob } from '../../../src/worker/train-job';
import { shared } from '../helpers';

const folder = mkdtempSync(join(tmpdir(), 'lens-train-job-'));
writeFileSync(join(folder, 'corpus.txt'), readFileSync(shared('data/corpus/corpus-1m.txt'), 'utf8').split('\n').slice(0, 2000).join('\n'));
const configFile = join(folder, 'sgns.lens.json');
writeFileSync(
  configFile,
  JSON.stringify({ trainer: 'sgns', corpus: 'corpus.txt', dim: 8, epochs: 2, threads: 1, minCount: 3, out: 'runs' }),
);

interface Manifest {
  config: { corpus: string[]; out: string; epochs: number; dim: number; tied: boolean };
  configPath: string;
}
const manifestOf = (run: string): Manifest => JSON.parse(readFileSync(join(run, 'manifest.json'), 'utf8')) as Manifest;

function hooks(): {
  signal: AbortSignal;
  progress: TrainProgress[];
  phases: string[];
  onProgress(p: TrainProgress): void;
  onPhase(m: string): void;
} {
  const progress: TrainProgress[] = [];
  const phases: string[] = [];
  return {
    signal: new AbortController().signal,
    progress,
    phases,
    onProgress: (p) => progress.push(p),
    onPhase: (message) => phases.push(message),
  };
}

describe('the compute worker’s training job', () => {
  let first = '';

  it('trains a config file, reports the trainer’s progress and the phases, and has no previous run the first time', async () => {
    const h = hooks();
    const result = await trainJob({ source: { configFile }, overrides: [] }, h);
    first = result.summary.out;
    assert.equal(result.previous, null);
    assert.deepEqual(result.warnings, []);
    assert.equal(h.progress.at(-1)?.fraction, 1);
    assert.ok(h.phases.some((phase) => phase.startsWith('Reading the corpus')));
    assert.ok(h.phases.includes('Writing the run'));
    // The manifest keeps the config with absolute paths, so the run can be trained again from its own folder.
    const manifest = manifestOf(first);
    assert.deepEqual(manifest.config.corpus, [join(folder, 'corpus.txt')]);
    assert.equal(manifest.config.out, join(folder, 'runs'));
    assert.equal(manifest.configPath, configFile);
  });

  it('retrains from a run folder with overrides and names that run as the one to compare with', async () => {
    const result = await trainJob({ source: { runFolder: first }, overrides: ['epochs=1', 'tied=true'] }, hooks());
    assert.equal(result.previous, first);
    assert.notEqual(result.summary.out, first);
    assert.match(result.summary.out, /sgns-tied-\d{8}-\d{6}/);
    const manifest = manifestOf(result.summary.out);
    assert.equal(manifest.config.epochs, 1);
    assert.equal(manifest.config.tied, true);
    assert.equal(manifest.config.dim, 8, 'everything not overridden is as the run had it');
  });

  it('names the newest earlier run of the output folder as previous, ignoring temporary and foreign folders', async () => {
    const runs = join(folder, 'runs');
    mkdirSync(join(runs, '.partial-sgns-29991231-235959-12345678'));
    writeFileSync(join(runs, '.partial-sgns-29991231-235959-12345678', 'manifest.json'), '{}');
    mkdirSync(join(runs, 'notes-29991231-235959'));
    const newest = (await latestRun(runs)) as string;
    assert.ok(readdirSync(runs).includes(newest.split('/').pop() as string));
    assert.ok(!newest.includes('.partial') && !newest.includes('notes'), newest);
    const result = await trainJob({ source: { configFile }, overrides: [] }, hooks());
    assert.equal(result.previous, newest);
    assert.equal(await latestRun(join(folder, 'no-such-folder')), null);
  });

  it('refuses a run folder without a manifest, naming the file, and cancels before writing anything', async () => {
    const empty = join(folder, 'empty-run');
    mkdirSync(empty);
    await assert.rejects(trainJob({ source: { runFolder: empty }, overrides: [] }, hooks()), (error: Error) => {
      assert.match(error.message, /empty-run\/manifest\.json/);
      return true;
    });
    const before = readdirSync(join(folder, 'runs')).length;
    const abort = new AbortController();
    abort.abort();
    await assert.rejects(trainJob({ source: { configFile }, overrides: [] }, { ...hooks(), signal: abort.signal }), { code: 'cancelled' });
    assert.equal(readdirSync(join(folder, 'runs')).length, before);
  });

  it('keeps a renamed run trainable: its manifest holds everything the retrain needs', async () => {
    const moved = join(folder, 'moved-run');
    renameSync(first, moved);
    const result = await trainJob({ source: { runFolder: moved }, overrides: ['epochs=1'] }, hooks());
    assert.equal(result.previous, moved);
  });
});
