import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import type { CheckpointError } from '../../../../src/core/errors';
import { openCheckpoint } from '../../../../src/core/open';
import { pairEmbeddings, type TensorEntry } from '../../../../src/core/pairing';
import { expected, fixture, loadEverything, withCheckpoint } from '../../helpers';
import { overlayFiles } from '../../overlay-files';
import { patchText } from './tensor-test-support';

interface ArrayFacts {
  shape: number[];
  dtype: string;
  rows?: number[][];
  head?: number[];
  sum: number;
}
interface NumpyExpected {
  rows: number;
  cols: number;
  npz: Record<string, Record<string, ArrayFacts>>;
  vocab: { first: string[]; last: string };
}

const truth = expected<NumpyExpected>('numpy/expected.json');
const { rows, cols } = truth;
const asFloat32 = (values: number[]): number[] => Array.from(Float32Array.from(values));
const rowOf = (data: Float32Array, i: number): number[] => Array.from(data.subarray(i * cols, (i + 1) * cols));

/** Column j of numpy's [cols, rows] array C is row j of V: rebuild it from the facts numpy wrote. */
function transposedFirstRow(facts: ArrayFacts): number[] {
  // facts.rows holds C's rows 0, 1 and last; V's row 0 is C[:, 0], whose first two entries are C[0][0], C[1][0].
  return [facts.rows![0]![0]!, facts.rows![1]![0]!];
}

describe('NumPy .npz archives written by numpy itself', () => {
  it('reads np.savez(U=…, V=…) (stored members) as U and V, with the vocab.txt beside it', async () => {
    await withCheckpoint(fixture('numpy/npz/pair-stored.npz'), async (checkpoint) => {
      assert.equal(checkpoint.format, 'npz');
      assert.deepEqual(
        checkpoint.matrices.map((m) => [m.role, m.name, m.rows, m.cols, m.dtype]),
        [
          ['input', 'U', rows, cols, 'float32'],
          ['output', 'V', rows, cols, 'float32'],
        ],
      );
      assert.equal(checkpoint.tied, false);
      assert.deepEqual(checkpoint.vocab.tokens.slice(0, 5), truth.vocab.first);
      const facts = truth.npz['pair-stored.npz']!;
      const u = await checkpoint.matrices[0]!.load();
      const v = await checkpoint.matrices[1]!.load();
      assert.deepEqual(rowOf(u, 0), asFloat32(facts['U']!.rows![0]!));
      assert.deepEqual(rowOf(v, rows - 1), asFloat32(facts['V']!.rows![2]!));
    });
  });

  it('reads np.savez_compressed(W=…, C=[d, V], counts=…) (deflated) as U = W and V = C transposed, skipping int64 counts', async () => {
    await withCheckpoint(fixture('numpy/npz/pair-deflated.npz'), async (checkpoint) => {
      assert.equal(checkpoint.format, 'npz');
      assert.deepEqual(
        checkpoint.matrices.map((m) => [m.role, m.name, m.rows, m.cols, m.transposed ?? false]),
        [
          ['input', 'W', rows, cols, false],
          ['output', 'C', rows, cols, true],
        ],
      );
      const facts = truth.npz['pair-deflated.npz']!;
      assert.deepEqual(facts['C']!.shape, [cols, rows], 'numpy stored C as [d, V]');
      const w = await checkpoint.matrices[0]!.load();
      const v = await checkpoint.matrices[1]!.load();
      assert.deepEqual(rowOf(w, 1), asFloat32(facts['W']!.rows![1]!));
      assert.deepEqual(rowOf(v, 0).slice(0, 2), asFloat32(transposedFirstRow(facts['C']!)));
      assert.match(checkpoint.provenance.notes.join('\n'), /not matrices, not read: counts/);
    });
  });

  it('reads positional arrays (arr_0 float16, arr_1 Fortran order) and takes the first as U without guessing a V', async () => {
    await withCheckpoint(fixture('numpy/npz/positional.npz'), async (checkpoint) => {
      assert.deepEqual(
        checkpoint.matrices.map((m) => [m.role, m.name, m.dtype]),
        [['input', 'arr_0', 'float16']],
      );
      const facts = truth.npz['positional.npz']!;
      assert.equal(facts['arr_0']!.dtype, '<f2');
      const data = await checkpoint.matrices[0]!.load();
      assert.deepEqual(rowOf(data, 0), asFloat32(facts['arr_0']!.rows![0]!));
      assert.match(checkpoint.provenance.notes.join('\n'), /no output matrix/);
    });
  });
});

