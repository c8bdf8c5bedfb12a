import { CheckpointError, ensure } from '../errors';
import { readBtreeV1Node } from './btree1';
import { UNDEFINED_ADDRESS } from './bytes';
import type { Hdf5Context } from './context';
import type { Layout } from './messages';

/** One stored chunk: where it is, its stored size, which filters were skipped, and its first element per dimension. */
export interface ChunkRecord {
  readonly address: number;
  readonly size: number;
  readonly filterMask: number;
  readonly offsets: readonly number[];
}

type ChunkedLayout = Extract<Layout, { kind: 'chunked' }>;

/** The grid of chunks covering a dataset: chunks per dimension and their total. */
export function chunkGrid(dims: readonly number[], chunkDims: readonly number[]): { perDim: number[]; total: number } {
  const perDim = dims.map((size, d) => Math.ceil(size / (chunkDims[d] as number)));
  return { perDim, total: perDim.reduce((a, b) => a * b, 1) };
}

/** Every allocated chunk of a chunked dataset, whatever index the file uses. */
export async function chunkRecords(context: Hdf5Context, layout: ChunkedLayout, dims: readonly number[]): Promise<ChunkRecord[]> {
  const { index, chunkDims, elementSize } = layout;
  const grid = chunkGrid(dims, chunkDims);
  const chunkBytes = chunkDims.reduce((a, b) => a * b, 1) * elementSize;
  const offsetsOf = (linear: number): number[] => {
    const offsets = new Array<number>(dims.length).fill(0);
    for (let d = dims.length - 1; d >= 0; d--) {
      const per = grid.perDim[d] as number;
      offsets[d] = (linear % per) * (chunkDims[d] as number);
      linear = Math.floor(linear / per);
    }
    return offsets;
  };
  switch (index.type) {
    case 'single':
      if (index.address === UNDEFINED_ADDRESS) return [];
      return [
        { address: index.address, size: index.filteredSize ?? chunkBytes, filterMask: index.filterMask ?? 0, offsets: dims.map(() => 0) },
      ];
    case 'implicit':
      if (index.address === UNDEFINED_ADDRESS) return [];
      context.position(index.address, grid.total * chunkBytes, 'the chunks of an implicitly indexed dataset'); // all stored, in order
      return Array.from({ length: grid.total }, (_, i) => ({
        address: index.address + i * chunkBytes,
        size: chunkBytes,
        filterMask: 0,
        offsets: offsetsOf(i),
      }));
    case 'fixed-array':
      if (index.address === UNDEFINED_ADDRESS) return [];
      return fixedArrayChunks(context, index.address, grid.total, chunkBytes, offsetsOf);
    case 'btree-v1':
      if (index.address === UNDEFINED_ADDRESS) return [];
      return btreeChunks(context, index.address, dims.length, grid.total);
    case 'unsupported':
      throw new CheckpointError('unsupported', `${context.name}: chunk index of type "${index.name}" (written for resizable datasets)`);
  }
}

async function btreeChunks(context: Hdf5Context, root: number, rank: number, maxChunks: number): Promise<ChunkRecord[]> {
  const O = context.offsetSize;
  // Key: chunk size (4), filter mask (4), then one 8-byte offset per dimension plus one for the element.
  const keySize = 8 + 8 * (rank + 1);
  const records: ChunkRecord[] = [];
  const seen = new Set<number>();
  const visit = async (node: number, expectedLevel: number | undefined): Promise<void> => {
    const what = `chunk B-tree node at ${node}`;
    const { level, entries, bodyAddress } = await readBtreeV1Node(context, node, 1, expectedLevel, seen, what);
    const body = await context.cursor(bodyAddress, entries * (keySize + O) + keySize, what);
    for (let i = 0; i < entries; i++) {
      const size = body.u32();
      const filterMask = body.u32();
      const offsets: number[] = [];
      for (let d = 0; d <= rank; d++) offsets.push(body.uint(8));
      const child = body.address();
      if (level > 0) {
        await visit(child, level - 1);
      } else {
        records.push({ address: child, size, filterMask, offsets: offsets.slice(0, rank) });
        ensure(
          records.length <= maxChunks,
          'bad-header',
          () => `${context.name}: chunk B-tree lists more than the ${maxChunks} chunks of its dataset`,
        );
      }
    }
  };
  await visit(root, undefined);
  return records;
}

async function fixedArrayChunks(
  context: Hdf5Context,
  address: number,
  maxChunks: number,
  chunkBytes: number,
  offsetsOf: (linear: number) => number[],
): Promise<ChunkRecord[]> {
  const O = context.offsetSize;
  const what = `fixed array chunk index at ${address}`;
  const headerLength = 4 + 4 + context.lengthSize + O;
  const headerBytes = await context.read(address, headerLength + 4, what);
  context.verify(headerBytes, headerLength, what);
  const header = context.wrap(headerBytes, what);
  header.signature('FAHD');
  header.u8();
  const client = header.u8(); // 0: chunks without filters, 1: filtered chunks
  const entrySize = header.u8();
  const pageBits = header.u8();
  const entries = header.length();
  const dataBlock = header.address();
  ensure(
    entries <= maxChunks && pageBits < 32 && entrySize >= O && (client === 0 || entrySize >= O + 5),
    'bad-header',
    () =>
      `${context.name}: ${what} claims ${entries} entries of ${entrySize} bytes (client ${client}), the dataset has ${maxChunks} chunks`,
  );
  if (dataBlock === UNDEFINED_ADDRESS) return [];
  const prefix = 4 + 1 + 1 + O; // signature, version, client, header address
  const pageEntries = 2 ** pageBits;
  const paged = entries > pageEntries;
  const pages = paged ? Math.ceil(entries / pageEntries) : 1;
  // Paged: a bitmap of initialised pages and a checksum follow the prefix; each page then ends with its own checksum.
  const firstPage = paged ? prefix + Math.ceil(pages / 8) + 4 : prefix;
  const head = await context.cursor(dataBlock, prefix, `data block of ${what}`);
  head.signature('FADB');
  const records: ChunkRecord[] = [];
  for (let page = 0; page < pages; page++) {
    const first = page * pageEntries;
    const count = paged ? Math.min(pageEntries, entries - first) : entries;
    const pageAt = dataBlock + firstPage + page * (pageEntries * entrySize + 4);
    const cursor = await context.cursor(pageAt, count * entrySize, `page ${page} of ${what}`);
    for (let i = 0; i < count; i++) {
      const start = cursor.pos;
      const chunk = cursor.address();
      const size = client === 1 ? cursor.uint(entrySize - O - 4) : chunkBytes;
      const filterMask = client === 1 ? cursor.u32() : 0;
      cursor.pos = start + entrySize;
      if (chunk !== UNDEFINED_ADDRESS) records.push({ address: chunk, size, filterMask, offsets: offsetsOf(first + i) });
    }
  }
  return records;
}
