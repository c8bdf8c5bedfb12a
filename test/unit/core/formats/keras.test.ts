import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { unzipSync, zipSync } from 'fflate';
import type { Checkpoint, Matrix } from '../../../../src/core/checkpoint';
import { CheckpointError } from '../../../../src/core/errors';
import { expected, fixture, loadEverything, maxAbsDiff, seededRandom, withCheckpoint } from '../../helpers';
import { patchedFiles } from './tensor-test-support';

interface EmbeddingTruth {
  layer: string;
  shape: number[];
  firstRows: number[][];
}
interface KerasTruth {
  vocabSize: number;
  dim: number;
  firstTokens: string[];
  sentiment: { embedding: EmbeddingTruth };
  lm: { embedding: EmbeddingTruth; dense: { layer: string; kernelShape: number[]; firstRowsOfTranspose: number[][] } };
  tied: { embedding: EmbeddingTruth };
  text: { vocabulary: string[]; vocabularySize: number; embedding: EmbeddingTruth };
  legacyH5: { kerasVersion: string; datasets: string[] };
}

const truth = expected<KerasTruth>('keras/expected.json');

function role(checkpoint: Checkpoint, wanted: Matrix['role']): Matrix {
  const matrix = checkpoint.matrices.find((m) => m.role === wanted);
  assert.ok(matrix, `a matrix with role ${wanted}`);
  return matrix;
}

async function assertRows(matrix: Matrix, rows: number[][]): Promise<void> {
  const data = await matrix.load();
  assert.equal(data.length, matrix.rows * matrix.cols);
  rows.forEach((row, i) => {
    // The file holds float32 and Keras reports float32: the values are identical.
    assert.ok(maxAbsDiff(data.subarray(i * matrix.cols, (i + 1) * matrix.cols), row) < 1e-7, `row ${i} differs from Keras`);
  });
}

for (const [file, format] of [
  ['keras/lm.h5', 'keras-h5'],
  ['keras/lm.keras', 'keras'],
] as const) {
  describe(`a Keras language model saved as ${file}`, () => {
    it(`is recognised by content as ${format}`, () =>
      withCheckpoint(fixture(file), (checkpoint) => {
        assert.equal(checkpoint.format, format);
      }));

    it("has U = the Embedding's matrix with the values Keras holds", () =>
      withCheckpoint(fixture(file), async (checkpoint) => {
        const input = role(checkpoint, 'input');
        assert.equal(input.name, `${truth.lm.embedding.layer}/embeddings`);
        assert.deepEqual([input.rows, input.cols], truth.lm.embedding.shape);
        await assertRows(input, truth.lm.embedding.firstRows);
      }));

    it('has V = the Dense(V) kernel [d, V], transposed to one row per token', () =>
      withCheckpoint(fixture(file), async (checkpoint) => {
        const output = role(checkpoint, 'output');
        assert.equal(output.name, `${truth.lm.dense.layer}/kernel`);
        assert.deepEqual(truth.lm.dense.kernelShape, [truth.dim, truth.vocabSize]);
        assert.deepEqual([output.rows, output.cols, output.transposed], [truth.vocabSize, truth.dim, true]);
        await assertRows(output, truth.lm.dense.firstRowsOfTranspose);
        assert.equal(checkpoint.tied, false);
        assert.ok(checkpoint.provenance.notes.some((note) => note.includes('(a [d, V] kernel, transposed)')));
      }));

    it('stops loading a matrix when cancelled', () =>
      withCheckpoint(fixture(file), async (checkpoint) => {
        const controller = new AbortController();
        controller.abort();
        await assert.rejects(role(checkpoint, 'input').load(controller.signal), { code: 'cancelled' });
      }));

    it('names the rows with the vocab.txt beside the model, and leaves out optimizer slots', () =>
      withCheckpoint(fixture(file), (checkpoint) => {
        assert.deepEqual(checkpoint.vocab.tokens.slice(0, 5), truth.firstTokens);
        assert.equal(checkpoint.vocab.tokens.length, truth.vocabSize);
        assert.ok(checkpoint.matrices.every((m) => !/adam|optimizer|momentum|velocity/.test(m.name)));
        assert.ok(checkpoint.provenance.notes.some((note) => note.startsWith('saved by Keras 3.15')));
      }));
  });
}

