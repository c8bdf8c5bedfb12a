import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import type { Checkpoint, Matrix, Role } from '../../../../src/core/checkpoint';
import { CheckpointError } from '../../../../src/core/errors';
import { openCheckpoint, type OpenOptions } from '../../../../src/core/open';
import { nodeFiles } from '../../../../src/node/node-files';
import { expected, fixture, maxAbsDiff, openFixture, withCheckpoint } from '../../helpers';

interface GloveExpected {
  rows: number;
  dim: number;
  textRows: number;
  binaryBytes: number;
  firstTokens: string[];
  firstCounts: number[];
  lastToken: string;
  W0: number[];
  b0: number;
  Wt0: number[];
  bt0: number;
  Wlast: number[];
  bLast: number;
  WtLast: number[];
  btLast: number;
  sum0: number[];
  unkModel0: number[];
  unkSum: number[];
  writeHeaderLine: string;
}

const truth = expected<GloveExpected>('glove/expected.json');
const { rows, dim } = truth;
/** %lf prints six decimals (half a unit: 5e-7), and float32 keeps ~7 significant digits of values below 10. */
const TEXT_TOLERANCE = 5e-7 + 1e-6;
/** The binary holds doubles; we hand out float32: relative rounding of 2^-24. */
const FLOAT32_TOLERANCE = 2 ** -23;

const scratchRoots: string[] = [];
after(() => scratchRoots.forEach((root) => rmSync(root, { recursive: true, force: true })));

/** A fresh folder holding the given files (copied fixtures or bytes derived from them in the test). */
function scratch(files: Record<string, Uint8Array | string>): string {
  const root = mkdtempSync(join(tmpdir(), 'glove-test-'));
  scratchRoots.push(root);
  for (const [name, content] of Object.entries(files)) writeFileSync(join(root, name), content);
  return root;
}

const fixtureBytes = (name: string): Uint8Array => new Uint8Array(readFileSync(fixture(`glove/${name}`)));

function byRole(checkpoint: Checkpoint, role: Role, name?: string): Matrix {
  const matrix = checkpoint.matrices.find((m) => m.role === role && (name === undefined || m.name === name));
  assert.ok(matrix, `a ${role} matrix${name ? ` named ${name}` : ''}`);
  return matrix;
}

const rowOf = (data: Float32Array, row: number, cols: number): Float32Array => data.subarray(row * cols, (row + 1) * cols);
const within = (ours: ArrayLike<number>, theirs: ArrayLike<number>, tolerance: number): boolean =>
  maxAbsDiff(ours, theirs) <= tolerance * Math.max(1, ...Array.from(theirs, Math.abs));

describe("GloVe's default text output (vectors.txt, -model 2: W + W̃)", () => {
  it('is read as plain headerless text, not as -model 0, even beside vocab.txt and vectors.bin', async () => {
    await withCheckpoint(fixture('glove/vectors.txt'), async (checkpoint) => {
      assert.equal(checkpoint.format, 'vectors-text');
      assert.deepEqual(
        checkpoint.matrices.map((m) => [m.role, m.rows, m.cols]),
        [['input', truth.textRows, dim]],
      );
    });
  });

  it("holds W[0] + W̃[0] of GloVe's binary in its first row, and the <unk> line last", async () => {
    await withCheckpoint(fixture('glove/vectors.txt'), async (checkpoint) => {
      const data = await checkpoint.matrices[0]!.load();
      assert.deepEqual(checkpoint.vocab.tokens.slice(0, 5), truth.firstTokens);
      assert.equal(checkpoint.vocab.tokens.at(-1), '<unk>');
      assert.ok(within(rowOf(data, 0, dim), truth.sum0, TEXT_TOLERANCE));
      assert.ok(within(rowOf(data, rows, dim), truth.unkSum, TEXT_TOLERANCE));
    });
  });

  it('is still not taken for -model 0 when only vocab.txt is beside it (the bias rule rejects it)', async () => {
    const folder = scratch({ 'vectors.txt': fixtureBytes('vectors.txt'), 'vocab.txt': fixtureBytes('vocab.txt') });
    await withCheckpoint(join(folder, 'vectors.txt'), async (checkpoint) => assert.equal(checkpoint.format, 'vectors-text'));
  });
});

