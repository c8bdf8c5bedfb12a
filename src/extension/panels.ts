import * as vscode from 'vscode';
import { CheckpointPanel, displayName, PANEL_VIEW_TYPE } from './checkpoint-panel';
import type { ComputeWorker } from '../node/compute-worker';
import { Disposable } from './disposable';
import type { LensStatusBar } from './status-bar';

/** What a revived panel's webview had persisted (only the path matters to the host). */
interface RevivedState {
  readonly path?: unknown;
}

/** The open checkpoint panels, one per file: opening a file again reveals its panel. */
export class Panels extends Disposable {
  private readonly byPath = new Map<string, CheckpointPanel>();

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly worker: ComputeWorker,
    private readonly log: vscode.LogOutputChannel,
    private readonly status: LensStatusBar,
  ) {
    super();
    // Panels come back after a window reload, reading their file again.
    this.register(
      vscode.window.registerWebviewPanelSerializer(PANEL_VIEW_TYPE, {
        deserializeWebviewPanel: async (panel, state: RevivedState | undefined) => {
          if (typeof state?.path !== 'string') {
            panel.dispose();
            return;
          }
          await this.adopt(vscode.Uri.file(state.path), panel).load();
        },
      }),
    );
  }

  /** Opens (or reveals) the panel for a checkpoint beside the active editor and loads it. */
  async open(uri: vscode.Uri): Promise<CheckpointPanel> {
    const existing = this.byPath.get(uri.fsPath);
    if (existing) {
      existing.reveal();
      return existing;
    }
    const panel = vscode.window.createWebviewPanel(
      PANEL_VIEW_TYPE,
      displayName(uri),
      { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true },
      { enableScripts: true },
    );
    const lens = this.adopt(uri, panel);
    await lens.load();
    return lens;
  }

  /** The open panels (for tests and the status bar). */
  all(): CheckpointPanel[] {
    return [...this.byPath.values()];
  }

  /** The panel in front: the focused one, else a visible one (panels open without taking focus). */
  active(): CheckpointPanel | undefined {
    const all = this.all();
    return all.find((panel) => panel.panel.active) ?? all.find((panel) => panel.panel.visible);
  }

  override dispose(): void {
    for (const panel of this.all()) panel.dispose();
    super.dispose();
  }

  private adopt(uri: vscode.Uri, panel: vscode.WebviewPanel): CheckpointPanel {
    const lens = new CheckpointPanel(uri, panel, this.extensionUri, this.worker, this.log, {
      onState: (changed) => this.status.show(changed, this.active()),
      onDispose: (gone) => {
        if (this.byPath.get(gone.uri.fsPath) === gone) this.byPath.delete(gone.uri.fsPath);
        this.status.show(undefined, this.active());
      },
    });
    this.byPath.set(uri.fsPath, lens);
    return lens;
  }
}
