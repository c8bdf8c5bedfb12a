import type { Metric } from '../neighbors';
import type { NeighborSpace } from '../token-neighbors';
import { csvField, csvRecord, csvText } from './csv';
import { csvNumberText, float32Json } from './number-text';
import { tokenLookup, type TokenSource } from './token-source';

/** A neighbour by row with its score (a similarity for cosine and dot, a distance for euclidean). */
export interface ExportedHit {
  readonly row: number;
  readonly score: number;
}

/** One ranked list of a query: which matrix was searched, by what, and the hits best first. */
export interface ExportedList {
  /** input: among U; output: among V; cross: V's rows scored by the query's U row (uᵢ·V). */
  readonly matrix: NeighborSpace;
  readonly metric: Metric;
  readonly hits: readonly ExportedHit[];
}

/** The lists of one query token. */
export interface ExportedQuery {
  readonly row: number;
  readonly lists: readonly ExportedList[];
}

/** `neighbors` export document (schema 1): what the panel saves as JSON, the CLI's `neighbors --json` extended to several queries and lists. */
export interface NeighborsDocument {
  readonly schema: 1;
  readonly kind: 'neighbors';
  readonly queries: {
    readonly token: string;
    readonly row: number;
    readonly lists: {
      readonly matrix: NeighborSpace;
      readonly metric: Metric;
      /** Best first; score is null where it is not a finite number. */
      readonly neighbors: { readonly token: string; readonly row: number; readonly score: number | null }[];
    }[];
  }[];
}

/** The neighbour lists as a schema-1 document (tokens as they are: JSON escapes what it must). */
export function neighborsDocument(queries: readonly ExportedQuery[], tokens: TokenSource): NeighborsDocument {
  const tokenAt = tokenLookup(tokens);
  return {
    schema: 1,
    kind: 'neighbors',
    queries: queries.map((query) => ({
      token: tokenAt(query.row),
      row: query.row,
      lists: query.lists.map((list) => ({
        matrix: list.matrix,
        metric: list.metric,
        neighbors: list.hits.map((hit) => ({ token: tokenAt(hit.row), row: hit.row, score: float32Json(hit.score) })),
      })),
    })),
  };
}

/** The document as pretty JSON text with a final newline. */
export function neighborsJson(queries: readonly ExportedQuery[], tokens: TokenSource): string {
  return `${JSON.stringify(neighborsDocument(queries, tokens), null, 2)}\n`;
}

/** CSV header of neighborsCsv. */
export const NEIGHBORS_CSV_COLUMNS = ['query', 'query_row', 'matrix', 'metric', 'rank', 'neighbor', 'neighbor_row', 'score'] as const;

/**
 * The neighbour lists as CSV, one record per hit (long format: filter by `matrix` in a spreadsheet or pandas).
 * Tokens are formula-guarded (see guardFormula); a NaN score is an empty cell.
 */
export function neighborsCsv(queries: readonly ExportedQuery[], tokens: TokenSource): string {
  const tokenAt = tokenLookup(tokens);
  const out: string[] = [csvRecord(NEIGHBORS_CSV_COLUMNS.map(csvField))];
  for (const query of queries) {
    const queryToken = csvText(tokenAt(query.row));
    for (const list of query.lists) {
      list.hits.forEach((hit, index) => {
        out.push(
          csvRecord([
            queryToken,
            String(query.row),
            list.matrix,
            list.metric,
            String(index + 1),
            csvText(tokenAt(hit.row)),
            String(hit.row),
            csvNumberText(hit.score),
          ]),
        );
      });
    }
  }
  return out.join('');
}
