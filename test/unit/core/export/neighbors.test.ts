import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { unguardFormula } from '../../../../src/core/export/csv';
import {
  neighborsCsv,
  neighborsDocument,
  neighborsJson,
  NEIGHBORS_CSV_COLUMNS,
  type ExportedQuery,
} from '../../../../src/core/export/neighbors';
import { readCsv } from './csv-reader';
import { HOSTILE_TOKENS } from './hostile-tokens';

const queries: ExportedQuery[] = [
  {
    row: 15, // "=cmd|' /C calc'!A0"
    lists: [
      { matrix: 'input', metric: 'cosine', hits: HOSTILE_TOKENS.map((_, row) => ({ row, score: Math.fround(1 - row / 100) })) },
      { matrix: 'output', metric: 'cosine', hits: [{ row: 1, score: NaN }] },
      { matrix: 'cross', metric: 'dot', hits: [{ row: 36, score: Math.fround(12.3) }] },
    ],
  },
];

describe('neighbour exports', () => {
  it('writes one CSV record per hit that a strict reader maps back to the tokens and scores', () => {
    const rows = readCsv(neighborsCsv(queries, HOSTILE_TOKENS));
    assert.deepEqual(rows[0], [...NEIGHBORS_CSV_COLUMNS]);
    assert.equal(rows.length, 1 + HOSTILE_TOKENS.length + 2);
    const [query, queryRow, matrix, metric, rank, neighbor, neighborRow, score] = rows[1] as string[];
    assert.equal(unguardFormula(query as string), "=cmd|' /C calc'!A0");
    assert.ok(query?.startsWith("'"), 'the formula is guarded');
    assert.deepEqual([queryRow, matrix, metric, rank, neighborRow], ['15', 'input', 'cosine', '1', '0']);
    assert.equal(neighbor, 'king');
    assert.equal(score, '1');
    rows.slice(1, 1 + HOSTILE_TOKENS.length).forEach((record, i) => {
      assert.equal(unguardFormula(record[5] as string), HOSTILE_TOKENS[i]);
      assert.equal(Math.fround(Number(record[7])), Math.fround(1 - i / 100));
    });
    assert.deepEqual(rows.at(-2), ["'=cmd|' /C calc'!A0", '15', 'output', 'cosine', '1', '', '1', '']);
    assert.deepEqual(rows.at(-1)?.slice(2), ['cross', 'dot', '1', 'x'.repeat(2000), '36', '12.3']);
  });

  it('writes a schema-1 JSON document that parses back to the exact tokens, with short float32 scores', () => {
    const parsed = JSON.parse(neighborsJson(queries, HOSTILE_TOKENS)) as ReturnType<typeof neighborsDocument>;
    assert.equal(parsed.schema, 1);
    assert.equal(parsed.kind, 'neighbors');
    const query = parsed.queries[0];
    assert.equal(query?.token, "=cmd|' /C calc'!A0");
    assert.deepEqual(
      query?.lists[0]?.neighbors.map((n) => n.token),
      HOSTILE_TOKENS,
    );
    assert.equal(query?.lists[1]?.neighbors[0]?.score, null);
    assert.equal(query?.lists[2]?.neighbors[0]?.score, 12.3);
    assert.equal(query?.lists[2]?.metric, 'dot');
  });

  it('names rows the vocabulary does not cover by their number', () => {
    const doc = neighborsDocument([{ row: 5, lists: [{ matrix: 'input', metric: 'cosine', hits: [{ row: 9, score: 0.5 }] }] }], ['a']);
    assert.equal(doc.queries[0]?.token, '#5');
    assert.equal(doc.queries[0]?.lists[0]?.neighbors[0]?.token, '#9');
  });
});
