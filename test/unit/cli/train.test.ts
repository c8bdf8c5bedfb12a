import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { matrixWithRole } from '../../../src/core/checkpoint';
import { setOverrides } from '../../../src/cli/train';
import { runCli } from './run-cli';
import { shared, withCheckpoint } from '../helpers';

const folder = mkdtempSync(join(tmpdir(), 'lens-train-cli-'));
/** A few thousand lines of the shared slice: enough for every word to have contexts, quick to train. */
const corpus = join(folder, 'corpus.txt');
writeFileSync(corpus, readFileSync(shared('data/corpus/corpus-1m.txt'), 'utf8').split('\n').slice(0, 3000).join('\n'));

function config(name: string, settings: Record<string, unknown>): string {
  const path = join(folder, name);
  writeFileSync(path, JSON.stringify({ corpus: 'corpus.txt', dim: 8, epochs: 1, threads: 1, minCount: 3, out: 'runs', ...settings }));
  return path;
}

describe('embedding-lens train', () => {
  it('trains from a config, writes a run folder that opens as U and V, and prints the schema-1 summary', async () => {
    const result = await runCli(
      'train',
      config('sgns.lens.json', { trainer: 'sgns', eval: { wordsim: shared('data/eval/wordsim353.tsv') } }),
      '--json',
    );
    assert.equal(result.code, 0, result.stderr);
    const summary = JSON.parse(result.stdout) as Record<string, unknown> & { out: string; eval: { input: { wordsim: { pairs: number } } } };
    assert.deepEqual(Object.keys(summary), ['schema', 'out', 'trainer', 'backend', 'seconds', 'tokensPerSecond', 'loss', 'eval']);
    assert.equal(summary['schema'], 1);
    assert.ok(summary.out.startsWith(join(folder, 'runs', 'sgns-')), summary.out);
    assert.ok((summary['tokensPerSecond'] as number) > 0);
    assert.equal(summary.eval.input.wordsim.pairs, 353);
    assert.deepEqual(Object.keys(summary.eval), ['input', 'output', 'sum']);
    await withCheckpoint(summary.out, async (checkpoint) => {
      assert.equal(checkpoint.tied, false);
      assert.ok(matrixWithRole(checkpoint, 'output'), 'V.npy is read as V');
      assert.equal(checkpoint.matrices[0]?.cols, 8);
    });
    const manifest = JSON.parse(readFileSync(join(summary.out, 'manifest.json'), 'utf8')) as {
      producer: string;
      config: { trainer: string };
      lossPerEpoch: number[];
    };
    assert.equal(manifest.producer, 'embedding-lens');
    assert.equal(manifest.config.trainer, 'sgns');
    assert.equal(manifest.lossPerEpoch.length, 1);
    assert.match(result.stderr, /Reading the corpus/);
  });

  it('applies --set overrides: a tied run with more epochs, evaluated on U only', async () => {
    const result = await runCli('train', config('tied.lens.json', { trainer: 'sgns' }), '--set', 'tied=true', '--set=epochs=2', '--json');
    assert.equal(result.code, 0, result.stderr);
    const summary = JSON.parse(result.stdout) as { out: string; eval: unknown };
    assert.equal(summary.eval, null, 'no evaluation sets configured');
    assert.match(summary.out, /sgns-tied-/);
    const manifest = JSON.parse(readFileSync(join(summary.out, 'manifest.json'), 'utf8')) as {
      config: { epochs: number; tied: boolean };
      tied: boolean;
    };
    assert.equal(manifest.config.epochs, 2);
    assert.equal(manifest.tied, true);
    await withCheckpoint(summary.out, (checkpoint) => assert.equal(checkpoint.tied, true));
  });

  it('names the config, the key and what was wrong, with exit code 2 and no run folder', async () => {
    const before = readdirSync(folder);
    const bad = await runCli('train', config('bad.lens.json', { trainer: 'sgns', dim: -1 }));
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /bad\.lens\.json: "dim" expected an integer 1\.\.4096, found number -1/);
    const unknown = await runCli('train', config('typo.lens.json', { trainer: 'sgns' }), '--set', 'epoch=3');
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /--set epoch: unknown key/);
    const missing = await runCli('train', config('missing.lens.json', { trainer: 'sgns', corpus: 'nope.txt' }));
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /nope\.txt: expected a file, found nothing there/);
    assert.deepEqual(
      readdirSync(folder).filter((name) => !before.includes(name) && !name.endsWith('.json')),
      [],
    );
  });

  it('collects every --set, in order', () => {
    assert.deepEqual(setOverrides(['train', 'c.json', '--set', 'a=1', '--json', '--set=b=2']), ['a=1', 'b=2']);
  });
});
