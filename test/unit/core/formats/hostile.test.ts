import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { neighborsOfToken } from '../../../../src/core/token-neighbors';
import { expected, fixture, withCheckpoint } from '../../helpers';

interface HostileExpected {
  tool: string;
  rows: number;
  cols: number;
  tokens: string[];
  /** Each hostile token and its row. */
  hostile: Record<string, number>;
  probe: string;
  probeRow: number;
  neighbors: { token: string; row: number; score: number }[];
  neighbors10: { token: string; row: number; score: number }[];
}

const truth = expected<HostileExpected>('hostile/expected.json');
const utf8 = (text: string): string => Buffer.from(text, 'utf8').toString('hex');

describe('a vocabulary of hostile tokens (markup, bidi controls, combining marks, 2,000 characters) beside a .npy', () => {
  it('is read token for token, byte for byte, in row order', async () => {
    await withCheckpoint(fixture('hostile/vectors.npy'), (checkpoint) => {
      assert.equal(checkpoint.format, 'npy');
      assert.equal(checkpoint.vocab.source.endsWith('vocab.txt'), true);
      assert.equal(checkpoint.vocab.counts, undefined, 'no line is split into a token and a count');
      assert.deepEqual(checkpoint.vocab.tokens, truth.tokens);
      assert.deepEqual(checkpoint.vocab.tokens.map(utf8), truth.tokens.map(utf8));
      assert.deepEqual([checkpoint.matrices[0]!.rows, checkpoint.matrices[0]!.cols], [truth.rows, truth.cols]);
      assert.deepEqual(
        checkpoint.provenance.notes.filter((note) => note.includes('extra')),
        [],
        'tokens and rows match one to one',
      );
    });
  });

  it('matches the bytes of vocab.txt line by line, so the file itself is what the expectations describe', () => {
    const bytes = readFileSync(fixture('hostile/vocab.txt'));
    const lines: string[] = [];
    for (let start = 0, end = bytes.indexOf(0x0a); end >= 0; start = end + 1, end = bytes.indexOf(0x0a, start)) {
      lines.push(bytes.subarray(start, end).toString('hex'));
    }
    assert.equal(bytes.at(-1), 0x0a, 'the file ends with one newline');
    assert.notDeepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'no byte-order mark at its start');
    assert.deepEqual(lines, truth.tokens.map(utf8));
  });

  it('keeps every hostile token at its row, distinct from look-alikes (NFC and NFD, __proto__, a BOM inside the file)', async () => {
    await withCheckpoint(fixture('hostile'), (checkpoint) => {
      const tokens = checkpoint.vocab.tokens;
      for (const [token, row] of Object.entries(truth.hostile)) assert.equal(tokens[row], token, `row ${row}`);
      assert.equal(new Set(tokens).size, truth.rows, 'no two tokens collapse into one');
      assert.ok(tokens.includes('cafe\u0301') && tokens.includes('caf\u00e9'), 'no Unicode normalisation');
      assert.ok(tokens.includes('\ufeffbom') && tokens.includes('tab\tinside') && tokens.includes(' '));
      const long = tokens[truth.rows - 1]!;
      assert.equal([...long].length, 2000, 'the last row is the 2,000-character token');
    });
  });

  it(`gives '${truth.probe}' the cosine neighbours numpy computed (${truth.tool}), hostile tokens first`, async () => {
    await withCheckpoint(fixture('hostile/vectors.npy'), async (checkpoint) => {
      const found = await neighborsOfToken(checkpoint, truth.probe, 10, 'input', 'cosine');
      assert.deepEqual(
        found.neighbors.slice(0, 5).map((hit) => hit.token),
        truth.neighbors.map((hit) => hit.token),
      );
      assert.deepEqual(
        found.neighbors.map((hit) => hit.token),
        truth.neighbors10.map((hit) => hit.token),
      );
      found.neighbors.forEach((hit, i) => assert.ok(Math.abs(hit.score - truth.neighbors10[i]!.score) < 1e-6, `score of ${i}`));
    });
  });

  it('looks up a hostile token by its exact text and finds king among its neighbours', async () => {
    await withCheckpoint(fixture('hostile/vectors.npy'), async (checkpoint) => {
      const script = truth.neighbors[1]!.token;
      const found = await neighborsOfToken(checkpoint, script, 5, 'input', 'cosine');
      assert.equal(found.token, '</script><script>alert(2)</script>');
      assert.ok(found.neighbors.some((hit) => hit.token === truth.probe));
    });
  });
});
