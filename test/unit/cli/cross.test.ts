import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { runCli } from './run-cli';
import { fixture } from '../helpers';

/** numpy's cross neighbours of a few tokens of the gensim model (test/fixtures/scripts/make_cross.py). */
interface CrossTruth {
  k: number;
  probes: Record<string, { dot: [string, number][]; cosine: [string, number][]; selfRank: number }>;
}
const truth = JSON.parse(readFileSync(fixture('gensim/cross.json'), 'utf8')) as CrossTruth;
const model = fixture('gensim/side/word2vec.model');

const run = runCli;

describe('embedding-lens neighbors --matrix cross', () => {
  for (const [token, expected] of Object.entries(truth.probes)) {
    it(`ranks V's rows by u·v for "${token}" as numpy does, by dot unless told otherwise`, async () => {
      const result = await run('neighbors', model, token, '--matrix', 'cross', '--k', String(truth.k), '--json');
      assert.equal(result.code, 0, result.stderr);
      const parsed = JSON.parse(result.stdout) as { matrix: string; metric: string; neighbors: { token: string; score: number }[] };
      assert.equal(parsed.matrix, 'cross');
      assert.equal(parsed.metric, 'dot');
      assert.deepEqual(
        parsed.neighbors.map((n) => n.token),
        expected.dot.map(([t]) => t),
      );
      parsed.neighbors.forEach((n, i) => assert.ok(Math.abs(n.score - expected.dot[i]![1]) < 1e-5, `${n.score} vs ${expected.dot[i]![1]}`));
    });
  }

  it('keeps the token itself among the candidates (its own context vector is a context like any other)', async () => {
    const [token, expected] = Object.entries(truth.probes)[0]!;
    const all = await run('neighbors', model, token, '--matrix', 'cross', '--k', '1000', '--json');
    const parsed = JSON.parse(all.stdout) as { neighbors: { token: string }[] };
    assert.equal(parsed.neighbors.findIndex((n) => n.token === token) + 1, expected.selfRank);
  });

  it('answers by cosine when asked', async () => {
    const [token, expected] = Object.entries(truth.probes)[1]!;
    const result = await run('neighbors', model, token, '--matrix', 'cross', '--metric', 'cosine', '--k', '5', '--json');
    const parsed = JSON.parse(result.stdout) as { neighbors: { token: string; score: number }[] };
    assert.deepEqual(
      parsed.neighbors.map((n) => n.token),
      expected.cosine.map(([t]) => t),
    );
  });

  it('says the text form scores V by the token U row', async () => {
    const token = Object.keys(truth.probes)[0]!;
    const result = await run('neighbors', model, token, '--matrix', 'cross', '--k', '3');
    assert.match(result.stdout, /^3 nearest to ".*" in V scored by its U row \(cross\) by dot:/);
  });

  it('refuses a checkpoint with U only, naming what it has', async () => {
    const result = await run('neighbors', fixture('word2vec/vectors.bin'), 'king', '--matrix', 'cross');
    assert.equal(result.code, 2);
    assert.match(result.stderr, /--matrix cross expected an input and an output matrix, the file has vectors \(input\)/);
  });
});
