import { readFile } from 'node:fs/promises';
import { throwIfAborted } from '../core/errors';
import type { TrainConfig } from '../core/train/config';
import type { EncodedCorpus } from '../core/train/corpus';
import { parseLabelledLines } from '../core/train/classifier-corpus';
import { trainClassifier } from '../core/train/classifier';
import { trainLanguageModel } from '../core/train/lm';
import type { TrainedEmbeddings, TrainHooks } from '../core/train/train-types';
import type { Word2vecOptions } from '../core/train/word2vec';
import { readCorpusFiles } from './corpus-files';
import { trainGloveParallel } from './glove-pool';
import { fileError } from './node-files';
import { trainWord2vecOnThreads } from './word2vec-pool';
import { selectBackend } from './tfjs-backend';
import { MODEL_JSON, saveLayersModel, WEIGHTS_BIN } from './tfjs-model-io';

/** A finished trainer: its embeddings, what computed them, and how to save a layered model beside them. */
export interface TrainerRun {
  readonly embeddings: TrainedEmbeddings;
  readonly backend: string;
  /** Seconds spent training (reading the corpus excluded): tokens/s is measured against this. */
  readonly trainSeconds: number;
  /** Writes the TF.js model (model.json + weights.bin) into the run folder; returns the file names. */
  save?(folder: string): Promise<string[]>;
  /** Frees tensors. */
  dispose?(): void;
}

/** Longest document the classifier reads (tokens): a gloss or a review, not a book. */
const MAX_DOCUMENT_TOKENS = 400;

/** Reads the corpus the trainer needs and trains it as `config` says. */
export async function runTrainer(
  config: TrainConfig,
  corpusPaths: readonly string[],
  hooks: TrainHooks,
  phase: (message: string, fraction?: number) => void,
): Promise<TrainerRun> {
  if (config.trainer === 'classifier') return classifier(config, corpusPaths, hooks, phase);
  phase('Reading the corpus', 0);
  // The LM keeps sentences whole and maps rare words to <unk> itself: it reads every token.
  const encode =
    config.trainer === 'lm'
      ? { minCount: 1, lowercase: config.lowercase }
      : { minCount: config.minCount, ...(config.maxVocab === null ? {} : { maxVocab: config.maxVocab }), lowercase: config.lowercase };
  const corpus = await readCorpusFiles(corpusPaths, encode, {
    ...(hooks.signal ? { signal: hooks.signal } : {}),
    onProgress: (fraction) => phase('Reading the corpus', fraction),
  });
  throwIfAborted(hooks.signal, 'training');
  phase(`Training on ${corpus.rawTokens.toLocaleString('en-US')} tokens, ${corpus.vocab.tokens.length.toLocaleString('en-US')} words`);
  const started = performance.now();
  const seconds = (): number => (performance.now() - started) / 1000;
  switch (config.trainer) {
    case 'sgns':
    case 'cbow': {
      const embeddings = await trainWord2vecOnThreads(corpus, word2vecOptions(config), hooks);
      const engine = embeddings.metrics['wasm'] === 1 ? 'WebAssembly SIMD' : 'JavaScript';
      return {
        embeddings,
        backend: `word2vec kernel (${engine}), ${config.threads} thread${config.threads === 1 ? '' : 's'}`,
        trainSeconds: seconds(),
      };
    }
    case 'glove': {
      const embeddings = await trainGloveParallel(
        corpus,
        {
          dim: config.dim,
          window: config.window,
          epochs: config.epochs,
          seed: config.seed,
          xMax: config.xMax,
          alpha: config.power,
          ...(config.alpha === null ? {} : { learningRate: config.alpha }),
          threads: config.threads,
        },
        hooks,
      );
      const engine = embeddings.metrics['wasmKernel'] === 1 ? 'WebAssembly SIMD' : 'JavaScript';
      return {
        embeddings,
        backend: `GloVe kernel (${engine}), ${config.threads} thread${config.threads === 1 ? '' : 's'}`,
        trainSeconds: seconds(),
      };
    }
    case 'lm':
      return languageModel(config, corpus, hooks);
  }
}

function word2vecOptions(config: TrainConfig): Word2vecOptions {
  return {
    mode: config.trainer === 'cbow' ? 'cbow' : 'sg',
    dim: config.dim,
    window: config.window,
    negative: config.negative,
    epochs: config.epochs,
    sample: config.sample,
    negativePower: config.negativePower,
    tied: config.tied,
    seed: config.seed,
    threads: config.threads,
    ...(config.alpha === null ? {} : { alpha: config.alpha }),
  };
}

async function languageModel(config: TrainConfig, corpus: EncodedCorpus, hooks: TrainHooks): Promise<TrainerRun> {
  const backend = await selectBackend(config.backend);
  const started = performance.now();
  const result = await trainLanguageModel(
    corpus,
    {
      dim: config.dim,
      hidden: config.hidden,
      cell: config.cell,
      tied: config.tied,
      sequenceLength: config.sequenceLength,
      ...(config.batchSize === null ? {} : { batchSize: config.batchSize }),
      epochs: config.epochs,
      ...(config.alpha === null ? {} : { learningRate: config.alpha }),
      ...(config.maxVocab === null ? {} : { maxVocab: config.maxVocab }),
      minCount: config.minCount,
      heldOutFraction: config.heldOut,
      seed: config.seed,
    },
    hooks,
  );
  return layered(result, `tfjs ${backend.name}`, (performance.now() - started) / 1000);
}

async function classifier(
  config: TrainConfig,
  corpusPaths: readonly string[],
  hooks: TrainHooks,
  phase: (message: string, fraction?: number) => void,
): Promise<TrainerRun> {
  phase('Reading the labelled corpus', 0);
  const lines: string[] = [];
  for (const path of corpusPaths) {
    try {
      lines.push(...(await readFile(path, 'utf8')).split('\n'));
    } catch (error) {
      throw fileError(path, error);
    }
  }
  const corpus = parseLabelledLines(lines, corpusPaths.join(', '), {
    maxVocab: config.maxVocab ?? 50_000,
    minCount: config.minCount,
    maxDocumentTokens: MAX_DOCUMENT_TOKENS,
    lowercase: config.lowercase,
  });
  const backend = await selectBackend(config.backend);
  const started = performance.now();
  const result = await trainClassifier(
    corpus,
    {
      dim: config.dim,
      epochs: config.epochs,
      ...(config.batchSize === null ? {} : { batchSize: config.batchSize }),
      heldOutFraction: config.heldOut,
      seed: config.seed,
      ...(config.alpha === null ? {} : { learningRate: config.alpha }),
    },
    hooks,
  );
  return layered(result, `tfjs ${backend.name}`, (performance.now() - started) / 1000);
}

function layered(
  result: TrainedEmbeddings & { model: Parameters<typeof saveLayersModel>[0] },
  backend: string,
  trainSeconds: number,
): TrainerRun {
  return {
    embeddings: result,
    backend,
    trainSeconds,
    async save(folder) {
      await saveLayersModel(result.model, folder);
      return [MODEL_JSON, WEIGHTS_BIN];
    },
    dispose: () => result.model.dispose(),
  };
}