for (const file of ['keras/sentiment.h5', 'keras/sentiment.keras']) {
  describe(`a Keras sentiment model saved as ${file}`, () => {
    it('has U and no V, and says that a model tying its softmax to the embedding would store none', () =>
      withCheckpoint(fixture(file), async (checkpoint) => {
        assert.deepEqual(
          checkpoint.matrices.map((m) => [m.role, m.name, m.rows, m.cols]),
          [['input', `${truth.sentiment.embedding.layer}/embeddings`, ...truth.sentiment.embedding.shape]],
        );
        await assertRows(role(checkpoint, 'input'), truth.sentiment.embedding.firstRows);
        assert.ok(checkpoint.provenance.notes.some((note) => note.includes('stores no separate V')));
      }));
  });
}

describe('a subclassed Keras model whose softmax reuses its embedding (tied.keras)', () => {
  it('has only U, with the values Keras holds, and notes that V = U for such a model', () =>
    withCheckpoint(fixture('keras/tied.keras'), async (checkpoint) => {
      assert.deepEqual(
        checkpoint.matrices.map((m) => m.role),
        ['input'],
      );
      const input = role(checkpoint, 'input');
      assert.ok(input.name.startsWith(`${truth.tied.embedding.layer}/`), input.name);
      await assertRows(input, truth.tied.embedding.firstRows);
      assert.ok(checkpoint.provenance.notes.some((note) => note.includes('V = U')));
    }));
});

