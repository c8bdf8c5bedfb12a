import * as vscode from 'vscode';
import { CheckpointError } from '../core/errors';
import { inspectOutput } from '../core/inspect-text';
import { openCheckpoint } from '../core/open';
import { nodeFiles } from '../node/node-files';

/** Activation: registers the commands; everything made here is disposed with the extension. */
export function activate(context: vscode.ExtensionContext): void {
  const log = vscode.window.createOutputChannel('Embedding Lens', { log: true });
  context.subscriptions.push(
    log,
    vscode.commands.registerCommand('embeddingLens.inspectCheckpoint', async (uri?: vscode.Uri) => {
      const target =
        uri ??
        (
          await vscode.window.showOpenDialog({ canSelectMany: false, canSelectFolders: false, title: vscode.l10n.t('Inspect checkpoint') })
        )?.[0];
      if (!target || target.scheme !== 'file') return;
      try {
        const checkpoint = await openCheckpoint(target.fsPath.replace(/\\/g, '/'), nodeFiles);
        try {
          log.info(inspectOutput(checkpoint, false));
          log.show(true);
        } finally {
          await checkpoint.close();
        }
      } catch (error) {
        const message = error instanceof CheckpointError ? error.message : String(error);
        log.error(message);
        void vscode.window.showErrorMessage(message);
      }
    }),
  );
}

/** Nothing to tear down beyond the subscriptions. */
export function deactivate(): void {}
