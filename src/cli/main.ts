import { resolve } from 'node:path';
import { CheckpointError } from '../core/errors';
import { openCheckpoint } from '../core/open';
import { nodeFiles } from '../node/node-files';
import { UsageError, choice, integer, parseArgs } from './args';
import { inspectText } from '../core/inspect-text';
import { describeCheckpoint, inspectSummary } from '../core/summary';
import { LookupError } from '../core/token-neighbors';
import { neighborsOf, neighborsText } from './neighbors';
import { compareCommand } from './compare';
import { evalCommand, evalSetPaths } from './eval';
import { trainCommand } from './train';
import { projectCheckpoint, projectCsv, projectJson } from './project';
import { DEFAULT_PROJECTION_SEED } from '../core/analysis/projection';
import type { Checkpoint } from '../core/checkpoint';
import { writeFileAtomic } from '../node/atomic-write';

const USAGE = `embedding-lens — look inside embedding checkpoints

  embedding-lens inspect PATH [--json] [--format ID]
  embedding-lens project PATH [--method umap|pca] [--dims 2|3] [--matrix input|output|joint] [--limit N] [--seed S]
                         [--out FILE.json|FILE.csv]
      without --out the schema-1 JSON goes to stdout; --limit keeps the N most frequent tokens
  embedding-lens neighbors PATH TOKEN [--k 10] [--matrix input|output|cross] [--metric cosine|dot|euclidean] [--json]
      --matrix cross ranks V's rows by uᵢ·V (default metric dot: the score SGNS trains)
  embedding-lens compare PATH [--against PATH2] [--k 10] [--json]
      U vs V of one checkpoint, or U vs U′ of PATH2 on the shared vocabulary (aligned by orthogonal Procrustes)
  embedding-lens eval PATH [--matrix input|output|sum] [--wordsim F] [--simlex F] [--analogies F] [--json]
      Spearman ρ on word-pair sets, 3CosAdd analogy accuracy (top 30,000 rows); at least one set is required
  embedding-lens train CONFIG.json [--set key=value ...] [--json]
      trains as the config says (sgns, cbow, glove, classifier, lm); progress on stderr, the run folder and scores on stdout

Exit codes: 0 ok, 1 unknown token, 2 bad input or usage.`;

/** Bounds of --limit and --seed (rows of the largest vocabularies; seeds are 32-bit). */
const MAX_ROWS = 100_000_000;
const MAX_SEED = 2 ** 32 - 1;

/** Largest k we serve: beyond this a neighbour list is a dump, not an answer. */
const MAX_K = 10_000;

/** Runs the CLI; returns the exit code. Output goes through the two writers so tests can capture it. */
export async function main(
  argv: readonly string[],
  out: (text: string) => void,
  err: (text: string) => void,
  signal?: AbortSignal,
): Promise<number> {
  try {
    const { positional, flags } = parseArgs(argv);
    const [command, path, token] = positional;
    if (flags.has('help') || command === undefined || command === 'help') {
      out(USAGE);
      return command === undefined && !flags.has('help') ? 2 : 0;
    }
    const commands = ['inspect', 'neighbors', 'project', 'compare', 'eval', 'train'];
    if (!commands.includes(command)) throw new UsageError(`unknown command "${command}"; expected ${commands.join(', ')}`);
    if (path === undefined) throw new UsageError(`${command} expects ${command === 'train' ? 'a CONFIG.json' : 'a PATH'}`);
    if (command === 'train') {
      await trainCommand(path, argv, flags.has('json'), out, err, signal);
      return 0;
    }
    if (command === 'eval') evalSetPaths(flags); // a missing set is a usage mistake: say so before opening the checkpoint
    const json = flags.has('json');
    const format = flags.get('format');
    const checkpoint = await openCheckpoint(toPosix(resolve(path)), nodeFiles, format === undefined ? {} : { format });
    try {
      if (command === 'inspect') {
        out(json ? JSON.stringify(inspectSummary(checkpoint), null, 2) : inspectText(describeCheckpoint(checkpoint)));
        return 0;
      }
      if (command === 'project') {
        out(await runProject(checkpoint, flags));
        return 0;
      }
      if (command === 'compare') {
        const result = await compareCommand(checkpoint, flags, (other) => openCheckpoint(toPosix(resolve(other)), nodeFiles));
        out(json ? JSON.stringify(result.summary, null, 2) : result.text);
        return 0;
      }
      if (command === 'eval') {
        const result = await evalCommand(checkpoint, flags, nodeFiles, signal);
        out(json ? JSON.stringify(result.report, null, 2) : result.text);
        return 0;
      }
      if (token === undefined) throw new UsageError('neighbors expects a TOKEN after the PATH');
      const space = choice(flags, 'matrix', ['input', 'output', 'cross'] as const, 'input');
      const result = await neighborsOf(
        checkpoint,
        token,
        integer(flags, 'k', 10, MAX_K),
        space,
        choice(flags, 'metric', ['cosine', 'dot', 'euclidean'] as const, space === 'cross' ? 'dot' : 'cosine'),
      );
      out(json ? JSON.stringify(result, null, 2) : neighborsText(result));
      return 0;
    } finally {
      await checkpoint.close();
    }
  } catch (error) {
    if (error instanceof LookupError) {
      err(error.message);
      return error.code === 'unknown-token' ? 1 : 2;
    }
    if (error instanceof CheckpointError || error instanceof UsageError) {
      err(error.message);
      return 2;
    }
    // Anything else is our bug: still one line for the user, the stack only on request.
    err(`embedding-lens: internal error: ${(error as Error).message ?? String(error)}`);
    if (process.env['EMBEDDING_LENS_DEBUG']) err((error as Error).stack ?? '');
    return 70;
  }
}

/** `project`: computes the layout, then writes it to --out (one summary line on stdout) or prints the JSON. */
async function runProject(checkpoint: Checkpoint, flags: Map<string, string>): Promise<string> {
  const method = choice(flags, 'method', ['umap', 'pca'] as const, 'umap');
  const dims = Number(choice(flags, 'dims', ['2', '3'] as const, '2')) as 2 | 3;
  const space = choice(flags, 'matrix', ['input', 'output', 'joint'] as const, 'input');
  const limit = flags.has('limit') ? integer(flags, 'limit', 0, MAX_ROWS) : undefined;
  const seed = integer(flags, 'seed', DEFAULT_PROJECTION_SEED, MAX_SEED);
  const outPath = flags.get('out');
  const format =
    outPath === undefined
      ? 'json'
      : outPath.toLowerCase().endsWith('.csv')
        ? 'csv'
        : outPath.toLowerCase().endsWith('.json')
          ? 'json'
          : undefined;
  if (format === undefined) throw new UsageError(`--out expects a file ending in .json or .csv, got "${outPath}"`);
  const started = performance.now();
  const output = await projectCheckpoint(
    checkpoint,
    { method, dims, space, seed, ...(limit === undefined ? {} : { limit }) },
    () => undefined,
  );
  const seconds = (performance.now() - started) / 1000;
  const tokens = checkpoint.vocab.tokens;
  const document =
    format === 'csv' ? projectCsv(tokens, output) : JSON.stringify(projectJson(checkpoint.path, tokens, output, seconds), null, 1);
  if (outPath === undefined) return document;
  await writeFileAtomic(resolve(outPath), document);
  return `${output.rows.length.toLocaleString('en-US')} points (${method.toUpperCase()}, ${dims}-D) written to ${outPath} in ${seconds.toFixed(1)} s`;
}

function toPosix(path: string): string {
  return process.platform === 'win32' ? path.replace(/\\/g, '/') : path;
}
