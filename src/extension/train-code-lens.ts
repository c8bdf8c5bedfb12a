import * as vscode from 'vscode';

/** "▶ Train" and "Retrain…" above a training config. */
export class TrainConfigCodeLens implements vscode.CodeLensProvider {
  provideCodeLenses(document: vscode.TextDocument): vscode.CodeLens[] {
    const top = new vscode.Range(0, 0, 0, 0);
    return [
      new vscode.CodeLens(top, { title: `$(play) ${vscode.l10n.t('Train')}`, command: 'embeddingLens.train', arguments: [document.uri] }),
      new vscode.CodeLens(top, {
        title: `$(debug-restart) ${vscode.l10n.t('Retrain with changes…')}`,
        command: 'embeddingLens.retrain',
        arguments: [document.uri],
      }),
    ];
  }
}
