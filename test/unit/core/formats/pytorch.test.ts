import assert from 'node:assert/strict';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { describe, it } from 'node:test';
import type { Checkpoint } from '../../../../src/core/checkpoint';
import { CheckpointError } from '../../../../src/core/errors';
import { openCheckpoint } from '../../../../src/core/open';
import { unpickleBytes } from '../../../../src/core/pickle/unpickle';
import { memoryFiles, recordingFiles } from '../../overlay-files';
import { expected, fixture, loadEverything, maxAbsDiff, openFixture, seededRandom, withCheckpoint } from '../../helpers';

interface TensorFacts {
  shape: number[];
  stride: number[];
  offset: number;
  dtype: string;
  first: number[];
  rows?: number[][];
}
interface PytorchExpected {
  vocab: number;
  dim: number;
  firstTokens: string[];
  files: Record<string, { tensors: Record<string, TensorFacts>; dataPtrEqual?: boolean }>;
}

const truth = expected<PytorchExpected>('pytorch/expected.json');

function withFixture<T>(relative: string, use: (checkpoint: Checkpoint) => Promise<T>): Promise<T> {
  return withCheckpoint(fixture(`pytorch/${relative}`), use);
}

/** What each fixture must read as: its format and which tensors are U and V. */
const CASES: [file: string, format: string, input: string, output: string | undefined][] = [
  ['embedding.pt', 'pytorch-zip', 'weight', undefined],
  ['lm-tied.pt', 'pytorch-zip', 'encoder.weight', 'decoder.weight'],
  ['lm-tied-legacy.pt', 'pytorch-legacy', 'encoder.weight', 'decoder.weight'],
  ['lm-untied.pt', 'pytorch-zip', 'encoder.weight', 'decoder.weight'],
  ['sgns.pt', 'pytorch-zip', 'in_embed.weight', 'out_embed.weight'],
  ['sgns-uv/model.pt', 'pytorch-zip', 'u_embeddings.weight', 'v_embeddings.weight'],
  ['embedding-f16.pt', 'pytorch-zip', 'embedding.weight', undefined],
  ['embedding-bf16.pt', 'pytorch-zip', 'embedding.weight', undefined],
  ['strided.pt', 'pytorch-zip', 'in_embed.weight', 'out_embed.weight'],
  ['f64/model.pt', 'pytorch-zip', 'embedding.weight', undefined],
  ['training/whole-model.pt', 'pytorch-zip', 'encoder.weight', 'decoder.weight'],
  ['training/whole-model-legacy.pt', 'pytorch-legacy', 'encoder.weight', 'decoder.weight'],
  ['training/checkpoint.pt', 'pytorch-zip', 'encoder.weight', 'decoder.weight'],
];

for (const [file, format, input, output] of CASES) {
  const facts = truth.files[file];
  assert.ok(facts, `expected.json describes ${file}`);
  describe(`torch.save's ${file}`, () => {
    it(`is recognised by content as ${format}, with U = ${input} and V = ${output ?? 'none'}`, async () => {
      await withFixture(file, async (checkpoint) => {
        assert.equal(checkpoint.format, format);
        const roles = checkpoint.matrices.filter((m) => m.role !== 'other').map((m) => [m.role, m.name]);
        assert.deepEqual(
          roles,
          output
            ? [
                ['input', input],
                ['output', output],
              ]
            : [['input', input]],
        );
        for (const matrix of checkpoint.matrices) {
          const tensor: TensorFacts | undefined = facts.tensors[matrix.name];
          assert.ok(tensor, `torch saved ${matrix.name}`);
          assert.deepEqual([matrix.rows, matrix.cols], tensor.shape);
          assert.equal(matrix.dtype, tensor.dtype);
        }
      });
    });

    it(`is ${facts.dataPtrEqual ? 'tied, as torch shares one storage' : 'not tied'}`, async () => {
      await withFixture(file, async (checkpoint) => assert.equal(checkpoint.tied, facts.dataPtrEqual === true));
    });

    it("holds torch's own numbers in rows 0, 1 and the last, whatever the dtype, offset or strides", async () => {
      await withFixture(file, async (checkpoint) => {
        for (const matrix of checkpoint.matrices) {
          const rows = facts.tensors[matrix.name]?.rows as number[][];
          const data = await matrix.load();
          assert.equal(data.length, matrix.rows * matrix.cols);
          [0, 1, matrix.rows - 1].forEach((row, i) => {
            const ours = data.subarray(row * matrix.cols, (row + 1) * matrix.cols);
            assert.equal(maxAbsDiff(ours, rows[i] as number[]), 0, `${matrix.name} row ${row}`);
          });
        }
      });
    });
  });
}

