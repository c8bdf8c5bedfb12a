import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { coordinatesCsv } from '../../../../src/core/export/coordinates';
import { CSV_EOL, csvField, csvRecord, csvText, guardFormula, unguardFormula } from '../../../../src/core/export/csv';
import { csvNumberText, float32Text } from '../../../../src/core/export/number-text';
import { seededRandom } from '../../../../src/core/analysis/seeded-random';
import { readCsv } from './csv-reader';
import { HOSTILE_TOKENS } from './hostile-tokens';

/** What a spreadsheet evaluates when it leads a cell. */
const TRIGGERS = ['=', '+', '-', '@', '\t', '\r', '\0'];

describe('CSV fields', () => {
  it('quotes only fields with a comma, quote, CR or LF, doubling the quotes (RFC 4180)', () => {
    assert.equal(csvField('plain'), 'plain');
    assert.equal(csvField('a,b'), '"a,b"');
    assert.equal(csvField('say "hi"'), '"say ""hi"""');
    assert.equal(csvField('a\nb'), '"a\nb"');
    assert.equal(csvField('a\rb'), '"a\rb"');
    assert.equal(csvField(''), '');
  });

  it('prefixes an apostrophe to text a spreadsheet would evaluate as a formula', () => {
    assert.equal(guardFormula("=cmd|' /C calc'!A0"), "'=cmd|' /C calc'!A0");
    for (const trigger of TRIGGERS) assert.equal(guardFormula(`${trigger}x`), `'${trigger}x`, JSON.stringify(trigger));
    assert.equal(guardFormula('king'), 'king');
    assert.equal(guardFormula("'s"), "'s");
    assert.equal(guardFormula(''), '');
  });

  it('guards text that starts with apostrophes before a trigger once more, so unguarding is exact', () => {
    assert.equal(guardFormula("'=x"), "''=x");
    assert.equal(unguardFormula(guardFormula("'=x")), "'=x");
    for (const token of HOSTILE_TOKENS) assert.equal(unguardFormula(guardFormula(token)), token, JSON.stringify(token.slice(0, 20)));
  });

  it('leaves no text cell starting with a trigger once read back by a CSV reader', () => {
    const text = HOSTILE_TOKENS.map((token) => csvRecord([csvText(token)])).join('');
    const cells = readCsv(text).map((row) => row[0] as string);
    assert.equal(cells.length, HOSTILE_TOKENS.length);
    for (const cell of cells) assert.ok(!TRIGGERS.some((t) => cell.startsWith(t)), JSON.stringify(cell.slice(0, 20)));
  });

  it('ends every record with CRLF', () => {
    assert.equal(csvRecord(['a', 'b']), `a,b${CSV_EOL}`);
    assert.equal(CSV_EOL, '\r\n');
  });
});

describe('numbers in exports', () => {
  it('writes the shortest text that reads back to the same float32', () => {
    assert.equal(float32Text(0.1), '0.1');
    assert.equal(float32Text(1 / 3), '0.33333334');
    assert.equal(float32Text(1e-7), '1e-7');
    assert.equal(float32Text(16777216), '16777216');
    assert.equal(float32Text(-2.5), '-2.5');
    assert.equal(float32Text(0), '0');
    assert.equal(float32Text(-0), '-0');
    assert.equal(float32Text(3.4028234663852886e38), '3.4028235e+38');
  });

  it('round-trips 20,000 seeded float32 values of every magnitude, never longer than nine digits', () => {
    const random = seededRandom(7);
    const bits = new Uint32Array(1);
    const floats = new Float32Array(bits.buffer);
    for (let i = 0; i < 20_000; i++) {
      bits[0] = Math.floor(random() * 2 ** 32);
      const value = floats[0] as number;
      if (!Number.isFinite(value)) continue;
      const text = float32Text(value);
      assert.equal(Math.fround(Number(text)), value, text);
      const digits = text
        .replace(/^-/, '')
        .replace(/e.*$/, '')
        .replace('.', '')
        .replace(/^0+|0+$/g, '');
      assert.ok(digits.length <= 9, text);
    }
  });

  it('writes NaN as an empty cell and infinities as words CSV readers know', () => {
    assert.equal(csvNumberText(NaN), '');
    assert.equal(csvNumberText(Infinity), 'Infinity');
    assert.equal(csvNumberText(-Infinity), '-Infinity');
    assert.equal(csvNumberText(0.1, false), '0.1');
  });
});

describe('coordinates CSV', () => {
  it('round-trips hostile tokens and float32 coordinates through a strict RFC 4180 reader', () => {
    const n = HOSTILE_TOKENS.length;
    const coords = new Float32Array(n * 2);
    const random = seededRandom(3);
    for (let i = 0; i < coords.length; i++) coords[i] = (random() - 0.5) * 20;
    coords[3] = NaN;
    const rows = readCsv(coordinatesCsv({ tokens: HOSTILE_TOKENS, coords, dims: 2 }));
    assert.deepEqual(rows[0], ['token', 'x', 'y']);
    assert.equal(rows.length, n + 1);
    rows.slice(1).forEach((record, row) => {
      assert.equal(record.length, 3);
      assert.equal(unguardFormula(record[0] as string), HOSTILE_TOKENS[row]);
      for (let d = 0; d < 2; d++) {
        const expected = coords[row * 2 + d] as number;
        const cell = record[1 + d] as string;
        if (Number.isNaN(expected)) assert.equal(cell, '');
        else assert.equal(Math.fround(Number(cell)), expected);
      }
    });
  });

  it('writes a z column for 3-D coordinates and only the rows asked for, in their order', () => {
    const coords = Float32Array.from([0, 0, 0, 1, 2, 3, 4, 5, 6]);
    const text = coordinatesCsv({ tokens: (row) => `t${row}`, coords, dims: 3, rows: [2, 0] });
    assert.equal(text, 'token,x,y,z\r\nt2,4,5,6\r\nt0,0,0,0\r\n');
  });

  it('adds a matrix column for joint layouts, guarded like tokens', () => {
    const coords = Float32Array.from([0, 1, 2, 3]);
    const text = coordinatesCsv({ tokens: ['=a', 'b'], coords, dims: 2, matrixOf: (point) => (point === 0 ? 'U' : 'V') });
    assert.equal(text, "token,matrix,x,y\r\n'=a,U,0,1\r\nb,V,2,3\r\n");
  });

  it('names a rejected row instead of writing garbage', () => {
    assert.throws(
      () => coordinatesCsv({ tokens: ['a'], coords: new Float32Array(2), dims: 2, rows: [1] }),
      /row 1 is outside the 1 points/,
    );
  });
});
