import type { SourceDType } from '../checkpoint';
import { decodeToFloat32 } from '../dtype';
import { CheckpointError, ensure, throwIfAborted } from '../errors';
import type { CheckpointFormat } from '../format';
import { readExact, readJson } from '../io/byte-source';
import { dirname, joinInside, type FileAccess } from '../io/files';
import type { TensorEntry } from '../pairing';
import { kerasCheckpoint, kerasLayers } from './keras-weights';

/** model.json holds the topology and the manifest; a few MB for big models, never this much. */
const MAX_MODEL_JSON_BYTES = 64 << 20;
/** Bytes per element of the dtypes a weights manifest can name (tfjs-core io/types.ts DTYPE_VALUE_SIZE_MAP). */
const STORED_BYTES: Readonly<Record<string, number>> = { float32: 4, int32: 4, bool: 1, complex64: 8, uint8: 1, uint16: 2, float16: 2 };

/** One entry of a TF.js weights manifest group. */
interface ManifestWeight {
  readonly name: string;
  readonly shape: readonly number[];
  readonly dtype: string;
  readonly quantization?: { readonly dtype: string; readonly scale?: number; readonly min?: number };
}

/** A shard of a manifest group: its path and size, in group order. */
interface Shard {
  readonly path: string;
  readonly size: number;
}

function describe(value: unknown): string {
  return Array.isArray(value) ? 'an array' : value === null ? 'null' : typeof value;
}

/** Checks one manifest weight entry's shape and types, naming the entry on failure. */
function parseWeight(raw: unknown, where: string): ManifestWeight {
  const entry = raw as Partial<Record<string, unknown>>;
  const name = entry?.name;
  const shape = entry?.shape;
  const dtype = entry?.dtype;
  ensure(
    typeof name === 'string' &&
      typeof dtype === 'string' &&
      Array.isArray(shape) &&
      shape.every((n) => Number.isSafeInteger(n) && (n as number) >= 0),
    'bad-header',
    () => `${where}: expected {name, shape, dtype}, found ${JSON.stringify(raw)?.slice(0, 80)}`,
  );
  const q = entry.quantization as Partial<Record<string, unknown>> | undefined;
  if (q === undefined) return { name, shape: shape as number[], dtype };
  ensure(
    q !== null &&
      typeof q === 'object' &&
      typeof q.dtype === 'string' &&
      (q.dtype === 'float16' || (typeof q.scale === 'number' && typeof q.min === 'number')),
    'bad-header',
    () => `${where}: weight ${name} has quantization ${JSON.stringify(q)?.slice(0, 80)}, expected {dtype, scale, min}`,
  );
  return {
    name,
    shape: shape as number[],
    dtype,
    quantization: {
      dtype: q.dtype,
      ...(typeof q.scale === 'number' ? { scale: q.scale } : {}),
      ...(typeof q.min === 'number' ? { min: q.min } : {}),
    },
  };
}

/** Reads `length` bytes at `offset` of a group's shards taken as one concatenated buffer. */
async function readAcross(files: FileAccess, shards: readonly Shard[], offset: number, length: number): Promise<Uint8Array> {
  const out = new Uint8Array(length);
  let shardStart = 0;
  for (const shard of shards) {
    const from = Math.max(offset, shardStart);
    const to = Math.min(offset + length, shardStart + shard.size);
    if (from < to) {
      const source = await files.open(shard.path);
      try {
        out.set(await readExact(source, from - shardStart, to - from, 'weights'), from - offset);
      } finally {
        await source.close();
      }
    }
    shardStart += shard.size;
  }
  return out;
}

/** A manifest weight as a lazy tensor: reads only its bytes, then dequantises (value × scale + min) or widens float16. */
function weightTensor(
  files: FileAccess,
  shards: readonly Shard[],
  weight: ManifestWeight,
  offset: number,
  bytes: number,
  signal?: AbortSignal,
): TensorEntry | undefined {
  const stored = weight.quantization?.dtype ?? weight.dtype;
  const dtype: SourceDType | undefined =
    stored === 'float32'
      ? 'float32'
      : stored === 'float16'
        ? 'float16'
        : stored === 'uint8'
          ? 'uint8'
          : stored === 'uint16'
            ? 'uint16'
            : stored === 'int32'
              ? 'int32'
              : undefined;
  if (!dtype) return undefined;
  const count = weight.shape.reduce((a, b) => a * b, 1);
  const { scale, min } = weight.quantization ?? {};
  return {
    name: weight.name,
    shape: weight.shape,
    dtype,
    async load(cancel) {
      throwIfAborted(cancel ?? signal, weight.name);
      const raw = await readAcross(files, shards, offset, bytes);
      const out = new Float32Array(count);
      decodeToFloat32(raw, dtype, true, count, out, 0);
      if (scale !== undefined && min !== undefined && (dtype === 'uint8' || dtype === 'uint16')) {
        for (let i = 0; i < count; i++) out[i] = (out[i] as number) * scale + min;
      }
      return out;
    },
  };
}

