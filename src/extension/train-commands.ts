import * as vscode from 'vscode';
import type { ComputeWorker } from '../node/compute-worker';
import type { CheckpointPanel } from './checkpoint-panel';
import { Disposable } from './disposable';
import { ensureTrusted } from './panel-export';
import type { Panels } from './panels';
import { askRetrainTweaks } from './retrain-tweaks';
import { TrainConfigCodeLens } from './train-code-lens';
import { createPresetConfig, TRAIN_PRESETS, type TrainPreset } from './train-presets';
import { readTrainable, type Trainable } from './train-source';
import { runTraining, type TrainingOutcome } from './training-run';

/** Training configs in the workspace: what the code lens and "Train…" look for. */
export const CONFIG_GLOB = '**/*.lens.json';

/** "Train…", "Retrain…", the code lens on configs and the panel's Retrain… button. */
export class TrainingCommands extends Disposable {
  constructor(
    private readonly worker: ComputeWorker,
    private readonly panels: Panels,
    private readonly log: vscode.LogOutputChannel,
  ) {
    super();
    panels.onRetrain = (panel: CheckpointPanel) => void this.retrain(panel.uri);
    this.register(vscode.commands.registerCommand('embeddingLens.train', (uri?: vscode.Uri) => this.trainCommand(uri)));
    this.register(vscode.commands.registerCommand('embeddingLens.retrain', (uri?: vscode.Uri) => this.retrain(uri)));
    this.register(vscode.languages.registerCodeLensProvider({ pattern: CONFIG_GLOB }, new TrainConfigCodeLens()));
  }

  /** Trains a config (or run) with overrides, no questions asked: the command's core, and the tests' entry. */
  train(uri: vscode.Uri, overrides: readonly string[] = []): Promise<TrainingOutcome | undefined> {
    return this.reportingErrors(async () => this.start(await readTrainable(uri), overrides));
  }

  /** "Train…": the given config, else a pick of the workspace's configs and the presets. */
  private async trainCommand(uri?: vscode.Uri): Promise<TrainingOutcome | undefined> {
    const target = uri instanceof vscode.Uri ? uri : await this.pickConfig();
    return target ? this.train(target) : undefined;
  }

  /** "Retrain…": the config or run given (else the active editor's config or the front panel's run), tweaked. */
  private async retrain(uri?: vscode.Uri): Promise<TrainingOutcome | undefined> {
    const target = uri instanceof vscode.Uri ? uri : this.defaultRetrainTarget();
    if (!target) {
      void vscode.window.showInformationMessage(vscode.l10n.t('Open a training config (*.lens.json) or a trained run to retrain.'));
      return undefined;
    }
    return this.reportingErrors(async () => {
      const trainable = await readTrainable(target);
      const tweaks = await askRetrainTweaks(trainable.config);
      return tweaks ? this.start(trainable, tweaks) : undefined;
    });
  }

  /** Starts the training of what was read, after the trust check (training writes files). */
  private start(trainable: Trainable, overrides: readonly string[]): Promise<TrainingOutcome> {
    ensureTrusted(vscode.l10n.t('Training writes files'));
    const request = { source: trainable.source, overrides: [...trainable.baseOverrides, ...overrides] };
    return runTraining(this.worker, this.panels, this.log, request, { trainer: label(trainable.config), config: trainable.file });
  }

  /** Runs a command's work; an error goes to the log and to an error message, and the command ends quietly. */
  private async reportingErrors(work: () => Promise<TrainingOutcome | undefined>): Promise<TrainingOutcome | undefined> {
    try {
      return await work();
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      this.log.error(message);
      void vscode.window.showErrorMessage(message);
      return undefined;
    }
  }

  private defaultRetrainTarget(): vscode.Uri | undefined {
    const editor = vscode.window.activeTextEditor?.document.uri;
    if (editor?.fsPath.endsWith('.lens.json')) return editor;
    const panel = this.panels.active();
    return panel?.current.state === 'ready' && panel.current.header.run ? panel.uri : undefined;
  }

  private async pickConfig(): Promise<vscode.Uri | undefined> {
    const configs = await vscode.workspace.findFiles(CONFIG_GLOB, '**/node_modules/**', 200);
    type Item = vscode.QuickPickItem & ({ uri: vscode.Uri } | { preset: TrainPreset } | object);
    const items: Item[] = [
      ...configs
        .sort((a, b) => a.fsPath.localeCompare(b.fsPath))
        .map((uri) => ({ label: `$(file-code) ${vscode.workspace.asRelativePath(uri)}`, uri })),
      { label: vscode.l10n.t('New config from a preset'), kind: vscode.QuickPickItemKind.Separator },
      ...TRAIN_PRESETS.map((preset) => ({ label: `$(add) ${preset.label}`, detail: preset.detail, preset })),
    ];
    const pick = await vscode.window.showQuickPick(items, {
      title: vscode.l10n.t('Train'),
      placeHolder: vscode.l10n.t('A training config, or a preset'),
    });
    if (!pick) return undefined;
    if ('uri' in pick) return pick.uri;
    if ('preset' in pick) return createPresetConfig(pick.preset);
    return undefined;
  }
}

/** "sgns", "sgns tied", "lm tied". */
function label(config: { trainer: string; tied: boolean }): string {
  return config.tied ? `${config.trainer} tied` : config.trainer;
}
