/** Tokens packed as one UTF-8 byte array plus end offsets: two transferable buffers instead of n strings. */
export interface PackedTokens {
  readonly utf8: Uint8Array;
  readonly ends: Uint32Array;
}

/** Packs the first `count` tokens (missing ones become `#row`). */
export function packTokens(tokens: readonly string[], count: number): PackedTokens {
  const encoder = new TextEncoder();
  const parts: Uint8Array[] = new Array<Uint8Array>(count);
  const ends = new Uint32Array(count);
  let total = 0;
  for (let row = 0; row < count; row++) {
    const bytes = encoder.encode(tokens[row] ?? `#${row}`);
    parts[row] = bytes;
    total += bytes.length;
    ends[row] = total;
  }
  const utf8 = new Uint8Array(total);
  let at = 0;
  for (const part of parts) {
    utf8.set(part, at);
    at += part.length;
  }
  return { utf8, ends };
}

/** Unpacks tokens; malformed UTF-8 becomes U+FFFD rather than failing (tokens are untrusted text). */
export function unpackTokens(utf8: Uint8Array, ends: Uint32Array): string[] {
  const decoder = new TextDecoder('utf-8', { fatal: false });
  const tokens = new Array<string>(ends.length);
  let start = 0;
  for (let row = 0; row < ends.length; row++) {
    const end = Math.min(Math.max(ends[row] as number, start), utf8.length);
    tokens[row] = decoder.decode(utf8.subarray(start, end));
    start = end;
  }
  return tokens;
}
