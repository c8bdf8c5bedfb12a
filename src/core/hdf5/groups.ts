import { ensure } from '../errors';
import { UNDEFINED_ADDRESS, cString } from './bytes';
import { readBtreeV1Node } from './btree1';
import { readBtree2Records } from './btree2';
import type { Hdf5Context } from './context';
import { FractalHeap } from './fractal-heap';
import { parseDenseStorageInfo, parseLink, parseSymbolTable, type LinkMessage } from './messages';
import { MSG, type HeaderMessage } from './object-header';

/** A name in a local heap longer than this is corrupt (HDF5 names are short paths). */
const MAX_NAME_BYTES = 64 * 1024;

/** The links of a group, whichever of the three storages it uses (symbol table, compact links, dense links). */
export async function groupLinks(context: Hdf5Context, messages: readonly HeaderMessage[]): Promise<LinkMessage[]> {
  const table = messages.find((m) => m.type === MSG.symbolTable);
  if (table) return symbolTableLinks(context, parseSymbolTable(context.wrap(table.data, 'symbol table message')));
  const links = messages.filter((m) => m.type === MSG.link).map((m) => parseLink(context.wrap(m.data, 'link message')));
  const info = messages.find((m) => m.type === MSG.linkInfo);
  if (info) {
    const dense = parseDenseStorageInfo(context.wrap(info.data, 'link info message'), 'link');
    if (dense.heapAddress !== UNDEFINED_ADDRESS && dense.nameIndexAddress !== UNDEFINED_ADDRESS) {
      const heap = await FractalHeap.open(context, dense.heapAddress);
      // Type 5 records: a 4-byte name hash, then the 7-byte heap ID of the link message.
      for (const record of await readBtree2Records(context, dense.nameIndexAddress, 5)) {
        links.push(parseLink(context.wrap(await heap.get(record.subarray(4)), 'link in a fractal heap')));
      }
    }
  }
  return links;
}

async function symbolTableLinks(context: Hdf5Context, table: { btreeAddress: number; heapAddress: number }): Promise<LinkMessage[]> {
  const heap = await localHeap(context, table.heapAddress);
  const links: LinkMessage[] = [];
  const seen = new Set<number>();
  const O = context.offsetSize;
  const L = context.lengthSize;
  const visit = async (node: number, expectedLevel: number | undefined): Promise<void> => {
    const what = `group B-tree node at ${node}`;
    const { level, entries, bodyAddress } = await readBtreeV1Node(context, node, 0, expectedLevel, seen, what);
    // Keys (heap offsets, L bytes) and children (addresses) alternate: key, child, key, …, key.
    const body = await context.cursor(bodyAddress, entries * (L + O) + L, what);
    const children: number[] = [];
    for (let i = 0; i < entries; i++) {
      body.length();
      children.push(body.address());
    }
    for (const child of children) {
      if (level > 0) await visit(child, level - 1);
      else links.push(...(await symbolNode(context, child, heap)));
    }
  };
  if (table.btreeAddress !== UNDEFINED_ADDRESS) await visit(table.btreeAddress, undefined);
  return links;
}

/** A symbol table node ("SNOD"): entries naming objects by local-heap offset. */
async function symbolNode(context: Hdf5Context, address: number, heap: Uint8Array): Promise<LinkMessage[]> {
  const O = context.offsetSize;
  const what = `symbol table node at ${address}`;
  const head = await context.cursor(address, 8, what);
  head.signature('SNOD');
  head.u8();
  head.u8();
  const count = head.u16();
  const entrySize = 2 * O + 4 + 4 + 16; // name offset, header address, cache type, reserved, scratch pad
  const body = await context.cursor(address + 8, count * entrySize, what);
  const links: LinkMessage[] = [];
  for (let i = 0; i < count; i++) {
    const nameOffset = body.uint(O);
    const objectAddress = body.address();
    const cacheType = body.u32();
    body.skip(4 + 16);
    ensure(nameOffset < heap.byteLength, 'bad-header', () => `${context.name}: ${what} names offset ${nameOffset} beyond its heap`);
    const name = cString(heap.subarray(nameOffset, Math.min(heap.byteLength, nameOffset + MAX_NAME_BYTES)));
    // Cache type 2 marks a soft link, whose target is a heap string rather than an object.
    links.push(cacheType === 2 ? { name, kind: 'soft' } : { name, kind: 'hard', address: objectAddress });
  }
  return links;
}

/** The data segment of a local heap ("HEAP"): the names of an old-style group's links. */
function localHeap(context: Hdf5Context, address: number): Promise<Uint8Array> {
  return context.remember(`local-heap:${address}`, async () => {
    const L = context.lengthSize;
    const what = `local heap at ${address}`;
    const head = await context.cursor(address, 8 + 2 * L + context.offsetSize, what);
    head.signature('HEAP');
    head.skip(4); // version and reserved
    const size = head.length();
    head.length(); // free list head
    const data = head.address();
    return (await context.read(data, size, `data of ${what}`)).slice();
  });
}
