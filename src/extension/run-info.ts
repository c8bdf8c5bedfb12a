import { readFile, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { TrainedRunInfo } from '../protocol/panel';

/** A manifest larger than this is not ours (ours are a few kB): it is not read. */
const MAX_MANIFEST_BYTES = 1 << 20;

/** A run Embedding Lens trained: its folder and its parsed manifest. */
export interface TrainedRun {
  readonly folder: string;
  readonly manifest: Record<string, unknown>;
}

/** The run a checkpoint path belongs to (the folder itself, or the folder of one of its files), or null. */
export async function trainedRunOf(path: string): Promise<TrainedRun | null> {
  const folder = (await isFolder(path)) ? path : dirname(path);
  const manifest = await manifestOf(folder);
  return manifest ? { folder, manifest } : null;
}

/** The header facts of a run Embedding Lens trained, or null when `path` is not inside such a run. */
export async function trainedRunInfo(path: string): Promise<TrainedRunInfo | null> {
  const run = await trainedRunOf(path);
  if (!run) return null;
  const { manifest } = run;
  const number = (key: string): number | null => (typeof manifest[key] === 'number' ? (manifest[key] as number) : null);
  const config = (typeof manifest['config'] === 'object' && manifest['config'] !== null ? manifest['config'] : {}) as Record<
    string,
    unknown
  >;
  const parts: string[] = [];
  if (typeof config['epochs'] === 'number') parts.push(`${config['epochs']} epoch${config['epochs'] === 1 ? '' : 's'}`);
  if (number('dim') !== null) parts.push(`dim ${number('dim')}`);
  const tokens = number('rawTokens');
  const rate = number('tokensPerSecond');
  if (tokens !== null)
    parts.push(`${tokens.toLocaleString('en-US')} tokens${rate ? ` at ${Math.round(rate).toLocaleString('en-US')} tokens/s` : ''}`);
  const loss = number('loss');
  if (loss !== null) parts.push(`final loss ${loss.toFixed(3)}`);
  const scores = evalText(manifest['eval']);
  if (scores) parts.push(scores);
  return {
    trainer: typeof manifest['trainer'] === 'string' ? manifest['trainer'] : 'unknown',
    tied: manifest['tied'] === true,
    summary: parts.join(', '),
  };
}

/** "U: WordSim ρ 0.512, SimLex ρ 0.214, analogies 12.3%" from the manifest's evaluation, or '' without one. */
function evalText(evaluation: unknown): string {
  const input = (evaluation as { input?: Record<string, { spearman?: unknown; accuracy?: unknown } | undefined> } | null)?.input;
  if (!input) return '';
  const parts: string[] = [];
  const rho = (value: unknown): string | null => (typeof value === 'number' ? value.toFixed(3) : null);
  const wordsim = rho(input['wordsim']?.spearman);
  const simlex = rho(input['simlex']?.spearman);
  const accuracy = input['analogies']?.accuracy;
  if (wordsim) parts.push(`WordSim ρ ${wordsim}`);
  if (simlex) parts.push(`SimLex ρ ${simlex}`);
  if (typeof accuracy === 'number') parts.push(`analogies ${(accuracy * 100).toFixed(1)}%`);
  return parts.length > 0 ? `U: ${parts.join(', ')}` : '';
}

async function isFolder(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch {
    return false;
  }
}

/** The folder's manifest.json when Embedding Lens wrote it (producer 'embedding-lens'), else null. */
async function manifestOf(folder: string): Promise<Record<string, unknown> | null> {
  const path = join(folder, 'manifest.json');
  try {
    if ((await stat(path)).size > MAX_MANIFEST_BYTES) return null;
    const parsed: unknown = JSON.parse(await readFile(path, 'utf8'));
    if (typeof parsed !== 'object' || parsed === null || (parsed as { producer?: unknown }).producer !== 'embedding-lens') return null;
    return parsed as Record<string, unknown>;
  } catch {
    return null;
  }
}
