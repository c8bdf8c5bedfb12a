import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import type { CheckpointError } from '../../../../src/core/errors';
import { openCheckpoint } from '../../../../src/core/open';
import { expected, fixture, withCheckpoint } from '../../helpers';
import { overlayFiles } from '../../overlay-files';
import { patchText, sparseFile } from './tensor-test-support';

interface ArrayFacts {
  shape: number[];
  dtype: string;
  fortran: boolean;
  rows?: number[][];
  head?: number[];
  sum: number;
}
interface NumpyExpected {
  rows: number;
  cols: number;
  arrays: Record<string, ArrayFacts>;
  vocab: { first: string[]; last: string; firstCount: number };
  withVocab: ArrayFacts;
  withMetadata: ArrayFacts;
}

const truth = expected<NumpyExpected>('numpy/expected.json');
const DTYPE_NAMES: Record<string, string> = { f2: 'float16', f4: 'float32', f8: 'float64' };

/** numpy's values rounded to float32 and back: what a faithful reader hands out. */
const asFloat32 = (values: number[]): number[] => Array.from(Float32Array.from(values));

/** Row i of a row-major rows×cols matrix. */
const row = (data: Float32Array, i: number, cols: number): Float32Array => data.subarray(i * cols, (i + 1) * cols);

function sumOf(data: Float32Array): number {
  let total = 0;
  for (const value of data) total += value;
  return total;
}

describe('NumPy .npy arrays written by numpy itself', () => {
  for (const [file, facts] of Object.entries(truth.arrays)) {
    const [kind, order, endian] = file.replace('.npy', '').split('-') as [string, string, string];
    it(`reads ${file} (${DTYPE_NAMES[kind]}, ${order === 'F' ? 'Fortran' : 'C'} order, ${endian === 'be' ? 'big' : 'little'}-endian) as numpy does`, async () => {
      await withCheckpoint(fixture(`numpy/arrays/${file}`), async (checkpoint) => {
        assert.equal(checkpoint.format, 'npy');
        assert.equal(checkpoint.matrices.length, 1);
        const matrix = checkpoint.matrices[0]!;
        assert.deepEqual([matrix.role, matrix.rows, matrix.cols, matrix.dtype], ['input', ...facts.shape, DTYPE_NAMES[kind]]);
        assert.equal(facts.fortran, order === 'F', 'numpy agrees on the memory order');
        const data = await matrix.load();
        const rowIndex = [0, 1, truth.rows - 1];
        facts.rows!.forEach((values, i) => {
          // float16 and float32 values convert exactly; float64 ones round once to float32.
          assert.deepEqual(Array.from(row(data, rowIndex[i]!, truth.cols)), asFloat32(values), `row ${rowIndex[i]}`);
        });
        assert.ok(Math.abs(sumOf(data) - facts.sum) < 1e-3 * truth.rows * truth.cols, 'every element, not just the first rows');
        assert.equal(checkpoint.vocab.source, 'row numbers');
        assert.deepEqual(checkpoint.vocab.tokens.slice(0, 2), ['#0', '#1']);
        const notes = checkpoint.provenance.notes.join('\n');
        assert.equal(/Fortran/.test(notes), order === 'F');
        assert.equal(/big-endian/.test(notes), endian === 'be');
      });
    });
  }

  it('names the rows from a vocab.txt beside the array, with its counts', async () => {
    await withCheckpoint(fixture('numpy/with-vocab'), async (checkpoint) => {
      assert.equal(checkpoint.format, 'npy');
      assert.equal(checkpoint.vocab.tokens.length, truth.rows);
      assert.deepEqual(checkpoint.vocab.tokens.slice(0, 5), truth.vocab.first);
      assert.equal(checkpoint.vocab.tokens.at(-1), truth.vocab.last);
      assert.equal(checkpoint.vocab.counts?.[0], truth.vocab.firstCount);
      assert.ok(checkpoint.provenance.files.some((file) => file.endsWith('with-vocab/vocab.txt')));
      const data = await checkpoint.matrices[0]!.load();
      assert.deepEqual(Array.from(row(data, 0, truth.cols)), asFloat32(truth.withVocab.rows![0]!));
    });
  });

  it('names rows from projector metadata.tsv and says so when the array has more rows than the tsv', async () => {
    await withCheckpoint(fixture('numpy/with-metadata/embeddings.npy'), async (checkpoint) => {
      assert.equal(checkpoint.matrices[0]!.rows, truth.withMetadata.shape[0]);
      assert.deepEqual(checkpoint.vocab.tokens.slice(0, 5), truth.vocab.first);
      assert.equal(checkpoint.vocab.tokens[truth.rows], `<row ${truth.rows}>`);
      assert.equal(checkpoint.vocab.counts?.[0], truth.vocab.firstCount);
      assert.match(checkpoint.provenance.notes.join('\n'), /lists 50 tokens for 55 matrix rows/);
    });
  });

  it('inspects a 1 GiB array from its header alone, quickly', async () => {
    const real = new Uint8Array(readFileSync(fixture('numpy/arrays/f4-C-le.npy')));
    // 262144 × 1024 float32 = 1 GiB of data that never exists: the reader may read the header only.
    const head = patchText(real.subarray(0, 128), '(50, 8)', '(262144, 1024)');
    const path = '/virtual/huge.npy';
    const { files, bytesRead } = sparseFile(path, head, 128 + 262144 * 1024 * 4);
    const started = performance.now();
    await withCheckpoint(
      path,
      (checkpoint) => {
        assert.deepEqual([checkpoint.matrices[0]!.rows, checkpoint.matrices[0]!.cols], [262144, 1024]);
      },
      files,
    );
    assert.ok(performance.now() - started < 500, 'under half a second');
    assert.ok(bytesRead() <= 65536 + 1024, `read ${bytesRead()} bytes`);
  });
});

