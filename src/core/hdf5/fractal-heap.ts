import { CheckpointError, ensure } from '../errors';
import { UNDEFINED_ADDRESS, bytesToEncode, log2Exact } from './bytes';
import { readBtree2Records } from './btree2';
import type { Hdf5Context } from './context';

/** Indirect blocks nest at most this deep for any heap that fits in a 64-bit address space. */
const MAX_NESTING = 64;

/**
 * A fractal heap (spec III.G): where new-style groups keep their link messages and objects keep dense
 * attributes. Objects are found by heap ID through the doubling table, reading only the blocks on the way.
 */
export class FractalHeap {
  private constructor(
    private readonly context: Hdf5Context,
    private readonly address: number,
    private readonly idLength: number,
    private readonly filtered: boolean,
    private readonly maxManagedSize: number,
    private readonly hugeBtree: number,
    private readonly width: number,
    private readonly startSize: number,
    private readonly maxDirectSize: number,
    private readonly offsetBytes: number,
    private readonly rootAddress: number,
    private readonly rootRows: number,
  ) {}

  /** Reads the heap header at `address`. */
  static async open(context: Hdf5Context, address: number): Promise<FractalHeap> {
    const O = context.offsetSize;
    const L = context.lengthSize;
    const what = `fractal heap at ${address}`;
    const fixedLength = 4 + 1 + 2 + 2 + 1 + 4 + L + O + L + O + 8 * L + 2 + 2 * L + 2 + 2 + O + 2;
    const bytes = await context.readUpTo(address, fixedLength + 4, what);
    const cursor = context.wrap(bytes, what);
    cursor.signature('FRHP');
    cursor.u8();
    const idLength = cursor.u16();
    const filterLength = cursor.u16();
    cursor.u8(); // flags
    const maxManagedSize = cursor.u32();
    cursor.length(); // next huge object ID
    const hugeBtree = cursor.address();
    cursor.length(); // free space
    cursor.address(); // free-space manager
    for (let i = 0; i < 8; i++) cursor.length(); // managed, allocated, iterator offset, object and byte counts
    const width = cursor.u16();
    const startSize = cursor.length();
    const maxDirectSize = cursor.length();
    const maxHeapBits = cursor.u16();
    cursor.u16(); // starting rows of the root indirect block
    const rootAddress = cursor.address();
    const rootRows = cursor.u16();
    // Filtered heaps carry filter information before the checksum; they are refused on first use.
    if (filterLength === 0) context.verify(bytes, fixedLength, what);
    ensure(
      log2Exact(width) >= 0 && log2Exact(startSize) >= 0 && log2Exact(maxDirectSize) >= log2Exact(startSize) && maxHeapBits <= 64,
      'bad-header',
      () => `${context.name}: ${what} has a doubling table of width ${width}, blocks ${startSize}..${maxDirectSize}`,
    );
    return new FractalHeap(
      context,
      address,
      idLength,
      filterLength > 0,
      maxManagedSize,
      hugeBtree,
      width,
      startSize,
      maxDirectSize,
      Math.ceil(maxHeapBits / 8),
      rootAddress,
      rootRows,
    );
  }

  /** The object a heap ID names. */
  async get(id: Uint8Array): Promise<Uint8Array> {
    const what = `an object of the fractal heap at ${this.address}`;
    const cursor = this.context.wrap(id, `heap ID in ${what}`);
    const first = cursor.u8();
    ensure(first >> 6 === 0, 'unsupported', () => `${this.context.name}: heap ID version ${first >> 6} in ${what}`);
    const type = (first >> 4) & 0x03;
    if (type === 2) {
      // Tiny: the object is inside the ID; the length (minus one) is in the low bits, extended by a byte for long IDs.
      const extended = this.idLength > 18;
      const length = (extended ? ((first & 0x0f) << 8) | cursor.u8() : first & 0x0f) + 1;
      return cursor.take(length);
    }
    if (type === 1) return this.huge(cursor.take(id.byteLength - 1), what);
    ensure(type === 0, 'bad-header', () => `${this.context.name}: heap ID type ${type} in ${what}`);
    ensure(!this.filtered, 'unsupported', () => `${this.context.name}: filtered fractal heap at ${this.address}`);
    const offset = cursor.uint(this.offsetBytes);
    const length = cursor.uint(bytesToEncode(Math.min(this.maxDirectSize, this.maxManagedSize)));
    return this.managed(offset, length, what);
  }

