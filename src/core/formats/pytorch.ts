import type { Checkpoint } from '../checkpoint';
import { CheckpointError, ensure } from '../errors';
import type { CheckpointFormat, ReadContext } from '../format';
import { readExact } from '../io/byte-source';
import type { ZipArchive, ZipEntry } from '../io/zip';
import { numpyHooks } from '../pickle/numpy';
import type { TorchStorage } from '../pickle/torch';
import { torchHooks } from '../pickle/torch';
import { unpickleBytes, unpickleSource } from '../pickle/unpickle';
import { PickleDict, describeValue, sequenceItems } from '../pickle/values';
import { torchCheckpoint } from './pytorch-checkpoint';
import type { StorageBytes, StorageOpener } from './pytorch-tensors';

/** torch.save's legacy format starts with this number, pickled (torch/serialization.py MAGIC_NUMBER). */
const LEGACY_MAGIC = 0x1950a86a20f9469cfc6cn;
/** The only legacy PROTOCOL_VERSION torch has written. */
const LEGACY_PROTOCOL = 1001;
/** The zip format's object pickle: `<folder>/data.pkl`, the folder being the file's stem or 'archive'. */
const DATA_PKL = /^([^/]+\/)data\.pkl$/;

/** Caches one storage lookup per key, so tied tensors open their bytes once. */
function memoOpener(find: (storage: TorchStorage) => Promise<StorageBytes>): StorageOpener {
  const cache = new Map<string, Promise<StorageBytes>>();
  return (storage) => {
    let found = cache.get(storage.key);
    if (!found) {
      found = find(storage);
      cache.set(storage.key, found);
    }
    return found;
  };
}

function dataPickle(zip: ZipArchive | undefined): { entry: ZipEntry; prefix: string } | undefined {
  for (const entry of zip?.entries ?? []) {
    const match = DATA_PKL.exec(entry.name);
    if (match) return { entry, prefix: match[1] as string };
  }
  return undefined;
}

async function zipByteOrder(zip: ZipArchive, prefix: string): Promise<boolean> {
  // torch ≥ 2.1 writes '<folder>/byteorder' ('little' or 'big'); older archives are little-endian.
  const entry = zip.find(`${prefix}byteorder`);
  if (!entry || entry.size > 16) return true;
  const source = await zip.open(entry);
  const text = new TextDecoder().decode(await readExact(source, 0, entry.size, 'byteorder'));
  return text.trim() !== 'big';
}

/** torch.save's zip format (PyTorch ≥ 1.6): `<folder>/data.pkl` plus one `<folder>/data/<key>` entry per storage. */
export const pytorchZip: CheckpointFormat = {
  id: 'pytorch-zip',
  description: 'PyTorch torch.save zip archive (<folder>/data.pkl and <folder>/data/<storage key>)',
  sniff: (probe) => dataPickle(probe.zip) !== undefined,
  async read(context): Promise<Checkpoint> {
    const { zip, path } = context;
    const found = dataPickle(zip);
    ensure(zip && found, 'bad-header', () => `${path}: expected a zip archive with <folder>/data.pkl, found none`);
    const { entry, prefix } = found;
    if (zip.find(`${prefix}constants.pkl`) || zip.entries.some((e) => e.name.startsWith(`${prefix}code/`))) {
      throw new CheckpointError(
        'unsupported',
        `${path}: a TorchScript archive (torch.jit.save), expected a torch.save file; save model.state_dict() with torch.save`,
      );
    }
    const littleEndian = await zipByteOrder(zip, prefix);
    const pickleSource = await zip.open(entry);
    const pickle = await unpickleSource(pickleSource, 0, {
      hooks: [torchHooks(pickleSource.name), numpyHooks],
      ...(context.signal ? { signal: context.signal } : {}),
    });
    const open = memoOpener(async (storage) => {
      const member = zip.find(`${prefix}data/${storage.key}`);
      ensure(
        member,
        'bad-header',
        () => `${path}: storage ${storage.key} is missing (expected ${prefix}data/${storage.key} in the archive)`,
      );
      return { source: await zip.open(member), offset: 0, byteLength: member.size, littleEndian };
    });
    return torchCheckpoint({ format: 'pytorch-zip', context, pickle, open, notes: [`zip archive, object pickle ${entry.name}`] });
  },
};

