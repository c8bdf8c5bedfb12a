import type { Checkpoint, Vocabulary } from '../checkpoint';
import { rowNumberVocabulary } from '../checkpoint';
import { ensure } from '../errors';
import type { FileAccess } from '../io/files';
import type { AttributeValue } from '../hdf5/attributes';
import { sourceDType } from '../hdf5/dataset';
import type { Hdf5File, Hdf5Object } from '../hdf5/file';
import { pairEmbeddings, type TensorEntry } from '../pairing';
import { findSiblingVocabulary, fitVocabulary } from '../vocab-files';

/** A layer as a Keras config (config.json, the `model_config` attribute, TF.js modelTopology) describes it. */
export interface KerasLayer {
  readonly name: string;
  readonly className: string;
  readonly config: Readonly<Record<string, unknown>>;
}

/** Names Keras gives each variable of the layer classes that matter for U and V, in `vars/<i>` order. */
const VARIABLE_NAMES: Readonly<Record<string, readonly string[]>> = {
  Embedding: ['embeddings'],
  // keras_hub's embedding whose second variable (when not tied) is the output projection [d, V].
  ReversibleEmbedding: ['embeddings', 'reverse_embeddings'],
  Dense: ['kernel', 'bias'],
  EinsumDense: ['kernel', 'bias'],
};
/** Keras 3 keys auto-tracked layers by their snake-cased class (`embedding_2`): the class when the config has none. */
const CLASS_FROM_KEY: ReadonlyArray<[RegExp, string]> = [
  [/^embedding(_\d+)?$/, 'Embedding'],
  [/^reversible_embedding(_\d+)?$/, 'ReversibleEmbedding'],
  [/^dense(_\d+)?$/, 'Dense'],
];
/** Nesting of groups we follow; Keras models nest a few levels, never this many. */
const MAX_DEPTH = 64;

/** Every layer named anywhere in a Keras config, nested models included, by layer name. */
export function kerasLayers(config: unknown): Map<string, KerasLayer> {
  const layers = new Map<string, KerasLayer>();
  const visit = (node: unknown, depth: number): void => {
    if (depth > MAX_DEPTH || node === null || typeof node !== 'object') return;
    if (Array.isArray(node)) {
      for (const item of node) visit(item, depth + 1);
      return;
    }
    const record = node as Record<string, unknown>;
    const inner = record['config'];
    if (typeof record['class_name'] === 'string' && inner !== null && typeof inner === 'object' && !Array.isArray(inner)) {
      const name = (inner as Record<string, unknown>)['name'] ?? record['name'];
      if (typeof name === 'string' && !layers.has(name)) {
        layers.set(name, { name, className: record['class_name'], config: inner as Record<string, unknown> });
      }
    }
    for (const value of Object.values(record)) visit(value, depth + 1);
  };
  visit(config, 0);
  return layers;
}

/** An attribute's strings, also when Keras split a long list over `name0`, `name1`, … (attributes over 64 KB). */
export async function stringListAttribute(object: Hdf5Object, name: string): Promise<string[] | undefined> {
  const whole = await object.attribute(name);
  if (whole) return valuesAsStrings(whole);
  const parts: string[] = [];
  for (let i = 0; ; i++) {
    const part = await object.attribute(`${name}${i}`);
    if (!part) return i === 0 ? undefined : parts;
    parts.push(...valuesAsStrings(part));
  }
}

function valuesAsStrings(value: AttributeValue): string[] {
  return value.kind === 'strings' ? [...value.values] : [];
}

/** One attribute as a single string (h5py writes `keras_version`, `model_config` as scalar strings). */
export async function stringAttribute(object: Hdf5Object, name: string): Promise<string | undefined> {
  const value = await object.attribute(name);
  return value?.kind === 'strings' && value.values.length === 1 ? value.values[0] : undefined;
}

/** A dataset as a pairing candidate (its shape checked against its storage); undefined for non-numeric data. */
export function datasetTensor(name: string, object: Hdf5Object): TensorEntry | undefined {
  const info = object.dataset;
  const dtype = info && sourceDType(info.datatype);
  if (!info || !dtype) return undefined;
  object.checkExtent();
  return { name, shape: info.dims, dtype, load: (signal) => object.read(signal) };
}

/**
 * Keras 2 / legacy `model.save('x.h5')`: the weights group lists its layers in `layer_names`, each layer group its
 * datasets in `weight_names` (e.g. `lm/token_embedding/embeddings` or `embedding/embeddings:0`). Tensors are named
 * `<layer>/<variable>` without the `:0` suffix.
 */
export async function legacyTensors(weights: Hdf5Object): Promise<TensorEntry[]> {
  const tensors: TensorEntry[] = [];
  for (const layer of (await stringListAttribute(weights, 'layer_names')) ?? []) {
    const group = await weights.child(layer);
    if (!group) continue;
    for (const weightName of (await stringListAttribute(group, 'weight_names')) ?? []) {
      let node: Hdf5Object | undefined = group;
      for (const part of weightName.split('/').filter((p) => p !== '')) node = node && (await node.child(part));
      const variable = (weightName.split('/').pop() ?? weightName).replace(/:\d+$/, '');
      const tensor = node && datasetTensor(`${layer}/${variable}`, node);
      if (tensor) tensors.push(tensor);
    }
  }
  return tensors;
}

/**
 * Keras 3 weights (`model.weights.h5` inside .keras, `*.weights.h5`): every layer's variables sit in a `vars` group
 * (`layers/<key>/vars/0`, …) whose `name` attribute is the layer's name. The optimizer's own `vars` are skipped.
 */
