import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { runCli } from './run-cli';
import { fixture } from '../helpers';

const run = runCli;

const gensim = fixture('gensim/side/word2vec.model');

describe('embedding-lens project', () => {
  it('prints a schema-1 JSON layout with one point per token, the same for the same seed', async () => {
    const first = await run('project', gensim, '--method', 'umap', '--limit', '200', '--seed', '3');
    assert.equal(first.code, 0, first.stderr);
    const doc = JSON.parse(first.stdout) as {
      schema: number;
      method: string;
      dims: number;
      rows: number;
      seed: number;
      points: { token: string; x: number; y: number }[];
    };
    assert.equal(doc.schema, 1);
    assert.equal(doc.method, 'umap');
    assert.equal(doc.dims, 2);
    assert.equal(doc.seed, 3);
    assert.equal(doc.points.length, 200);
    assert.equal(doc.points[0]?.token, 'the');
    assert.ok(doc.points.every((p) => Number.isFinite(p.x) && Number.isFinite(p.y)));
    const again = JSON.parse((await run('project', gensim, '--method', 'umap', '--limit', '200', '--seed', '3')).stdout) as typeof doc;
    assert.deepEqual(again.points, doc.points);
  });

  it('writes a 3-D PCA as CSV to --out, atomically, and says where', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'lens-project-'));
    const out = join(folder, 'layout.csv');
    const result = await run('project', gensim, '--method', 'pca', '--dims', '3', '--out', out);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /^929 points \(PCA, 3-D\) written to .*layout\.csv/);
    const lines = readFileSync(out, 'utf8').trimEnd().split('\r\n');
    assert.equal(lines[0], 'token,x,y,z');
    assert.equal(lines.length, 930);
    assert.deepEqual(readdirSync(folder), ['layout.csv'], 'no temporary file is left behind');
  });

  it('lays out U and V together with a matrix column', async () => {
    const result = await run(
      'project',
      gensim,
      '--method',
      'pca',
      '--matrix',
      'joint',
      '--limit',
      '10',
      '--out',
      join(mkdtempSync(join(tmpdir(), 'lens-')), 'j.csv'),
    );
    assert.equal(result.code, 0, result.stderr);
    const json = JSON.parse((await run('project', gensim, '--method', 'pca', '--matrix', 'joint', '--limit', '10')).stdout) as {
      points: { token: string; matrix: string }[];
    };
    assert.equal(json.points.length, 20);
    assert.deepEqual(
      json.points.map((p) => p.matrix),
      [...Array(10).fill('U'), ...Array(10).fill('V')],
    );
    assert.equal(json.points[10]?.token, json.points[0]?.token);
  });

  it('refuses an --out that is neither .json nor .csv, and a joint layout without V', async () => {
    const bad = await run('project', gensim, '--out', 'layout.txt');
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--out expects a file ending in \.json or \.csv, got "layout\.txt"/);
    const noV = await run('project', fixture('word2vec/vectors.bin'), '--matrix', 'joint');
    assert.equal(noV.code, 2);
    assert.equal(noV.stderr.split('\n').length, 1);
    assert.match(noV.stderr, /expected an output matrix V for this view/);
  });
});
