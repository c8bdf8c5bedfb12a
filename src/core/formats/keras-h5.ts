import type { Checkpoint, Vocabulary } from '../checkpoint';
import type { CheckpointFormat } from '../format';
import type { ByteSource } from '../io/byte-source';
import { readJson } from '../io/byte-source';
import { dirname, joinInside, type FileAccess } from '../io/files';
import { Hdf5File, isHdf5, type Hdf5Object } from '../hdf5/file';
import type { TensorEntry } from '../pairing';
import {
  datasetTensor,
  keras3Tensors,
  kerasCheckpoint,
  kerasLayers,
  legacyTensors,
  stringAttribute,
  type KerasLayer,
} from './keras-weights';

/** Largest config.json / model_config we parse (a big functional model's config is a few MB). */
export const MAX_KERAS_CONFIG_BYTES = 64 << 20;
/** Groups followed when a plain HDF5 file is searched for 2-D datasets. */
const MAX_GENERIC_DEPTH = 32;

/** What a Keras HDF5 weights file holds, before pairing. */
export interface KerasH5Contents {
  readonly tensors: TensorEntry[];
  readonly layers: Map<string, KerasLayer>;
  readonly notes: string[];
  /** False when the file showed no Keras structure and its datasets were taken as they are. */
  readonly isKerasModel: boolean;
}

/**
 * Reads the tensors of a Keras HDF5 file of any generation: a legacy full model (`model_weights/…` and a
 * `model_config` attribute), legacy weights (`layer_names` at the root), Keras 3 weights (`layers/<key>/vars/<i>`),
 * or, failing those, any HDF5 file's 2-D numeric datasets named by path. `config` is the model config when it
 * comes from elsewhere (.keras's config.json).
 */
export async function readKerasH5(file: Hdf5File, config: unknown): Promise<KerasH5Contents> {
  const root = await file.root();
  const notes: string[] = [];
  const version = await stringAttribute(root, 'keras_version');
  const backend = await stringAttribute(root, 'backend');
  if (version) notes.push(`saved by Keras ${version}${backend ? ` (${backend} backend)` : ''}`);
  let modelConfig = config;
  const configText = await stringAttribute(root, 'model_config');
  if (modelConfig === undefined && configText !== undefined) {
    try {
      modelConfig = JSON.parse(configText) as unknown;
    } catch {
      notes.push('the model_config attribute is not valid JSON: layers are recognised by variable names only');
    }
  }
  const layers = kerasLayers(modelConfig);
  const weights = await root.child('model_weights');
  if (weights) {
    notes.push('legacy Keras HDF5 model (model_weights/<layer>/…)');
    return { tensors: await legacyTensors(weights), layers, notes, isKerasModel: true };
  }
  if (await root.attribute('layer_names')) {
    notes.push('legacy Keras HDF5 weights (layer_names at the root)');
    return { tensors: await legacyTensors(root), layers, notes, isKerasModel: true };
  }
  const tensors = await keras3Tensors(file, layers);
  if (tensors.length > 0) {
    notes.push('Keras 3 weights (layers/<layer>/vars/<i>)');
    return { tensors, layers, notes, isKerasModel: true };
  }
  notes.push('not a Keras file: its 2-D numeric datasets are paired by name and shape');
  return { tensors: await plainDatasets(root), layers, notes, isKerasModel: false };
}

/** Every 2-D numeric dataset of a plain HDF5 file, named by its path. */
async function plainDatasets(root: Hdf5Object): Promise<TensorEntry[]> {
  const tensors: TensorEntry[] = [];
  const seen = new Set<number>();
  const visit = async (group: Hdf5Object, depth: number): Promise<void> => {
    if (depth > MAX_GENERIC_DEPTH || seen.has(group.address)) return;
    seen.add(group.address);
    for (const link of await group.links()) {
      const child = await group.child(link.name);
      if (!child) continue;
      if (child.kind === 'group') await visit(child, depth + 1);
      else if (child.dataset?.dims.length === 2) {
        const tensor = datasetTensor(child.path, child);
        if (tensor) tensors.push(tensor);
      }
    }
  };
  await visit(root, 0);
  return tensors;
}

/** The config.json beside an extracted .keras (config.json + model.weights.h5 in one folder), if any. */
async function configBeside(files: FileAccess, path: string): Promise<unknown> {
  const configPath = joinInside(dirname(path), 'config.json');
  if (!configPath || !(await files.stat(configPath))) return undefined;
  const source = await files.open(configPath);
  try {
    const config = await readJson(source, MAX_KERAS_CONFIG_BYTES, 'Keras config.json');
    return config !== null && typeof config === 'object' && 'class_name' in config ? config : undefined;
  } finally {
    await source.close();
  }
}

/** What the caller of `kerasH5Checkpoint` adds: its own notes and files, cancellation, and how to close. */
export interface KerasH5Extra {
  readonly notes: readonly string[];
  readonly provenanceFiles: readonly string[];
  readonly signal?: AbortSignal;
  readonly embeddedVocabulary?: Vocabulary;
  close(): Promise<void>;
}

/** Opens an HDF5 source and builds the checkpoint; shared by the .h5 reader and the .keras reader. */
export async function kerasH5Checkpoint(
  format: string,
  path: string,
  files: FileAccess,
  weights: ByteSource,
  config: unknown,
  extra: KerasH5Extra,
): Promise<Checkpoint> {
  const file = await Hdf5File.open(weights, extra.signal);
  const contents = await readKerasH5(file, config);
  return kerasCheckpoint({
    format,
    path,
    files,
    tensors: contents.tensors,
    layers: contents.layers,
    notes: [...extra.notes, ...contents.notes],
    provenanceFiles: extra.provenanceFiles,
    isKerasModel: contents.isKerasModel,
    ...(extra.embeddedVocabulary ? { embeddedVocabulary: extra.embeddedVocabulary } : {}),
    close: () => extra.close(),
  });
}

/** Keras HDF5 files (.h5 legacy models and weights, Keras 3 .weights.h5) and other HDF5 files of 2-D tensors. */
export const kerasH5: CheckpointFormat = {
  id: 'keras-h5',
  description: 'Keras HDF5 (legacy model.save("x.h5"), save_weights, Keras 3 .weights.h5) or any HDF5 file of 2-D datasets',
  sniff: (probe) => isHdf5(probe.head),
  async read(context) {
    const { source, path, files, signal } = context;
    const config = await configBeside(files, path);
    return kerasH5Checkpoint('keras-h5', path, files, source, config, {
      notes: config !== undefined ? ['layer classes from the config.json beside it'] : [],
      provenanceFiles: config !== undefined ? [path, joinInside(dirname(path), 'config.json') as string] : [path],
      ...(signal ? { signal } : {}),
      close: () => source.close(),
    });
  },
};