describe('a Keras text model whose TextVectorization vocabulary is inside the .keras archive', () => {
  it("names U's rows with the vocabulary asset, in Keras's order", () =>
    withCheckpoint(fixture('keras/text/text.keras'), async (checkpoint) => {
      assert.equal(checkpoint.vocab.tokens.length, truth.text.vocabularySize);
      assert.deepEqual(checkpoint.vocab.tokens.slice(0, truth.text.vocabulary.length), truth.text.vocabulary);
      assert.match(checkpoint.vocab.source, /text\.keras#assets\/.*vocabulary\.txt$/);
      await assertRows(role(checkpoint, 'input'), truth.text.embedding.firstRows);
    }));
});

describe('an extracted .keras archive (config.json beside model.weights.h5)', () => {
  it('takes the layer classes from the config.json beside the weights', async () => {
    const members = unzipSync(new Uint8Array(readFileSync(fixture('keras/lm.keras'))));
    const folder = fixture('keras/extracted-lm');
    const files = patchedFiles({
      [`${folder}/model.weights.h5`]: members['model.weights.h5']!,
      [`${folder}/config.json`]: members['config.json']!,
    });
    await withCheckpoint(
      `${folder}/model.weights.h5`,
      async (checkpoint) => {
        assert.equal(checkpoint.format, 'keras-h5');
        assert.deepEqual(
          checkpoint.matrices.map((m) => [m.role, m.name]),
          [
            ['input', 'token_embedding/embeddings'],
            ['output', 'next_token/kernel'],
          ],
        );
        assert.ok(checkpoint.provenance.files.includes(`${folder}/config.json`));
        await assertRows(role(checkpoint, 'output'), truth.lm.dense.firstRowsOfTranspose);
      },
      files,
    );
  });
});

describe('an HDF5 file that is not a Keras model', () => {
  it('is still read: its 2-D datasets are paired by name and shape, and the notes say so', () =>
    withCheckpoint(fixture('keras/h5py-earliest.h5'), (checkpoint) => {
      assert.equal(checkpoint.format, 'keras-h5');
      assert.ok(checkpoint.provenance.notes.includes('not a Keras file: its 2-D numeric datasets are paired by name and shape'));
      assert.ok(checkpoint.matrices.length >= 1);
    }));
});

describe('damaged Keras files', () => {
  const lmH5 = fixture('keras/lm.h5');
  const lmKeras = fixture('keras/lm.keras');
  const bytes = (path: string): Uint8Array => new Uint8Array(readFileSync(path));

  it('rejects a truncated .h5 with the sizes in one line', async () => {
    const cut = bytes(lmH5).subarray(0, 40_000);
    await assert.rejects(
      withCheckpoint(lmH5, () => undefined, patchedFiles({ [lmH5]: cut })),
      (error: CheckpointError) => {
        assert.equal(error.code, 'truncated');
        assert.equal(
          error.message,
          `${lmH5}: the HDF5 superblock says the file ends at byte ${bytes(lmH5).byteLength}, the file has 40000`,
        );
        return true;
      },
    );
  });

  it('rejects a truncated .keras archive', async () => {
    await assert.rejects(
      withCheckpoint(lmKeras, () => undefined, patchedFiles({ [lmKeras]: bytes(lmKeras).subarray(0, 30_000) })),
      {
        code: 'truncated',
      },
    );
  });

  it('does not take a file whose HDF5 signature is broken for HDF5', async () => {
    const damaged = bytes(lmH5).slice();
    damaged[1] = 0x68; // "\x89hDF…"
    await assert.rejects(
      withCheckpoint(lmH5, () => undefined, patchedFiles({ [lmH5]: damaged })),
      { code: 'unknown-format' },
    );
  });

  it('refuses an embedding whose dataspace claims more rows than the file stores, before allocating', async () => {
    const damaged = bytes(lmH5).slice();
    // The embedding's dataspace: 300 and 8 as 8-byte lengths, then the same maxima.
    const pattern = [44, 1, 0, 0, 0, 0, 0, 0, 8, 0, 0, 0, 0, 0, 0, 0, 44, 1, 0, 0, 0, 0, 0, 0, 8, 0, 0, 0, 0, 0, 0, 0];
    let at = -1;
    for (let i = 0; i < damaged.length && at < 0; i++) if (pattern.every((b, j) => damaged[i + j] === b)) at = i;
    assert.ok(at > 0, 'found the [300, 8] dataspace');
    damaged.set([0, 0, 0, 0x40, 0, 0, 0, 0], at); // 2^30 rows
    await assert.rejects(
      withCheckpoint(lmH5, () => undefined, patchedFiles({ [lmH5]: damaged })),
      (error: CheckpointError) => {
        assert.equal(error.code, 'bad-header');
        assert.match(
          error.message,
          /lm\.h5: dataset .*embeddings is \[1073741824, 8\] × 4 bytes = 34359738368 bytes, its storage holds 9600$/,
        );
        return true;
      },
    );
  });

  it('names the archive member when a .keras holds something other than HDF5 weights', async () => {
    const archive = zipSync({
      'config.json': new TextEncoder().encode('{"class_name": "Sequential", "config": {}}'),
      'model.weights.h5': new Uint8Array(64),
    });
    await assert.rejects(
      withCheckpoint(lmKeras, () => undefined, patchedFiles({ [lmKeras]: archive })),
      (error: CheckpointError) => {
        assert.equal(error.code, 'unknown-format');
        assert.equal(error.message, `${lmKeras}#model.weights.h5: expected the HDF5 signature, found none`);
        return true;
      },
    );
  });

  it('answers 200 seeded byte flips and truncations of lm.h5 and lm.keras with a result or a one-line CheckpointError', async () => {
    const random = seededRandom(11);
    for (const path of [lmH5, lmKeras]) {
      const real = bytes(path);
      for (let trial = 0; trial < 100; trial++) {
        const damaged = random() < 0.3 ? real.slice(0, Math.floor(random() * real.byteLength)) : real.slice();
        if (damaged.byteLength === real.byteLength) {
          for (let flips = 1 + Math.floor(random() * 6); flips > 0; flips--)
            damaged[Math.floor(random() * real.byteLength)] = Math.floor(random() * 256);
        }
        try {
          await loadEverything(path, patchedFiles({ [path]: damaged }));
        } catch (error) {
          assert.ok(error instanceof CheckpointError, `${path} trial ${trial}: ${(error as Error).stack}`);
          assert.ok(error.message.startsWith(path) && !error.message.includes('\n'), error.message);
        }
      }
    }
  });
});
