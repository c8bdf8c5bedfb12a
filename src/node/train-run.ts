import { readdir, readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { openCheckpoint } from '../core/open';
import { CheckpointError, throwIfAborted } from '../core/errors';
import { configFromObject, overrideValue, parseTrainConfig, type TrainConfig } from '../core/train/config';
import { evaluateCheckpoint, type EvalMatrix, type EvalReport } from '../core/eval/evaluate';
import { readEvalSets, type EvalSetPaths } from '../core/eval/eval-sets';
import type { TrainHooks, TrainProgress } from '../core/train/train-types';
import type { TrainSummary } from '../core/train/train-summary';
import { fileError, nodeFiles } from './node-files';
import { RUN_FILES, startRun } from './run-folder';
import { runTrainer } from './trainers';

/** Hooks of a training run: progress of the trainer, and of the phases around it. */
export interface TrainRunHooks {
  readonly signal?: AbortSignal;
  onProgress?(progress: TrainProgress): void;
  /** Reading the corpus, writing, evaluating: what happens, and how far along (0–1) when known. */
  onPhase?(message: string, fraction?: number): void;
  onWarning?(message: string): void;
}

/** Reads a config file and applies `--set key=value` overrides; paths stay relative to the file. */
export async function loadTrainConfig(
  configPath: string,
  overrides: readonly string[] = [],
): Promise<{ config: TrainConfig; warnings: readonly string[] }> {
  let text: string;
  try {
    text = await readFile(configPath, 'utf8');
  } catch (error) {
    throw fileError(configPath, error);
  }
  if (overrides.length === 0) return parseTrainConfig(text, configPath);
  parseTrainConfig(text, configPath); // checks it is a JSON object, naming the file
  return withOverrides(JSON.parse(text) as Record<string, unknown>, overrides, configPath);
}

/**
 * The config a run folder was trained with (its manifest keeps it with absolute paths), with overrides: Retrain
 * trains again from a run even where the original config file has moved. Pass `join(folder, 'manifest.json')` to
 * trainFromConfig as the config path.
 */
export async function loadRunConfig(
  folder: string,
  overrides: readonly string[] = [],
): Promise<{ config: TrainConfig; warnings: readonly string[] }> {
  const path = join(folder, RUN_FILES.manifest);
  let manifest: unknown;
  try {
    manifest = JSON.parse(await readFile(path, 'utf8'));
  } catch (error) {
    if (error instanceof SyntaxError) throw new CheckpointError('bad-header', `${path}: expected JSON, found ${error.message}`);
    throw fileError(path, error);
  }
  const config = (manifest as { config?: unknown } | null)?.config;
  if (typeof config !== 'object' || config === null || Array.isArray(config)) {
    throw new CheckpointError('bad-header', `${path}: expected a training run's manifest with its config, found none`);
  }
  return withOverrides({ ...(config as Record<string, unknown>) }, overrides, `${path} (config)`);
}

/** Applies `key=value` overrides to a raw config object and checks the result. */
function withOverrides(
  raw: Record<string, unknown>,
  overrides: readonly string[],
  file: string,
): { config: TrainConfig; warnings: readonly string[] } {
  for (const setting of overrides) {
    const equals = setting.indexOf('=');
    if (equals <= 0) throw new CheckpointError('bad-header', `--set expects key=value, got ${JSON.stringify(setting)}`);
    const key = setting.slice(0, equals);
    raw[key] = overrideValue(key, setting.slice(equals + 1), file);
  }
  return configFromObject(raw, overrides.length > 0 ? `${file} (with --set)` : file);
}

/**
 * The newest earlier run inside an output folder (run folders end in a yyyymmdd-hhmmss stamp and hold a
 * manifest.json), or null when there is none: what "Compare with previous" compares a new run with.
 */
export async function latestRun(outFolder: string): Promise<string | null> {
  let names: string[];
  try {
    names = (await readdir(outFolder, { withFileTypes: true }))
      .filter((entry) => entry.isDirectory() && !entry.name.startsWith('.'))
      .map((entry) => entry.name);
  } catch {
    return null;
  }
  const stamped = names
    .map((name) => ({ name, stamp: /(\d{8}-\d{6})(?:-\d+)?$/.exec(name)?.[0] }))
    .filter((run): run is { name: string; stamp: string } => run.stamp !== undefined)
    .sort((a, b) => (a.stamp < b.stamp ? 1 : a.stamp > b.stamp ? -1 : 0));
  for (const run of stamped) {
    const folder = join(outFolder, run.name);
    try {
      await readFile(join(folder, RUN_FILES.manifest));
      return folder;
    } catch {
      // a folder without a manifest is not a finished run
    }
  }
  return null;
}

/**
 * Trains as the config says: reads the corpus, trains, writes a run folder atomically inside `out` (a cancelled
 * or failed run leaves nothing), evaluates U, V and U + V on the configured sets, and records all of it in the
 * run's manifest.json.
 */
export async function trainFromConfig(configPath: string, config: TrainConfig, hooks: TrainRunHooks = {}): Promise<TrainSummary> {
  const started = performance.now();
  const at = (path: string): string => pathFromConfig(configPath, path);
  const corpus = config.corpus.map(at);
  const trainHooks: TrainHooks = { ...(hooks.signal ? { signal: hooks.signal } : {}), onProgress: (p) => hooks.onProgress?.(p) };
  const trained = await runTrainer(config, corpus, trainHooks, (message, fraction) => hooks.onPhase?.(message, fraction));
  throwIfAborted(hooks.signal, 'training');
  const { embeddings } = trained;
  hooks.onPhase?.('Writing the run');
  const name = `${config.trainer}${embeddings.tied ? '-tied' : ''}-${timestamp(new Date())}`;
  const pending = await startRun(at(config.out), name, embeddings);
  try {
    if (trained.save) pending.files.push(...(await trained.save(pending.folder)));
    const evaluation = config.eval === false ? null : await evaluateRun(pending.folder, config.eval, at, hooks);
    const seconds = (performance.now() - started) / 1000;
    const tokensPerSecond = trained.trainSeconds > 0 ? embeddings.tokensProcessed / trained.trainSeconds : 0;
    const out = await pending.commit({
      producer: 'embedding-lens',
      schema: 1,
      trainer: config.trainer,
      tied: embeddings.tied,
      // Paths resolved, so the run can be trained again from its own folder (Retrain) wherever the config went.
      config: { ...config, corpus, out: at(config.out), eval: resolvedEval(config.eval, at) },
      configPath,
      corpus,
      backend: trained.backend,
      seconds,
      trainSeconds: trained.trainSeconds,
      rawTokens: embeddings.tokensProcessed,
      tokensPerSecond,
      vocabSize: embeddings.vocab.tokens.length,
      dim: embeddings.input.cols,
      loss: embeddings.loss,
      lossPerEpoch: embeddings.lossPerEpoch,
      metrics: embeddings.metrics,
      eval: evaluation,
      finished: new Date().toISOString(),
    });
    return {
      schema: 1,
      out,
      trainer: config.trainer,
      backend: trained.backend,
      seconds,
      tokensPerSecond,
      loss: embeddings.loss,
      eval: evaluation,
    };
  } finally {
    await pending.abort();
    trained.dispose?.();
  }
}

/** Scores U, V (when there is one) and U + V of the written run. */
async function evaluateRun(
  folder: string,
  sets: Exclude<TrainConfig['eval'], false>,
  at: (path: string) => string,
  hooks: TrainRunHooks,
): Promise<Partial<Record<EvalMatrix, EvalReport>>> {
  const paths: EvalSetPaths = {
    ...(sets.wordsim ? { wordsim: at(sets.wordsim) } : {}),
    ...(sets.simlex ? { simlex: at(sets.simlex) } : {}),
    ...(sets.analogies ? { analogies: at(sets.analogies) } : {}),
  };
  const parsed = await readEvalSets(nodeFiles, paths, hooks.signal);
  const checkpoint = await openCheckpoint(folder, nodeFiles);
  try {
    const matrices: EvalMatrix[] = checkpoint.matrices.some((m) => m.role === 'output') ? ['input', 'output', 'sum'] : ['input'];
    const out: Partial<Record<EvalMatrix, EvalReport>> = {};
    for (const [index, matrix] of matrices.entries()) {
      out[matrix] = await evaluateCheckpoint(checkpoint, matrix, parsed, {
        ...(hooks.signal ? { signal: hooks.signal } : {}),
        onProgress: (fraction) => hooks.onPhase?.(`Evaluating ${matrix}`, (index + fraction) / matrices.length),
      });
    }
    return out;
  } finally {
    await checkpoint.close();
  }
}

/** A path as a config file states it (relative to the file's folder, or absolute), made absolute. */
export function pathFromConfig(configPath: string, path: string): string {
  return resolve(dirname(configPath), path);
}

/** The evaluation sets with absolute paths. */
function resolvedEval(sets: TrainConfig['eval'], at: (path: string) => string): TrainConfig['eval'] {
  if (sets === false) return false;
  return {
    ...(sets.wordsim ? { wordsim: at(sets.wordsim) } : {}),
    ...(sets.simlex ? { simlex: at(sets.simlex) } : {}),
    ...(sets.analogies ? { analogies: at(sets.analogies) } : {}),
  };
}

/** 20261121-104512: sorts by time, and is a valid file name everywhere. */
function timestamp(date: Date): string {
  const two = (n: number): string => String(n).padStart(2, '0');
  return `${date.getFullYear()}${two(date.getMonth() + 1)}${two(date.getDate())}-${two(date.getHours())}${two(date.getMinutes())}${two(date.getSeconds())}`;
}
