import * as vscode from 'vscode';
import { basename, dirname, relative } from 'node:path';
import type { TrainerName } from '../core/train/config';
import { presetConfigText } from '../core/train/config-presets';

/** A starting point for a new config: a trainer, tied or not, and the keys worth showing for it. */
export interface TrainPreset {
  readonly label: string;
  readonly detail: string;
  readonly trainer: TrainerName;
  readonly tied: boolean;
}

/** The presets "Train…" offers next to the workspace's configs. */
export const TRAIN_PRESETS: readonly TrainPreset[] = [
  { label: 'Skip-gram (word2vec)', detail: 'negative sampling, U and V untied', trainer: 'sgns', tied: false },
  { label: 'Skip-gram, tied', detail: 'one matrix for input and output', trainer: 'sgns', tied: true },
  { label: 'CBOW (word2vec)', detail: 'negative sampling, U and V untied', trainer: 'cbow', tied: false },
  { label: 'GloVe', detail: 'co-occurrence counts, AdaGrad; W, W̃ and W + W̃', trainer: 'glove', tied: false },
  { label: 'Language model, untied', detail: 'GRU, output projection its own matrix', trainer: 'lm', tied: false },
  { label: 'Language model, tied', detail: 'GRU, output projection tied to the embedding (Press & Wolf)', trainer: 'lm', tied: true },
  {
    label: 'Classifier (Keras-style)',
    detail: 'Embedding → mean pooling → Dense on `label<TAB>text` lines',
    trainer: 'classifier',
    tied: false,
  },
];

/**
 * Makes a config from a preset: asks for the corpus, writes `<trainer>[-tied].lens.json` (a free name) in the
 * corpus's workspace folder, and opens it. Undefined when the user cancels.
 */
export async function createPresetConfig(preset: TrainPreset): Promise<vscode.Uri | undefined> {
  const picked = await vscode.window.showOpenDialog({
    canSelectMany: false,
    openLabel: vscode.l10n.t('Train on this corpus'),
    title:
      preset.trainer === 'classifier'
        ? vscode.l10n.t('Labelled corpus (label<TAB>text per line)')
        : vscode.l10n.t('Corpus (text, one sentence or paragraph per line)'),
    ...(vscode.workspace.workspaceFolders?.[0] ? { defaultUri: vscode.workspace.workspaceFolders[0].uri } : {}),
  });
  const corpus = picked?.[0];
  if (!corpus) return undefined;
  const folder = vscode.workspace.getWorkspaceFolder(corpus)?.uri ?? vscode.Uri.file(dirname(corpus.fsPath));
  const stem = `${preset.trainer}${preset.tied ? '-tied' : ''}`;
  let target = vscode.Uri.joinPath(folder, `${stem}.lens.json`);
  for (let n = 2; await exists(target); n++) target = vscode.Uri.joinPath(folder, `${stem}-${n}.lens.json`);
  const relativeCorpus = relative(folder.fsPath, corpus.fsPath) || basename(corpus.fsPath);
  await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(presetConfigText(preset.trainer, preset.tied, relativeCorpus)));
  await vscode.window.showTextDocument(target, { preview: false, preserveFocus: true });
  return target;
}

async function exists(uri: vscode.Uri): Promise<boolean> {
  try {
    await vscode.workspace.fs.stat(uri);
    return true;
  } catch {
    return false;
  }
}
