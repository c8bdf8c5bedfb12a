import { rowNumberVocabulary, type Checkpoint } from '../checkpoint';
import { CheckpointError } from '../errors';
import { pairEmbeddings } from '../pairing';
import type { PickleResult } from '../pickle/machine';
import { describeValue } from '../pickle/values';
import { findSiblingVocabulary, fitVocabulary } from '../vocab-files';
import type { ReadContext } from '../format';
import { dirname } from '../io/files';
import { readHfConfig } from './hf-config';
import { collectTensors, tensorEntries, type StorageOpener } from './pytorch-tensors';

/** What a torch reader hands over once the object pickle is parsed. */
export interface TorchParts {
  readonly format: string;
  readonly context: ReadContext;
  readonly pickle: PickleResult;
  readonly open: StorageOpener;
  readonly notes: readonly string[];
}

/** Lists a few tensors for an error message. */
function someTensors(names: readonly string[]): string {
  return names.length === 0 ? 'no tensors' : `${names.length} tensors (${names.slice(0, 4).join(', ')}${names.length > 4 ? ', …' : ''})`;
}

/**
 * A checkpoint from a torch.save'd object: its tensors named as a state dict names them, paired into U and V
 * (pairing.ts), tied when V shares U's storage, with the vocabulary file beside it (vocab.txt …) or row numbers.
 */
export async function torchCheckpoint(parts: TorchParts): Promise<Checkpoint> {
  const { context, pickle } = parts;
  const { path, files, source } = context;
  const found = collectTensors(pickle.value);
  const { entries, unreadable } = tensorEntries(found.tensors, parts.open, path);
  const listed = await findSiblingVocabulary(files, path);
  // A Hugging Face pytorch_model.bin: config.json beside it declares tie_word_embeddings and vocab_size.
  const config = await readHfConfig(files, dirname(path));
  const hints = { ...config.hints, ...(config.hints.vocabSize === undefined && listed ? { vocabSize: listed.tokens.length } : {}) };
  const pairing = pairEmbeddings(entries, hints);
  const input = pairing.matrices.find((matrix) => matrix.role === 'input');
  if (!input) {
    const shapes = entries.map((entry) => `${entry.name} [${entry.shape.join(', ')}]`);
    throw new CheckpointError(
      'no-embedding',
      `${path}: expected a 2-D float tensor to use as an embedding, found ${
        found.tensors.length === 0 ? `no tensors in ${describeValue(pickle.value)}` : someTensors([...shapes, ...unreadable])
      }`,
    );
  }
  const fitted = listed ? fitVocabulary(listed, input.rows) : undefined;
  const inert = [...pickle.inertCalls];
  return {
    format: parts.format,
    path,
    vocab: fitted ? fitted.vocab : rowNumberVocabulary(input.rows),
    matrices: pairing.matrices,
    tied: pairing.tied,
    provenance: {
      files: [path, ...(config.file !== undefined ? [config.file] : []), ...(listed ? [listed.source] : [])],
      notes: [
        ...parts.notes,
        ...found.notes,
        ...config.notes,
        ...pairing.notes,
        ...(unreadable.length > 0
          ? [`not convertible, not read: ${unreadable.slice(0, 8).join(', ')}${unreadable.length > 8 ? ', …' : ''}`]
          : []),
        ...(inert.length > 0
          ? [`the pickle also names ${inert.slice(0, 6).join(', ')}${inert.length > 6 ? ', …' : ''} (recorded as data, never run)`]
          : []),
        listed ? `vocabulary from ${listed.source}` : 'no vocabulary file beside it: rows are named by number',
        ...(fitted?.note ? [fitted.note] : []),
      ],
    },
    close: () => source.close(),
  };
}
