import * as vscode from 'vscode';
import { inspectText } from '../core/inspect-text';
import { ComputeWorker } from './compute-worker';

/** Activation: registers the commands; everything made here is disposed with the extension. */
export function activate(context: vscode.ExtensionContext): void {
  const log = vscode.window.createOutputChannel('Embedding Lens', { log: true });
  const worker = new ComputeWorker(vscode.Uri.joinPath(context.extensionUri, 'dist', 'worker.js').fsPath, log);
  context.subscriptions.push(
    log,
    worker,
    vscode.commands.registerCommand('embeddingLens.inspectCheckpoint', async (uri?: vscode.Uri) => {
      const target =
        uri ??
        (
          await vscode.window.showOpenDialog({ canSelectMany: false, canSelectFolders: false, title: vscode.l10n.t('Inspect checkpoint') })
        )?.[0];
      if (!target || target.scheme !== 'file') return;
      try {
        const summary = await vscode.window.withProgress(
          { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Reading {0}', target.fsPath) },
          () => worker.rpc.request('checkpoint/inspect', { path: target.fsPath.replace(/\\/g, '/') }),
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
}

/** Nothing to tear down beyond the subscriptions. */
export function deactivate(): void {}