describe('pairing the names np.savez users give their arrays', () => {
  const tensor = (name: string, shape: [number, number]): TensorEntry => ({
    name,
    shape,
    dtype: 'float32',
    load: () => Promise.resolve(new Float32Array(shape[0] * shape[1])),
  });
  const pick = (tensors: TensorEntry[]) =>
    pairEmbeddings(tensors)
      .matrices.filter((m) => m.role !== 'other')
      .map((m) => [m.role, m.name]);

  for (const [input, output] of [
    ['U', 'V'],
    ['W', 'C'],
    ['input', 'output'],
    ['embeddings', 'context'],
    ['W_in', 'W_out'],
    ['word_vectors', 'context_vectors'],
  ] as const) {
    it(`takes ${input} as U and ${output} as V, whatever order the archive lists them in`, () => {
      assert.deepEqual(pick([tensor(output, [100, 8]), tensor(input, [100, 8])]), [
        ['input', input],
        ['output', output],
      ]);
    });
  }

  it('matches those short names only as whole names, so a layer called encoder.W is not a lookup table', () => {
    assert.deepEqual(pick([tensor('encoder.W', [8, 8]), tensor('table', [100, 8])]), [['input', 'table']]);
  });

  it('does not take a V whose shape does not fit U', () => {
    assert.deepEqual(pick([tensor('U', [100, 8]), tensor('V', [99, 8])]), [['input', 'U']]);
  });
});

describe('damaged .npz archives', () => {
  const path = fixture('numpy/npz/pair-stored.npz');
  const original = new Uint8Array(readFileSync(path));
  const rejects = (bytes: Uint8Array, code: string, message: RegExp) =>
    assert.rejects(openCheckpoint(path, overlayFiles(path, bytes)), (error: CheckpointError) => {
      assert.equal(error.code, code);
      assert.match(error.message, message);
      assert.ok(error.message.startsWith(path), `names the file: ${error.message}`);
      return true;
    });

  it('rejects an archive cut short (no central directory)', () => rejects(original.subarray(0, original.length - 30), 'truncated', /zip/));

  it('rejects an archive whose arrays are all 1-D as no embedding, listing its members', () => {
    const oneD = patchText(patchText(original, '(50, 8)', '(400,)'), '(50, 8)', '(400,)', original.length);
    return rejects(oneD, 'no-embedding', /expected a 2-D float array among the members, found U\.npy, V\.npy/);
  });

  it('rejects a member whose header claims more data than the member holds', () =>
    rejects(patchText(original, '(50, 8)', '(5000, 8)'), 'truncated', /#U\.npy: header says \[5000, 8\] float32/));

  it('rejects a deflated member whose compressed stream is corrupt', async () => {
    const deflated = fixture('numpy/npz/pair-deflated.npz');
    const bytes = new Uint8Array(readFileSync(deflated));
    const view = new DataView(bytes.buffer);
    // W.npy's deflate stream starts after its 30-byte local header, name and extra field; block type 3 is invalid.
    const start = 30 + view.getUint16(26, true) + view.getUint16(28, true);
    bytes[start] = 0x07;
    await assert.rejects(loadEverything(deflated, overlayFiles(deflated, bytes)), (error: CheckpointError) => {
      assert.ok(['bad-header', 'truncated'].includes(error.code), error.message);
      assert.ok(error.message.startsWith(deflated), error.message);
      return true;
    });
  });
});
