import * as vscode from 'vscode';
import { CheckpointPanel, displayName, PANEL_VIEW_TYPE, type PanelEvents } from './checkpoint-panel';
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
  /** Panels showing a training, listed by path once their run is written. */
  private readonly training = new Set<CheckpointPanel>();
  /** What the header's Retrain… button does (set by the training commands). */
  onRetrain: (panel: CheckpointPanel) => void = () => undefined;

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
    const lens = this.adopt(uri, this.createWebviewPanel(displayName(uri)));
    await lens.load();
    return lens;
  }

  /** A new panel for a training of `configUri`; it shows the training until `trained` gives it the new run. */
  openTraining(configUri: vscode.Uri, title: string): CheckpointPanel {
    const lens = new CheckpointPanel(
      configUri,
      this.createWebviewPanel(title),
      this.extensionUri,
      this.worker,
      this.log,
      this.panelEvents(),
    );
    this.training.add(lens);
    return lens;
  }

  /** A training panel now shows its run: list it under the run's path (a panel already there gives way). */
  async trained(lens: CheckpointPanel, run: vscode.Uri): Promise<void> {
    this.training.delete(lens);
    this.byPath.get(run.fsPath)?.dispose();
    this.byPath.set(run.fsPath, lens);
    await lens.openCheckpoint(run);
  }

  /** The open panels (for tests and the status bar), trainings included. */
  all(): CheckpointPanel[] {
    return [...this.byPath.values(), ...this.training];
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
    const lens = new CheckpointPanel(uri, panel, this.extensionUri, this.worker, this.log, this.panelEvents());
    this.byPath.set(uri.fsPath, lens);
    return lens;
  }

  private createWebviewPanel(title: string): vscode.WebviewPanel {
    return vscode.window.createWebviewPanel(
      PANEL_VIEW_TYPE,
      title,
      { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true },
      { enableScripts: true },
    );
  }

  private panelEvents(): PanelEvents {
    return {
      onState: (changed) => this.status.show(changed, this.active()),
      onDispose: (gone) => {
        if (this.byPath.get(gone.uri.fsPath) === gone) this.byPath.delete(gone.uri.fsPath);
        this.training.delete(gone);
        this.status.show(undefined, this.active());
      },
      onRetrain: (panel) => this.onRetrain(panel),
    };
  }
}
