import { defaultsFor, type TrainerName } from './config';

/** Keys written into a new config per trainer (the rest keep their defaults and can be added with completion). */
const PRESET_KEYS: Record<TrainerName, readonly string[]> = {
  sgns: ['dim', 'window', 'negative', 'epochs', 'minCount', 'sample', 'tied', 'seed', 'threads', 'out'],
  cbow: ['dim', 'window', 'negative', 'epochs', 'minCount', 'sample', 'tied', 'seed', 'threads', 'out'],
  glove: ['dim', 'window', 'epochs', 'minCount', 'xMax', 'seed', 'threads', 'out'],
  lm: ['dim', 'hidden', 'cell', 'tied', 'epochs', 'maxVocab', 'sequenceLength', 'heldOut', 'seed', 'out'],
  classifier: ['dim', 'epochs', 'minCount', 'heldOut', 'seed', 'out'],
};

/** The text of a new config for a trainer (tied or not) on `corpus`: the trainer's defaults for the keys that matter. */
export function presetConfigText(trainer: TrainerName, tied: boolean, corpus: string): string {
  const defaults: Record<string, unknown> = { ...defaultsFor(trainer), tied };
  const config: Record<string, unknown> = { trainer, corpus };
  for (const key of PRESET_KEYS[trainer]) config[key] = defaults[key];
  return `${JSON.stringify(config, null, 2)}\n`;
}
