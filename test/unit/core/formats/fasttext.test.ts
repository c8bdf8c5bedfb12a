import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import type { Checkpoint, Matrix } from '../../../../src/core/checkpoint';
import { fastTextBin, readFastTextHead } from '../../../../src/core/formats/fasttext-bin';
import { MemorySource, type ByteSource } from '../../../../src/core/io/byte-source';
import { nodeFiles } from '../../../../src/node/node-files';
import { expected, fixture, openFixture, withCheckpoint } from '../../helpers';

/** What make_fasttext.py recorded from fastText's own CLI for one model. */
interface ModelFacts {
  args: Record<string, number | string>;
  dict: { size: number; nwords: number; nlabels: number; words: string[]; counts: number[]; labels: [string, number][] };
  /** `fasttext print-word-vectors` (5 significant digits). */
  wordVectors: Record<string, number[]>;
  /** `fasttext dump MODEL input|output` (6 significant digits): the header and some rows by index. */
  input?: { rows: number; cols: number; sample: Record<string, number[]> };
  output?: { rows: number; cols: number; sample: Record<string, number[]> };
  /** `fasttext print-ngrams`: the word's own row first, then each subword row. */
  ngrams?: Record<string, [string, number[]][]>;
}

const truth = expected<Record<string, unknown>>('fasttext/expected.json');
const facts = (name: string): ModelFacts => truth[name] as ModelFacts;
/** The .vec header fastText wrote. */
const vecHeader = truth['skipgram.vec'] as { rows: number; cols: number };
const bytesOf = (name: string): Uint8Array => new Uint8Array(readFileSync(fixture(`fasttext/${name}`)));

/** Asserts `ours` equals a row fastText printed with `digits` significant digits, to the printing's precision. */
function assertPrinted(ours: ArrayLike<number>, printed: readonly number[], digits: number, what: string): void {
  assert.equal(ours.length, printed.length, `${what}: length`);
  for (let i = 0; i < printed.length; i++) {
    const tolerance = 0.5 * 10 ** (1 - digits) * Math.abs(printed[i] as number) * 1.01 + 1e-9;
    assert.ok(Math.abs((ours[i] as number) - (printed[i] as number)) <= tolerance, `${what}[${i}]: ${ours[i]} vs printed ${printed[i]}`);
  }
}

const row = (data: Float32Array, index: number, cols: number): Float32Array => data.subarray(index * cols, (index + 1) * cols);

function withFixture<T>(name: string, body: (checkpoint: Checkpoint) => Promise<T>): Promise<T> {
  return withCheckpoint(fixture(`fasttext/${name}`), body);
}

/** Reads bytes with the fastText reader directly (no sniffing), as a corrupt or patched file would be read. */
function readBytes(bytes: Uint8Array, name = 'patched.bin', source: ByteSource = new MemorySource(name, bytes)): Promise<Checkpoint> {
  return fastTextBin.read({ source, path: name, files: nodeFiles });
}

const matrix = (checkpoint: Checkpoint, name: string): Matrix => checkpoint.matrices.find((m) => m.name === name) as Matrix;

