import { main } from '../../../src/cli/main';

/** What one in-process CLI run printed, and its exit code. */
export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the CLI in-process and captures what it prints. */
export async function runCli(...args: string[]): Promise<CliRun> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(
    args,
    (text) => out.push(text),
    (text) => err.push(text),
  );
  return { code, stdout: out.join('\n'), stderr: err.join('\n') };
}
