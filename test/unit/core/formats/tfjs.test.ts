import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import type { Checkpoint, Matrix } from '../../../../src/core/checkpoint';
import { CheckpointError } from '../../../../src/core/errors';
import { expected, fixture, loadEverything, maxAbsDiff, seededRandom, withCheckpoint } from '../../helpers';
import { countingFiles, patchedFiles } from './tensor-test-support';

interface WeightTruth {
  name: string;
  shape: number[];
  dtype: string;
}
interface QuantizedTruth {
  shards: string[];
  embeddingFirstRows: number[][];
  kernelTransposeFirstRows: number[][];
}
interface TfjsTruth {
  vocabSize: number;
  dim: number;
  firstTokens: string[];
  lm: { weights: WeightTruth[]; embeddingFirstRows: number[][]; kernelShape: number[]; kernelTransposeFirstRows: number[][] };
  tied: { weights: WeightTruth[]; embeddingFirstRows: number[][]; outputLayerClass: string };
  'lm-uint8': QuantizedTruth;
  'lm-uint16': QuantizedTruth;
  'lm-float16': QuantizedTruth;
}

const truth = expected<TfjsTruth>('tfjs/expected.json');
const modelJson = (folder: string): string => fixture(`tfjs/${folder}/model.json`);

function role(checkpoint: Checkpoint, wanted: Matrix['role']): Matrix {
  const matrix = checkpoint.matrices.find((m) => m.role === wanted);
  assert.ok(matrix, `a matrix with role ${wanted}`);
  return matrix;
}

async function assertRows(matrix: Matrix, rows: number[][], tolerance: number): Promise<void> {
  const data = await matrix.load();
  assert.equal(data.length, matrix.rows * matrix.cols);
  rows.forEach((row, i) => {
    assert.ok(maxAbsDiff(data.subarray(i * matrix.cols, (i + 1) * matrix.cols), row) <= tolerance, `row ${i} differs from tfjs`);
  });
}

describe("a TF.js LayersModel saved by tfjs in tfjs-node's layout (model.json + weights.bin)", () => {
  it('is recognised by content, also when the folder is given', async () => {
    await withCheckpoint(modelJson('lm'), (checkpoint) => assert.equal(checkpoint.format, 'tfjs'));
    await withCheckpoint(fixture('tfjs/lm'), (checkpoint) => assert.equal(checkpoint.path, modelJson('lm')));
  });

  it("has U = the Embedding's weights and V = the Dense kernel transposed, with tfjs's values", () =>
    withCheckpoint(modelJson('lm'), async (checkpoint) => {
      const input = role(checkpoint, 'input');
      const output = role(checkpoint, 'output');
      assert.equal(input.name, truth.lm.weights[0]?.name);
      assert.deepEqual([input.rows, input.cols], [truth.vocabSize, truth.dim]);
      assert.equal(output.name, truth.lm.weights[1]?.name);
      assert.deepEqual(truth.lm.kernelShape, [truth.dim, truth.vocabSize]);
      assert.deepEqual([output.rows, output.cols, output.transposed], [truth.vocabSize, truth.dim, true]);
      await assertRows(input, truth.lm.embeddingFirstRows, 0);
      await assertRows(output, truth.lm.kernelTransposeFirstRows, 0);
      assert.equal(checkpoint.tied, false);
    }));

  it('stops loading a matrix when cancelled', () =>
    withCheckpoint(modelJson('lm'), async (checkpoint) => {
      const controller = new AbortController();
      controller.abort();
      await assert.rejects(role(checkpoint, 'input').load(controller.signal), { code: 'cancelled' });
    }));

  it('names the rows with the vocab.txt beside model.json', () =>
    withCheckpoint(modelJson('lm'), (checkpoint) => {
      assert.deepEqual(checkpoint.vocab.tokens.slice(0, 5), truth.firstTokens);
      assert.equal(checkpoint.vocab.source, fixture('tfjs/lm/vocab.txt'));
    }));
});

describe('a TF.js LM whose custom softmax layer reuses the Embedding matrix', () => {
  it('is tied: V is U, and the notes name the layer that says so', () =>
    withCheckpoint(modelJson('tied'), async (checkpoint) => {
      assert.deepEqual(
        truth.tied.weights.map((w) => w.name),
        ['token_embedding/embeddings'],
      );
      assert.equal(checkpoint.tied, true);
      assert.deepEqual(
        checkpoint.matrices.map((m) => m.role),
        ['input', 'output'],
      );
      await assertRows(role(checkpoint, 'input'), truth.tied.embeddingFirstRows, 0);
      await assertRows(role(checkpoint, 'output'), truth.tied.embeddingFirstRows, 0);
      assert.ok(
        checkpoint.provenance.notes.some((note) => note.includes(`(${truth.tied.outputLayerClass}) names embedding token_embedding`)),
      );
    }));
});

for (const dtype of ['uint8', 'uint16', 'float16'] as const) {
  const folder = `lm-${dtype}` as const;
  describe(`the LM with ${dtype}-quantized weights over ${truth[folder].shards.length} shards`, () => {
    it("dequantizes to exactly what tfjs's own decodeWeights returns", () =>
      withCheckpoint(modelJson(folder), async (checkpoint) => {
        const input = role(checkpoint, 'input');
        assert.equal(input.dtype, dtype);
        await assertRows(input, truth[folder].embeddingFirstRows, 0);
        await assertRows(role(checkpoint, 'output'), truth[folder].kernelTransposeFirstRows, 0);
        assert.deepEqual(
          checkpoint.provenance.files.filter((f) => f.endsWith('.bin')),
          truth[folder].shards.map((shard) => fixture(`tfjs/${folder}/${shard}`)),
        );
      }));
  });
}

