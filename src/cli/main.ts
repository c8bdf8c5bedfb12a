import { resolve } from 'node:path';
import { CheckpointError } from '../core/errors';
import { openCheckpoint } from '../core/open';
import { nodeFiles } from '../node/node-files';
import { UsageError, choice, integer, parseArgs } from './args';
import { inspectText } from '../core/inspect-text';
import { describeCheckpoint, inspectSummary } from '../core/summary';
import { LookupError } from '../core/token-neighbors';
import { neighborsOf, neighborsText } from './neighbors';

const USAGE = `embedding-lens — look inside embedding checkpoints

  embedding-lens inspect PATH [--json] [--format ID]
  embedding-lens neighbors PATH TOKEN [--k 10] [--matrix input|output|cross] [--metric cosine|dot|euclidean] [--json]
      --matrix cross ranks V's rows by uᵢ·V (default metric dot: the score SGNS trains)

Exit codes: 0 ok, 1 unknown token, 2 bad input or usage.`;

/** Largest k we serve: beyond this a neighbour list is a dump, not an answer. */
const MAX_K = 10_000;

/** Runs the CLI; returns the exit code. Output goes through the two writers so tests can capture it. */
export async function main(argv: readonly string[], out: (text: string) => void, err: (text: string) => void): Promise<number> {
  try {
    const { positional, flags } = parseArgs(argv);
    const [command, path, token] = positional;
    if (flags.has('help') || command === undefined || command === 'help') {
      out(USAGE);
      return command === undefined && !flags.has('help') ? 2 : 0;
    }
    if (command !== 'inspect' && command !== 'neighbors')
      throw new UsageError(`unknown command "${command}"; expected inspect or neighbors`);
    if (path === undefined) throw new UsageError(`${command} expects a PATH`);
    const json = flags.has('json');
    const format = flags.get('format');
    const checkpoint = await openCheckpoint(toPosix(resolve(path)), nodeFiles, format === undefined ? {} : { format });
    try {
      if (command === 'inspect') {
        out(json ? JSON.stringify(inspectSummary(checkpoint), null, 2) : inspectText(describeCheckpoint(checkpoint)));
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

function toPosix(path: string): string {
  return process.platform === 'win32' ? path.replace(/\\/g, '/') : path;
}