describe('GloVe -model 0 text (W, b, W̃, b̃ on each line)', () => {
  const cases: [string, () => string][] = [
    ['beside the vectors.bin of the same training (rule B)', () => fixture('glove/vectors-model0.txt')],
    [
      'beside vocab.txt alone, by its biases (rule C)',
      () => join(scratch({ 'model0.txt': fixtureBytes('vectors-model0.txt'), 'vocab.txt': fixtureBytes('vocab.txt') }), 'model0.txt'),
    ],
    [
      'alone, with the header line -write-header 1 adds (rule A)',
      () =>
        join(
          scratch({ 'model0.txt': `${truth.writeHeaderLine}\n${readFileSync(fixture('glove/vectors-model0.txt'), 'utf8')}` }),
          'model0.txt',
        ),
    ],
  ];
  for (const [where, path] of cases) {
    it(`is recognised ${where}`, async () => {
      await withCheckpoint(path(), async (checkpoint) => assert.equal(checkpoint.format, 'glove-model0-text'));
    });
  }

  it("gives U = W, V = W̃ and the biases as 'other', with GloVe's numbers", async () => {
    await withCheckpoint(fixture('glove/vectors-model0.txt'), async (checkpoint) => {
      assert.deepEqual(
        checkpoint.matrices.map((m) => [m.name, m.role, m.rows, m.cols]),
        [
          ['W', 'input', truth.textRows, dim],
          ['W_tilde', 'output', truth.textRows, dim],
          ['b', 'other', truth.textRows, 1],
          ['b_tilde', 'other', truth.textRows, 1],
        ],
      );
      assert.equal(checkpoint.tied, false);
      const [w, wt, b, bt] = await Promise.all(checkpoint.matrices.map((m) => m.load()));
      assert.ok(within(rowOf(w!, 0, dim), truth.W0, TEXT_TOLERANCE));
      assert.ok(within(rowOf(wt!, 0, dim), truth.Wt0, TEXT_TOLERANCE));
      assert.ok(within(rowOf(w!, rows - 1, dim), truth.Wlast, TEXT_TOLERANCE));
      assert.ok(within(rowOf(wt!, rows - 1, dim), truth.WtLast, TEXT_TOLERANCE));
      assert.ok(within([b![0]!, bt![0]!, b![rows - 1]!, bt![rows - 1]!], [truth.b0, truth.bt0, truth.bLast, truth.btLast], TEXT_TOLERANCE));
      const unk = [...rowOf(w!, rows, dim), b![rows]!, ...rowOf(wt!, rows, dim), bt![rows]!];
      assert.ok(within(unk, truth.unkModel0, TEXT_TOLERANCE));
      assert.equal(checkpoint.vocab.tokens.at(-1), '<unk>');
      assert.ok(checkpoint.provenance.notes.some((note) => note.includes('<unk>')));
    });
  });

  it('with no header and nothing beside it is plain text of width 2(d+1), unless --format says otherwise', async () => {
    const path = join(scratch({ 'model0.txt': fixtureBytes('vectors-model0.txt') }), 'model0.txt');
    await withCheckpoint(path, async (checkpoint) => {
      assert.equal(checkpoint.format, 'vectors-text');
      assert.equal(checkpoint.matrices[0]!.cols, 2 * (dim + 1));
    });
    await withCheckpoint(
      path,
      async (checkpoint) => {
        assert.equal(checkpoint.format, 'glove-model0-text');
        assert.equal(byRole(checkpoint, 'output').cols, dim);
      },
      nodeFiles,
      { format: 'glove-model0-text' },
    );
  });
});

describe("GloVe's binary vectors.bin with vocab_count's vocab.txt", () => {
  it('is recognised by structure, as a file and as its folder', async () => {
    for (const path of ['glove/vectors.bin', 'glove']) {
      const checkpoint = await openFixture(path);
      try {
        assert.equal(checkpoint.format, 'glove-binary');
      } finally {
        await checkpoint.close();
      }
    }
  });

  it("has vocab.txt's tokens and counts, and U = W, V = W̃ as float64 on disk", async () => {
    await withCheckpoint(fixture('glove/vectors.bin'), async (checkpoint) => {
      assert.equal(checkpoint.vocab.tokens.length, rows);
      assert.deepEqual(checkpoint.vocab.tokens.slice(0, 5), truth.firstTokens);
      assert.deepEqual(checkpoint.vocab.counts?.slice(0, 5), truth.firstCounts);
      assert.equal(checkpoint.vocab.tokens.at(-1), truth.lastToken);
      assert.deepEqual(
        checkpoint.matrices.map((m) => [m.name, m.role, m.rows, m.cols, m.dtype]),
        [
          ['W', 'input', rows, dim, 'float64'],
          ['W_tilde', 'output', rows, dim, 'float64'],
          ['b', 'other', rows, 1, 'float64'],
          ['b_tilde', 'other', rows, 1, 'float64'],
        ],
      );
      assert.equal(checkpoint.tied, false);
    });
  });

  it('holds the doubles numpy reads, to float32 precision', async () => {
    await withCheckpoint(fixture('glove/vectors.bin'), async (checkpoint) => {
      const [w, wt, b, bt] = await Promise.all(checkpoint.matrices.map((m) => m.load()));
      assert.ok(within(rowOf(w!, 0, dim), truth.W0, FLOAT32_TOLERANCE));
      assert.ok(within(rowOf(wt!, 0, dim), truth.Wt0, FLOAT32_TOLERANCE));
      assert.ok(within(rowOf(w!, rows - 1, dim), truth.Wlast, FLOAT32_TOLERANCE));
      assert.ok(within(rowOf(wt!, rows - 1, dim), truth.WtLast, FLOAT32_TOLERANCE));
      assert.ok(
        within([b![0]!, bt![0]!, b![rows - 1]!, bt![rows - 1]!], [truth.b0, truth.bt0, truth.bLast, truth.btLast], FLOAT32_TOLERANCE),
      );
    });
  });

  it('sums, row by row, to the default text output, and matches the -model 0 text everywhere', async () => {
    const binary = await openFixture('glove/vectors.bin');
    const summed = await openFixture('glove/vectors.txt');
    const model0 = await openFixture('glove/vectors-model0.txt');
    try {
      const [w, wt] = await Promise.all([binary.matrices[0]!.load(), binary.matrices[1]!.load()]);
      const text = await summed.matrices[0]!.load();
      const sum = w.map((value, i) => value + (wt[i] as number));
      assert.ok(maxAbsDiff(sum, text.subarray(0, rows * dim)) <= 2 * TEXT_TOLERANCE, 'W + W̃ equals vectors.txt');
      for (const role of ['input', 'output'] as const) {
        const fromText = (await byRole(model0, role).load()).subarray(0, rows * dim);
        assert.ok(maxAbsDiff(await byRole(binary, role).load(), fromText) <= 2 * TEXT_TOLERANCE, `${role} agrees`);
      }
    } finally {
      await Promise.all([binary.close(), summed.close(), model0.close()]);
    }
  });
});