/** TF.js LayersModel (and graph model) folders: model.json with modelTopology and a weightsManifest, plus binary shards. */
export const tfjsLayers: CheckpointFormat = {
  id: 'tfjs',
  description: 'TensorFlow.js model.json (modelTopology + weightsManifest) with its .bin weight shards, quantized or not',
  sniff(probe) {
    const text = new TextDecoder('utf-8', { fatal: false }).decode(probe.head.subarray(0, 4096 * 16));
    return /^\s*\{/.test(text) && (text.includes('"weightsManifest"') || text.includes('"modelTopology"'));
  },
  async read(context) {
    const { source, path, files, signal } = context;
    const model = (await readJson(source, MAX_MODEL_JSON_BYTES, 'TF.js model.json')) as Partial<Record<string, unknown>> | null;
    ensure(
      model !== null && typeof model === 'object' && !Array.isArray(model),
      'bad-header',
      () => `${path}: expected a JSON object, found ${describe(model)}`,
    );
    const manifest = model.weightsManifest;
    ensure(Array.isArray(manifest), 'bad-header', () => `${path}: expected "weightsManifest" as an array, found ${describe(manifest)}`);
    const folder = dirname(path);
    const tensors: TensorEntry[] = [];
    const notes: string[] = [
      `TF.js ${typeof model.format === 'string' ? model.format : 'model'}${typeof model.generatedBy === 'string' ? ` generated by ${model.generatedBy}` : ''}`,
    ];
    const shardFiles: string[] = [];
    for (const [g, rawGroup] of manifest.entries()) {
      const group = rawGroup as Partial<Record<string, unknown>> | null;
      const where = `${path}: weightsManifest[${g}]`;
      ensure(
        group && Array.isArray(group.paths) && Array.isArray(group.weights),
        'bad-header',
        () => `${where}: expected {paths, weights}`,
      );
      const shards: Shard[] = [];
      for (const relative of group.paths as unknown[]) {
        const shardPath = typeof relative === 'string' ? joinInside(folder, relative) : undefined;
        if (shardPath === undefined)
          throw new CheckpointError('unsafe', `${where}: shard path ${JSON.stringify(relative)} leaves the model's folder`);
        const stat = await files.stat(shardPath);
        if (!stat || stat.isDirectory)
          throw new CheckpointError('not-found', `${shardPath}: expected the weight shard that ${path} lists, found nothing there`);
        shards.push({ path: shardPath, size: stat.size });
        shardFiles.push(shardPath);
      }
      let offset = 0;
      let offsetsKnown = true;
      for (const raw of group.weights as unknown[]) {
        const weight = parseWeight(raw, where);
        const stored = weight.quantization?.dtype ?? weight.dtype;
        const perElement = STORED_BYTES[stored];
        if (perElement === undefined) {
          // Strings are stored with per-element lengths: the weights after one can only be found by reading it.
          if (offsetsKnown) notes.push(`weights from ${weight.name} on in group ${g} skipped: ${stored} data has no fixed size`);
          offsetsKnown = false;
          continue;
        }
        const bytes = weight.shape.reduce((a, b) => a * b, 1) * perElement;
        if (offsetsKnown) {
          const tensor = weightTensor(files, shards, weight, offset, bytes, signal);
          if (tensor) tensors.push(tensor);
        }
        offset += bytes;
      }
      const held = shards.reduce((sum, shard) => sum + shard.size, 0);
      if (offsetsKnown) {
        ensure(
          held >= offset,
          'truncated',
          () =>
            `${where}: the manifest needs ${offset} bytes of weights, its shards (${shards.map((s) => s.path).join(', ')}) hold ${held}`,
        );
        ensure(held === offset, 'bad-header', () => `${where}: the manifest accounts for ${offset} bytes, its shards hold ${held}`);
      }
    }
    if (tensors.some((tensor) => tensor.dtype === 'uint8' || tensor.dtype === 'uint16'))
      notes.push('quantized weights are dequantized as value × scale + min');
    const topology = model.modelTopology as Partial<Record<string, unknown>> | undefined;
    return kerasCheckpoint({
      format: 'tfjs',
      path,
      files,
      tensors,
      // tfjs-node nests the Keras config under model_config; the browser writer puts it at the top.
      layers: kerasLayers(topology?.model_config ?? topology),
      notes,
      provenanceFiles: [path, ...shardFiles],
      isKerasModel: true,
      close: () => source.close(),
    });
  },
};
