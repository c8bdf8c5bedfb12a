import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import type { io, LayersModel } from '@tensorflow/tfjs';
import { CheckpointError } from '../core/errors';
// Registers TiedOutput and OutputBias with tfjs serialisation, so a tied model loads without further ado.
import '../core/train/tied-output';
import { writeFileAtomic } from './atomic-write';
import { fileError } from './node-files';

/** File names of tfjs-node's `file://` layout, which our checkpoint reader and tf.loadLayersModel both read. */
export const MODEL_JSON = 'model.json';
export const WEIGHTS_BIN = 'weights.bin';

/** model.json is topology + manifest: a few MB for big models, never this much. */
const MAX_MODEL_JSON_BYTES = 64 << 20;

/** model.json as tfjs-node writes it (io.ModelJSON's fields that a LayersModel uses). */
function modelJson(artifacts: io.ModelArtifacts): Record<string, unknown> {
  const json: Record<string, unknown> = {
    modelTopology: artifacts.modelTopology,
    weightsManifest: [{ paths: [WEIGHTS_BIN], weights: artifacts.weightSpecs ?? [] }],
    format: artifacts.format,
    generatedBy: artifacts.generatedBy,
    convertedBy: artifacts.convertedBy,
  };
  if (artifacts.trainingConfig != null) json['trainingConfig'] = artifacts.trainingConfig;
  if (artifacts.signature != null) json['signature'] = artifacts.signature;
  if (artifacts.userDefinedMetadata != null) json['userDefinedMetadata'] = artifacts.userDefinedMetadata;
  return json;
}

async function isFolder(path: string): Promise<boolean | undefined> {
  try {
    return (await stat(path)).isDirectory();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw fileError(path, error);
  }
}

/**
 * Saves a LayersModel as `folder/model.json` + `folder/weights.bin` (tfjs-node's layout; the `file://` handler
 * itself ships only with tfjs-node). A new folder appears whole: everything is written into a temporary sibling
 * folder that is then renamed. Into an existing folder, weights.bin and then model.json are each replaced
 * atomically (readers see an old or a new file, never half of one).
 */
export async function saveLayersModel(model: LayersModel, folder: string): Promise<void> {
  let artifacts: io.ModelArtifacts | undefined;
  await model.save(
    tf.io.withSaveHandler(async (saved) => {
      artifacts = saved;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  if (!artifacts) throw new Error('saveLayersModel: tfjs handed no model artifacts to the save handler');
  const weights = new Uint8Array(artifacts.weightData ? tf.io.CompositeArrayBuffer.join(artifacts.weightData) : new ArrayBuffer(0));
  const json = JSON.stringify(modelJson(artifacts));
  const existing = await isFolder(folder);
  if (existing === false) throw new CheckpointError('unsupported', `${folder}: expected a folder to save the model in, found a file`);
  if (existing) {
    await writeFileAtomic(join(folder, WEIGHTS_BIN), weights);
    await writeFileAtomic(join(folder, MODEL_JSON), json);
    return;
  }
  await mkdir(dirname(folder), { recursive: true });
  const temporary = join(dirname(folder), `.${basename(folder)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    await mkdir(temporary);
    await writeFileAtomic(join(temporary, WEIGHTS_BIN), weights);
    await writeFileAtomic(join(temporary, MODEL_JSON), json);
    await rename(temporary, folder);
  } catch (error) {
    await rm(temporary, { recursive: true, force: true });
    throw error instanceof CheckpointError ? error : fileError(folder, error);
  }
}

/** Reads model.json's manifest shards in order, as tfjs-node's loader does (paths relative to model.json). */
async function loadWeights(folder: string, manifest: io.WeightsManifestConfig): Promise<[io.WeightsManifestEntry[], ArrayBuffer]> {
  const specs: io.WeightsManifestEntry[] = [];
  const buffers: ArrayBuffer[] = [];
  for (const group of manifest) {
    for (const path of group.paths) {
      const file = join(folder, path);
      if (dirname(file) !== folder && !file.startsWith(`${folder}/`)) {
        throw new CheckpointError('unsafe', `${join(folder, MODEL_JSON)}: shard path ${JSON.stringify(path)} leaves the model's folder`);
      }
      const bytes = await readFile(file).catch((error: unknown) => {
        throw fileError(file, error);
      });
      buffers.push(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer);
    }
    specs.push(...group.weights);
  }
  return [specs, tf.io.concatenateArrayBuffers(buffers)];
}

/**
 * Loads a LayersModel saved by saveLayersModel or tfjs-node (`folder` or `folder/model.json`). A tied model comes
 * back tied: its TiedOutput finds the Embedding by name and reads that one variable.
 */
export async function loadLayersModel(folderOrModelJson: string): Promise<LayersModel> {
  const path = (await isFolder(folderOrModelJson)) ? join(folderOrModelJson, MODEL_JSON) : folderOrModelJson;
  const folder = dirname(path);
  const text = await readFile(path, 'utf8').catch((error: unknown) => {
    throw fileError(path, error);
  });
  if (text.length > MAX_MODEL_JSON_BYTES) throw new CheckpointError('too-large', `${path}: expected a model.json under 64 MB`);
  let json: io.ModelJSON;
  try {
    json = JSON.parse(text) as io.ModelJSON;
  } catch {
    throw new CheckpointError('bad-header', `${path}: expected JSON, found text that does not parse`);
  }
  if (json === null || typeof json !== 'object' || json.modelTopology == null) {
    throw new CheckpointError('bad-header', `${path}: expected a TF.js model.json with "modelTopology", found none`);
  }
  const artifacts = await tf.io.getModelArtifactsForJSON(json, (manifest) => loadWeights(folder, manifest));
  try {
    return await tf.loadLayersModel(tf.io.fromMemory(artifacts));
  } catch (error) {
    throw new CheckpointError('unsupported', `${path}: TensorFlow.js could not rebuild the model (${(error as Error).message})`);
  }
}
