import * as vscode from 'vscode';
import type { CheckpointPanel } from './checkpoint-panel';

/** One status bar item: a spinner while any checkpoint loads, else what the panel in front shows. */
export class LensStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('embeddingLens.status', vscode.StatusBarAlignment.Left, 100);

  constructor() {
    this.item.name = vscode.l10n.t('Embedding Lens');
    this.item.command = 'embeddingLens.showLog';
  }

  /** Updates the item after `changed` changed state; `front` is the panel in front, if any. */
  show(changed: CheckpointPanel | undefined, front: CheckpointPanel | undefined): void {
    const panel = changed?.state === 'loading' || changed?.state === 'training' ? changed : front;
    if (!panel) {
      this.item.hide();
      return;
    }
    const snapshot = panel.current;
    if (snapshot.state === 'loading') {
      this.item.text = `$(loading~spin) ${vscode.l10n.t('Embedding Lens: loading {0}', panel.fileName)}`;
      this.item.tooltip = snapshot.path;
    } else if (snapshot.state === 'error') {
      this.item.text = `$(error) ${vscode.l10n.t('Embedding Lens: {0} failed', panel.fileName)}`;
      this.item.tooltip = snapshot.message;
    } else if (snapshot.state === 'training') {
      const percent = snapshot.progress ? ` ${Math.round(snapshot.progress.fraction * 100)}%` : '';
      this.item.text = `$(loading~spin) ${vscode.l10n.t('Embedding Lens: training {0}', snapshot.trainer)}${percent}`;
      this.item.tooltip = snapshot.phase;
    } else {
      const { summary } = snapshot.header.description;
      const selected = panel.selected ? ` · ${truncate(panel.selected.token, 24)}` : '';
      this.item.text = `$(graph-scatter) ${panel.fileName} · ${summary.vocabSize.toLocaleString()}${selected}`;
      this.item.tooltip = `${summary.format}: ${summary.matrices.map((m) => `${m.name} (${m.role}) ${m.rows}×${m.cols}`).join(', ')}`;
    }
    this.item.show();
  }

  dispose(): void {
    this.item.dispose();
  }
}

function truncate(text: string, length: number): string {
  return text.length > length ? `${text.slice(0, length - 1)}…` : text;
}
