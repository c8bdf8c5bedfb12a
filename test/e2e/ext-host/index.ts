// Mocha entry that VS Code's extension host loads as extensionTestsPath (bundled by test/e2e/lib/ext-host.ts).
// It runs every *.suite.js next to it and writes the results as JSON to $EXT_TEST_RESULTS: the extension host's
// console reaches the driver only as log lines, the file is what the driver reads.
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Mocha from 'mocha';
// eslint-disable-next-line no-restricted-imports -- this file runs inside VS Code's extension host
import { version as vscodeVersion } from 'vscode';

/** One test's outcome as the driver reads it. */
export interface ExtensionTestResult {
  readonly title: string;
  readonly state: 'passed' | 'failed' | 'pending';
  readonly error?: string;
  readonly durationMs?: number;
}

/** The JSON file the driver reads after the extension host exits. */
export interface ExtensionTestReport {
  readonly passed: number;
  readonly failures: number;
  readonly results: readonly ExtensionTestResult[];
  readonly node: string;
  readonly vscode: string;
}

/** A test that waits for the extension or a panel gets this long; each suite can set its own. */
const DEFAULT_TIMEOUT_MS = 30_000;

/** Runs the suites; resolves when all passed, rejects otherwise (the extension host then exits with code 1). */
export async function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'tdd', color: false, reporter: 'spec', timeout: DEFAULT_TIMEOUT_MS });
  const grep = process.env['EXT_TEST_GREP'];
  if (grep !== undefined && grep !== '') mocha.grep(grep);
  for (const file of readdirSync(__dirname).sort()) {
    if (file.endsWith('.suite.js')) mocha.addFile(join(__dirname, file));
  }
  const resultsFile = process.env['EXT_TEST_RESULTS'] ?? join(__dirname, 'results.json');
  const results: ExtensionTestResult[] = [];
  const failures = await new Promise<number>((resolve) => {
    const runner = mocha.run(resolve);
    runner.on('pass', (test) => results.push({ title: test.fullTitle(), state: 'passed', durationMs: test.duration ?? 0 }));
    runner.on('pending', (test) => results.push({ title: test.fullTitle(), state: 'pending' }));
    runner.on('fail', (test, error: unknown) => results.push({ title: test.fullTitle(), state: 'failed', error: describeError(error) }));
  });
  const report: ExtensionTestReport = {
    passed: results.filter((result) => result.state === 'passed').length,
    failures,
    results,
    node: process.version,
    vscode: vscodeVersion,
  };
  writeFileSync(resultsFile, JSON.stringify(report, null, 2));
  if (failures > 0) throw new Error(`${failures} extension-host test(s) failed`);
}

function describeError(error: unknown): string {
  return error instanceof Error ? (error.stack ?? `${error.name}: ${error.message}`) : String(error);
}
