import { CheckpointError } from '../errors';

/** Python caps int↔text conversion at 4300 digits (CVE-2020-10735); so do we. */
const MAX_INT_DIGITS = 4300;

/** A safe integer as a number, anything wider as a BigInt. */
function narrow(value: bigint): number | bigint {
  return value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : value;
}

/** LONG1/LONG4 payload: little-endian two's complement of any width. */
export function decodeLong(bytes: Uint8Array): number | bigint {
  const length = bytes.byteLength;
  if (length === 0) return 0;
  let value = 0n;
  for (let i = length - 1; i >= 0; i--) value = (value << 8n) | BigInt(bytes[i] as number);
  if ((bytes[length - 1] as number) & 0x80) value -= 1n << BigInt(length * 8);
  return narrow(value);
}

/** INT / LONG text ("123", "-5", "123L"); INT's "01"/"00" are protocol 0's True/False. */
export function parseIntText(text: string, allowBool: boolean, name: string): number | bigint | boolean {
  if (allowBool && text === '01') return true;
  if (allowBool && text === '00') return false;
  const digits = text.replace(/L$/, '');
  if (!/^[+-]?\d+$/.test(digits) || digits.length > MAX_INT_DIGITS + 1) {
    throw new CheckpointError('bad-header', `${name}: expected an integer in the pickle, found "${text.slice(0, 40)}"`);
  }
  return narrow(BigInt(digits));
}

/** GET / PUT text argument: a memo index. */
export function parseIndexText(text: string, name: string): number {
  if (!/^\d{1,10}$/.test(text)) throw new CheckpointError('bad-header', `${name}: expected a memo index, found "${text.slice(0, 40)}"`);
  return Number(text);
}

/** FLOAT text: Python's repr of a float, 'inf' and 'nan' included. */
export function parseFloatText(text: string, name: string): number {
  const special: Record<string, number> = { inf: Infinity, '+inf': Infinity, '-inf': -Infinity, nan: NaN };
  if (text in special) return special[text] as number;
  const value = Number(text);
  if (text.trim() === '' || Number.isNaN(value)) {
    throw new CheckpointError('bad-header', `${name}: expected a float in the pickle, found "${text.slice(0, 40)}"`);
  }
  return value;
}

const SIMPLE_ESCAPES: Readonly<Record<string, string>> = {
  n: '\n',
  r: '\r',
  t: '\t',
  a: '\x07',
  b: '\b',
  f: '\f',
  v: '\v',
  '\\': '\\',
  "'": "'",
  '"': '"',
  '\n': '',
};

/** A protocol-0 STRING argument: the Python repr of a byte string, quotes and escapes included (latin-1). */
export function unquotePython(text: string, name: string): string {
  const quote = text[0];
  if (text.length < 2 || (quote !== "'" && quote !== '"') || text[text.length - 1] !== quote) {
    throw new CheckpointError('bad-header', `${name}: expected a quoted STRING in the pickle, found ${text.slice(0, 40)}`);
  }
  return text.slice(1, -1).replace(/\\(x[0-9a-fA-F]{2}|[0-7]{1,3}|[\s\S])/g, (_, escape: string) => {
    if (escape[0] === 'x') return String.fromCharCode(parseInt(escape.slice(1), 16));
    if (/^[0-7]/.test(escape)) return String.fromCharCode(parseInt(escape, 8) & 0xff);
    return SIMPLE_ESCAPES[escape] ?? `\\${escape}`;
  });
}

/** A protocol-0 UNICODE argument (raw-unicode-escape): latin-1 text where only \uXXXX and \UXXXXXXXX are escapes. */
export function rawUnicodeEscape(text: string): string {
  return text.replace(/\\u([0-9a-fA-F]{4})|\\U([0-9a-fA-F]{8})/g, (_, four?: string, eight?: string) =>
    String.fromCodePoint(Math.min(parseInt((four ?? eight) as string, 16), 0x10ffff)),
  );
}
