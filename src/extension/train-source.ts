import * as vscode from 'vscode';
import { configFromObject, parseTrainConfig, type TrainConfig } from '../core/train/config';
import { standardEvalPaths } from '../core/eval/eval-sets';
import type { TrainSource } from '../protocol/worker';
import { trainedRunOf } from './run-info';

/** A config larger than this is not a training config (they are a few hundred bytes). */
const MAX_CONFIG_BYTES = 1 << 20;

/** What can be trained: where the config comes from, the config as the host reads it (for the tweaks), and its label. */
export interface Trainable {
  readonly source: TrainSource;
  readonly config: TrainConfig;
  /** The file the config was read from: the *.lens.json, or the run's manifest.json. */
  readonly file: vscode.Uri;
  /** Overrides always applied (the evaluation sets from the settings when the config names none). */
  readonly baseOverrides: readonly string[];
}

/**
 * Reads what `uri` trains: a *.lens.json config, or a run folder (or a file in one) whose manifest keeps the config
 * it was trained with. Throws a one-line error naming the file when it is neither.
 */
export async function readTrainable(uri: vscode.Uri): Promise<Trainable> {
  const run = uri.fsPath.endsWith('.json') && !uri.fsPath.endsWith('manifest.json') ? null : await trainedRunOf(uri.fsPath);
  if (run !== null) {
    const file = vscode.Uri.joinPath(vscode.Uri.file(run.folder), 'manifest.json');
    const saved = run.manifest['config'];
    const raw = typeof saved === 'object' && saved !== null ? (saved as Record<string, unknown>) : {};
    const { config } = configFromObject({ ...raw }, `${file.fsPath} (config)`);
    return { source: { runFolder: run.folder }, config, file, baseOverrides: [] };
  }
  const text = await readSmall(uri);
  const { config } = parseTrainConfig(text, uri.fsPath);
  return { source: { configFile: uri.fsPath }, config, file: uri, baseOverrides: evalOverride(text) };
}

/** `eval=…` naming the standard sets in the folder the setting gives, when the config has no "eval" of its own. */
function evalOverride(text: string): string[] {
  const folder = vscode.workspace.getConfiguration('embeddingLens.training').get<string>('evaluationData', '').trim();
  if (!folder) return [];
  const raw = JSON.parse(text) as Record<string, unknown>; // parseTrainConfig has checked it
  return 'eval' in raw ? [] : [`eval=${JSON.stringify(standardEvalPaths(folder))}`];
}

async function readSmall(uri: vscode.Uri): Promise<string> {
  let size: number;
  try {
    size = (await vscode.workspace.fs.stat(uri)).size;
  } catch {
    throw new Error(vscode.l10n.t('{0}: expected a training config (*.lens.json) or a trained run, found no such file', uri.fsPath));
  }
  if (size > MAX_CONFIG_BYTES) {
    throw new Error(vscode.l10n.t('{0}: expected a training config of at most 1 MB, found {1} bytes', uri.fsPath, size));
  }
  return new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
}
