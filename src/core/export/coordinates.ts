import { csvNumberText } from './number-text';
import { csvField, csvRecord, csvText } from './csv';
import { exportRows, tokenLookup, type TokenSource } from './token-source';

/** What coordinatesCsv writes. */
export interface CoordinatesExport {
  readonly tokens: TokenSource;
  /** float32 points, `dims` values per row (x,y or x,y,z), row-major, one per vocabulary row. */
  readonly coords: Float32Array;
  readonly dims: 2 | 3;
  /** Rows to write, in this order (e.g. the sampled or filtered ones); default: every row of `coords`. */
  readonly rows?: ArrayLike<number>;
  /** Which matrix each point comes from ('U' or 'V' in a joint layout): adds a `matrix` column after the token. */
  readonly matrixOf?: (row: number) => string;
}

/**
 * A projection as CSV: header `token,x,y` (or `token,x,y,z`), one record per row. Tokens are formula-guarded
 * (see guardFormula); coordinates are the shortest text that reads back to the same float32; a NaN coordinate is
 * an empty cell.
 */
export function coordinatesCsv(data: CoordinatesExport): string {
  const { coords, dims } = data;
  const count = Math.floor(coords.length / dims);
  const tokenAt = tokenLookup(data.tokens);
  const rows = exportRows(count, data.rows);
  const axes = dims === 3 ? ['x', 'y', 'z'] : ['x', 'y'];
  const matrixOf = data.matrixOf;
  const out: string[] = [csvRecord([csvField('token'), ...(matrixOf ? [csvField('matrix')] : []), ...axes])];
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i] as number;
    if (!(row >= 0 && row < count)) throw new RangeError(`coordinatesCsv: row ${row} is outside the ${count} points`);
    const fields = [csvText(tokenAt(row))];
    if (matrixOf) fields.push(csvText(matrixOf(row)));
    for (let d = 0; d < dims; d++) fields.push(csvNumberText(coords[row * dims + d] as number));
    out.push(csvRecord(fields));
  }
  return out.join('');
}
