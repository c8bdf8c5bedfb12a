/** Exact powers of ten a double holds (10^0..10^22): the range of Clinger's fast path. */
const POW10 = Array.from({ length: 23 }, (_, i) => 10 ** i);
/** Integers below 2^53 are exact in a double; 15 digits always stay below it. */
const MAX_FAST_DIGITS = 15;

/** Where the last `parseNumberAt` call stopped (first byte after the number); -1 when it found no number. */
export let parsedEnd = -1;

/**
 * The value `scanNumber` found. Handing the double back through a typed array, not as a return value, keeps
 * the hot loop allocation-free: a double returned from a call that is not inlined is boxed on the heap, and at
 * 8 million numbers per file those boxes cost dozens of scavenges and a grown young generation.
 */
export const scannedValue = new Float64Array(1);

/**
 * Parses the decimal number that starts at `bytes[start]` without building a string, as `parseFloat` would
 * (correctly rounded double), falling back to `parseFloat` beyond the fast path's exact range.
 * Sets `parsedEnd`; returns NaN with `parsedEnd = -1` when no number starts there.
 */
export function parseNumberAt(bytes: Uint8Array, start: number): number {
  parsedEnd = scanNumber(bytes, start);
  return parsedEnd < 0 ? NaN : (scannedValue[0] as number);
}

/**
 * `parseNumberAt` for hot loops: returns the index of the first byte after the number (-1 when no number starts
 * at `start`) and leaves the value in `scannedValue[0]`.
 */
export function scanNumber(bytes: Uint8Array, start: number): number {
  let at = start;
  let negative = false;
  let byte = bytes[at];
  if (byte === 0x2d || byte === 0x2b) {
    negative = byte === 0x2d;
    byte = bytes[++at];
  }
  let mantissa = 0;
  let digits = 0; // significant digits accumulated into mantissa
  let exponent = 0;
  let sawDigit = false;
  let dropped = false; // digits beyond MAX_FAST_DIGITS: take the slow path
  while (byte !== undefined && byte >= 0x30 && byte <= 0x39) {
    sawDigit = true;
    if (digits < MAX_FAST_DIGITS) {
      if (mantissa !== 0 || byte !== 0x30) digits++;
      mantissa = mantissa * 10 + (byte - 0x30);
    } else {
      dropped = true;
    }
    byte = bytes[++at];
  }
  if (byte === 0x2e) {
    byte = bytes[++at];
    while (byte !== undefined && byte >= 0x30 && byte <= 0x39) {
      sawDigit = true;
      if (digits < MAX_FAST_DIGITS) {
        if (mantissa !== 0 || byte !== 0x30) digits++;
        mantissa = mantissa * 10 + (byte - 0x30);
        exponent--;
      } else {
        dropped = true;
      }
      byte = bytes[++at];
    }
  }
  if (!sawDigit) return parseSpecial(bytes, start);
  if (byte === 0x65 || byte === 0x45) {
    let next = at + 1;
    let expNegative = false;
    let expByte = bytes[next];
    if (expByte === 0x2d || expByte === 0x2b) {
      expNegative = expByte === 0x2d;
      expByte = bytes[++next];
    }
    if (expByte !== undefined && expByte >= 0x30 && expByte <= 0x39) {
      let value = 0;
      while (expByte !== undefined && expByte >= 0x30 && expByte <= 0x39) {
        if (value < 100000) value = value * 10 + (expByte - 0x30);
        expByte = bytes[++next];
      }
      exponent += expNegative ? -value : value;
      at = next;
    }
  }
  if (dropped || exponent < -22 || exponent > 22) {
    scannedValue[0] = slowParse(bytes, start, at);
    return at;
  }
  const magnitude = exponent < 0 ? mantissa / (POW10[-exponent] as number) : mantissa * (POW10[exponent] as number);
  scannedValue[0] = negative ? -magnitude : magnitude;
  return at;
}

function slowParse(bytes: Uint8Array, start: number, end: number): number {
  let text = '';
  for (let i = start; i < end; i++) text += String.fromCharCode(bytes[i] as number);
  return parseFloat(text);
}

/** nan, inf, -inf, infinity (as C's printf and numpy write them), case-insensitive; returns the end or -1. */
function parseSpecial(bytes: Uint8Array, start: number): number {
  let end = start;
  while (end < bytes.length && isWordByte(bytes[end] as number)) end++;
  let text = '';
  for (let i = start; i < end; i++) text += String.fromCharCode(bytes[i] as number);
  const lower = text.toLowerCase();
  const body = lower.replace(/^[+-]/, '');
  if (body === 'nan' || body === 'inf' || body === 'infinity') {
    scannedValue[0] = body === 'nan' ? NaN : lower.startsWith('-') ? -Infinity : Infinity;
    return end;
  }
  return -1;
}

function isWordByte(byte: number): boolean {
  return byte === 0x2b || byte === 0x2d || (byte >= 0x41 && byte <= 0x5a) || (byte >= 0x61 && byte <= 0x7a);
}
