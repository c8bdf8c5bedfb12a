import type { SourceDType } from '../checkpoint';
import { DTYPE_BYTES, decodeToFloat32 } from '../dtype';
import { CheckpointError, throwIfAborted } from '../errors';
import { readExact, type ByteSource } from '../io/byte-source';
import type { TensorEntry } from '../pairing';
import { TorchTensor, type TorchStorage } from '../pickle/torch';
import { PickleCall, PickleDict, instanceDict, sequenceItems, type PickleValue } from '../pickle/values';

/** Where a storage's bytes are: a window of a source (a zip entry, or a span of a legacy file). */
export interface StorageBytes {
  readonly source: ByteSource;
  readonly offset: number;
  readonly byteLength: number;
  readonly littleEndian: boolean;
}

/** Finds a storage's bytes by its key; called only when a matrix is loaded. */
export type StorageOpener = (storage: TorchStorage) => Promise<StorageBytes>;

/** A tensor found in the pickle, with its dotted state-dict name. */
export interface NamedTensor {
  readonly name: string;
  readonly tensor: TorchTensor;
}

/** Nested containers we follow at most (a state dict inside a checkpoint dict inside a module is 3–6 deep). */
const MAX_DEPTH = 24;
/** Keys under which training checkpoints keep the model's own state dict, most common first. */
const MODEL_KEYS = ['state_dict', 'model_state_dict', 'model', 'module', 'net', 'network', 'model_state'];

function keyName(key: PickleValue): string | undefined {
  return typeof key === 'string' ? key : typeof key === 'number' ? String(key) : undefined;
}

function walk(value: PickleValue | undefined, prefix: string, depth: number, seen: Set<object>, out: NamedTensor[]): void {
  if (value === undefined || value === null || typeof value !== 'object' || depth > MAX_DEPTH) return;
  // A tensor met twice is a tied parameter (one object, two names): keep both names; containers only once.
  if (value instanceof TorchTensor) {
    out.push({ name: prefix, tensor: value });
    return;
  }
  if (seen.has(value)) return;
  seen.add(value);
  const join = (key: string): string => (prefix === '' ? key : `${prefix}.${key}`);
  if (value instanceof PickleDict) {
    for (const [key, inner] of value.map) {
      const name = keyName(key);
      if (name !== undefined) walk(inner, join(name), depth + 1, seen, out);
    }
  } else if (value instanceof PickleCall) {
    const attributes = instanceDict(value);
    const parameters = attributes?.get('_parameters');
    if (attributes && (parameters !== undefined || attributes.get('_modules') !== undefined)) {
      // A whole nn.Module (torch.save(model)): its parameters, buffers and submodules, named as state_dict() does.
      for (const part of ['_parameters', '_buffers', '_modules']) walk(attributes.get(part), prefix, depth + 1, seen, out);
    } else {
      if (attributes) walk(attributes, prefix, depth + 1, seen, out);
      for (const [key, inner] of value.items) {
        const name = keyName(key);
        if (name !== undefined) walk(inner, join(name), depth + 1, seen, out);
      }
    }
  } else {
    sequenceItems(value)?.forEach((inner, i) => walk(inner, join(String(i)), depth + 1, seen, out));
  }
}

/**
 * The tensors of a torch.save'd object, named as a state dict names them. A training checkpoint's model entry
 * ('state_dict', 'model', …) is preferred over everything else in it; optimizer state is never a candidate.
 */
export function collectTensors(root: PickleValue): { tensors: NamedTensor[]; notes: string[] } {
  if (root instanceof PickleDict) {
    for (const key of MODEL_KEYS) {
      const found: NamedTensor[] = [];
      walk(root.get(key), '', 0, new Set(), found);
      if (found.length > 0) return { tensors: found, notes: [`tensors from the checkpoint's '${key}' entry`] };
    }
    const found: NamedTensor[] = [];
    const skipped: string[] = [];
    const seen = new Set<object>();
    for (const [key, inner] of root.map) {
      const name = keyName(key);
      if (name === undefined) continue;
      if (/^optim/i.test(name)) skipped.push(name);
      else walk(inner, name, 1, seen, found);
    }
    return { tensors: found, notes: skipped.length > 0 ? [`optimizer state not read: ${skipped.join(', ')}`] : [] };
  }
  const found: NamedTensor[] = [];
  walk(root, '', 0, new Set(), found);
  return { tensors: found, notes: [] };
}

