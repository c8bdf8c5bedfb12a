import * as vscode from 'vscode';
import { Endpoint, RemoteError } from '../protocol/endpoint';
import {
  PANEL_PROTOCOL_VERSION,
  type HostPanelSide,
  type LossPoint,
  type PanelSnapshot,
  type TrainingState,
  type WebviewPanelSide,
} from '../protocol/panel';
import type { TrainProgress } from '../core/train/train-types';
import { trainedRunInfo } from './run-info';
import type { ComputeWorker } from '../node/compute-worker';
import { checkpointViewBuffers, projectionBuffers, uvBuffers } from '../protocol/transfers';
import { pickCheckpoint } from './open-command';
import { askSavePath, ensureTrusted, saveExport } from './panel-export';
import { metadataPathFor } from '../node/export-paths';
import { workerPath } from './worker-path';
import { Disposable } from './disposable';
import { panelHtml } from './panel-html';
import { webviewTransport } from './webview-transport';

/** The webview type, also used to revive panels after a window reload. */
export const PANEL_VIEW_TYPE = 'embeddingLens.checkpoint';

/** What the panel tells its owner (status bar, tests). */
export interface PanelEvents {
  onState(panel: CheckpointPanel): void;
  onDispose(panel: CheckpointPanel): void;
  /** The header's Retrain… button of a trained run. */
  onRetrain(panel: CheckpointPanel): void;
}

let nextJobId = 1;

/**
 * One panel per checkpoint, beside the editor. The host keeps the last snapshot and re-sends it whenever the webview
 * says it is ready, so the panel needs no `retainContextWhenHidden`.
 */
export class CheckpointPanel extends Disposable {
  private snapshot: PanelSnapshot;
  private rpc: Endpoint<HostPanelSide, WebviewPanelSide>;
  private loading: Promise<void> = Promise.resolve();
  /** Worker job ids of the jobs the webview started, by the webview's ticket. */
  private readonly tickets = new Map<number, number>();
  /** The token selected in the webview, for the status bar and tests. */
  selected: { row: number; token: string } | undefined;
  /** Stops the training this panel shows (set while it shows one). */
  cancelTraining: (() => void) | undefined;

  constructor(
    private checkpointUri: vscode.Uri,
    readonly panel: vscode.WebviewPanel,
    private readonly extensionUri: vscode.Uri,
    private readonly worker: ComputeWorker,
    private readonly log: vscode.LogOutputChannel,
    private readonly events: PanelEvents,
  ) {
    super();
    this.snapshot = { state: 'loading', fileName: this.fileName, path: checkpointUri.fsPath, message: vscode.l10n.t('Opening…') };
    panel.webview.options = {
      enableScripts: true,
      localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist'), vscode.Uri.joinPath(extensionUri, 'media')],
    };
    panel.iconPath = {
      light: vscode.Uri.joinPath(extensionUri, 'media', 'scatter-light.svg'),
      dark: vscode.Uri.joinPath(extensionUri, 'media', 'scatter-dark.svg'),
    };
    this.rpc = this.connect();
    this.register(panel.onDidDispose(() => this.dispose()));
    this.register(panel.onDidChangeViewState(() => this.events.onState(this)));
    panel.webview.html = panelHtml(panel.webview, extensionUri, this.fileName);
  }

  /** The checkpoint shown (for a training: its config, until the run is written). */
  get uri(): vscode.Uri {
    return this.checkpointUri;
  }

  /** Shows a training: its phase, progress and loss curve so far. */
  showTraining(training: TrainingState): void {
    this.panel.title = vscode.l10n.t('Training {0}', training.trainer);
    this.show({ state: 'training', fileName: this.panel.title, path: training.configPath, ...training });
  }

  /** A training moved on: the snapshot keeps the whole curve (for a re-created webview), the webview gets the news. */
  trainingUpdate(phase: string, progress: TrainProgress | null, point: LossPoint | null): void {
    const snapshot = this.snapshot;
    if (snapshot.state !== 'training') return;
    this.snapshot = { ...snapshot, phase, progress, curve: point ? [...snapshot.curve, point] : snapshot.curve };
    this.rpc.emit('panel/training', { phase, progress, point });
    if (progress) this.events.onState(this);
  }

  /** A training failed: the panel says why (it has no checkpoint to read again). */
  showTrainingError(code: string, message: string): void {
    this.show({ state: 'error', fileName: this.panel.title, path: this.uri.fsPath, code, message, retry: false });
  }

  /** True once the panel is closed. */
  get isDisposed(): boolean {
    return this.disposed;
  }