describe('broken GloVe files fail with one clear line naming the file', () => {
  const binary = fixtureBytes('vectors.bin');
  const vocab = fixtureBytes('vocab.txt');
  const rejects = async (path: string, options: OpenOptions, code: string, mention?: RegExp): Promise<void> => {
    await assert.rejects(openCheckpoint(path, nodeFiles, options), (error: unknown) => {
      assert.ok(error instanceof CheckpointError, String(error));
      assert.equal(error.code, code, error.message);
      assert.ok(error.message.includes(path), error.message);
      if (mention) assert.match(error.message, mention);
      assert.ok(!error.message.includes('\n'));
      return true;
    });
  };

  it('a truncated binary is no longer claimed, and forced it is reported truncated', async () => {
    const path = join(scratch({ 'vectors.bin': binary.subarray(0, binary.length - 8), 'vocab.txt': vocab }), 'vectors.bin');
    await rejects(path, {}, 'unknown-format');
    await rejects(path, { format: 'glove-binary' }, 'truncated', /2×1452×\(d\+1\) float64/);
  });

  it('a vocab file with a word too many makes the sizes disagree', async () => {
    const longer = new Uint8Array([...vocab, ...new TextEncoder().encode('extra 1\n')]);
    const path = join(scratch({ 'vectors.bin': binary, 'vocab.txt': longer }), 'vectors.bin');
    await rejects(path, { format: 'glove-binary' }, 'truncated', /1453 words of vocab\.txt/);
  });

  it('a binary without its vocab file cannot name its rows', async () => {
    const path = join(scratch({ 'vectors.bin': binary }), 'vectors.bin');
    await rejects(path, {}, 'unknown-format');
    await rejects(path, { format: 'glove-binary' }, 'not-found', /vocab/);
  });

  it('an empty file is empty', async () => {
    await rejects(join(scratch({ 'vectors.bin': new Uint8Array(0), 'vocab.txt': vocab }), 'vectors.bin'), {}, 'empty');
  });

  it('a -model 0 text cut inside its last line reports that line', async () => {
    const text = fixtureBytes('vectors-model0.txt');
    const path = join(scratch({ 'vectors-model0.txt': text.subarray(0, text.length - 40), 'vectors.bin': binary }), 'vectors-model0.txt');
    await rejects(path, {}, 'bad-header', /line 1453 expected a token and 18 numbers/);
  });

  it('a -model 0 header that claims more words than the file has is truncated, a wrong d is a bad header', async () => {
    const body = readFileSync(fixture('glove/vectors-model0.txt'), 'utf8');
    await rejects(join(scratch({ 'a.txt': `2000 ${dim}\n${body}` }), 'a.txt'), {}, 'truncated', /header says 2000 words/);
    const wrongDim = join(scratch({ 'b.txt': `${rows} ${dim - 1}\n${body}` }), 'b.txt');
    await rejects(wrongDim, { format: 'glove-model0-text' }, 'bad-header', /header says d = 7/);
  });

  it('forcing -model 0 on text of odd width is a bad header', async () => {
    const lines = readFileSync(fixture('glove/vectors.txt'), 'utf8').split('\n').slice(0, 3);
    const odd = lines.map((line) => line.split(' ').slice(0, -1).join(' ')).join('\n');
    await rejects(join(scratch({ 'odd.txt': `${odd}\n` }), 'odd.txt'), { format: 'glove-model0-text' }, 'bad-header', /found 7 numbers/);
  });

  it('an aborted load of the binary is cancelled', async () => {
    await withCheckpoint(fixture('glove/vectors.bin'), async (checkpoint) => {
      const controller = new AbortController();
      controller.abort();
      await assert.rejects(checkpoint.matrices[0]!.load(controller.signal), { code: 'cancelled' });
    });
  });
});
