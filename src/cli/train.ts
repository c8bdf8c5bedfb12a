import { resolve } from 'node:path';
import type { TrainProgress } from '../core/train/train-types';
import type { TrainSummary } from '../core/train/train-summary';
import { loadTrainConfig, trainFromConfig } from '../node/train-run';
import { UsageError } from './args';

/** Shortest gap between two progress lines on stderr (ms): readable, and under the one report a second. */
const PROGRESS_EVERY_MS = 1000;

/** Every `--set key=value` of the command line, in order (the flag map keeps only the last of a repeated flag). */
export function setOverrides(argv: readonly string[]): string[] {
  const found: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === '--') break;
    if (arg.startsWith('--set=')) found.push(arg.slice('--set='.length));
    else if (arg === '--set') {
      const value = argv[i + 1];
      if (value === undefined) throw new UsageError('--set expects key=value');
      found.push(value);
      i++;
    }
  }
  return found;
}

/**
 * `train CONFIG.json [--set key=value ...] [--json]`: progress on stderr (at most once a second), the summary on
 * stdout — the schema-1 JSON with --json, else a few readable lines. Ctrl-C cancels and leaves no run behind.
 */
export async function trainCommand(
  configPath: string,
  argv: readonly string[],
  json: boolean,
  out: (text: string) => void,
  err: (text: string) => void,
  signal?: AbortSignal,
): Promise<TrainSummary> {
  const path = resolve(configPath);
  const { config, warnings } = await loadTrainConfig(path, setOverrides(argv));
  for (const warning of warnings) err(`warning: ${warning}`);
  let last = Number.NEGATIVE_INFINITY;
  const throttled = (line: string, force = false): void => {
    const now = performance.now();
    if (!force && now - last < PROGRESS_EVERY_MS) return;
    last = now;
    err(line);
  };
  const summary = await trainFromConfig(path, config, {
    ...(signal ? { signal } : {}),
    onProgress: (progress) => throttled(progressLine(progress)),
    onPhase: (message, fraction) =>
      throttled(fraction === undefined ? message : `${message} ${Math.round(fraction * 100)}%`, fraction === undefined),
  });
  out(json ? JSON.stringify(summary, null, 2) : summaryText(summary));
  return summary;
}

function progressLine(p: TrainProgress): string {
  const loss = p.loss === null ? '' : `, loss ${p.loss.toFixed(4)}`;
  const rate = p.learningRate === undefined ? '' : `, lr ${p.learningRate.toPrecision(3)}`;
  return `epoch ${p.epoch}/${p.epochs} ${Math.round(p.fraction * 100)}%${loss}, ${Math.round(p.tokensPerSecond).toLocaleString('en-US')} tokens/s${rate}`;
}

function summaryText(s: TrainSummary): string {
  const lines = [
    `trained ${s.trainer} → ${s.out}`,
    `  backend          ${s.backend}`,
    `  time             ${s.seconds.toFixed(1)} s, ${Math.round(s.tokensPerSecond).toLocaleString('en-US')} tokens/s while training`,
    `  final loss       ${s.loss === null ? '—' : s.loss.toFixed(4)}`,
  ];
  for (const [matrix, report] of Object.entries(s.eval ?? {})) {
    const parts: string[] = [];
    if (report.wordsim) parts.push(`WordSim ρ ${fixed(report.wordsim.spearman)} (${report.wordsim.covered}/${report.wordsim.pairs})`);
    if (report.simlex) parts.push(`SimLex ρ ${fixed(report.simlex.spearman)} (${report.simlex.covered}/${report.simlex.pairs})`);
    if (report.analogies)
      parts.push(
        `analogies ${fixed(report.analogies.accuracy === null ? null : 100 * report.analogies.accuracy, 1)}% of ${report.analogies.answered}`,
      );
    lines.push(`  eval ${matrix.padEnd(11)} ${parts.join(', ')}`);
  }
  return lines.join('\n');
}

function fixed(value: number | null, digits = 3): string {
  return value === null ? '—' : value.toFixed(digits);
}
