import * as vscode from 'vscode';
import { inspectText } from '../core/inspect-text';
import type { CheckpointPanel } from './checkpoint-panel';
import { ComputeWorker } from '../node/compute-worker';
import { workerPath } from './worker-path';
import { pickCheckpoint } from './open-command';
import { Panels } from './panels';
import { LensStatusBar } from './status-bar';
import { TrainingCommands } from './train-commands';
import type { TrainingOutcome } from './training-run';

/** What activation returns: used by the extension-host tests (and by other extensions, if they like). */
export interface EmbeddingLensApi {
  /** Opens (or reveals) the panel of a checkpoint and resolves when it has loaded or failed. */
  openCheckpoint(uri: vscode.Uri): Promise<CheckpointPanel>;
  /** The open panels. */
  panels(): CheckpointPanel[];
  /** Trains a config (*.lens.json) or retrains a run folder with `key=value` overrides; resolves when it has ended. */
  train(uri: vscode.Uri, overrides?: readonly string[]): Promise<TrainingOutcome | undefined>;
}

/** Activation: registers the commands; everything made here is disposed with the extension. */
export function activate(context: vscode.ExtensionContext): EmbeddingLensApi {
  const log = vscode.window.createOutputChannel('Embedding Lens', { log: true });
  const worker = new ComputeWorker(vscode.Uri.joinPath(context.extensionUri, 'dist', 'worker.js').fsPath, log);
  const status = new LensStatusBar();
  const panels = new Panels(context.extensionUri, worker, log, status);
  const training = new TrainingCommands(worker, panels, log);
  const openCheckpoint = async (uri?: vscode.Uri): Promise<CheckpointPanel | undefined> => {
    const target = uri instanceof vscode.Uri ? uri : await pickCheckpoint();
    if (!target) return undefined;
    if (target.scheme !== 'file') {
      void vscode.window.showErrorMessage(vscode.l10n.t('Embedding Lens reads files on disk; {0} is not one', target.toString()));
      return undefined;
    }
    return panels.open(target);
  };
  context.subscriptions.push(
    log,
    worker,
    status,
    panels,
    training,
    vscode.commands.registerCommand('embeddingLens.openCheckpoint', openCheckpoint),
    vscode.commands.registerCommand('embeddingLens.showLog', () => log.show(true)),
    vscode.commands.registerCommand('embeddingLens.inspectCheckpoint', async (uri?: vscode.Uri) => {
      const target = uri instanceof vscode.Uri ? uri : await pickCheckpoint();
      if (!target || target.scheme !== 'file') return;
      try {
        const summary = await vscode.window.withProgress(
          { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Reading {0}', target.fsPath) },
          () => worker.rpc.request('checkpoint/inspect', { path: workerPath(target) }),
        );
        log.info(inspectText(summary));
        log.show(true);
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        log.error(message);
        void vscode.window.showErrorMessage(message);
      }
    }),
  );
  log.info(`Embedding Lens ${String(context.extension.packageJSON.version)} activated (Node ${process.version})`);
  return {
    openCheckpoint: async (uri) => (await openCheckpoint(uri)) as CheckpointPanel,
    panels: () => panels.all(),
    train: (uri, overrides) => training.train(uri, overrides),
  };
}

/** Nothing to tear down beyond the subscriptions. */
export function deactivate(): void {}
