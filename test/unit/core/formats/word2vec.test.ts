import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { expected, maxAbsDiff, openFixture } from '../../helpers';

interface Word2vecExpected {
  rows: number;
  cols: number;
  firstTokens: string[];
  firstRows: number[][];
  lastToken: string;
}

const truth = expected<Word2vecExpected>('word2vec/expected.json');

for (const [file, format] of [
  ['word2vec/vectors.txt', 'word2vec-text'],
  ['word2vec/vectors.bin', 'word2vec-binary'],
  ['word2vec/vectors-noheader.txt', 'vectors-text'],
] as const) {
  describe(`a gensim-written ${file}`, () => {
    it(`is recognised by content as ${format}`, async () => {
      const checkpoint = await openFixture(file);
      try {
        assert.equal(checkpoint.format, format);
      } finally {
        await checkpoint.close();
      }
    });

    it("has gensim's vocabulary, in gensim's order, and one input matrix of its shape", async () => {
      const checkpoint = await openFixture(file);
      try {
        assert.equal(checkpoint.vocab.tokens.length, truth.rows);
        assert.deepEqual(checkpoint.vocab.tokens.slice(0, 5), truth.firstTokens);
        assert.equal(checkpoint.vocab.tokens.at(-1), truth.lastToken);
        assert.deepEqual(
          checkpoint.matrices.map((m) => [m.role, m.rows, m.cols]),
          [['input', truth.rows, truth.cols]],
        );
        assert.equal(checkpoint.tied, false);
      } finally {
        await checkpoint.close();
      }
    });

    it('holds the same numbers gensim holds, to float32 precision', async () => {
      const checkpoint = await openFixture(file);
      try {
        const data = await checkpoint.matrices[0]!.load();
        truth.firstRows.forEach((row, i) => {
          const ours = data.subarray(i * truth.cols, (i + 1) * truth.cols);
          // gensim writes text with repr(float32): 8–9 significant digits round-trip exactly.
          assert.ok(maxAbsDiff(ours, row) <= 1e-6 * Math.max(1, ...row.map(Math.abs)), `row ${i} differs`);
        });
        assert.ok(data.every(Number.isFinite), 'every value is finite');
      } finally {
        await checkpoint.close();
      }
    });
  });
}
