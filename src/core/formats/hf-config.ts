import { CheckpointError } from '../errors';
import { readJson } from '../io/byte-source';
import { joinInside, type FileAccess } from '../io/files';
import type { PairingHints } from '../pairing';

/** A real config.json is a few KB; a multimodal one a few hundred. Past this it is not a model config. */
const MAX_CONFIG_BYTES = 16 << 20;

/**
 * Architectures with a language-model head whose weight can be tied to the input embeddings. A model saved
 * without a head (BertModel, LlamaModel, *ForSequenceClassification) has no output embedding at all, whatever
 * its config says about tying.
 */
const LM_HEAD_ARCHITECTURE =
  /(ForCausalLM|LMHead|ForMaskedLM|ForConditionalGeneration|ForPreTraining|WithLMHead|DoubleHeads|ForSeq2SeqLM|ForSpeechSeq2Seq|ForImageTextToText|ForVision2Seq)/;

/** What a Hugging Face config.json beside the weights says about the embeddings. */
export interface HfConfigFacts {
  /** Hints for pairing.ts: the declared tie and the model's vocabulary size (its embedding rows). */
  readonly hints: PairingHints;
  readonly notes: string[];
  /** The config file read, when there was a Hugging Face one. */
  readonly file?: string;
}

type Json = Record<string, unknown>;

function asObject(value: unknown): Json | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Json) : undefined;
}

function positiveInteger(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isSafeInteger(value) && value > 0 ? value : undefined;
}

/**
 * Reads `config.json` in `folder` when it is a Hugging Face (transformers) config. The tie rule:
 * 1. `tie_word_embeddings` at the top level, else in `text_config` (multimodal models), when it is a boolean;
 * 2. absent: **true**. transformers 4.x's `PretrainedConfig` defaults `tie_word_embeddings` to True and its
 *    `save_pretrained` writes only values that differ from that default, so a 4.x config without the key is a
 *    tied model (an untied Llama writes `false`); transformers 5.x moved the default into each model's config
 *    class and always writes the key.
 * 3. A declared tie is used only when `architectures` names a model with an LM head (or is absent): a headless
 *    model (BertModel) has no output matrix to tie.
 * `vocab_size` (else `text_config.vocab_size`, `padded_vocab_size`, `n_vocab`) is the embedding's row count.
 */
export async function readHfConfig(files: FileAccess, folder: string): Promise<HfConfigFacts> {
  const path = joinInside(folder, 'config.json');
  if (path === undefined || !(await files.stat(path))) return { hints: {}, notes: [] };
  const source = await files.open(path);
  let parsed: unknown;
  try {
    parsed = await readJson(source, MAX_CONFIG_BYTES, 'a model config');
  } finally {
    await source.close();
  }
  const config = asObject(parsed);
  if (!config)
    throw new CheckpointError(
      'bad-header',
      `${path}: expected a JSON object (a model config), found ${Array.isArray(parsed) ? 'an array' : typeof parsed}`,
    );
  if (!('model_type' in config) && !('architectures' in config) && !('transformers_version' in config)) {
    return { hints: {}, notes: [`${path} is not a Hugging Face config (no model_type, architectures or transformers_version): ignored`] };
  }
  const text = asObject(config['text_config']);
  const notes: string[] = [];
  const declared = [config['tie_word_embeddings'], text?.['tie_word_embeddings']].find((value) => typeof value === 'boolean') as
    boolean | undefined;
  let tied = declared ?? true;
  notes.push(
    declared !== undefined
      ? `${path}: tie_word_embeddings = ${declared}`
      : `${path}: no tie_word_embeddings, so true (the transformers default that save_pretrained leaves out)`,
  );
  const architectures = Array.isArray(config['architectures'])
    ? config['architectures'].filter((a): a is string => typeof a === 'string')
    : [];
  if (tied && architectures.length > 0 && !architectures.some((name) => LM_HEAD_ARCHITECTURE.test(name))) {
    tied = false;
    notes.push(`${architectures.join(', ')} has no language-model head: nothing to tie, no output matrix`);
  }
  const vocabSize =
    positiveInteger(config['vocab_size']) ??
    positiveInteger(text?.['vocab_size']) ??
    positiveInteger(config['padded_vocab_size']) ??
    positiveInteger(config['n_vocab']);
  return { hints: { tiedByConfig: tied, ...(vocabSize !== undefined ? { vocabSize } : {}) }, notes, file: path };
}
