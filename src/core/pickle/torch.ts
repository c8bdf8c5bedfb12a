import type { SourceDType } from '../checkpoint';
import { CheckpointError } from '../errors';
import type { PickleHooks } from './objects';
import { PickleGlobal, PickleTuple, asInteger, describeValue, sequenceItems, type PickleNative, type PickleValue } from './values';

/** A torch element type: our SourceDType when we can convert it, else only its name and width. */
export interface TorchElement {
  readonly name: string;
  readonly bytes: number;
  readonly dtype?: SourceDType;
}

/** torch's legacy storage classes (what torch.save names in a storage's persistent id), by class name. */
const STORAGE_TYPES: Readonly<Record<string, TorchElement>> = {
  FloatStorage: { name: 'float32', bytes: 4, dtype: 'float32' },
  DoubleStorage: { name: 'float64', bytes: 8, dtype: 'float64' },
  HalfStorage: { name: 'float16', bytes: 2, dtype: 'float16' },
  BFloat16Storage: { name: 'bfloat16', bytes: 2, dtype: 'bfloat16' },
  ByteStorage: { name: 'uint8', bytes: 1, dtype: 'uint8' },
  CharStorage: { name: 'int8', bytes: 1, dtype: 'int8' },
  ShortStorage: { name: 'int16', bytes: 2, dtype: 'int16' },
  IntStorage: { name: 'int32', bytes: 4, dtype: 'int32' },
  LongStorage: { name: 'int64', bytes: 8 },
  BoolStorage: { name: 'bool', bytes: 1 },
  ComplexFloatStorage: { name: 'complex64', bytes: 8 },
  ComplexDoubleStorage: { name: 'complex128', bytes: 16 },
  QInt8Storage: { name: 'qint8', bytes: 1 },
  QUInt8Storage: { name: 'quint8', bytes: 1 },
  QInt32Storage: { name: 'qint32', bytes: 4 },
  QUInt4x2Storage: { name: 'quint4x2', bytes: 1 },
  QUInt2x4Storage: { name: 'quint2x4', bytes: 1 },
  UntypedStorage: { name: 'uint8', bytes: 1, dtype: 'uint8' },
};

/** A storage named by a persistent id: its key in the archive (zip) or in the storage list (legacy). */
export class TorchStorage implements PickleNative {
  readonly pickleKind = 'torch storage';
  constructor(
    readonly key: string,
    readonly element: TorchElement,
    readonly location: string,
    /** Elements the pickle says the storage holds. */
    readonly numel: number,
    /** Elements into `key`'s data where this storage starts (legacy storage views; 0 otherwise). */
    readonly viewOffset = 0,
  ) {}
}

/** A tensor as `_rebuild_tensor_v2` describes it: a window of a storage with sizes and strides (in elements). */
export class TorchTensor implements PickleNative {
  readonly pickleKind = 'torch tensor';
  constructor(
    readonly storage: TorchStorage,
    readonly offset: number,
    readonly shape: readonly number[],
    readonly stride: readonly number[],
  ) {}
}

function text(value: PickleValue | undefined): string | undefined {
  if (typeof value === 'string') return value;
  if (value instanceof Uint8Array) return new TextDecoder('latin1').decode(value);
  if (typeof value === 'number') return String(value);
  return undefined;
}

function fail(name: string, message: string): never {
  throw new CheckpointError('bad-header', `${name}: ${message}`);
}

function dims(value: PickleValue | undefined, what: string, name: string): number[] {
  const items = sequenceItems(value);
  const out = items?.map(asInteger);
  if (!out || out.some((dim) => dim === undefined || dim < 0))
    fail(name, `tensor ${what} is ${describeValue(value)}, expected a tuple of sizes`);
  return out as number[];
}

/** The storage of a persistent id ('storage', type, key, location, numel[, view]); undefined for other ids. */
function storageFromPid(pid: PickleValue, name: string): PickleValue | undefined {
  const items = sequenceItems(pid);
  if (!items) return undefined;
  const tag = text(items[0]);
  if (tag === 'module') return items[1]; // legacy whole-model saves: the module's class, by name only
  if (tag !== 'storage') return undefined;
  const [, type, key, location, numel, view] = items;
  if (!(type instanceof PickleGlobal) || !type.module.startsWith('torch')) {
    fail(name, `storage type is ${describeValue(type)}, expected a torch storage class`);
  }
  const element = STORAGE_TYPES[type.name];
  if (!element) throw new CheckpointError('unsupported', `${name}: storage type ${type.qualified} is not one we read`);
  const keyText = text(key);
  const count = asInteger(numel);
  if (keyText === undefined || count === undefined || count < 0)
    fail(name, `storage id (${describeValue(key)}, ${describeValue(numel)}) is malformed`);
  let viewOffset = 0;
  const viewItems = sequenceItems(view);
  if (viewItems) {
    // Legacy (view_key, offset, view_size): the tensor's storage is a window, at `offset` elements, of `key`'s data.
    const at = asInteger(viewItems[1]);
    if (at === undefined || at < 0) fail(name, 'storage view metadata is malformed');
    viewOffset = at;
  }
  return new TorchStorage(keyText, element, text(location) ?? '?', count, viewOffset);
}

function rebuildTensor(args: readonly PickleValue[], name: string): TorchTensor {
  const [storage, offset, size, stride] = args;
  if (!(storage instanceof TorchStorage)) fail(name, `tensor storage is ${describeValue(storage)}, expected a storage id`);
  const at = asInteger(offset);
  if (at === undefined || at < 0) fail(name, `tensor offset is ${describeValue(offset)}, expected a non-negative int`);
  const shape = dims(size, 'size', name);
  const strides = dims(stride, 'stride', name);
  if (strides.length !== shape.length) fail(name, `tensor has ${shape.length} sizes and ${strides.length} strides`);
  return new TorchTensor(storage, at, shape, strides);
}

/**
 * Interprets torch.save's tensors, parameters and storage ids as data (file name for messages). Every storage
 * id met is recorded in `storages` by key (the legacy format needs their element sizes to find their bytes).
 */
export function torchHooks(name: string, storages = new Map<string, TorchStorage>()): PickleHooks {
  const construct = (callee: PickleGlobal, args: readonly PickleValue[]): PickleValue | undefined => {
    switch (callee.qualified) {
      case 'torch._utils._rebuild_tensor_v2':
      case 'torch._utils._rebuild_tensor':
        return rebuildTensor(args, name);
      case 'torch._utils._rebuild_parameter':
      case 'torch._utils._rebuild_parameter_with_state':
        // A Parameter is its data tensor plus requires_grad and hooks (names only): keep the tensor.
        return args[0] ?? null;
      case 'torch._tensor._rebuild_from_type_v2': {
        // (func, new_type, args, state): a tensor subclass; rebuild the plain tensor with func(*args).
        const [func, , inner] = args;
        return func instanceof PickleGlobal ? construct(func, sequenceItems(inner) ?? []) : undefined;
      }
      case 'torch.Size':
        return new PickleTuple(sequenceItems(args[0]) ?? []);
      default:
        return undefined;
    }
  };
  const persistentLoad = (pid: PickleValue): PickleValue | undefined => {
    const loaded = storageFromPid(pid, name);
    if (loaded instanceof TorchStorage && !storages.has(loaded.key)) storages.set(loaded.key, loaded);
    return loaded;
  };
  return { construct, persistentLoad };
}
