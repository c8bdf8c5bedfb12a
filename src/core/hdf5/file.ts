/*
 * A small, read-only HDF5 reader for the subset h5py writes (Keras .h5 / .weights.h5 / .keras's model.weights.h5).
 *
 * Why our own reader and not h5wasm (which we tried first): h5wasm wraps the HDF5 C library, whose I/O is
 * synchronous, so it cannot read through our asynchronous random-access ByteSource (nor a stored entry inside a
 * .keras zip) without copying the whole file into its in-memory file system or reaching for NODEFS (Node-only,
 * not platform-neutral); its package is ESM-only with a separate wasm file, and the C library aborts on some
 * corrupt inputs. This reader reads only the metadata it walks and the datasets asked for, works anywhere a
 * ByteSource does, and turns every inconsistency into a one-line CheckpointError.
 *
 * Covered: superblocks v0–v3; object headers v1 and v2 with continuations; old-style groups (symbol tables, v1
 * B-trees, local heaps) and new-style groups (link messages, dense links in fractal heaps with v2 B-tree name
 * indexes); compact/contiguous/chunked datasets (v1 B-tree, single-chunk, implicit and fixed-array chunk indexes;
 * deflate, shuffle and fletcher32 filters); attributes (compact and dense) with numbers, fixed-length and
 * variable-length strings. Not covered (clean 'unsupported'): extensible-array and v2 B-tree chunk indexes
 * (resizable datasets), other compression filters, virtual datasets, external links, shared datatypes.
 */
import type { ByteSource } from '../io/byte-source';
import { CheckpointError, ensure } from '../errors';
import { UNDEFINED_ADDRESS } from './bytes';
import { decodeAttribute, objectAttributes, type AttributeValue } from './attributes';
import { Hdf5Context } from './context';
import { checkDatasetExtent, readDatasetFloat32, type DatasetInfo } from './dataset';
import { groupLinks } from './groups';
import { MSG, readObjectHeader, type HeaderMessage } from './object-header';
import { parseDatatype, parseDataspace, parseFilterPipeline, parseLayout, type LinkMessage } from './messages';

/** The 8-byte HDF5 format signature ("\x89HDF\r\n\x1a\n"). */
export const HDF5_SIGNATURE: readonly number[] = [0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a];
/** The superblock may follow a user block: it is searched at 0, 512, 1024, 2048, … (spec II.A). */
const FIRST_USER_BLOCK = 512;

/** True when `bytes` holds the HDF5 signature at `offset`. */
export function hasHdf5Signature(bytes: Uint8Array, offset = 0): boolean {
  return HDF5_SIGNATURE.every((byte, i) => bytes[offset + i] === byte);
}

/** True when the first bytes of a file show an HDF5 superblock (at 0 or after a user block within `head`). */
export function isHdf5(head: Uint8Array): boolean {
  for (let at = 0; at + 8 <= head.byteLength; at = at === 0 ? FIRST_USER_BLOCK : at * 2) if (hasHdf5Signature(head, at)) return true;
  return false;
}

/** One object of the file (a group, a dataset, or something else), with its header read. */
export class Hdf5Object {
  private attributeCache?: Promise<Map<string, AttributeValue>>;
  private linkCache?: Promise<LinkMessage[]>;
  /** The dataset's shape, type and storage; undefined for groups. */
  readonly dataset?: DatasetInfo;

  constructor(
    private readonly file: Hdf5File,
    /** '/'-separated path from the root ('' for the root group). */
    readonly path: string,
    readonly address: number,
    private readonly messages: readonly HeaderMessage[],
  ) {
    const context = file.context;
    const find = (type: number): HeaderMessage | undefined => messages.find((m) => m.type === type);
    const layout = find(MSG.layout);
    const space = find(MSG.dataspace);
    const type = find(MSG.datatype);
    if (layout && space && type) {
      const filters = find(MSG.filterPipeline);
      const label = `dataset ${path}`;
      this.dataset = {
        dims: parseDataspace(context.wrap(space.data, `${label}, dataspace`)).dims,
        datatype: parseDatatype(context.wrap(type.data, `${label}, datatype`)),
        layout: parseLayout(context.wrap(layout.data, `${label}, layout`)),
        filters: filters ? parseFilterPipeline(context.wrap(filters.data, `${label}, filters`)) : [],
      };
    }
  }

  /** 'group' when the object holds links, 'dataset' when it holds data. */
  get kind(): 'group' | 'dataset' | 'other' {
    if (this.dataset) return 'dataset';
    return this.messages.some((m) => m.type === MSG.symbolTable || m.type === MSG.link || m.type === MSG.linkInfo) ? 'group' : 'other';
  }

  /** The links of a group (hard links carry the child's header address). */
  links(): Promise<LinkMessage[]> {
    this.linkCache ??= this.kind === 'group' ? groupLinks(this.file.context, this.messages) : Promise.resolve([]);
    return this.linkCache;
  }

  /** Opens the child object a hard link names; undefined for missing names and soft or external links. */
  async child(name: string): Promise<Hdf5Object | undefined> {
    const link = (await this.links()).find((candidate) => candidate.name === name);
    if (!link || link.address === undefined || link.address === UNDEFINED_ADDRESS) return undefined;
    return this.file.object(this.path === '' ? name : `${this.path}/${name}`, link.address);
  }

