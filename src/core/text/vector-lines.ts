import { CheckpointError, ensure } from '../errors';
import type { ByteSource } from '../io/byte-source';
import { lineChunks } from '../io/text-lines';
import { parseNumberAt, parsedEnd, scanNumber, scannedValue } from './parse-number';
import { TokenList } from './token-list';

/** Parsed "token v1 … vD" lines. */
export interface VectorLines {
  readonly tokens: string[];
  /** rows×valuesPerLine, row-major. */
  readonly values: Float32Array;
  readonly rows: number;
}

/** How to read the lines. */
export interface VectorLineOptions {
  /** Byte offset of the first vector line (after any header). */
  readonly start: number;
  /** Rows to expect (from a header, or a newline count); the allocation is bounded by the file size first. */
  readonly rows: number;
  readonly valuesPerLine: number;
  /** TensorBoard's vectors.tsv has no token column. */
  readonly hasToken: boolean;
  readonly signal?: AbortSignal | undefined;
  /** Bytes per read (tests make it tiny so lines fall across reads). */
  readonly chunkBytes?: number;
  /**
   * A token allowed on one line beyond `rows`: GloVe's `-write-header` counts its vocabulary in the header, then
   * writes an `<unk>` line (the mean of rare words) after it.
   */
  readonly extraToken?: string;
}

const SPACE = 0x20;
const TAB = 0x09;
const CR = 0x0d;
const LF = 0x0a;
/** Smallest bytes a value can take in text: one digit and one separator. */
export const MIN_TEXT_BYTES_PER_VALUE = 2;

const utf8 = new TextDecoder('utf-8');

/**
 * Parses vector lines straight from bytes, chunk by chunk, into one preallocated float32 matrix. A token may
 * contain spaces (GloVe's Common Crawl files do): the last `valuesPerLine` fields are the vector, the rest the token.
 */
export async function readVectorLines(source: ByteSource, options: VectorLineOptions): Promise<VectorLines> {
  const { rows, valuesPerLine: cols, hasToken } = options;
  const size = await source.size();
  const need = rows * cols * MIN_TEXT_BYTES_PER_VALUE;
  ensure(
    need <= size - options.start,
    'truncated',
    () => `${source.name}: header says ${rows}×${cols} values (at least ${need} bytes of text), file has ${size - options.start}`,
  );
  const capacity = options.extraToken === undefined ? rows : rows + 1;
  const values = new Float32Array(capacity * cols);
  const tokens = new TokenList(hasToken ? capacity : 0);
  let row = 0;
  let lineNumber = 0;
  for await (const chunk of lineChunks(source, options.start, options.signal, options.chunkBytes)) {
    const bytes = chunk.bytes;
    let at = 0;
    while (at < bytes.length) {
      lineNumber++;
      let lineEnd = bytes.indexOf(LF, at);
      if (lineEnd < 0) lineEnd = bytes.length;
      let end = lineEnd;
      while (end > at && (bytes[end - 1] === CR || bytes[end - 1] === SPACE || bytes[end - 1] === TAB)) end--;
      if (end === at) {
        at = lineEnd + 1; // blank line (a trailing newline, or the blank lines some writers leave)
        continue;
      }
      ensure(row < capacity, 'bad-header', () => `${source.name}: expected ${rows} vector lines, found more (line ${lineNumber})`);
      const base = row * cols;
      let ok = false;
      if (hasToken) {
        let tokenEnd = at;
        while (tokenEnd < end && bytes[tokenEnd] !== SPACE && bytes[tokenEnd] !== TAB) tokenEnd++;
        ok = parseValues(bytes, tokenEnd, end, values, base, cols);
        if (ok) tokens.add(bytes, at, tokenEnd);
        else ok = parseLineSlowly(bytes.subarray(at, end), values, base, cols, tokens);
      } else {
        ok = parseValues(bytes, at, end, values, base, cols);
      }
      if (!ok) {
        const text = utf8.decode(bytes.subarray(at, Math.min(end, at + 60)));
        throw new CheckpointError(
          'bad-header',
          `${source.name}: line ${lineNumber} expected ${hasToken ? 'a token and ' : ''}${cols} numbers, found "${text}${end - at > 60 ? '…' : ''}"`,
        );
      }
      row++;
      at = lineEnd + 1;
    }
  }
  ensure(row >= rows, 'truncated', () => `${source.name}: header says ${rows} vectors, file has ${row}`);
  const list = tokens.finish();
  if (row > rows) {
    ensure(
      list[rows] === options.extraToken,
      'bad-header',
      () => `${source.name}: expected ${rows} vector lines, found more (line ${lineNumber}, token "${list[rows] ?? ''}")`,
    );
    return { tokens: list, values, rows: row };
  }
  // No extra line: the spare row is dropped (a view; the spare row's bytes are negligible next to the matrix).
  return { tokens: list, values: values.subarray(0, rows * cols), rows };
}

