import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import type { CheckpointError } from '../../../../src/core/errors';
import { openCheckpoint } from '../../../../src/core/open';
import { expected, fixture, maxAbsDiff, openFixture } from '../../helpers';
import { overlayFiles } from '../../overlay-files';

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

describe("GloVe's -write-header text output", () => {
  // GloVe writes "<vocab> <d>" and then one line more: its <unk> row. The header line is the one the real run
  // wrote (recorded by make_glove.sh); the lines are GloVe's default vectors.txt.
  const header = expected<{ writeHeaderLine: string }>('glove/expected.json').writeHeaderLine;
  const path = fixture('glove/vectors.txt');
  const body = new Uint8Array(readFileSync(path));
  const withHeader = (lines: Uint8Array) => new Uint8Array([...new TextEncoder().encode(header + '\n'), ...lines]);

  it('reads the header-counted words plus the trailing <unk> line, and says so', async () => {
    const checkpoint = await openCheckpoint(path, overlayFiles(path, withHeader(body)));
    assert.equal(checkpoint.format, 'word2vec-text');
    assert.equal(checkpoint.vocab.tokens.length, Number(header.split(' ')[0]) + 1);
    assert.equal(checkpoint.vocab.tokens.at(-1), '<unk>');
    assert.equal(checkpoint.matrices[0]!.rows, checkpoint.vocab.tokens.length);
    assert.match(checkpoint.provenance.notes.join('\n'), /extra last line is GloVe's <unk>/);
  });

  it('still refuses an extra line that is not <unk>', async () => {
    const text = new TextDecoder().decode(body).replace(/^<unk> /m, 'zzz ');
    await assert.rejects(openCheckpoint(path, overlayFiles(path, withHeader(new TextEncoder().encode(text)))), (error: CheckpointError) => {
      assert.equal(error.code, 'bad-header');
      assert.match(error.message, /expected 1452 vector lines, found more .*token "zzz"/);
      return true;
    });
  });
});