  /** Every attribute, decoded. */
  attributes(): Promise<Map<string, AttributeValue>> {
    this.attributeCache ??= (async () => {
      const context = this.file.context;
      const out = new Map<string, AttributeValue>();
      for (const raw of await objectAttributes(context, this.messages)) out.set(raw.name, await decodeAttribute(context, raw));
      return out;
    })();
    return this.attributeCache;
  }

  /** One attribute's value, if present. */
  async attribute(name: string): Promise<AttributeValue | undefined> {
    return (await this.attributes()).get(name);
  }

  /** Throws when the dataset's shape claims more data than its storage (or the file) holds. */
  checkExtent(): void {
    if (this.dataset) checkDatasetExtent(this.file.context, this.dataset, `dataset ${this.path}`);
  }

  /** A numeric dataset's values as float32, row-major in its own shape. */
  read(signal?: AbortSignal): Promise<Float32Array> {
    if (!this.dataset) return Promise.reject(new CheckpointError('bad-header', `${this.file.name}: ${this.path} is not a dataset`));
    return readDatasetFloat32(this.file.context, this.dataset, `dataset ${this.path}`, signal);
  }
}

/** An open HDF5 file: the superblock, then objects read on demand. */
export class Hdf5File {
  private constructor(
    /** Shared reading state (exposed to the objects of this file). */
    readonly context: Hdf5Context,
    private readonly rootAddress: number,
    /** 0 and 1 for h5py's default ('earliest') files, 2 or 3 for libver='latest'. */
    readonly superblockVersion: number,
  ) {}

  /** The file's display name. */
  get name(): string {
    return this.context.name;
  }

  /** Finds and reads the superblock. */
  static async open(source: ByteSource, signal?: AbortSignal): Promise<Hdf5File> {
    const size = await source.size();
    let at = -1;
    for (let probe = 0; probe + 8 <= size; probe = probe === 0 ? FIRST_USER_BLOCK : probe * 2) {
      if (hasHdf5Signature(await source.read(probe, 8))) {
        at = probe;
        break;
      }
    }
    ensure(at >= 0, 'unknown-format', () => `${source.name}: expected the HDF5 signature, found none`);
    const head = await source.read(at, 8 + 3 + 100);
    const version = head[8] as number;
    ensure(version <= 3, 'unsupported', () => `${source.name}: HDF5 superblock version ${version}, expected 0 to 3`);
    const sizesAt = version <= 1 ? 13 : 9;
    const offsetSize = head[sizesAt] as number;
    const lengthSize = head[sizesAt + 1] as number;
    ensure(
      [2, 4, 8].includes(offsetSize) && [2, 4, 8].includes(lengthSize),
      'bad-header',
      () => `${source.name}: HDF5 superblock has ${offsetSize}-byte addresses and ${lengthSize}-byte lengths, expected 2, 4 or 8`,
    );
    const probe = new Hdf5Context(source, size, offsetSize, lengthSize, 0, signal);
    // Fields after the fixed part: v0 has 16 bytes of versions, sizes, Ks and flags (v1 adds 4 more); v2/v3 have 12.
    const cursor = probe.wrap(head, 'HDF5 superblock');
    cursor.pos = version === 0 ? 24 : version === 1 ? 28 : 12;
    const base = cursor.address();
    cursor.address(); // v0/1: free-space info; v2/3: superblock extension
    const end = cursor.address();
    let rootAddress: number;
    if (version <= 1) {
      cursor.address(); // driver information block
      cursor.uint(offsetSize); // root entry: link name offset
      rootAddress = cursor.address();
    } else {
      rootAddress = cursor.address();
    }
    if (version >= 2) probe.verify(head, cursor.pos, 'the HDF5 superblock'); // v2/v3 end with a checksum
    const baseAt = base === UNDEFINED_ADDRESS ? at : base;
    ensure(
      end === UNDEFINED_ADDRESS || baseAt + end <= size,
      'truncated',
      () => `${source.name}: the HDF5 superblock says the file ends at byte ${baseAt + end}, the file has ${size}`,
    );
    const context = new Hdf5Context(source, size, offsetSize, lengthSize, baseAt, signal);
    return new Hdf5File(context, rootAddress, version);
  }

  /** The root group. */
  root(): Promise<Hdf5Object> {
    return this.object('', this.rootAddress);
  }

  /** The object at a '/'-separated path from the root, following hard links; undefined when absent. */
  async get(path: string): Promise<Hdf5Object | undefined> {
    let node: Hdf5Object | undefined = await this.root();
    for (const part of path.split('/').filter((p) => p !== '')) {
      node = await node.child(part);
      if (!node) return undefined;
    }
    return node;
  }

  /** Reads (once) the object header at `address`. */
  object(path: string, address: number): Promise<Hdf5Object> {
    return this.context.remember(`object:${address}:${path}`, async () => {
      const messages = await this.context.remember(`header:${address}`, () => readObjectHeader(this.context, address));
      return new Hdf5Object(this, path, address, messages);
    });
  }
}
