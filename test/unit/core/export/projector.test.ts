import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { seededRandom } from '../../../../src/core/analysis/seeded-random';
import {
  escapeProjectorField,
  projectorMetadataTsv,
  unescapeProjectorField,
  writeProjectorTensors,
} from '../../../../src/core/export/projector';
import { HOSTILE_TOKENS } from './hostile-tokens';

/**
 * The TensorBoard Projector's metadata reader, as its data-provider.ts behaves: split on "\n", skip lines blank after
 * trim(), the first line is a header exactly when it has a tab, an empty field is null.
 */
function projectorReadMetadata(text: string): { columns: string[]; rows: (string | null)[][] } {
  let columns = ['label'];
  const rows: (string | null)[][] = [];
  let first = true;
  for (const line of text.split('\n')) {
    if (line.trim().length === 0) continue;
    if (first) {
      first = false;
      if (line.includes('\t')) {
        columns = line.split('\t');
        continue;
      }
    }
    const values = line.split('\t');
    rows.push(columns.map((_, i) => (values[i] === '' ? null : (values[i] ?? null))));
  }
  return { columns, rows };
}

/** The Projector's tensor reader: trimmed non-blank lines, tab-split, a non-numeric first field is a label. */
function projectorReadTensors(text: string): Float32Array[] {
  const vectors: Float32Array[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '') continue;
    const fields = line.split('\t');
    assert.ok(!Number.isNaN(Number(fields[0])), `the Projector would take "${fields[0]}" as a label`);
    vectors.push(new Float32Array(fields.map(Number)));
  }
  return vectors;
}

async function tensorsText(data: Float32Array, cols: number, rows?: ArrayLike<number>): Promise<{ text: string; nonFinite: number }> {
  const chunks: string[] = [];
  const result = await writeProjectorTensors({ data, cols, ...(rows ? { rows } : {}), write: (chunk) => void chunks.push(chunk) });
  return { text: chunks.join(''), nonFinite: result.nonFinite };
}

describe('Projector metadata TSV', () => {
  it('escapes backslash, tab, LF and CR reversibly and leaves everything else alone', () => {
    assert.equal(escapeProjectorField('a\tb\nc\rd\\e'), 'a\\tb\\nc\\rd\\\\e');
    assert.equal(escapeProjectorField('שלום =1+1 "q"'), 'שלום =1+1 "q"');
    for (const token of HOSTILE_TOKENS) {
      const escaped = escapeProjectorField(token);
      assert.ok(!/[\t\n\r]/.test(escaped));
      assert.equal(unescapeProjectorField(escaped), token);
    }
  });

  it('writes tokens only, without a header, when no line would be blank', () => {
    const meta = projectorMetadataTsv({ tokens: ['king', 'tab\there', 'שלום'], count: 3 });
    assert.equal(meta.text, 'king\ntab\\there\nשלום\n');
    assert.equal(meta.header, false);
    assert.deepEqual(meta.columns, ['token']);
    assert.deepEqual(projectorReadMetadata(meta.text).rows, [['king'], ['tab\\there'], ['שלום']]);
  });

  it('keeps every hostile token on its own row, in order, as the Projector reads the file', () => {
    const meta = projectorMetadataTsv({ tokens: HOSTILE_TOKENS, count: HOSTILE_TOKENS.length });
    const read = projectorReadMetadata(meta.text);
    // Empty and whitespace-only tokens would be skipped as blank lines: the writer adds a row column instead.
    assert.equal(meta.header, true);
    assert.deepEqual(read.columns, ['token', 'row']);
    assert.equal(read.rows.length, HOSTILE_TOKENS.length);
    read.rows.forEach((fields, row) => {
      assert.equal(unescapeProjectorField(fields[0] ?? ''), HOSTILE_TOKENS[row]);
      assert.equal(fields[1], String(row));
    });
  });

  it('writes a header when there are extra columns, and escapes their cells too', () => {
    const counts = [10, 3];
    const meta = projectorMetadataTsv({
      tokens: ['a', 'b\tc'],
      count: 2,
      columns: [
        { name: 'count', text: (row) => String(counts[row]) },
        { name: 'note', text: (row) => (row === 1 ? 'x\ny' : '') },
      ],
    });
    assert.equal(meta.text, 'token\tcount\tnote\na\t10\t\nb\\tc\t3\tx\\ny\n');
    assert.deepEqual(projectorReadMetadata(meta.text).rows, [
      ['a', '10', null],
      ['b\\tc', '3', 'x\\ny'],
    ]);
  });

  it('writes the requested rows in the requested order', () => {
    assert.equal(projectorMetadataTsv({ tokens: ['a', 'b', 'c'], count: 3, rows: [2, 0] }).text, 'c\na\n');
  });
});

describe('Projector tensors TSV', () => {
  it('writes one tab-separated row per vector that reads back to the same float32 values', async () => {
    const random = seededRandom(11);
    const rows = 50;
    const cols = 7;
    const data = new Float32Array(rows * cols);
    for (let i = 0; i < data.length; i++) data[i] = (random() - 0.5) * 10 ** Math.floor(random() * 8 - 4);
    const { text, nonFinite } = await tensorsText(data, cols);
    assert.equal(nonFinite, 0);
    assert.ok(text.endsWith('\n') && !text.includes('\r'));
    const vectors = projectorReadTensors(text);
    assert.equal(vectors.length, rows);
    vectors.forEach((vector, row) => assert.deepEqual(vector, data.subarray(row * cols, (row + 1) * cols)));
  });

  it('writes non-finite values as 0 and counts them, so the Projector never sees a "NaN" label', async () => {
    const data = Float32Array.from([NaN, 1, 2, Infinity, -Infinity, 3]);
    const { text, nonFinite } = await tensorsText(data, 3);
    assert.equal(nonFinite, 3);
    assert.equal(text, '0\t1\t2\n0\t0\t3\n');
    assert.equal(projectorReadTensors(text).length, 2);
  });

  it('writes the rows asked for, matching the metadata rows', async () => {
    const data = Float32Array.from([0, 0, 1, 1, 2, 2]);
    assert.equal((await tensorsText(data, 2, [2, 0])).text, '2\t2\n0\t0\n');
  });

  it('streams a large matrix in chunks of about a megabyte', async () => {
    const cols = 100;
    const rows = 3000;
    const data = new Float32Array(rows * cols).fill(0.123456789);
    const chunks: string[] = [];
    await writeProjectorTensors({ data, cols, write: (chunk) => void chunks.push(chunk) });
    assert.ok(chunks.length >= 3, `${chunks.length} chunks`);
    assert.equal(chunks.join('').split('\n').length - 1, rows);
  });

  it('refuses one-column vectors, which the Projector cannot load', async () => {
    await assert.rejects(writeProjectorTensors({ data: new Float32Array(3), cols: 1, write: () => undefined }), { code: 'unsupported' });
  });

  it('stops with a cancelled error when the signal fires', async () => {
    const abort = new AbortController();
    abort.abort();
    await assert.rejects(writeProjectorTensors({ data: new Float32Array(4), cols: 2, write: () => undefined, signal: abort.signal }), {
      code: 'cancelled',
    });
  });
});