describe('a fastText skipgram model (fasttext skipgram, loss ns)', () => {
  const ft = facts('skipgram.bin');

  it('is recognised by its magic number as fasttext-bin, with the training args fastText dumps', async () => {
    await withFixture('skipgram.bin', async (checkpoint) => assert.equal(checkpoint.format, 'fasttext-bin'));
    const { version, args } = await readFastTextHead(new MemorySource('skipgram.bin', bytesOf('skipgram.bin')));
    assert.equal(version, 12);
    assert.deepEqual({ ...args }, ft.args);
  });

  it("has fastText's dictionary as vocabulary: every word, in order, with its count", async () => {
    await withFixture('skipgram.bin', async (checkpoint) => {
      assert.deepEqual(checkpoint.vocab.tokens, ft.dict.words);
      assert.deepEqual(checkpoint.vocab.counts, ft.dict.counts);
    });
  });

  it('shows U as the word rows and reports the subword buckets as extra rows, with V beside it', async () => {
    await withFixture('skipgram.bin', async (checkpoint) => {
      const shapes = checkpoint.matrices.map((m) => [m.name, m.role, m.rows, m.cols, m.dtype, m.extraRows]);
      assert.deepEqual(shapes, [
        ['input', 'input', ft.dict.nwords, ft.args.dim, 'float32', ft.args.bucket],
        ['output', 'output', ft.dict.nwords, ft.args.dim, 'float32', undefined],
      ]);
      assert.equal(ft.input?.rows, ft.dict.nwords + (ft.args.bucket as number), "fastText's own input matrix has words + buckets rows");
      assert.equal(checkpoint.tied, false);
    });
  });

  it('holds the numbers `fasttext dump input` and `dump output` print, row for row', async () => {
    await withFixture('skipgram.bin', async (checkpoint) => {
      for (const [name, dumped] of [
        ['input', ft.input],
        ['output', ft.output],
      ] as const) {
        const data = await matrix(checkpoint, name).load();
        assert.equal(data.length, ft.dict.nwords * (ft.args.dim as number));
        for (const [index, printed] of Object.entries(dumped?.sample ?? {})) {
          if (Number(index) < ft.dict.nwords) assertPrinted(row(data, Number(index), printed.length), printed, 6, `${name} row ${index}`);
        }
      }
    });
  });

  it('inspects a model with 2M buckets reading only its head, and loads exactly the word rows', async () => {
    // A 64 MB virtual file: the real header and dictionary with `bucket` patched to 2,000,000, then the real
    // word rows, then zeros. Every read is recorded.
    const real = bytesOf('skipgram.bin');
    const { nwords } = ft.dict;
    const dim = ft.args.dim as number;
    const realInputRows = ft.input?.rows as number;
    const dictEnd = real.length - (17 + nwords * dim * 4) - (17 + realInputRows * dim * 4);
    const buckets = 2_000_000;
    const inputData = dictEnd + 17;
    const outputAt = inputData + (nwords + buckets) * dim * 4;
    const head = new Uint8Array(inputData);
    head.set(real.subarray(0, dictEnd + 1));
    const view = new DataView(head.buffer);
    view.setInt32(40, buckets, true); // args.bucket: the 9th int32 after magic and version
    view.setBigInt64(dictEnd + 1, BigInt(nwords + buckets), true);
    view.setBigInt64(dictEnd + 9, BigInt(dim), true);
    const tail = new Uint8Array(17);
    new DataView(tail.buffer).setBigInt64(1, BigInt(nwords), true);
    new DataView(tail.buffer).setBigInt64(9, BigInt(dim), true);
    const reads: [number, number][] = [];
    const parts: [number, Uint8Array][] = [
      [0, head],
      [inputData, real.subarray(dictEnd + 17, dictEnd + 17 + nwords * dim * 4)],
      [outputAt, tail],
    ];
    const size = outputAt + 17 + nwords * dim * 4;
    const source: ByteSource = {
      name: 'virtual.bin',
      size: () => Promise.resolve(size),
      close: () => Promise.resolve(),
      read(offset, length) {
        const out = new Uint8Array(Math.max(0, Math.min(length, size - offset)));
        reads.push([offset, out.length]);
        for (const [at, bytes] of parts) {
          const from = Math.max(at, offset);
          const to = Math.min(at + bytes.length, offset + out.length);
          if (from < to) out.set(bytes.subarray(from - at, to - at), from - offset);
        }
        return Promise.resolve(out);
      },
    };
    const checkpoint = await readBytes(new Uint8Array(0), 'virtual.bin', source);
    const inspected = reads.reduce((sum, [, length]) => sum + length, 0);
    assert.ok(inspected < 2 << 20, `inspect read ${inspected} bytes of a ${size}-byte file`);
    assert.equal(checkpoint.matrices[0]?.extraRows, buckets);
    reads.length = 0;
    const u = await checkpoint.matrices[0]!.load();
    assert.deepEqual(reads, [[inputData, nwords * dim * 4]], 'load reads the word rows and nothing else');
    const realU = await (await readBytes(real, 'skipgram.bin')).matrices[0]!.load();
    assert.deepEqual(u, realU);
  });
});

