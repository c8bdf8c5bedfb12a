import { ensure } from '../errors';
import type { Hdf5Context } from './context';

/** v1 B-trees (of groups or of chunks) have at most this many levels in any real file. */
const MAX_BTREE_LEVEL = 32;

/** Node types of a v1 B-tree: 0 indexes a group's symbol nodes, 1 a dataset's chunks. */
const NODE_KIND = { 0: 'group', 1: 'chunks' } as const;

/** A checked v1 B-tree node header; its keys and children start at `bodyAddress`. */
export interface BtreeV1Node {
  readonly level: number;
  readonly entries: number;
  readonly bodyAddress: number;
}

/**
 * Reads a v1 B-tree node header ("TREE") and checks it: the node type, a level that descends by one from its
 * parent, and no node reached twice (a cycle in a corrupt file would otherwise never end).
 */
export async function readBtreeV1Node(
  context: Hdf5Context,
  node: number,
  nodeType: 0 | 1,
  expectedLevel: number | undefined,
  seen: Set<number>,
  what: string,
): Promise<BtreeV1Node> {
  const O = context.offsetSize;
  ensure(!seen.has(node), 'bad-header', () => `${context.name}: ${what} is reached twice`);
  seen.add(node);
  const head = await context.cursor(node, 8 + 2 * O, what);
  head.signature('TREE');
  const type = head.u8();
  const level = head.u8();
  const entries = head.u16();
  ensure(
    type === nodeType,
    'bad-header',
    () => `${context.name}: ${what} has node type ${type}, expected ${nodeType} (${NODE_KIND[nodeType]})`,
  );
  ensure(
    level <= MAX_BTREE_LEVEL && (expectedLevel === undefined || level === expectedLevel),
    'bad-header',
    () => `${context.name}: ${what} has level ${level}`,
  );
  return { level, entries, bodyAddress: node + 8 + 2 * O };
}