/** Parses exactly `cols` numbers between `from` and `end`; false if there are more or fewer, or a non-number. */
function parseValues(bytes: Uint8Array, from: number, end: number, out: Float32Array, base: number, cols: number): boolean {
  let at = from;
  for (let col = 0; col < cols; col++) {
    while (at < end && (bytes[at] === SPACE || bytes[at] === TAB)) at++;
    if (at >= end) return false;
    const stop = scanNumber(bytes, at);
    if (stop < 0 || (stop < end && bytes[stop] !== SPACE && bytes[stop] !== TAB)) return false;
    out[base + col] = scannedValue[0] as number;
    at = stop;
  }
  while (at < end && (bytes[at] === SPACE || bytes[at] === TAB)) at++;
  return at === end;
}

/** A token with spaces in it: the last `cols` space-separated fields are numbers, the rest is the token. */
function parseLineSlowly(line: Uint8Array, out: Float32Array, base: number, cols: number, tokens: TokenList): boolean {
  const fields = utf8.decode(line).split(/[ \t]+/);
  if (fields.length < cols + 1) return false;
  const numbers = fields.slice(fields.length - cols).map((field) => Number(field));
  if (numbers.some((value, i) => Number.isNaN(value) && !/^[+-]?nan$/i.test(fields[fields.length - cols + i] ?? ''))) return false;
  numbers.forEach((value, col) => (out[base + col] = value));
  tokens.addText(fields.slice(0, fields.length - cols).join(' '));
  return true;
}

/** Counts the non-blank lines after `start` (headerless formats need the row count before allocating). */
export async function countLines(source: ByteSource, start: number, signal: AbortSignal | undefined): Promise<number> {
  let lines = 0;
  for await (const chunk of lineChunks(source, start, signal)) {
    const bytes = chunk.bytes;
    let at = 0;
    while (at < bytes.length) {
      let next = bytes.indexOf(LF, at);
      if (next < 0) next = bytes.length;
      if (hasContent(bytes, at, next)) lines++;
      at = next + 1;
    }
  }
  return lines;
}

function hasContent(bytes: Uint8Array, from: number, to: number): boolean {
  for (let i = from; i < to; i++) {
    const byte = bytes[i];
    if (byte !== SPACE && byte !== TAB && byte !== CR) return true;
  }
  return false;
}

/** The first line of a head (without its line break), as bytes; undefined if the head has no complete line. */
export function firstLine(head: Uint8Array, from = 0): Uint8Array | undefined {
  const end = head.indexOf(LF, from);
  return end < 0 ? undefined : head.subarray(from, end);
}

/** Number fields after the token on one line; -1 when the line is not "token n1 n2 …". */
export function countNumbersAfterToken(line: Uint8Array, hasToken = true): number {
  let end = line.length;
  while (end > 0 && (line[end - 1] === CR || line[end - 1] === SPACE || line[end - 1] === TAB)) end--;
  let at = 0;
  if (hasToken) {
    while (at < end && line[at] !== SPACE && line[at] !== TAB) at++;
    if (at === 0) return -1;
  }
  let count = 0;
  while (at < end) {
    while (at < end && (line[at] === SPACE || line[at] === TAB)) at++;
    if (at >= end) break;
    parseNumberAt(line, at);
    const stop = parsedEnd;
    if (stop < 0 || (stop < end && line[stop] !== SPACE && line[stop] !== TAB)) return -1;
    count++;
    at = stop;
  }
  return count;
}

/** One parsed "token n1 n2 …" line (token '' when the line has no token column). */
export interface ParsedVectorLine {
  readonly token: string;
  readonly values: number[];
}

/** The token and numbers of one line, for sniffers that look at values; undefined when the line is not that shape. */
export function parseVectorLine(line: Uint8Array, hasToken = true): ParsedVectorLine | undefined {
  let end = line.length;
  while (end > 0 && (line[end - 1] === CR || line[end - 1] === SPACE || line[end - 1] === TAB)) end--;
  let at = 0;
  if (hasToken) {
    while (at < end && line[at] !== SPACE && line[at] !== TAB) at++;
    if (at === 0) return undefined;
  }
  const token = hasToken ? utf8.decode(line.subarray(0, at)) : '';
  const values: number[] = [];
  while (at < end) {
    while (at < end && (line[at] === SPACE || line[at] === TAB)) at++;
    if (at >= end) break;
    const value = parseNumberAt(line, at);
    const stop = parsedEnd;
    if (stop < 0 || (stop < end && line[stop] !== SPACE && line[stop] !== TAB)) return undefined;
    values.push(value);
    at = stop;
  }
  return { token, values };
}

/**
 * The non-blank lines of a sniffing head from `from` on, at most `maxLines`. The last, unterminated piece counts
 * only when the head is the whole file (`wholeFile`); otherwise it may be a line cut by the head's end.
 */
export function headLines(head: Uint8Array, from: number, wholeFile: boolean, maxLines: number): Uint8Array[] {
  const lines: Uint8Array[] = [];
  let at = from;
  while (at < head.length && lines.length < maxLines) {
    let end = head.indexOf(LF, at);
    if (end < 0) {
      if (!wholeFile) break;
      end = head.length;
    }
    if (hasContent(head, at, end)) lines.push(head.subarray(at, end));
    at = end + 1;
  }
  return lines;
}