/** Row-major strides of a shape, in elements. */
function contiguousStrides(shape: readonly number[]): number[] {
  const strides = new Array<number>(shape.length).fill(1);
  for (let i = shape.length - 2; i >= 0; i--) strides[i] = (strides[i + 1] as number) * (shape[i + 1] as number);
  return strides;
}

/** True when the tensor's strides are the row-major ones (dimensions of size 1 may have any stride). */
function isContiguous(shape: readonly number[], stride: readonly number[]): boolean {
  const expected = contiguousStrides(shape);
  return shape.every((dim, i) => dim === 1 || stride[i] === expected[i]);
}

/**
 * Reads a tensor as row-major float32: contiguous tensors read exactly their bytes; a view with other strides
 * (a transposed matrix, a column slice) reads the storage span it covers and gathers its elements.
 */
export async function loadTensor(
  named: NamedTensor,
  dtype: SourceDType,
  open: StorageOpener,
  path: string,
  signal?: AbortSignal,
): Promise<Float32Array> {
  const { tensor, name } = named;
  const { shape, stride } = tensor;
  const count = shape.reduce((product, dim) => product * dim, 1);
  const out = new Float32Array(count);
  if (count === 0) return out;
  const width = DTYPE_BYTES[dtype];
  const start = tensor.storage.viewOffset + tensor.offset;
  const span = 1 + shape.reduce((sum, dim, i) => sum + (dim - 1) * (stride[i] as number), 0);
  const bytes = await open(tensor.storage);
  if ((start + span) * width > bytes.byteLength) {
    throw new CheckpointError(
      'bad-header',
      `${path}: tensor ${name} [${shape.join(', ')}] needs elements ${start}..${start + span} of storage ${tensor.storage.key}, which holds ${Math.floor(bytes.byteLength / width)}`,
    );
  }
  throwIfAborted(signal, path);
  if (isContiguous(shape, stride)) {
    const raw = await readExact(bytes.source, bytes.offset + start * width, count * width, `tensor ${name}`);
    decodeToFloat32(raw, dtype, bytes.littleEndian, count, out, 0);
    return out;
  }
  const raw = await readExact(bytes.source, bytes.offset + start * width, span * width, `tensor ${name}`);
  const all = new Float32Array(span);
  decodeToFloat32(raw, dtype, bytes.littleEndian, span, all, 0);
  // Odometer over the output's row-major index; `at` follows the storage position through the strides.
  const index = new Array<number>(shape.length).fill(0);
  let at = 0;
  for (let i = 0; i < count; i++) {
    out[i] = all[at] as number;
    for (let axis = shape.length - 1; axis >= 0; axis--) {
      index[axis] = (index[axis] as number) + 1;
      at += stride[axis] as number;
      if ((index[axis] as number) < (shape[axis] as number)) break;
      at -= (shape[axis] as number) * (stride[axis] as number);
      index[axis] = 0;
    }
  }
  return out;
}

/**
 * Turns found tensors into pairing entries. Tensors sharing a storage at the same element offset get the same
 * storageKey, so `decoder.weight = encoder.weight` reads as tied. Types we cannot convert are reported, not paired.
 */
export function tensorEntries(
  tensors: readonly NamedTensor[],
  open: StorageOpener,
  path: string,
): { entries: TensorEntry[]; unreadable: string[] } {
  const entries: TensorEntry[] = [];
  const unreadable: string[] = [];
  for (const named of tensors) {
    const { tensor } = named;
    const dtype = tensor.storage.element.dtype;
    if (!dtype) {
      unreadable.push(`${named.name} (${tensor.storage.element.name})`);
      continue;
    }
    entries.push({
      name: named.name,
      shape: tensor.shape,
      dtype,
      storageKey: `${tensor.storage.key}@${tensor.storage.viewOffset + tensor.offset}`,
      load: (signal) => loadTensor(named, dtype, open, path, signal),
    });
  }
  return { entries, unreadable };
}
