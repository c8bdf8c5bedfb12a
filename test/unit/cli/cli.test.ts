import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runCli } from './run-cli';
import { expected, fixture } from '../helpers';

const run = runCli;

describe('embedding-lens inspect', () => {
  it('prints the schema-1 JSON contract for a word2vec binary', async () => {
    const result = await run('inspect', fixture('word2vec/vectors.bin'), '--json');
    assert.equal(result.code, 0, result.stderr);
    const summary = JSON.parse(result.stdout) as Record<string, unknown>;
    assert.deepEqual(Object.keys(summary).sort(), ['format', 'matrices', 'path', 'schema', 'tied', 'vocabSize']);
    assert.equal(summary['schema'], 1);
    assert.equal(summary['format'], 'word2vec-binary');
    assert.deepEqual(summary['matrices'], [{ name: 'vectors', role: 'input', rows: 1452, cols: 16, dtype: 'float32' }]);
  });

  it('prints a readable table without --json', async () => {
    const result = await run('inspect', fixture('word2vec/vectors.txt'));
    assert.equal(result.code, 0);
    assert.match(result.stdout, /format\s+word2vec-text/);
    assert.match(result.stdout, /U \(input\)\s+vectors\s+1452\s+16\s+float32/);
  });

  it('exits 2 with one line naming the file when it does not exist', async () => {
    const result = await run('inspect', fixture('word2vec/nope.bin'));
    assert.equal(result.code, 2);
    assert.equal(result.stderr.split('\n').length, 1);
    assert.match(result.stderr, /nope\.bin: expected a checkpoint file or folder, found nothing there/);
  });
});

describe('embedding-lens neighbors', () => {
  const truth = expected<{ probe: string; probeNeighbors: [string, number][] }>('word2vec/expected.json');

  it("returns gensim's most_similar list for the probe token, excluding the token", async () => {
    const result = await run('neighbors', fixture('word2vec/vectors.bin'), truth.probe, '--k', '5', '--json');
    assert.equal(result.code, 0, result.stderr);
    const parsed = JSON.parse(result.stdout) as {
      schema: number;
      token: string;
      matrix: string;
      metric: string;
      neighbors: { token: string; score: number }[];
    };
    assert.equal(parsed.schema, 1);
    assert.equal(parsed.matrix, 'input');
    assert.equal(parsed.metric, 'cosine');
    assert.deepEqual(
      parsed.neighbors.map((n) => n.token),
      truth.probeNeighbors.map(([token]) => token),
    );
    parsed.neighbors.forEach((n, i) => assert.ok(Math.abs(n.score - truth.probeNeighbors[i]![1]) < 1e-5));
    assert.ok(!parsed.neighbors.some((n) => n.token === truth.probe));
  });

  it('exits non-zero for an unknown token and suggests the nearest spellings', async () => {
    const result = await run('neighbors', fixture('word2vec/vectors.bin'), 'kingg');
    assert.equal(result.code, 1);
    assert.match(result.stderr, /token "kingg" is not in the vocabulary.*nearest spellings: king/);
  });

  it('refuses --matrix output on a file with only U, naming what it has', async () => {
    const result = await run('neighbors', fixture('word2vec/vectors.bin'), truth.probe, '--matrix', 'output');
    assert.equal(result.code, 2);
    assert.match(result.stderr, /expected an output matrix, the file has vectors \(input\)/);
  });
});