  /** Shows another checkpoint in this panel (a training's new run) and loads it. */
  openCheckpoint(uri: vscode.Uri): Promise<void> {
    this.checkpointUri = uri;
    this.panel.title = this.fileName;
    return this.load();
  }

  /** Opens the Compare tab against another checkpoint. */
  compareWith(uri: vscode.Uri): void {
    this.rpc.emit('panel/compare-with', { path: workerPath(uri), name: displayName(uri) });
  }

  /** The name shown on the tab and in the header: the file and its folder ("glove/vectors.bin"), since names repeat. */
  get fileName(): string {
    return displayName(this.uri);
  }

  /** The current snapshot's state ('loading' | 'error' | 'ready'). */
  get state(): PanelSnapshot['state'] {
    return this.snapshot.state;
  }

  /** The last snapshot sent (tests read the header and error from it). */
  get current(): PanelSnapshot {
    return this.snapshot;
  }

  /** Resolves when the current load has finished (ready or error). */
  whenLoaded(): Promise<void> {
    return this.loading;
  }

  /** Reads the checkpoint through the worker, with a progress notification that can cancel it. */
  load(): Promise<void> {
    const path = workerPath(this.uri);
    const jobId = nextJobId++;
    this.show({ state: 'loading', fileName: this.fileName, path, message: vscode.l10n.t('Opening…') });
    this.loading = Promise.resolve(
      vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Embedding Lens: {0}', this.fileName), cancellable: true },
        async (progress, token) => {
          const rpc = this.worker.rpc;
          const cancel = token.onCancellationRequested(() => void rpc.request('job/cancel', { jobId }).catch(() => undefined));
          const stopListening = rpc.on('job/progress', (event) => {
            if (event.jobId !== jobId) return;
            progress.report({ message: event.message });
            this.rpc.emit('panel/progress', { message: event.message });
          });
          const started = Date.now();
          try {
            const [view, info, run] = await Promise.all([
              rpc.request('view/open', { jobId, path }),
              this.worker.info(),
              trainedRunInfo(path),
            ]);
            this.log.info(
              `${path}: ${view.description.summary.format}, ${view.projection.rows} rows; load ${view.projection.loadMs} ms, ` +
                `PCA ${view.projection.projectMs} ms, total ${Date.now() - started} ms`,
            );
            this.show({
              state: 'ready',
              header: { path, fileName: this.fileName, description: view.description, backend: info.backend, run },
              tokens: view.tokens,
              shade: view.shade,
              xy: view.xy,
              projection: view.projection,
            });
          } catch (error) {
            const { code, message } = describeError(error);
            this.log.error(`${path}: [${code}] ${message}`);
            if (error instanceof Error && !(error instanceof RemoteError) && error.stack) this.log.debug(error.stack);
            this.show({ state: 'error', fileName: this.fileName, path, code, message });
          } finally {
            stopListening();
            cancel.dispose();
          }
        },
      ),
    );
    return this.loading;
  }

  /** Brings the panel forward without taking focus from the editor. */
  reveal(): void {
    this.panel.reveal(undefined, true);
  }

  override dispose(): void {
    if (this.disposed) return;
    super.dispose();
    this.rpc.dispose();
    this.panel.dispose();
    this.events.onDispose(this);
  }

  private connect(): Endpoint<HostPanelSide, WebviewPanelSide> {
    const rpc = new Endpoint<HostPanelSide, WebviewPanelSide>(webviewTransport(this.panel.webview));
    rpc.on('webview/ready', ({ protocol }) => {
      if (protocol !== PANEL_PROTOCOL_VERSION) {
        this.log.warn(`panel protocol ${protocol} from the webview, host speaks ${PANEL_PROTOCOL_VERSION}; reloading the page`);
        this.panel.webview.html = panelHtml(this.panel.webview, this.extensionUri, this.fileName);
        return;
      }
      this.post();
    });
    rpc.on('webview/selected', (selection) => {
      this.selected = selection.row < 0 ? undefined : (selection as { row: number; token: string });
      this.events.onState(this);
    });
    rpc.handle('panel/neighbors', ({ row, k }) => this.worker.rpc.request('view/neighbors', { path: workerPath(this.uri), row, k }));
    rpc.handle(
      'panel/project',
      ({ ticket, request }) =>
        this.job(ticket, (jobId) => this.worker.rpc.request('view/project', { jobId, path: workerPath(this.uri), request })),
      projectionBuffers,
    );
    rpc.handle(
      'panel/compare-uv',
      ({ ticket, k }) => this.job(ticket, (jobId) => this.worker.rpc.request('view/compare-uv', { jobId, path: workerPath(this.uri), k })),
      uvBuffers,
    );
    rpc.handle('panel/pick-checkpoint', async () => {
      const uri = await pickCheckpoint(vscode.l10n.t('Compare with Checkpoint'));
      return uri ? { path: workerPath(uri), name: displayName(uri) } : null;
    });
    rpc.handle(
      'panel/compare-checkpoints',
      ({ ticket, against, k }) =>
        this.job(ticket, (jobId) => this.worker.rpc.request('view/compare-checkpoints', { jobId, path: workerPath(this.uri), against, k })),
      checkpointViewBuffers,
    );
    rpc.handle('panel/compare-neighbors', ({ against, k, row }) =>
      this.worker.rpc.request('view/compare-neighbors', { path: workerPath(this.uri), against, k, row }),
    );
    rpc.handle('panel/save', ({ format, name, data }) => saveExport(this.uri, format, name, data));
    rpc.handle('panel/export-projector', async ({ ticket, space, limit }) => {
      ensureTrusted();
      const stem =
        this.uri.path
          .split('/')
          .pop()
          ?.replace(/\.[^.]*$/, '') ?? 'embedding';
      const target = await askSavePath(
        this.uri,
        `${stem}-${space === 'input' ? 'U' : 'V'}-tensors.tsv`,
        'tsv',
        vscode.l10n.t('Save Projector tensors'),
      );
      if (!target) return null;
      const request = { space, limit, tensorsPath: target.fsPath, metadataPath: metadataPathFor(target.fsPath) };
      const written = await this.job(ticket, (jobId) =>
        this.worker.rpc.request('export/projector', { jobId, path: workerPath(this.uri), request }),
      );
      return { path: request.tensorsPath, metadataPath: request.metadataPath, ...written };
    });
    rpc.handle('panel/cancel', async ({ ticket }) => {
      const jobId = this.tickets.get(ticket);
      if (jobId !== undefined) await this.worker.rpc.request('job/cancel', { jobId });
    });
    rpc.handle('panel/reload', () => this.load());
    rpc.handle('panel/cancel-training', () => this.cancelTraining?.());
    rpc.handle('panel/retrain', () => this.events.onRetrain(this));
    rpc.handle('panel/showLog', () => this.log.show(true));
    return rpc;
  }

  /**
   * Runs a worker job for the webview under its `ticket`: forwards the job's progress and partial layouts, and
   * lets `panel/cancel` reach it. A disposed panel cancels what it started.
   */
  private async job<T>(ticket: number, run: (jobId: number) => Promise<T>): Promise<T> {
    const jobId = nextJobId++;
    const rpc = this.worker.rpc;
    this.tickets.set(ticket, jobId);
    const stopProgress = rpc.on(
      'job/progress',
      ({ jobId: id, ...progress }) => id === jobId && this.rpc.emit('panel/job', { ticket, ...progress }),
    );
    const stopSteps = rpc.on(
      'job/step',
      ({ jobId: id, ...step }) => id === jobId && this.rpc.emit('panel/step', { ticket, ...step }, [step.coords]),
    );
    const cancelOnDispose = { dispose: () => void rpc.request('job/cancel', { jobId }).catch(() => undefined) };
    this.register(cancelOnDispose);
    try {
      return await run(jobId);
    } finally {
      stopProgress();
      stopSteps();
      this.tickets.delete(ticket);
      this.unregister(cancelOnDispose);
    }
  }

  private show(snapshot: PanelSnapshot): void {
    this.snapshot = snapshot;
    this.post();
    this.events.onState(this);
  }

  private post(): void {
    const snapshot = this.snapshot;
    if (snapshot.state !== 'ready') {
      this.rpc.emit('panel/snapshot', snapshot);
      return;
    }
    // Copies: the host keeps its snapshot to re-send after the webview is re-created.
    this.rpc.emit('panel/snapshot', {
      ...snapshot,
      tokens: { utf8: snapshot.tokens.utf8.slice(0), ends: snapshot.tokens.ends.slice(0) },
      shade: snapshot.shade?.slice(0) ?? null,
      xy: snapshot.xy.slice(0),
    });
  }
}

/** A stable code and one line for the panel, whatever was thrown. */
function describeError(error: unknown): { code: string; message: string } {
  if (error instanceof RemoteError) return { code: error.code, message: error.message };
  if (error instanceof Error) return { code: 'internal', message: error.message.split('\n')[0] ?? error.message };
  return { code: 'internal', message: String(error) };
}

/** The last two segments of a path: enough to tell checkpoints with the same file name apart. */
export function displayName(uri: vscode.Uri): string {
  return uri.path.split('/').filter(Boolean).slice(-2).join('/') || uri.fsPath;
}
