import { resolve } from 'node:path';
import { matrixWithRole, type Checkpoint } from '../core/checkpoint';
import type { FileAccess } from '../core/io/files';
import { ANALOGY_VOCAB_LIMIT, evaluateCheckpoint, type EvalMatrix, type EvalReport } from '../core/eval/evaluate';
import { readEvalSets, type EvalSetPaths } from '../core/eval/eval-sets';
import type { WordPairScore } from '../core/eval/word-pairs';
import { UsageError, choice } from './args';

/** What `eval` prints: the schema-1 report and its readable table. */
export interface EvalOutput {
  readonly report: EvalReport;
  readonly text: string;
}

/** The set flags, in report order. */
const SET_FLAGS = ['wordsim', 'simlex', 'analogies'] as const;

/**
 * The evaluation files named by --wordsim, --simlex and --analogies (resolved against the working directory).
 * At least one is required: evaluating against nothing is a usage mistake, not an empty report.
 */
export function evalSetPaths(flags: Map<string, string>): EvalSetPaths {
  const paths: Record<string, string> = {};
  for (const name of SET_FLAGS) {
    const value = flags.get(name);
    if (value === undefined) continue;
    if (value === '') throw new UsageError(`--${name} expects a file path`);
    paths[name] = toPosix(resolve(value));
  }
  if (Object.keys(paths).length === 0) {
    throw new UsageError('eval expects at least one evaluation set: --wordsim FILE, --simlex FILE or --analogies FILE');
  }
  return paths as EvalSetPaths;
}

/**
 * `eval PATH [--matrix input|output|sum] [--wordsim F] [--simlex F] [--analogies F]`: scores one matrix of `checkpoint`;
 * `signal` (Ctrl-C) cancels.
 */
export async function evalCommand(
  checkpoint: Checkpoint,
  flags: Map<string, string>,
  files: FileAccess,
  signal?: AbortSignal,
): Promise<EvalOutput> {
  const matrix = choice(flags, 'matrix', ['input', 'output', 'sum'] as const, 'input');
  const sets = await readEvalSets(files, evalSetPaths(flags), signal);
  const report = await evaluateCheckpoint(checkpoint, matrix, sets, signal ? { signal } : {});
  return { report, text: evalText(report, checkpoint, sets.analogies !== undefined) };
}

/** Matrix names in the table's title. */
const MATRIX_TITLES: Record<EvalMatrix, string> = { input: 'U (input)', output: 'V (output)', sum: 'U + V' };
/** Width of the set-name column. */
const NAME_WIDTH = 13;
/** Width of the score column. */
const SCORE_WIDTH = 12;

function evalText(report: EvalReport, checkpoint: Checkpoint, withAnalogies: boolean): string {
  const shown = matrixWithRole(checkpoint, report.matrix === 'output' ? 'output' : 'input') ?? matrixWithRole(checkpoint, 'input');
  const shape = shown ? `, ${count(shown.rows)} rows × ${shown.cols}` : '';
  const lines = [
    `${MATRIX_TITLES[report.matrix]} of ${checkpoint.path}${shape}`,
    `  ${'set'.padEnd(NAME_WIDTH)}${'score'.padEnd(SCORE_WIDTH)}coverage`,
  ];
  const pairs = (name: string, score: WordPairScore): void => {
    const rho = score.spearman === null ? 'n/a' : `ρ ${score.spearman.toFixed(4)}`;
    lines.push(`  ${name.padEnd(NAME_WIDTH)}${rho.padEnd(SCORE_WIDTH)}${count(score.covered)} of ${count(score.pairs)} pairs`);
  };
  if (report.wordsim) pairs('WordSim-353', report.wordsim);
  if (report.simlex) pairs('SimLex-999', report.simlex);
  const analogies = report.analogies;
  if (analogies) {
    const accuracy = analogies.accuracy === null ? 'n/a' : `${(analogies.accuracy * 100).toFixed(2)} %`;
    lines.push(
      `  ${'analogies'.padEnd(NAME_WIDTH)}${accuracy.padEnd(SCORE_WIDTH)}${count(analogies.answered)} of ${count(analogies.total)} questions`,
    );
  }
  lines.push(
    '  Spearman ρ of cosine similarity against the human scores; words matched case-insensitively, pairs with a missing word skipped.',
  );
  if (withAnalogies) {
    lines.push(
      `  Analogies: 3CosAdd (b − a + c, nearest by cosine, a, b, c excluded) among the ${count(ANALOGY_VOCAB_LIMIT)} most frequent rows; a question counts when all four words are among them.`,
    );
  }
  return lines.join('\n');
}

function count(value: number): string {
  return value.toLocaleString('en-US');
}

function toPosix(path: string): string {
  return process.platform === 'win32' ? path.replace(/\\/g, '/') : path;
}