export async function keras3Tensors(file: Hdf5File, layers: ReadonlyMap<string, KerasLayer>): Promise<TensorEntry[]> {
  const tensors: TensorEntry[] = [];
  const seen = new Set<number>();
  const visit = async (group: Hdf5Object, key: string, depth: number): Promise<void> => {
    if (depth > MAX_DEPTH || seen.has(group.address)) return;
    seen.add(group.address);
    for (const link of await group.links()) {
      if (depth === 0 && link.name === 'optimizer') continue;
      const child = await group.child(link.name);
      if (!child || child.kind !== 'group') continue;
      if (link.name === 'vars') {
        const layerName = (await stringAttribute(child, 'name')) ?? key;
        const className = layers.get(layerName)?.className ?? CLASS_FROM_KEY.find(([pattern]) => pattern.test(key))?.[1];
        const names = (className && VARIABLE_NAMES[className]) || [];
        for (const varLink of await child.links()) {
          const variable = await child.child(varLink.name);
          const index = Number(varLink.name);
          const label = Number.isInteger(index) && names[index] ? names[index] : `vars/${varLink.name}`;
          const tensor = variable && datasetTensor(`${layerName}/${label}`, variable);
          if (tensor) tensors.push(tensor);
        }
      } else {
        await visit(child, link.name, depth + 1);
      }
    }
  };
  await visit(await file.root(), '', 0);
  return tensors;
}

/**
 * A layer that names an Embedding layer in its config and has no weights of its own is a softmax reusing that
 * embedding (a tied output layer, e.g. a custom `TiedSoftmax` with `embedding_layer: "token_embedding"`).
 * Returns the note that explains the decision, or undefined.
 */
function embeddingReuse(
  layers: ReadonlyMap<string, KerasLayer>,
  embeddings: readonly KerasLayer[],
  tensors: readonly TensorEntry[],
): string | undefined {
  const embeddingNames = new Set(embeddings.map((layer) => layer.name));
  for (const layer of layers.values()) {
    if (embeddingNames.has(layer.name) || /Input/.test(layer.className)) continue;
    if (tensors.some((tensor) => tensor.name.startsWith(`${layer.name}/`))) continue;
    for (const [key, value] of Object.entries(layer.config)) {
      if (key !== 'name' && typeof value === 'string' && embeddingNames.has(value)) {
        return `tied: layer ${layer.name} (${layer.className}) names embedding ${value} in its config (${key}) and has no weights of its own`;
      }
    }
  }
  return undefined;
}

/** Everything a Keras-family reader hands to `kerasCheckpoint`. */
export interface KerasParts {
  readonly format: string;
  readonly path: string;
  readonly files: FileAccess;
  readonly tensors: readonly TensorEntry[];
  readonly layers: ReadonlyMap<string, KerasLayer>;
  readonly notes: readonly string[];
  readonly provenanceFiles: readonly string[];
  /** A vocabulary the archive itself holds (a TextVectorization layer's asset), tried before side files. */
  readonly embeddedVocabulary?: Vocabulary;
  /** False for a plain (non-Keras) HDF5 file: no Keras-specific explanation of a missing V. */
  readonly isKerasModel: boolean;
  close(): Promise<void>;
}

/** Pairs a Keras/TF.js model's tensors into U and V, finds the vocabulary, and explains both in notes. */
export async function kerasCheckpoint(parts: KerasParts): Promise<Checkpoint> {
  const { tensors, layers, path } = parts;
  ensure(tensors.length > 0, 'no-embedding', () => `${path}: expected model weights, found no numeric tensors`);
  const embeddingLayers = [...layers.values()].filter((layer) => /Embedding$/.test(layer.className));
  const declaredVocab = embeddingLayers.map((layer) => layer.config['input_dim']).find((v): v is number => typeof v === 'number');
  const notes = [...parts.notes];
  let tiedByConfig = embeddingLayers.some((layer) => layer.config['tie_weights'] === true);
  if (tiedByConfig) notes.push('the embedding layer declares tie_weights: its matrix is also the output');
  const reuse = embeddingReuse(layers, embeddingLayers, tensors);
  if (reuse) {
    tiedByConfig = true;
    notes.push(reuse);
  }
  const pairing = pairEmbeddings(tensors, { ...(declaredVocab !== undefined ? { vocabSize: declaredVocab } : {}), tiedByConfig });
  ensure(pairing.matrices.length > 0, 'no-embedding', () => `${path}: expected an embedding matrix, found no 2-D tensor`);
  notes.push(...pairing.notes);
  if (parts.isKerasModel && !pairing.matrices.some((m) => m.role === 'output')) {
    notes.push(
      'a model whose softmax reuses the embedding matrix (a custom tied layer, or ReversibleEmbedding with tie_weights) stores no separate V; for such a model V = U',
    );
  }
  const rows = (pairing.matrices[0] as { rows: number }).rows;
  const files = [...parts.provenanceFiles];
  let vocab: Vocabulary = rowNumberVocabulary(rows);
  const found = parts.embeddedVocabulary ?? (await findSiblingVocabulary(parts.files, path));
  if (found) {
    const fitted = fitVocabulary(found, rows);
    vocab = fitted.vocab;
    notes.push(`vocabulary from ${found.source}`, ...(fitted.note ? [fitted.note] : []));
    if (!files.includes(found.source)) files.push(found.source);
  } else {
    notes.push('no vocabulary in the model or beside it: rows are named by number');
  }
  return {
    format: parts.format,
    path,
    vocab,
    matrices: pairing.matrices,
    tied: pairing.tied,
    provenance: { files, notes },
    close: () => parts.close(),
  };
}