/** True when the bytes start with the pickled legacy magic number. */
function isLegacyHead(head: Uint8Array): boolean {
  if (head[0] !== 0x80) return false;
  try {
    return unpickleBytes(head.subarray(0, Math.min(head.byteLength, 64)), 'sniff').value === LEGACY_MAGIC;
  } catch {
    return false;
  }
}

/**
 * Finds each storage's bytes after the pickles: per key of the sorted key list, an int64 element count, then the
 * elements. Element sizes come from the storage types the object pickle named.
 */
async function legacyStorages(
  context: ReadContext,
  start: number,
  keys: readonly string[],
  storages: ReadonlyMap<string, TorchStorage>,
): Promise<Map<string, { offset: number; byteLength: number }>> {
  const { source, path } = context;
  const size = await source.size();
  const spans = new Map<string, { offset: number; byteLength: number }>();
  let at = start;
  for (const key of keys) {
    const storage = storages.get(key);
    ensure(storage, 'bad-header', () => `${path}: storage ${key} is listed but no tensor uses it, so its element size is unknown`);
    const head = await readExact(source, at, 8, `the element count of storage ${key}`);
    const count = Number(new DataView(head.buffer, head.byteOffset, 8).getBigInt64(0, true));
    const byteLength = count * storage.element.bytes;
    ensure(
      count >= 0 && Number.isSafeInteger(byteLength) && byteLength <= size - at - 8,
      'truncated',
      () =>
        `${path}: storage ${key} says ${count} ${storage.element.name} elements at byte ${at + 8}, file has ${size - at - 8} bytes left`,
    );
    spans.set(key, { offset: at + 8, byteLength });
    at += 8 + byteLength;
  }
  return spans;
}

/** torch.save's legacy format (PyTorch < 1.6, or `_use_new_zipfile_serialization=False`): pickles, then raw storages. */
export const pytorchLegacy: CheckpointFormat = {
  id: 'pytorch-legacy',
  description: 'PyTorch torch.save legacy file (magic-number pickle, sys info, object pickle, storage keys, raw storages)',
  sniff: (probe) => isLegacyHead(probe.head),
  async read(context): Promise<Checkpoint> {
    const { source, path, signal } = context;
    const options = signal ? { signal } : {};
    const magic = await unpickleSource(source, 0, options);
    ensure(
      magic.value === LEGACY_MAGIC,
      'bad-header',
      () => `${path}: expected torch's legacy magic number, found ${describeValue(magic.value)}`,
    );
    const version = await unpickleSource(source, magic.end, options);
    ensure(
      version.value === LEGACY_PROTOCOL,
      'unsupported',
      () => `${path}: legacy protocol version ${describeValue(version.value)}, expected ${LEGACY_PROTOCOL}`,
    );
    const sysInfo = await unpickleSource(source, version.end, options);
    const littleEndian = !(sysInfo.value instanceof PickleDict) || sysInfo.value.get('little_endian') !== false;
    const storages = new Map<string, TorchStorage>();
    const pickle = await unpickleSource(source, sysInfo.end, { ...options, hooks: [torchHooks(path, storages), numpyHooks] });
    const keyList = await unpickleSource(source, pickle.end, options);
    const keys = sequenceItems(keyList.value);
    ensure(
      keys && keys.every((key) => typeof key === 'string'),
      'bad-header',
      () => `${path}: expected the list of storage keys after the object pickle, found ${describeValue(keyList.value)}`,
    );
    const spans = await legacyStorages(context, keyList.end, keys as string[], storages);
    const open = memoOpener((storage) => {
      const span = spans.get(storage.key);
      ensure(span, 'bad-header', () => `${path}: storage ${storage.key} is used by a tensor but not in the storage list`);
      return Promise.resolve({ source, ...span, littleEndian });
    });
    return torchCheckpoint({
      format: 'pytorch-legacy',
      context,
      pickle,
      open,
      notes: [`legacy format: ${keys.length} storages after the pickles`],
    });
  },
};
