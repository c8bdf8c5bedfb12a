/** Result of a token search: matching rows (in row order, capped) and the total count. */
export interface SearchResult {
  readonly rows: Uint32Array;
  readonly total: number;
  /** Set when the query is not a valid regular expression. */
  readonly error?: string;
}

/** At most this many rows are kept as hits; the count still covers every match. */
export const MAX_HITS = 5000;

/**
 * Finds tokens matching `query`: a substring, or a regular expression when `regex` is set. Smart case: a query with
 * no upper-case letter ignores case. An empty query matches nothing.
 */
export function searchTokens(tokens: readonly string[], query: string, regex: boolean, maxHits = MAX_HITS): SearchResult {
  if (query === '') return { rows: new Uint32Array(0), total: 0 };
  const ignoreCase = query === query.toLowerCase();
  let test: (token: string) => boolean;
  if (regex) {
    let pattern: RegExp;
    try {
      pattern = new RegExp(query, ignoreCase ? 'iu' : 'u');
    } catch (error) {
      return { rows: new Uint32Array(0), total: 0, error: error instanceof Error ? error.message : String(error) };
    }
    test = (token) => pattern.test(token);
  } else {
    const needle = ignoreCase ? query.toLowerCase() : query;
    test = ignoreCase ? (token) => token.toLowerCase().includes(needle) : (token) => token.includes(needle);
  }
  const hits: number[] = [];
  let total = 0;
  for (let row = 0; row < tokens.length; row++) {
    if (!test(tokens[row] as string)) continue;
    total++;
    if (hits.length < maxHits) hits.push(row);
  }
  return { rows: Uint32Array.from(hits), total };
}

/** The row to select for a query: an exact match first, else the first hit. */
export function bestHit(tokens: readonly string[], query: string, result: SearchResult): number {
  for (const row of result.rows) if (tokens[row] === query) return row;
  return result.rows.length > 0 ? (result.rows[0] as number) : -1;
}