describe("fastText's .vec text output (skipgram.vec, read by the word2vec-text reader)", () => {
  const ft = facts('skipgram.bin');

  it("lists the .bin's words in the .bin's order", async () => {
    await withFixture('skipgram.vec', async (vec) => {
      assert.equal(vec.format, 'word2vec-text');
      assert.deepEqual(vec.vocab.tokens, ft.dict.words);
      assert.deepEqual([vec.matrices[0]?.rows, vec.matrices[0]?.cols], [vecHeader.rows, ft.args.dim]);
    });
  });

  it("holds fastText's averaged word vectors (print-word-vectors), not the raw input rows of the .bin", async () => {
    // fastText writes the .vec with getWordVector: the mean of the word's own input row and the rows of its char
    // n-grams (print-ngrams lists them), printed with 5 significant digits. So a .vec row equals U's row only for a
    // word without n-grams ('</s>'); for any other word it is that mean, which differs from U's row.
    const dim = ft.args.dim as number;
    const bin = await openFixture('fasttext/skipgram.bin');
    const vec = await openFixture('fasttext/skipgram.vec');
    try {
      const u = await bin.matrices[0]!.load();
      const v = await vec.matrices[0]!.load();
      const index = (word: string): number => vec.vocab.tokens.indexOf(word);
      for (const [word, printed] of Object.entries(ft.wordVectors)) assertPrinted(row(v, index(word), dim), printed, 5, `.vec ${word}`);
      assertPrinted(row(u, index('</s>'), dim), Array.from(row(v, index('</s>'), dim)), 5, "'</s>' has no n-grams: U row = .vec row");
      const ngrams = ft.ngrams?.king ?? [];
      assertPrinted(row(u, index('king'), dim), ngrams[0]?.[1] ?? [], 5, "print-ngrams' first row is U's row of 'king'");
      const mean = Array.from({ length: dim }, (_, j) => {
        const subwords = ngrams.slice(1).reduce((sum, [, values]) => sum + (values[j] as number), 0);
        return (subwords + (row(u, index('king'), dim)[j] as number)) / ngrams.length;
      });
      const kingVec = row(v, index('king'), dim);
      mean.forEach((value, j) => assert.ok(Math.abs(value - (kingVec[j] as number)) < 1e-4, `mean[${j}] ${value} vs .vec ${kingVec[j]}`));
      const gap = Math.max(...mean.map((value, j) => Math.abs(value - (row(u, index('king'), dim)[j] as number))));
      assert.ok(gap > 1e-2, `the .vec row of 'king' is not its U row (largest gap ${gap})`);
    } finally {
      await bin.close();
      await vec.close();
    }
  });
});

describe('a fastText cbow model with hierarchical softmax and no subwords (cbow-hs.bin)', () => {
  const ft = facts('cbow-hs.bin');

  it("reports no bucket rows and shows the output matrix as 'other': its rows are tree nodes, not words", async () => {
    await withFixture('cbow-hs.bin', async (checkpoint) => {
      assert.deepEqual(checkpoint.vocab.tokens, ft.dict.words);
      const shapes = checkpoint.matrices.map((m) => [m.role, m.rows, m.extraRows]);
      assert.deepEqual(shapes, [
        ['input', ft.dict.nwords, 0],
        ['other', ft.output?.rows, undefined],
      ]);
      assert.ok(checkpoint.provenance.notes.some((note) => /hierarchical softmax/.test(note)));
      const [u, tree] = await Promise.all(checkpoint.matrices.map((m) => m.load()));
      for (const [index, printed] of Object.entries(ft.input?.sample ?? {})) {
        if (Number(index) < ft.dict.nwords) assertPrinted(row(u!, Number(index), printed.length), printed, 6, `input row ${index}`);
      }
      for (const [index, printed] of Object.entries(ft.output?.sample ?? {}))
        assertPrinted(row(tree!, Number(index), printed.length), printed, 6, `node row ${index}`);
    });
  });
});