describe('PyTorch checkpoints and their vocabulary', () => {
  it('take tokens and counts from the vocab.txt beside them', async () => {
    await withFixture('lm-tied.pt', async (checkpoint) => {
      assert.equal(checkpoint.vocab.tokens.length, truth.vocab);
      assert.deepEqual(checkpoint.vocab.tokens.slice(0, 5), truth.firstTokens);
      assert.equal(checkpoint.vocab.tokens.at(-1), '<unk>');
      assert.ok(checkpoint.vocab.counts && checkpoint.vocab.counts[0]! > checkpoint.vocab.counts[1]!);
    });
  });

  it('name rows by number when no vocabulary file is beside the model', async () => {
    await withFixture('sgns-uv/model.pt', async (checkpoint) => {
      assert.equal(checkpoint.vocab.source, 'row numbers');
      assert.equal(checkpoint.vocab.tokens[3], '#3');
    });
  });

  it('read only the pickle and directory to open, and only the needed storage to load a matrix', async () => {
    const path = fixture('pytorch/lm-untied.pt');
    const { files, reads } = recordingFiles(path);
    const size = readFileSync(path).byteLength;
    const checkpoint = await openCheckpoint(path, files);
    try {
      // Besides the sniffer's head (offset 0) and the zip end-record search (the file's tail), opening reads only
      // small things: local headers and the object pickle, never a storage.
      const [, ...rest] = reads.splice(0);
      const small = rest.filter(([offset, length]) => offset + length !== size);
      assert.ok(
        small.every(([, length]) => length < 4096),
        `opening read ${JSON.stringify(small)}`,
      );
      await checkpoint.matrices[0]!.load();
      const loaded = reads.reduce((sum, [, length]) => sum + length, 0);
      assert.ok(loaded <= 1000 * 16 * 4 + 4096, `loading U read ${loaded} bytes`);
    } finally {
      await checkpoint.close();
    }
  });
});

describe('PyTorch files that must not load', () => {
  for (const file of ['pickle-evil.pt', 'pickle-evil-legacy.pt']) {
    it(`refuses ${file}, whose pickle calls os.system, and nothing runs`, async () => {
      rmSync('/tmp/embedding-lens-pwned', { force: true });
      await assert.rejects(openFixture(`corrupt/${file}`), (error: unknown) => {
        assert.ok(error instanceof CheckpointError);
        assert.equal(error.code, 'unsafe');
        assert.match(
          error.message,
          new RegExp(`${file}.*: pickle asks to call posix\\.system; refusing \\(pickles are read as data only\\)$`),
        );
        return true;
      });
      assert.equal(existsSync('/tmp/embedding-lens-pwned'), false);
    });
  }

  const real = (file: string): Uint8Array => new Uint8Array(readFileSync(fixture(`pytorch/${file}`)));
  const openBytes = (bytes: Uint8Array, name = '/mem/model.pt'): Promise<Checkpoint> =>
    openCheckpoint(name, memoryFiles({ [name]: bytes }));

  it('rejects a truncated zip .pt with a clean truncated error naming the file', async () => {
    const bytes = real('lm-tied.pt');
    for (const keep of [0.9, 0.5, 0.1]) {
      await assert.rejects(openBytes(bytes.subarray(0, Math.floor(bytes.byteLength * keep))), (error: unknown) => {
        assert.ok(error instanceof CheckpointError, String(error));
        assert.equal(error.code, 'truncated');
        assert.ok(error.message.startsWith('/mem/model.pt'), error.message);
        return true;
      });
    }
  });

  it('rejects a truncated legacy .pt, whether cut in the pickles or in the storages', async () => {
    const bytes = real('lm-tied-legacy.pt');
    for (const keep of [40, 300, bytes.byteLength - 100]) {
      await assert.rejects(openBytes(bytes.subarray(0, keep)), { code: 'truncated', message: /^\/mem\/model\.pt/ });
    }
  });

  it('rejects a legacy storage whose element count claims more than the file holds', async () => {
    const bytes = real('lm-tied-legacy.pt').slice();
    const view = new DataView(bytes.buffer);
    const at = findFirstCount(bytes);
    view.setBigInt64(at, 1n << 40n, true);
    await assert.rejects(openBytes(bytes), { code: 'truncated', message: /storage \S+ says 1099511627776 float32 elements/ });
  });

  it('rejects a zip whose storage entry is missing when the matrix is loaded', async () => {
    const bytes = real('sgns.pt').slice();
    replaceAll(bytes, 'sgns/data/1', 'sgns/data/9');
    const checkpoint = await openBytes(bytes);
    try {
      await assert.rejects(checkpoint.matrices[1]!.load(), { code: 'bad-header', message: /storage 1 is missing/ });
    } finally {
      await checkpoint.close();
    }
  });

  it('answers 300 seeded corruptions of real .pt files with data or a clean CheckpointError', async () => {
    const random = seededRandom(1234);
    const originals = [real('lm-tied.pt'), real('lm-tied-legacy.pt'), real('strided.pt')];
    for (let trial = 0; trial < 300; trial++) {
      const original = originals[trial % originals.length] as Uint8Array;
      let bytes = original.slice();
      if (trial % 4 === 0) bytes = bytes.subarray(0, Math.floor(random() * bytes.byteLength));
      // Corrupt the pickles and headers more often than the float payload, where a flip only changes a value.
      const region = Math.min(bytes.byteLength, 1200);
      for (let flips = 1 + Math.floor(random() * 3); flips > 0 && bytes.byteLength > 0; flips--) {
        bytes[Math.floor(random() * (random() < 0.7 ? region : bytes.byteLength))] = Math.floor(random() * 256);
      }
      try {
        await loadEverything('/mem/model.pt', memoryFiles({ '/mem/model.pt': bytes }));
      } catch (error) {
        assert.ok(error instanceof CheckpointError, `trial ${trial}: ${String(error)}`);
      }
    }
  });
});

function replaceAll(bytes: Uint8Array, from: string, to: string): void {
  const a = new TextEncoder().encode(from);
  const b = new TextEncoder().encode(to);
  for (let i = 0; i + a.length <= bytes.length; i++) {
    if (a.every((byte, j) => bytes[i + j] === byte)) bytes.set(b, i);
  }
}

/** Offset of the first storage's element count: right after the fifth pickle (the storage key list). */
function findFirstCount(bytes: Uint8Array): number {
  let end = 0;
  for (let i = 0; i < 5; i++) end = unpickleBytes(bytes.subarray(end), 'walk').end + end;
  return end;
}
