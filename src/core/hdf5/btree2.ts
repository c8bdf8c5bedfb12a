import { ensure } from '../errors';
import { UNDEFINED_ADDRESS, bytesToEncode } from './bytes';
import type { Hdf5Context } from './context';

/** Signature, version, type and checksum around every v2 B-tree node's records. */
const NODE_OVERHEAD = 10;
/** Deeper trees would index more records than any file holds; deeper means corrupt. */
const MAX_DEPTH = 16;

/**
 * Every record of a version 2 B-tree (spec III.A.2), in tree order. Used for the name index of dense groups and
 * dense attribute storage (records of types 5 and 8) and for the huge objects of a fractal heap (type 1).
 */
export async function readBtree2Records(context: Hdf5Context, address: number, expectedType: number): Promise<Uint8Array[]> {
  const what = `v2 B-tree at ${address}`;
  const headerLength = 4 + 1 + 1 + 4 + 2 + 2 + 1 + 1 + context.offsetSize + 2 + context.lengthSize;
  const headerBytes = await context.read(address, headerLength + 4, what);
  context.verify(headerBytes, headerLength, what);
  const header = context.wrap(headerBytes, what);
  header.signature('BTHD');
  header.u8();
  const type = header.u8();
  ensure(type === expectedType, 'bad-header', () => `${context.name}: ${what} has record type ${type}, expected ${expectedType}`);
  const nodeSize = header.u32();
  const recordSize = header.u16();
  const depth = header.u16();
  header.skip(2); // split and merge percentages
  const root = header.address();
  const rootRecords = header.u16();
  const total = header.length();
  ensure(
    recordSize > 0 && nodeSize > NODE_OVERHEAD + recordSize && nodeSize <= context.size && depth <= MAX_DEPTH,
    'bad-header',
    () => `${context.name}: ${what} claims ${nodeSize}-byte nodes of ${recordSize}-byte records, depth ${depth}`,
  );
  ensure(
    total * recordSize <= context.size,
    'bad-header',
    () => `${context.name}: ${what} claims ${total} records, more than the file holds`,
  );
  if (root === UNDEFINED_ADDRESS || total === 0) return [];

  // Field widths of child pointers, computed as the HDF5 library does (node_info in H5B2hdr.c).
  const maxRecords: number[] = [Math.floor((nodeSize - NODE_OVERHEAD) / recordSize)];
  const cumulative: number[] = [maxRecords[0] as number];
  const cumulativeSize: number[] = [0];
  const countSize = bytesToEncode(maxRecords[0] as number);
  for (let level = 1; level <= depth; level++) {
    const pointer = context.offsetSize + countSize + (cumulativeSize[level - 1] as number);
    const max = Math.floor((nodeSize - (NODE_OVERHEAD + pointer)) / (recordSize + pointer));
    maxRecords.push(max);
    cumulative.push((max + 1) * (cumulative[level - 1] as number) + max);
    cumulativeSize.push(bytesToEncode(cumulative[level] as number));
  }

  const records: Uint8Array[] = [];
  const seen = new Set<number>();
  const visit = async (node: number, level: number, count: number): Promise<void> => {
    ensure(!seen.has(node), 'bad-header', () => `${context.name}: ${what} reaches node ${node} twice`);
    seen.add(node);
    ensure(count <= (maxRecords[level] as number), 'bad-header', () => `${context.name}: ${what} node at ${node} claims ${count} records`);
    const cursor = await context.cursor(node, nodeSize, `${what}, node`);
    cursor.signature(level === 0 ? 'BTLF' : 'BTIN');
    cursor.u8();
    cursor.u8();
    const own: Uint8Array[] = [];
    for (let i = 0; i < count; i++) own.push(cursor.take(recordSize).slice());
    if (level === 0) {
      records.push(...own);
    } else {
      for (let child = 0; child <= count; child++) {
        const childAddress = cursor.address();
        const childCount = cursor.uint(countSize);
        if (level > 1) cursor.uint(cumulativeSize[level - 1] as number);
        await visit(childAddress, level - 1, childCount);
        if (child < count) records.push(own[child] as Uint8Array);
      }
    }
    context.verify(cursor.bytes, cursor.pos, `${what}, node at ${node}`);
    ensure(records.length <= total, 'bad-header', () => `${context.name}: ${what} holds more records than its header's ${total}`);
  };
  await visit(root, depth, rootRecords);
  return records;
}
