import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { runCli } from './run-cli';
import { expected, fixture, shared, withCheckpoint } from '../helpers';
import { float32Bytes, npyHeader, vocabText } from '../../../src/core/export/matrix-writers';

const run = runCli;

const model = fixture('eval/word2vec.model');
const word2vecText = fixture('word2vec/vectors.txt');
const wordsim = shared('data/eval/wordsim353.tsv');
const simlex = shared('data/eval/simlex999.txt');
const analogies = shared('data/eval/questions-words.txt');
const sets = ['--wordsim', wordsim, '--simlex', simlex, '--analogies', analogies];

/** gensim's figures for U + V of the fixture (test/fixtures/scripts/make_eval.py). */
interface Scores {
  wordsim: { spearman: number; pairs: number; covered: number };
  simlex: { spearman: number; pairs: number; covered: number };
  analogies: { accuracy: number; answered: number; total: number };
}
const gensimSum = expected<{ default: { sum: Scores } }>('eval/expected.json').default.sum;

describe('embedding-lens eval PATH', () => {
  it("prints exactly the schema-1 keys with --json, with gensim's figures for U + V", async () => {
    const result = await run('eval', model, '--matrix', 'sum', ...sets, '--json');
    assert.equal(result.code, 0, result.stderr);
    const report = JSON.parse(result.stdout) as { schema: number; matrix: string } & Scores;
    assert.deepEqual(Object.keys(report), ['schema', 'matrix', 'wordsim', 'simlex', 'analogies']);
    assert.equal(report.schema, 1);
    assert.equal(report.matrix, 'sum');
    for (const key of ['wordsim', 'simlex'] as const) {
      assert.deepEqual(Object.keys(report[key]), ['spearman', 'pairs', 'covered']);
      assert.ok(Math.abs(report[key].spearman - gensimSum[key].spearman) <= 1e-9);
      assert.equal(report[key].covered, gensimSum[key].covered);
      assert.equal(report[key].pairs, gensimSum[key].pairs);
    }
    assert.deepEqual(report.analogies, {
      accuracy: gensimSum.analogies.accuracy,
      answered: gensimSum.analogies.answered,
      total: gensimSum.analogies.total,
    });
  });

  it("opens a training run's folder (U.npy, V.npy, vocab.txt) with U as input and V as output", async () => {
    const folder = mkdtempSync(join(tmpdir(), 'lens-eval-run-'));
    await withCheckpoint(model, async (checkpoint) => {
      for (const matrix of checkpoint.matrices) {
        const data = await matrix.load();
        const file = join(folder, matrix.role === 'input' ? 'U.npy' : 'V.npy');
        writeFileSync(file, Buffer.concat([npyHeader([matrix.rows, matrix.cols]), float32Bytes(data)]));
      }
      writeFileSync(join(folder, 'vocab.txt'), vocabText(checkpoint.vocab.tokens, checkpoint.vocab.counts ?? []));
    });
    for (const matrix of ['input', 'output', 'sum']) {
      const fromFolder = await run('eval', folder, '--matrix', matrix, ...sets, '--json');
      assert.equal(fromFolder.code, 0, fromFolder.stderr);
      assert.equal(fromFolder.stdout, (await run('eval', model, '--matrix', matrix, ...sets, '--json')).stdout, matrix);
    }
  });

  it('evaluates U by default and reports only the sets given', async () => {
    const result = await run('eval', model, '--simlex', simlex, '--json');
    assert.equal(result.code, 0, result.stderr);
    const report = JSON.parse(result.stdout) as Record<string, unknown>;
    assert.deepEqual(Object.keys(report), ['schema', 'matrix', 'simlex']);
    assert.equal(report['matrix'], 'input');
  });

  it('prints a readable table with the score and the coverage of each set', async () => {
    const result = await run('eval', model, '--matrix', 'output', ...sets);
    assert.equal(result.code, 0, result.stderr);
    const lines = result.stdout.split('\n');
    assert.match(lines[0] ?? '', /^V \(output\) of .*word2vec\.model, 2,475 rows × 10$/);
    assert.match(result.stdout, /WordSim-353 +ρ 0\.\d{4} +59 of 353 pairs/);
    assert.match(result.stdout, /SimLex-999 +ρ -0\.\d{4} +193 of 999 pairs/);
    assert.match(result.stdout, /analogies +\d+\.\d\d % +497 of 19,544 questions/);
    assert.match(result.stdout, /30,000 most frequent rows/);
  });

  it('asks for at least one evaluation set (exit 2) before opening the checkpoint', async () => {
    const result = await run('eval', '/nonexistent/checkpoint.bin');
    assert.equal(result.code, 2);
    assert.equal(result.stderr, 'eval expects at least one evaluation set: --wordsim FILE, --simlex FILE or --analogies FILE');
    assert.equal(result.stdout, '');
  });

  it('rejects an unknown --matrix and a sum without V, in one line each (exit 2)', async () => {
    const unknown = await run('eval', model, '--matrix', 'joint', '--wordsim', wordsim);
    assert.equal(unknown.code, 2);
    assert.equal(unknown.stderr, '--matrix expects one of input, output, sum, got "joint"');
    const noV = await run('eval', word2vecText, '--matrix', 'sum', '--wordsim', wordsim);
    assert.equal(noV.code, 2);
    assert.match(noV.stderr, /vectors\.txt: --matrix sum needs an output matrix V; the checkpoint has .* \(input\)$/);
  });

  it('names the file and the line of a malformed evaluation set (exit 2)', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'lens-eval-'));
    const bad = join(folder, 'pairs.tsv');
    writeFileSync(bad, '# pairs\ncat\tdog\t7\ncat dog 7\n');
    const result = await run('eval', model, '--wordsim', bad);
    assert.equal(result.code, 2);
    assert.equal(result.stderr, `${bad}:3: expected "word1<TAB>word2<TAB>score", found 1 tab-separated field in "cat dog 7"`);
  });

  it('says which evaluation file is missing (exit 2)', async () => {
    const result = await run('eval', model, '--analogies', '/nonexistent/questions-words.txt');
    assert.equal(result.code, 2);
    assert.match(result.stderr, /^\/nonexistent\/questions-words\.txt: /);
  });
});
