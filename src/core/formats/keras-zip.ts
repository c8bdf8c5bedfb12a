import type { Vocabulary } from '../checkpoint';
import { CheckpointError } from '../errors';
import type { CheckpointFormat } from '../format';
import { readJson, readText } from '../io/byte-source';
import type { ZipArchive } from '../io/zip';
import { MAX_VOCAB_FILE_BYTES, parseVocabLines } from '../vocab-files';
import { MAX_KERAS_CONFIG_BYTES, kerasH5Checkpoint } from './keras-h5';
import { kerasLayers } from './keras-weights';

/** The members every Keras 3 `.keras` archive has (keras/src/saving/saving_lib.py). */
const CONFIG_ENTRY = 'config.json';
const WEIGHTS_ENTRY = 'model.weights.h5';
const METADATA_ENTRY = 'metadata.json';
/** metadata.json is a few dozen bytes; anything past this is not Keras's. */
const MAX_METADATA_BYTES = 1 << 20;

async function entryJson(zip: ZipArchive, name: string, maxBytes: number, what: string): Promise<unknown> {
  const entry = zip.find(name);
  if (!entry) return undefined;
  const source = await zip.open(entry);
  try {
    return await readJson(source, maxBytes, what);
  } finally {
    await source.close();
  }
}

/**
 * Vocabulary files a .keras archive carries as assets: TextVectorization and StringLookup layers write theirs to
 * `assets/<layer path>/vocabulary.txt`. With several, the one as long as an Embedding's input_dim wins.
 */
async function assetVocabulary(zip: ZipArchive, path: string, inputDims: readonly number[]): Promise<Vocabulary | undefined> {
  const found: Vocabulary[] = [];
  for (const entry of zip.entries) {
    if (!entry.name.startsWith('assets/') || !entry.name.endsWith('/vocabulary.txt')) continue;
    const source = await zip.open(entry);
    try {
      found.push(parseVocabLines(await readText(source, MAX_VOCAB_FILE_BYTES, 'vocabulary asset'), `${path}#${entry.name}`));
    } finally {
      await source.close();
    }
  }
  return found.find((vocab) => inputDims.includes(vocab.tokens.length)) ?? found[0];
}

/** Keras 3's native `.keras`: a zip of config.json (the layers), metadata.json and model.weights.h5 (HDF5). */
export const kerasZip: CheckpointFormat = {
  id: 'keras',
  description: 'Keras 3 .keras archive (config.json + model.weights.h5)',
  sniff: (probe) => probe.zip?.find(CONFIG_ENTRY) !== undefined && probe.zip.find(WEIGHTS_ENTRY) !== undefined,
  async read(context) {
    const { source, path, files, zip, signal } = context;
    if (!zip) throw new CheckpointError('bad-header', `${path}: expected a .keras zip archive`);
    const config = await entryJson(zip, CONFIG_ENTRY, MAX_KERAS_CONFIG_BYTES, 'Keras config.json');
    const metadata = await entryJson(zip, METADATA_ENTRY, MAX_METADATA_BYTES, 'Keras metadata.json');
    const weightsEntry = zip.find(WEIGHTS_ENTRY);
    if (!weightsEntry) throw new CheckpointError('bad-header', `${path}: expected ${WEIGHTS_ENTRY} in the archive, found none`);
    const notes: string[] = [];
    const version = (metadata as { keras_version?: unknown } | undefined)?.keras_version;
    if (typeof version === 'string') notes.push(`saved by Keras ${version}`);
    notes.push(
      weightsEntry.method === 0
        ? `${WEIGHTS_ENTRY} is stored uncompressed: read in place`
        : `${WEIGHTS_ENTRY} is deflated: inflated in memory`,
    );
    const inputDims = [...kerasLayers(config).values()]
      .map((layer) => layer.config['input_dim'])
      .filter((value): value is number => typeof value === 'number');
    const embeddedVocabulary = await assetVocabulary(zip, path, inputDims);
    const weights = await zip.open(weightsEntry);
    return kerasH5Checkpoint('keras', path, files, weights, config, {
      notes,
      provenanceFiles: [`${path}#${CONFIG_ENTRY}`, `${path}#${WEIGHTS_ENTRY}`],
      ...(signal ? { signal } : {}),
      ...(embeddedVocabulary ? { embeddedVocabulary } : {}),
      close: async () => {
        await weights.close();
        await source.close();
      },
    });
  },
};
