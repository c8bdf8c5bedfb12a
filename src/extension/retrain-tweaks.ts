import * as vscode from 'vscode';
import type { TrainConfig } from '../core/train/config';

/** Trainers whose output can be tied to the input (GloVe's W̃ and the classifier's Dense are not an embedding's twin). */
const TIEABLE = new Set<TrainConfig['trainer']>(['sgns', 'cbow', 'lm']);

type Tweak = 'epochs' | 'dim' | 'tied';

/**
 * Asks what to change for a retrain — epochs, dimension, tied — in one quick pick that shows the changes so far,
 * and returns them as `key=value` overrides; undefined when the user backs out.
 */
export async function askRetrainTweaks(config: TrainConfig): Promise<string[] | undefined> {
  const changes = new Map<Tweak, number | boolean>();
  for (;;) {
    const value = <K extends Tweak>(key: K): TrainConfig[K] => (changes.get(key) ?? config[key]) as TrainConfig[K];
    const changed = (key: Tweak): string => (changes.has(key) ? ` (was ${String(config[key])})` : '');
    const items: (vscode.QuickPickItem & { action: 'go' | Tweak })[] = [
      {
        action: 'go',
        label: `$(play) ${changes.size > 0 ? vscode.l10n.t('Train with these changes') : vscode.l10n.t('Train again as it is')}`,
        detail: [...changes].map(([key, v]) => `${key}=${String(v)}`).join(', '),
      },
      { action: 'epochs', label: `$(history) ${vscode.l10n.t('Epochs')}: ${value('epochs')}${changed('epochs')}` },
      { action: 'dim', label: `$(symbol-ruler) ${vscode.l10n.t('Dimension')}: ${value('dim')}${changed('dim')}` },
    ];
    if (TIEABLE.has(config.trainer)) {
      items.push({
        action: 'tied',
        label: `$(link) ${vscode.l10n.t('Tied input and output')}: ${value('tied') ? 'yes' : 'no'}${changed('tied')}`,
      });
    }
    const pick = await vscode.window.showQuickPick(items, {
      title: vscode.l10n.t('Retrain {0}', config.trainer),
      placeHolder: vscode.l10n.t('Change something, or train'),
    });
    if (!pick) return undefined;
    if (pick.action === 'go') return [...changes].map(([key, v]) => `${key}=${String(v)}`);
    if (pick.action === 'tied') {
      const next = !value('tied');
      if (next === config.tied) changes.delete('tied');
      else changes.set('tied', next);
      continue;
    }
    const asked = await askInteger(pick.action, value(pick.action));
    if (asked === undefined) continue;
    if (asked === config[pick.action]) changes.delete(pick.action);
    else changes.set(pick.action, asked);
  }
}

const LIMITS: Record<'epochs' | 'dim', [number, number]> = { epochs: [1, 1000], dim: [1, 4096] };

async function askInteger(key: 'epochs' | 'dim', current: number): Promise<number | undefined> {
  const [low, high] = LIMITS[key];
  const text = await vscode.window.showInputBox({
    title: key === 'epochs' ? vscode.l10n.t('Epochs') : vscode.l10n.t('Dimension'),
    value: String(current),
    validateInput: (input) => {
      const n = Number(input);
      return Number.isInteger(n) && n >= low && n <= high ? undefined : vscode.l10n.t('Expected a whole number from {0} to {1}', low, high);
    },
  });
  return text === undefined ? undefined : Number(text);
}
