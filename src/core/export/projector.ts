// TensorBoard Embedding Projector files: a tensors TSV (one row of tab-separated floats per token) and a metadata
// TSV (the labels), loadable in projector.tensorflow.org ("Load") or through a projector_config.pbtxt.
//
// What the Projector's reader does (tensorboard/plugins/projector/vz_projector/data-provider.ts, parseMetadata and
// parseTensors; the Python plugin's _read_tensor_tsv_file agrees on tensors):
// - lines are split on "\n" only; there is no quoting or escaping of any kind;
// - a line that is blank after JavaScript's trim() is skipped: in metadata that silently shifts every later label
//   against its vector, so no line we write may be blank;
// - metadata: the first non-blank line is a header exactly when it contains a tab; a single-column file has no
//   header, and a multi-column file must have one; an empty field is read as "no value";
// - tensors: a first field that is not a number is taken as a label, and every row must have the same count (≥ 2).
import { CheckpointError } from '../errors';
import { Pacer } from '../analysis/pacer';
import { float32Text } from './number-text';
import { exportRows, tokenLookup, type TokenSource } from './token-source';

/**
 * Escapes a metadata field so it cannot break the line or column structure: "\" → "\\", tab → "\t", LF → "\n",
 * CR → "\r" (the backslash escapes of the Linear TSV convention and PostgreSQL's text format). The Projector shows
 * the escapes as typed; nothing else is changed, so labels stay searchable as they are.
 */
export function escapeProjectorField(text: string): string {
  return text.replace(/[\\\t\n\r]/g, (c) => (c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r'));
}

/** Undoes escapeProjectorField (a backslash before any other character is kept as is). */
export function unescapeProjectorField(text: string): string {
  return text.replace(/\\([\\tnr])/g, (_, c: string) => (c === 't' ? '\t' : c === 'n' ? '\n' : c === 'r' ? '\r' : '\\'));
}

/** An extra metadata column, e.g. the training count. */
export interface ProjectorColumn {
  readonly name: string;
  /** The cell of a row (escaped on writing). */
  text(row: number): string;
}

/** What projectorMetadataTsv wrote. */
export interface ProjectorMetadata {
  /** The file's text, "\n" line ends, one line per row plus the header when there is one. */
  readonly text: string;
  /** True when the first line is a header (more than one column). */
  readonly header: boolean;
  /** Column names in order; ['token'] for the single-column layout. */
  readonly columns: readonly string[];
}

/**
 * The labels file. Tokens only, without a header, when that is safe; with `columns`, a header `token<TAB>…` and one
 * line per row. Because the Projector drops blank lines, a token that would make its line blank (empty, or only
 * whitespace) switches the file to the two-column layout with a `row` column, which keeps every line non-blank and
 * aligned with the tensors file; `header` and `columns` say which layout was written.
 */
export function projectorMetadataTsv(options: {
  readonly tokens: TokenSource;
  /** Rows of the matrix (the tensors file's row count when `rows` is not given). */
  readonly count: number;
  readonly rows?: ArrayLike<number>;
  readonly columns?: readonly ProjectorColumn[];
}): ProjectorMetadata {
  const tokenAt = tokenLookup(options.tokens);
  const rows = exportRows(options.count, options.rows);
  const extra = options.columns ?? [];
  const lines = (columns: readonly ProjectorColumn[]): string[] | undefined => {
    const out: string[] = new Array<string>(rows.length);
    for (let i = 0; i < rows.length; i++) {
      const row = rows[i] as number;
      let line = escapeProjectorField(tokenAt(row));
      for (const column of columns) line += `\t${escapeProjectorField(column.text(row))}`;
      if (line.trim() === '') return undefined;
      out[i] = line;
    }
    return out;
  };
  let columns = extra;
  let body = lines(columns);
  if (body === undefined) {
    columns = [{ name: 'row', text: (row) => String(row) }, ...extra];
    body = lines(columns) as string[]; // a row number is never blank
  }
  const names = ['token', ...columns.map((column) => column.name)];
  const header = names.length > 1;
  const text = (header ? [names.map(escapeProjectorField).join('\t'), ...body] : body).map((line) => `${line}\n`).join('');
  return { text, header, columns: names };
}

/** Characters gathered before a chunk is handed to `write`: big enough to amortise the call, small enough to stream. */
const CHUNK_CHARS = 1 << 20;

/** What writeProjectorTensors needs. */
export interface ProjectorTensorsRequest {
  /** float32 row-major rows × cols. */
  readonly data: Float32Array;
  readonly cols: number;
  /** Rows to write, in this order (must match the metadata's rows); default: all. */
  readonly rows?: ArrayLike<number>;
  /** Receives the text in order, in chunks of about a megabyte; awaited before the next chunk. */
  write(chunk: string): void | Promise<void>;
  readonly signal?: AbortSignal;
  onProgress?(fraction: number): void;
}

/** What writeProjectorTensors wrote. */
export interface ProjectorTensorsResult {
  readonly rows: number;
  readonly cols: number;
  /** NaN and ±Infinity values, written as 0 (the caller should say so). */
  readonly nonFinite: number;
}

/**
 * Writes the tensors TSV: one line per row, values as the shortest text that reads back to the same float32,
 * separated by tabs, "\n" after each line. Non-finite values are written as 0 and counted: the Projector would take
 * a leading "NaN" as a label and reject the file, and its PCA and t-SNE cannot use them anyway. Streams through
 * `write` so a 100k × 300 matrix never becomes one string; cancellable through `signal`.
 */
export async function writeProjectorTensors(request: ProjectorTensorsRequest): Promise<ProjectorTensorsResult> {
  const { data, cols } = request;
  if (!Number.isInteger(cols) || cols < 2) {
    throw new CheckpointError('unsupported', `Projector export: the Projector needs vectors of 2 or more values; this matrix has ${cols}`);
  }
  const count = Math.floor(data.length / cols);
  const rows = exportRows(count, request.rows);
  const pacer = new Pacer(rows.length * cols, request.signal, request.onProgress, 'projector export');
  let nonFinite = 0;
  let pending: string[] = [];
  let pendingChars = 0;
  const values: string[] = new Array<string>(cols);
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i] as number;
    if (!(row >= 0 && row < count)) throw new RangeError(`Projector export: row ${row} is outside the ${count} rows`);
    const base = row * cols;
    for (let c = 0; c < cols; c++) {
      const value = data[base + c] as number;
      if (Number.isFinite(value)) values[c] = float32Text(value);
      else {
        values[c] = '0';
        nonFinite++;
      }
    }
    const line = `${values.join('\t')}\n`;
    pending.push(line);
    pendingChars += line.length;
    if (pendingChars >= CHUNK_CHARS) {
      await request.write(pending.join(''));
      pending = [];
      pendingChars = 0;
    }
    await pacer.step(cols);
  }
  if (pending.length > 0) await request.write(pending.join(''));
  pacer.finish();
  return { rows: rows.length, cols, nonFinite };
}
