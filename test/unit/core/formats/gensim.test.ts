import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { Checkpoint } from '../../../../src/core/checkpoint';
import { CheckpointError } from '../../../../src/core/errors';
import { openCheckpoint } from '../../../../src/core/open';
import { nodeFiles } from '../../../../src/node/node-files';
import { memoryFiles, recordingFiles } from '../../overlay-files';
import { expected, fixture, loadEverything, maxAbsDiff, openFixture, seededRandom, withCheckpoint } from '../../helpers';

interface MatrixFacts {
  shape: number[];
  rows: number[][];
}
interface GensimFacts {
  class: string;
  rows: number;
  cols: number;
  firstTokens: string[];
  lastToken: string;
  firstCounts: number[];
  lastCount: number;
  vectorRows: number[][];
  syn1neg?: MatrixFacts;
  syn1?: MatrixFacts;
  sideFiles?: string[];
}

const truth = expected<{ files: Record<string, GensimFacts> }>('gensim/expected.json');

/** The side-file model's folder as in-memory files under /mem, optionally without some of them. */
function sideFolder(without: readonly string[] = []): Record<string, Uint8Array> {
  const folder = fixture('gensim/side');
  const files: Record<string, Uint8Array> = {};
  for (const name of readdirSync(folder)) {
    if (!without.includes(name)) files[`/mem/${name}`] = new Uint8Array(readFileSync(join(folder, name)));
  }
  return files;
}

function withFixture<T>(relative: string, use: (checkpoint: Checkpoint) => Promise<T>): Promise<T> {
  return withCheckpoint(fixture(`gensim/${relative}`), use);
}

function assertRows(data: Float32Array, cols: number, rows: number[][], indices: number[], what: string): void {
  indices.forEach((row, i) => {
    assert.equal(maxAbsDiff(data.subarray(row * cols, (row + 1) * cols), rows[i] as number[]), 0, `${what} row ${row}`);
  });
}

for (const [file, facts] of Object.entries(truth.files)) {
  describe(`gensim's ${file} (${facts.class})`, () => {
    it('is recognised by content as a gensim model', async () => {
      await withFixture(file, async (checkpoint) => assert.equal(checkpoint.format, 'gensim'));
    });

    it("has gensim's vocabulary in gensim's order, with its training counts", async () => {
      await withFixture(file, async (checkpoint) => {
        const { tokens, counts } = checkpoint.vocab;
        assert.equal(tokens.length, facts.rows);
        assert.deepEqual(tokens.slice(0, 5), facts.firstTokens);
        assert.equal(tokens.at(-1), facts.lastToken);
        assert.deepEqual(counts?.slice(0, 5), facts.firstCounts);
        assert.equal(counts?.at(-1), facts.lastCount);
      });
    });

    const roles = [['input', 'wv.vectors']];
    if (facts.syn1neg) roles.push(['output', 'syn1neg']);
    if (facts.syn1) roles.push(['other', 'syn1']);
    it(`has ${roles.map(([role, name]) => `${name} as ${role}`).join(', ')}, never tied`, async () => {
      await withFixture(file, async (checkpoint) => {
        assert.deepEqual(
          checkpoint.matrices.map((m) => [m.role, m.name]),
          roles,
        );
        assert.ok(checkpoint.matrices.every((m) => m.rows === facts.rows && m.cols === facts.cols && m.dtype === 'float32'));
        assert.equal(checkpoint.tied, false);
      });
    });

    it('holds the numbers gensim holds, exactly', async () => {
      await withFixture(file, async (checkpoint) => {
        const indices = [0, 1, facts.rows - 1];
        for (const matrix of checkpoint.matrices) {
          const rows = matrix.name === 'wv.vectors' ? facts.vectorRows : (facts[matrix.name as 'syn1neg' | 'syn1'] as MatrixFacts).rows;
          assertRows(await matrix.load(), facts.cols, rows, indices, matrix.name);
        }
      });
    });
  });
}