describe('a fastText supervised classifier (supervised.bin)', () => {
  const ft = facts('supervised.bin');

  it('keeps the words as vocabulary and shows the label matrix as other, naming the labels', async () => {
    await withFixture('supervised.bin', async (checkpoint) => {
      assert.deepEqual(checkpoint.vocab.tokens, ft.dict.words);
      assert.ok(!checkpoint.vocab.tokens.some((token) => token.startsWith('__label__')));
      const shapes = checkpoint.matrices.map((m) => [m.role, m.rows, m.extraRows]);
      assert.deepEqual(shapes, [
        ['input', ft.dict.nwords, ft.args.bucket],
        ['other', ft.dict.nlabels, undefined],
      ]);
      const note = checkpoint.provenance.notes.find((text) => text.includes('one row per label')) ?? '';
      for (const [label] of ft.dict.labels) assert.ok(note.includes(label), `${label} named in "${note}"`);
    });
  });

  it('holds the rows fastText dumps; with no char n-grams its word vectors are exactly these rows', async () => {
    await withFixture('supervised.bin', async (checkpoint) => {
      const dim = ft.args.dim as number;
      const [u, labels] = await Promise.all(checkpoint.matrices.map((m) => m.load()));
      for (const [index, printed] of Object.entries(ft.input?.sample ?? {})) {
        if (Number(index) < ft.dict.nwords) assertPrinted(row(u!, Number(index), dim), printed, 6, `input row ${index}`);
      }
      for (const [word, printed] of Object.entries(ft.wordVectors)) {
        assertPrinted(row(u!, checkpoint.vocab.tokens.indexOf(word), dim), printed, 5, `print-word-vectors ${word}`);
      }
      for (const [index, printed] of Object.entries(ft.output?.sample ?? {}))
        assertPrinted(row(labels!, Number(index), dim), printed, 6, `label row ${index}`);
    });
  });
});

describe('a quantized fastText classifier (supervised.ftz: product-quantized, norms quantized, dictionary pruned)', () => {
  const ft = facts('supervised.ftz');

  it('has the pruned dictionary and the kept n-gram rows as extra rows', async () => {
    await withFixture('supervised.ftz', async (checkpoint) => {
      assert.equal(checkpoint.format, 'fasttext-bin');
      assert.deepEqual(checkpoint.vocab.tokens, ft.dict.words);
      assert.deepEqual(checkpoint.vocab.counts, ft.dict.counts);
      const shapes = checkpoint.matrices.map((m) => [m.role, m.rows, m.dtype, m.extraRows]);
      // quantize -cutoff 1000 keeps 1000 input rows: the surviving words, then the surviving n-gram rows.
      assert.deepEqual(shapes, [
        ['input', ft.dict.nwords, 'uint8', 1000 - ft.dict.nwords],
        ['other', ft.dict.nlabels, 'float32', undefined],
      ]);
      assert.ok(checkpoint.provenance.notes.some((note) => /product-quantized/.test(note)));
    });
  });

  it('decodes every word row to the vector fastText itself prints from the .ftz', async () => {
    await withFixture('supervised.ftz', async (checkpoint) => {
      const dim = ft.args.dim as number;
      const u = await checkpoint.matrices[0]!.load();
      assert.equal(u.length, ft.dict.nwords * dim);
      for (const [word, printed] of Object.entries(ft.wordVectors)) {
        assertPrinted(row(u, checkpoint.vocab.tokens.indexOf(word), dim), printed, 5, `print-word-vectors ${word}`);
      }
      // quantize without -qout leaves the label matrix as trained: the .bin's rows, still dense.
      const labels = await checkpoint.matrices[1]!.load();
      for (const [index, printed] of Object.entries(facts('supervised.bin').output?.sample ?? {})) {
        assertPrinted(row(labels, Number(index), dim), printed, 6, `label row ${index}`);
      }
    });
  });
});