  private rowBlockSize(row: number): number {
    return row === 0 ? this.startSize : this.startSize * 2 ** (row - 1);
  }

  private rowStart(row: number): number {
    return row === 0 ? 0 : this.width * this.startSize * 2 ** (row - 1);
  }

  private async managed(offset: number, length: number, what: string): Promise<Uint8Array> {
    const O = this.context.offsetSize;
    if (this.rootRows === 0) return this.fromDirect(this.rootAddress, 0, this.startSize, offset, length, what);
    const maxDirectRows = log2Exact(this.maxDirectSize) - log2Exact(this.startSize) + 2;
    let block = this.rootAddress;
    let rows = this.rootRows;
    let base = 0;
    for (let depth = 0; depth < MAX_NESTING; depth++) {
      const relative = offset - base;
      let row = 0;
      while (row + 1 < rows && this.rowStart(row + 1) <= relative) row++;
      const size = this.rowBlockSize(row);
      const column = Math.floor((relative - this.rowStart(row)) / size);
      ensure(
        relative >= 0 && column < this.width,
        'bad-header',
        () => `${this.context.name}: heap offset ${offset} lies outside indirect block ${block} of ${what}`,
      );
      const prefix = 4 + 1 + O + this.offsetBytes;
      const directEntries = Math.min(rows, maxDirectRows) * this.width;
      const signature = await this.context.cursor(block, 4, `indirect block of ${what}`);
      signature.signature('FHIB');
      const entryAt =
        row < maxDirectRows
          ? prefix + (row * this.width + column) * O
          : prefix + directEntries * O + ((row - maxDirectRows) * this.width + column) * O;
      const child = (await this.context.cursor(block + entryAt, O, `indirect block of ${what}`)).address();
      ensure(
        child !== UNDEFINED_ADDRESS,
        'bad-header',
        () => `${this.context.name}: heap offset ${offset} is in an unallocated block of ${what}`,
      );
      const childBase = base + this.rowStart(row) + column * size;
      if (row < maxDirectRows) return this.fromDirect(child, childBase, size, offset, length, what);
      block = child;
      base = childBase;
      rows = log2Exact(size) - log2Exact(this.startSize * this.width) + 1;
      ensure(rows >= 1, 'bad-header', () => `${this.context.name}: indirect block of ${size} bytes in ${what}`);
    }
    throw new CheckpointError('bad-header', `${this.context.name}: ${what} nests indirect blocks deeper than ${MAX_NESTING}`);
  }

  private async fromDirect(
    block: number,
    blockOffset: number,
    blockSize: number,
    offset: number,
    length: number,
    what: string,
  ): Promise<Uint8Array> {
    const header = await this.context.cursor(block, 4, `direct block of ${what}`);
    header.signature('FHDB');
    const within = offset - blockOffset;
    ensure(
      within >= 0 && within + length <= blockSize,
      'bad-header',
      () => `${this.context.name}: object of ${length} bytes at heap offset ${offset} overruns its ${blockSize}-byte block in ${what}`,
    );
    return this.context.read(block + within, length, `object in ${what}`);
  }

  private async huge(key: Uint8Array, what: string): Promise<Uint8Array> {
    const O = this.context.offsetSize;
    const L = this.context.lengthSize;
    ensure(!this.filtered, 'unsupported', () => `${this.context.name}: filtered huge object in ${what}`);
    const cursor = this.context.wrap(key, `huge object ID in ${what}`);
    if (this.idLength - 1 >= O + L) {
      // Directly accessed: address and length are in the ID.
      const address = cursor.address();
      return this.context.read(address, cursor.length(), `huge object in ${what}`);
    }
    const wanted = cursor.uint(Math.min(L, key.byteLength));
    for (const record of await readBtree2Records(this.context, this.hugeBtree, 1)) {
      const fields = this.context.wrap(record, `huge object record in ${what}`);
      const address = fields.address();
      const length = fields.length();
      if (fields.length() === wanted) return this.context.read(address, length, `huge object in ${what}`);
    }
    throw new CheckpointError('bad-header', `${this.context.name}: huge object ${wanted} missing from ${what}`);
  }
}
