import type { CheckpointFormat } from '../format';
import { looksLikeSafetensors, readSafetensorsHeader, safetensorsEntries } from './safetensors-header';
import { tensorFilesCheckpoint } from './safetensors-checkpoint';

/** Metadata values longer than this are cut in the provenance notes (some writers store whole configs there). */
const MAX_METADATA_NOTE_CHARS = 200;

/**
 * safetensors: a u64 header length, a JSON header {name: {dtype, shape, data_offsets}, __metadata__}, then the
 * raw little-endian data. Only the header is read to open the file; each matrix is read by its byte range when
 * loaded. Beside a Hugging Face config.json, tying and the vocabulary follow the model folder's files.
 */
export const safetensors: CheckpointFormat = {
  id: 'safetensors',
  description: 'safetensors file (Hugging Face layouts: embed_tokens / lm_head, tie_word_embeddings, tokenizer.json or vocab.txt)',
  sniff: (probe) => looksLikeSafetensors(probe.head, probe.size),
  async read({ source, path, files }) {
    const header = await readSafetensorsHeader(source);
    const { entries, unreadable } = safetensorsEntries(source, header);
    const metadata = Object.entries(header.metadata)
      .map(([key, value]) => `${key}=${value}`)
      .join(', ');
    return tensorFilesCheckpoint({
      format: 'safetensors',
      path,
      files,
      entries,
      unreadable,
      filesRead: [path],
      notes: [
        `${header.tensors.length} tensor${header.tensors.length === 1 ? '' : 's'}; header ${header.dataStart - 8} bytes`,
        ...(metadata ? [`metadata: ${metadata.slice(0, MAX_METADATA_NOTE_CHARS)}`] : []),
      ],
      close: () => source.close(),
    });
  },
};
