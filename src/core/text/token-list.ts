const utf8 = new TextDecoder('utf-8');
/**
 * ASCII token bytes gathered before one decode call. One TextDecoder call per token costs more than parsing the
 * token (a native call plus a view object each); one call per ~8,000 short tokens makes that cost vanish.
 */
const BATCH_BYTES = 1 << 16;

/**
 * Collects a vocabulary from raw bytes in row order. Plain-ASCII tokens are copied into a batch and decoded together
 * (cut apart by their lengths, which equal their character counts); any other token is decoded on its own as
 * UTF-8, exactly as a per-token decode would (invalid bytes become U+FFFD).
 */
export class TokenList {
  private readonly tokens: string[];
  private count = 0;
  private readonly batch = new Uint8Array(BATCH_BYTES);
  private readonly ends: number[] = [];
  private used = 0;

  /**
   * `rows` slots are allocated at once (one pointer each): growing by push leaves each outgrown copy of the array
   * in large-object space until a full GC. Callers pass a row count already checked against the file's size.
   */
  constructor(rows: number) {
    this.tokens = new Array<string>(rows);
  }

  /** Adds the token held in `bytes[start..end)`. */
  add(bytes: Uint8Array, start: number, end: number): void {
    const length = end - start;
    if (length > BATCH_BYTES - this.used) {
      this.flush();
      if (length > BATCH_BYTES) {
        this.tokens[this.count++] = utf8.decode(bytes.subarray(start, end));
        return;
      }
    }
    const batch = this.batch;
    const from = this.used;
    let high = 0;
    for (let i = start, at = from; i < end; i++, at++) {
      const byte = bytes[i] as number;
      high |= byte;
      batch[at] = byte;
    }
    if (high >= 0x80) {
      this.flush(); // keep row order: earlier ASCII tokens first (the bytes just copied lie past `used`)
      this.tokens[this.count++] = utf8.decode(bytes.subarray(start, end));
      return;
    }
    this.used = from + length;
    this.ends.push(this.used);
  }

  /** Adds a token already decoded (a line parsed the slow way). */
  addText(token: string): void {
    this.flush();
    this.tokens[this.count++] = token;
  }

  /** Every token added, in order. */
  finish(): string[] {
    this.flush();
    if (this.count < this.tokens.length) this.tokens.length = this.count;
    return this.tokens;
  }

  private flush(): void {
    if (this.ends.length === 0) return;
    const text = utf8.decode(this.batch.subarray(0, this.used));
    let from = 0;
    for (const end of this.ends) {
      this.tokens[this.count++] = text.slice(from, end);
      from = end;
    }
    this.ends.length = 0;
    this.used = 0;
  }
}
