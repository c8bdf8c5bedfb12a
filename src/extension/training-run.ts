import * as vscode from 'vscode';
import type { TrainProgress } from '../core/train/train-types';
import type { ComputeWorker } from '../node/compute-worker';
import { RemoteError } from '../protocol/endpoint';
import type { LossPoint } from '../protocol/panel';
import type { TrainRequest, TrainResult } from '../protocol/worker';
import { displayName, type CheckpointPanel } from './checkpoint-panel';
import type { Panels } from './panels';

let nextTrainingJob = 1_000_000; // apart from the panels' job ids, which count from 1

/** What is being trained, for the panel and the notification. */
export interface TrainingLabel {
  readonly trainer: string;
  /** The config file (or a run's manifest) trained. */
  readonly config: vscode.Uri;
}

/** How a training ended: its result, or why not (nothing is written on cancel or failure). */
export type TrainingOutcome =
  | { readonly state: 'done'; readonly result: TrainResult; readonly panel: CheckpointPanel }
  | { readonly state: 'cancelled' }
  | { readonly state: 'failed'; readonly code: string; readonly message: string };

/**
 * Runs one training in the compute worker: a panel shows the live loss curve and throughput, a notification the
 * progress with Cancel (the panel's Cancel does the same); when the run is written the panel opens it and the
 * notification offers "Compare with previous".
 */
export async function runTraining(
  worker: ComputeWorker,
  panels: Panels,
  log: vscode.LogOutputChannel,
  request: TrainRequest,
  label: TrainingLabel,
): Promise<TrainingOutcome> {
  const jobId = nextTrainingJob++;
  const rpc = worker.rpc;
  const panel = panels.openTraining(label.config, vscode.l10n.t('Training {0}', label.trainer));
  let phase = vscode.l10n.t('Starting…');
  let progress: TrainProgress | null = null;
  panel.showTraining({
    trainer: label.trainer,
    configPath: label.config.fsPath,
    overrides: request.overrides,
    phase,
    progress,
    curve: [],
  });
  const cancel = (): void => void rpc.request('job/cancel', { jobId }).catch(() => undefined);
  panel.cancelTraining = cancel;
  const disposedPanel = panel.panel.onDidDispose(cancel);
  log.info(
    `training ${label.trainer} from ${label.config.fsPath}${request.overrides.length ? ` with ${request.overrides.join(' ')}` : ''}`,
  );
  const outcome = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Training {0}', label.trainer), cancellable: true },
    async (notification, token): Promise<TrainingOutcome> => {
      const cancelled = token.onCancellationRequested(cancel);
      let reported = 0;
      const report = (): void => {
        const percent = Math.round((progress?.fraction ?? 0) * 100);
        notification.report({ message: progressText(phase, progress), increment: percent - reported });
        reported = percent;
      };
      const stopPhases = rpc.on('job/progress', (event) => {
        if (event.jobId !== jobId) return;
        phase = event.fraction === undefined ? event.message : `${event.message} ${Math.round(event.fraction * 100)}%`;
        panel.trainingUpdate(phase, progress, null);
        report();
      });
      const stopProgress = rpc.on('train/progress', ({ jobId: id, ...event }) => {
        if (id !== jobId) return;
        progress = event;
        const point: LossPoint | null =
          event.loss === null || !Number.isFinite(event.loss) ? null : { fraction: event.fraction, loss: event.loss };
        panel.trainingUpdate(phase, progress, point);
        report();
      });
      try {
        const result = await rpc.request('train/run', { jobId, request });
        return { state: 'done', result, panel };
      } catch (error) {
        const code = error instanceof RemoteError ? error.code : 'internal';
        if (code === 'cancelled') return { state: 'cancelled' };
        return { state: 'failed', code, message: error instanceof Error ? error.message : String(error) };
      } finally {
        stopPhases();
        stopProgress();
        cancelled.dispose();
      }
    },
  );
  panel.cancelTraining = undefined;
  disposedPanel.dispose();
  if (outcome.state === 'cancelled') {
    log.info(`training ${label.trainer} cancelled; nothing was written`);
    panel.dispose();
    void vscode.window.showInformationMessage(vscode.l10n.t('Training cancelled; nothing was written.'));
  } else if (outcome.state === 'failed') {
    log.error(`training ${label.trainer} from ${label.config.fsPath}: [${outcome.code}] ${outcome.message}`);
    panel.showTrainingError(outcome.code, outcome.message);
    void vscode.window.showErrorMessage(outcome.message);
  } else {
    await finished(outcome.result, panel, panels, log);
  }
  return outcome;
}

/** Opens the new run in the panel and offers to compare it with the run before. */
async function finished(result: TrainResult, panel: CheckpointPanel, panels: Panels, log: vscode.LogOutputChannel): Promise<void> {
  const { summary, previous, warnings } = result;
  for (const warning of warnings) log.warn(warning);
  log.info(`trained ${summary.trainer} → ${summary.out}: ${JSON.stringify(summary)}`);
  if (!panel.isDisposed) await panels.trained(panel, vscode.Uri.file(summary.out));
  const compare = vscode.l10n.t('Compare with previous');
  const actions = previous ? [compare] : [];
  const seconds = summary.seconds.toFixed(1);
  const rate = Math.round(summary.tokensPerSecond).toLocaleString('en-US');
  void vscode.window
    .showInformationMessage(
      vscode.l10n.t('Trained {0} in {1} s ({2} tokens/s): {3}', summary.trainer, seconds, rate, displayName(vscode.Uri.file(summary.out))),
      ...actions,
    )
    .then((choice) => {
      if (choice === compare && previous && !panel.isDisposed) {
        panel.reveal();
        panel.compareWith(vscode.Uri.file(previous));
      }
    });
}

/** "Training sgns on 1,000,000 tokens — epoch 2/5, 40%, loss 2.31, 280,000 tokens/s". */
export function progressText(phase: string, progress: TrainProgress | null): string {
  if (!progress) return phase;
  const loss = progress.loss === null ? '' : `, loss ${progress.loss.toFixed(3)}`;
  const rate = `${Math.round(progress.tokensPerSecond).toLocaleString('en-US')} tokens/s`;
  return `${phase} — epoch ${progress.epoch}/${progress.epochs}, ${Math.round(progress.fraction * 100)}%${loss}, ${rate}`;
}
