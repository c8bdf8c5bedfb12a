import { join } from 'node:path';
import type { TrainProgress } from '../core/train/train-types';
import { RUN_FILES } from '../node/run-folder';
import { latestRun, loadRunConfig, loadTrainConfig, pathFromConfig, trainFromConfig } from '../node/train-run';
import type { TrainRequest, TrainResult } from '../protocol/worker';

/** Where a training job reports. */
export interface TrainJobHooks {
  readonly signal: AbortSignal;
  onProgress(progress: TrainProgress): void;
  onPhase(message: string, fraction?: number): void;
}

/**
 * A training in the compute worker, as `embedding-lens train` does it: the config (a file, or a run's manifest for
 * Retrain) with overrides, the run folder written atomically, and the run to compare with afterwards — the one
 * retrained from, else the newest earlier run in the same output folder (looked up before this one is written).
 */
export async function trainJob(request: TrainRequest, hooks: TrainJobHooks): Promise<TrainResult> {
  const { source, overrides } = request;
  const configPath = 'configFile' in source ? source.configFile : join(source.runFolder, RUN_FILES.manifest);
  const { config, warnings } =
    'configFile' in source ? await loadTrainConfig(source.configFile, overrides) : await loadRunConfig(source.runFolder, overrides);
  const previous = 'runFolder' in source ? source.runFolder : await latestRun(pathFromConfig(configPath, config.out));
  const summary = await trainFromConfig(configPath, config, {
    signal: hooks.signal,
    onProgress: (progress) => hooks.onProgress(progress),
    onPhase: (message, fraction) => hooks.onPhase(message, fraction),
  });
  return { summary, previous, warnings };
}