describe('reading only what a matrix needs', () => {
  it('opens only the shards that hold the embedding when U is loaded', async () => {
    const counting = countingFiles();
    await withCheckpoint(
      modelJson('lm-uint8'),
      async (checkpoint) => {
        await role(checkpoint, 'input').load();
      },
      counting.files,
    );
    // 300×8 uint8 = 2400 bytes: all in the first 4096-byte shard.
    assert.deepEqual(
      counting.opened.filter((path) => path.endsWith('.bin')),
      [fixture('tfjs/lm-uint8/group1-shard1of2.bin')],
    );
    assert.equal(counting.bytesRead.get(fixture('tfjs/lm-uint8/group1-shard1of2.bin')), 2400);
    assert.equal(counting.stillOpen(), 0);
  });
});

describe('damaged TF.js models', () => {
  const path = modelJson('lm');
  const json = (): Record<string, unknown> => JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
  const withManifest = (edit: (manifest: { paths: string[]; weights: Array<Record<string, unknown>> }) => void): string => {
    const model = json() as { weightsManifest: Array<{ paths: string[]; weights: Array<Record<string, unknown>> }> };
    edit(model.weightsManifest[0]!);
    return JSON.stringify(model);
  };

  it('names the missing shard', async () => {
    const shard = fixture('tfjs/lm/weights.bin');
    await assert.rejects(
      withCheckpoint(path, () => undefined, patchedFiles({}, [shard])),
      (error: CheckpointError) => {
        assert.equal(error.code, 'not-found');
        assert.equal(error.message, `${shard}: expected the weight shard that ${path} lists, found nothing there`);
        return true;
      },
    );
  });

  it('rejects a shard shorter than the manifest says, naming the sizes', async () => {
    const shard = fixture('tfjs/lm/weights.bin');
    const cut = new Uint8Array(readFileSync(shard)).subarray(0, 10_000);
    await assert.rejects(
      withCheckpoint(path, () => undefined, patchedFiles({ [shard]: cut })),
      (error: CheckpointError) => {
        assert.equal(error.code, 'truncated');
        assert.equal(
          error.message,
          `${path}: weightsManifest[0]: the manifest needs 20400 bytes of weights, its shards (${shard}) hold 10000`,
        );
        return true;
      },
    );
  });

  it('refuses a shard path that leaves the model folder', async () => {
    const patched = withManifest((group) => {
      group.paths = ['../lm-uint8/group1-shard1of2.bin'];
    });
    await assert.rejects(
      withCheckpoint(path, () => undefined, patchedFiles({ [path]: patched })),
      { code: 'unsafe' },
    );
  });

  it('rejects a manifest whose weights account for fewer bytes than the shards hold', async () => {
    const patched = withManifest((group) => {
      group.weights = group.weights.slice(0, 2);
    });
    await assert.rejects(
      withCheckpoint(path, () => undefined, patchedFiles({ [path]: patched })),
      (error: CheckpointError) => {
        assert.equal(error.code, 'bad-header');
        assert.match(error.message, /accounts for 19200 bytes, its shards hold 20400$/);
        return true;
      },
    );
  });

  it('rejects a weight entry without a valid shape, and model.json that is not JSON', async () => {
    const badShape = withManifest((group) => {
      group.weights[0]!.shape = [300, -8];
    });
    await assert.rejects(
      withCheckpoint(path, () => undefined, patchedFiles({ [path]: badShape })),
      { code: 'bad-header' },
    );
    const text = readFileSync(path, 'utf8');
    await assert.rejects(
      withCheckpoint(path, () => undefined, patchedFiles({ [path]: text.slice(0, text.length - 20) })),
      (error: CheckpointError) => {
        assert.equal(error.code, 'bad-header');
        assert.ok(error.message.startsWith(`${path}: expected TF.js model.json as JSON`));
        return true;
      },
    );
  });

  it('answers 150 seeded byte flips of model.json and the shard with a result or a one-line CheckpointError', async () => {
    const random = seededRandom(5);
    const shard = fixture('tfjs/lm-uint8/group1-shard2of2.bin');
    const model = modelJson('lm-uint8');
    for (const victim of [model, shard]) {
      const real = new Uint8Array(readFileSync(victim));
      for (let trial = 0; trial < 75; trial++) {
        const damaged = random() < 0.3 ? real.slice(0, Math.floor(random() * real.byteLength)) : real.slice();
        if (damaged.byteLength === real.byteLength) damaged[Math.floor(random() * real.byteLength)] = Math.floor(random() * 256);
        try {
          await loadEverything(model, patchedFiles({ [victim]: damaged }));
        } catch (error) {
          assert.ok(error instanceof CheckpointError, `${victim} trial ${trial}: ${(error as Error).stack}`);
          assert.ok(!error.message.includes('\n') && error.message.includes('/tfjs/lm-uint8/'), error.message);
        }
      }
    }
  });
});