describe('damaged or unsuitable .npy files', () => {
  const path = fixture('numpy/arrays/f4-C-le.npy');
  const original = new Uint8Array(readFileSync(path));
  const open = (bytes: Uint8Array) => openCheckpoint(path, overlayFiles(path, bytes));
  const rejects = (bytes: Uint8Array, code: string, message: RegExp, format?: string) =>
    assert.rejects(openCheckpoint(path, overlayFiles(path, bytes), format ? { format } : {}), (error: CheckpointError) => {
      assert.equal(error.code, code);
      assert.match(error.message, message);
      assert.ok(error.message.startsWith(path), 'names the file');
      return true;
    });

  it('rejects an array cut short, saying how many bytes the header promised', () =>
    rejects(original.subarray(0, original.length - 10), 'truncated', /header says \[50, 8\] float32 = 1600 bytes, file has 1590/));

  it('rejects a header that claims far more rows than the file holds, before allocating', () =>
    rejects(
      patchText(original, '(50, 8)', '(5000000, 8)'),
      'truncated',
      /header says \[5000000, 8\] float32 = 160000000 bytes, file has 1600/,
    ));

  it('rejects a 1-D array as no embedding', () =>
    rejects(patchText(original, '(50, 8)', '(400,)'), 'no-embedding', /expected a 2-D array \(rows × dimensions\), found shape \(400,\)/));

  it('rejects an integer array as unsupported', () =>
    rejects(patchText(original, "'<f4'", "'<i4'"), 'unsupported', /expected a float32, float16 or float64 array, found int32/));

  it('rejects a header dict without a shape as a bad header', () =>
    rejects(patchText(original, "'shape'", "'shapf'"), 'bad-header', /expected a \.npy header dict with descr, fortran_order and shape/));

  it('rejects wrong magic when told the file is .npy', () => {
    const bytes = original.slice();
    bytes[1] = 0x4d; // "\x93MUMPY"
    return rejects(bytes, 'bad-header', /expected the \.npy magic/, 'npy');
  });

  it('does not claim a file without the magic', async () => {
    const bytes = original.slice();
    bytes[0] = 0x00;
    await assert.rejects(open(bytes), { code: 'unknown-format' });
  });
});
