import type { Checkpoint } from '../checkpoint';
import { CheckpointError } from '../errors';
import { dirname, type FileAccess } from '../io/files';
import { looksLikeEmbeddingName, pairEmbeddings, type TensorEntry } from '../pairing';
import { findSiblingVocabulary } from '../vocab-files';
import { readHfConfig } from './hf-config';
import { unsupportedDtype, type SafetensorsTensor } from './safetensors-header';
import { fitOrNumberRows } from './vocab-beside';

/** transformers names shards model-00001-of-00003.safetensors. */
const SHARD_NAME = /-\d{5}-of-\d{5}\.safetensors$/;

/** The tensors of one safetensors file or of a sharded set, ready to be paired. */
export interface TensorFiles {
  readonly format: string;
  /** The file the user opened (the .safetensors file or the index). */
  readonly path: string;
  readonly files: FileAccess;
  readonly entries: readonly TensorEntry[];
  /** Tensors in dtypes we cannot convert (I64, F8, BOOL …): never candidates, but named if they hold the embedding. */
  readonly unreadable: readonly SafetensorsTensor[];
  /** Files read so far (weights, shards). */
  readonly filesRead: readonly string[];
  readonly notes: readonly string[];
  close(): Promise<void>;
}

/**
 * Pairs a tensor file's tensors into U and V with the Hugging Face facts beside it: config.json's
 * tie_word_embeddings and vocab_size (see hf-config.ts for the rule), and the vocabulary from vocab.txt,
 * tokenizer.json or vocab.json. Only headers have been read; the matrices load lazily.
 */
export async function tensorFilesCheckpoint(parts: TensorFiles): Promise<Checkpoint> {
  const { path, files } = parts;
  const config = await readHfConfig(files, dirname(path));
  const listed = await findSiblingVocabulary(files, path);
  const hints = {
    ...config.hints,
    ...(config.hints.vocabSize === undefined && listed ? { vocabSize: listed.tokens.length } : {}),
  };
  const pairing = pairEmbeddings(parts.entries, hints);
  const input = pairing.matrices.find((matrix) => matrix.role === 'input');
  // Float kinds we cannot convert (F8_*, F4, F6_*): an I64/U64/BOOL tensor (position_ids) is never a table.
  const unreadableMatrices = parts.unreadable.filter((tensor) => tensor.shape.length === 2 && tensor.dtype.startsWith('F'));
  // The real lookup table may be in a type we cannot convert (an fp8 checkpoint): say so rather than showing
  // some other matrix, or nothing, in its place.
  const hidden = unreadableMatrices.find((tensor) => looksLikeEmbeddingName(tensor.name));
  if (hidden && (!input || !looksLikeEmbeddingName(input.name))) throw unsupportedDtype(path, hidden);
  if (!input) {
    const biggest = [...unreadableMatrices].sort((a, b) => (b.shape[0] as number) - (a.shape[0] as number))[0];
    if (biggest) throw unsupportedDtype(path, biggest);
    throw new CheckpointError(
      'no-embedding',
      `${path}: expected a 2-D float tensor to use as an embedding, found ${parts.entries.length + parts.unreadable.length} tensors and none is one`,
    );
  }
  // A model config names the table's size: a fallback pick of another size (a shard holding only layers) is no table.
  if (config.file !== undefined && hints.vocabSize !== undefined && input.rows !== hints.vocabSize && !looksLikeEmbeddingName(input.name)) {
    throw new CheckpointError(
      'no-embedding',
      `${path}: expected an embedding of vocab_size = ${hints.vocabSize} rows, found only other tensors (largest ${input.name} [${input.rows}, ${input.cols}])` +
        (SHARD_NAME.test(path) ? '; this is one shard: open model.safetensors.index.json or the folder' : ''),
    );
  }
  const vocab = fitOrNumberRows(listed, input.rows);
  const skipped = parts.unreadable.map((tensor) => `${tensor.name} (${tensor.dtype})`);
  return {
    format: parts.format,
    path,
    vocab: vocab.vocab,
    matrices: pairing.matrices,
    tied: pairing.tied,
    provenance: {
      files: [...parts.filesRead, ...(config.file !== undefined ? [config.file] : []), ...(vocab.file !== undefined ? [vocab.file] : [])],
      notes: [
        ...parts.notes,
        ...config.notes,
        ...pairing.notes,
        ...(skipped.length > 0 ? [`not convertible, not read: ${skipped.slice(0, 8).join(', ')}${skipped.length > 8 ? ', …' : ''}`] : []),
        ...vocab.notes,
      ],
    },
    close: () => parts.close(),
  };
}