describe('a gensim model saved with side files', () => {
  it('names the .npy side files it read, and reads their data only when a matrix is loaded', async () => {
    const path = fixture('gensim/side/word2vec.model');
    const vectorsFile = `${path}.wv.vectors.npy`;
    const { files, reads: recorded } = recordingFiles(vectorsFile);
    const reads = (): number[] => recorded.map(([, length]) => length);
    const checkpoint = await openCheckpoint(path, files);
    try {
      assert.deepEqual(checkpoint.provenance.files, [path, vectorsFile, `${path}.syn1neg.npy`]);
      assert.ok(
        reads().every((length) => length <= 256),
        `opening read only the .npy header: ${reads().join(', ')}`,
      );
      await checkpoint.matrices[0]!.load();
      assert.ok(reads().some((length) => length === 929 * 16 * 4));
    } finally {
      await checkpoint.close();
    }
  });

  it('fails with not-found naming the missing side file', async () => {
    const files = memoryFiles(sideFolder(['word2vec.model.syn1neg.npy']));
    await assert.rejects(openCheckpoint('/mem/word2vec.model', files), {
      code: 'not-found',
      message: '/mem/word2vec.model: the pickle says syn1neg is stored in word2vec.model.syn1neg.npy, which is missing',
    });
  });

  it('fails with truncated when a side file is shorter than its header says', async () => {
    const folder = sideFolder();
    const name = '/mem/word2vec.model.wv.vectors.npy';
    folder[name] = (folder[name] as Uint8Array).subarray(0, 5000);
    await assert.rejects(openCheckpoint('/mem/word2vec.model', memoryFiles(folder)), {
      code: 'truncated',
      message: /^\/mem\/word2vec\.model\.wv\.vectors\.npy: /,
    });
  });
});

describe('gensim files that must not load', () => {
  it('refuses a model whose pickle also holds a call to os.system, and nothing runs', async () => {
    rmSync('/tmp/embedding-lens-pwned', { force: true });
    const path = fixture('corrupt/pickle-evil-gensim.model');
    await assert.rejects(openCheckpoint(path, nodeFiles), {
      code: 'unsafe',
      message: `${path}: pickle asks to call posix.system; refusing (pickles are read as data only)`,
    });
    assert.equal(existsSync('/tmp/embedding-lens-pwned'), false);
  });

  it('leaves a pickle whose first class is not gensim to other readers', async () => {
    await assert.rejects(openFixture('pickle/sample-p4.pkl'), { code: 'unknown-format' });
  });

  it('rejects truncated copies of an inline model with a clean error naming the file', async () => {
    const bytes = new Uint8Array(readFileSync(fixture('gensim/inline.model')));
    for (const keep of [100, 5000, bytes.byteLength - 10]) {
      await assert.rejects(openCheckpoint('/mem/inline.model', memoryFiles({ '/mem/inline.model': bytes.subarray(0, keep) })), {
        code: 'truncated',
        message: /^\/mem\/inline\.model: /,
      });
    }
  });

  it('answers 300 seeded corruptions of real gensim pickles with data or a clean CheckpointError', async () => {
    const random = seededRandom(4242);
    const originals = ['inline.model', 'hs.model', 'side/word2vec.model'].map((f) => new Uint8Array(readFileSync(fixture(`gensim/${f}`))));
    const side = sideFolder(['word2vec.model']);
    for (let trial = 0; trial < 300; trial++) {
      let bytes = (originals[trial % originals.length] as Uint8Array).slice();
      if (trial % 5 === 0) bytes = bytes.subarray(0, Math.floor(random() * bytes.byteLength));
      for (let flips = 1 + Math.floor(random() * 3); flips > 0 && bytes.byteLength > 0; flips--) {
        bytes[Math.floor(random() * bytes.byteLength)] = Math.floor(random() * 256);
      }
      try {
        await loadEverything('/mem/word2vec.model', memoryFiles({ ...side, '/mem/word2vec.model': bytes }));
      } catch (error) {
        assert.ok(error instanceof CheckpointError, `trial ${trial}: ${String(error)}`);
      }
    }
  });
});
