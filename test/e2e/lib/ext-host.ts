// Runs mocha suites inside a real VS Code extension host (code-server), the way VS Code's own browser integration
// tests do: the workbench URL carries a `payload` with extensionDevelopmentPath and extensionTestsPath as
// vscode-remote:// URIs on the server's file system; when the tests end the workbench calls
// window.codeAutomationExit(code), and window.codeAutomationLog receives its log lines and the extension host's
// console (mocha's reporter). The suites' results come back as JSON through $EXT_TEST_RESULTS.
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { SourceMap } from 'node:module';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { format } from 'node:util';
import { build } from 'esbuild';
import { ARTIFACTS_DIR, E2E_RUN_DIR, REPO_ROOT } from './paths';
import { launchBrowser } from './browser';
import type { ExtensionTestReport, ExtensionTestResult } from '../ext-host/index';
import type { RunningServer } from './server';

/** The suites' source folder: index.ts (the mocha runner) and *.suite.ts. */
export const EXT_TESTS_SOURCE = join(REPO_ROOT, 'test', 'e2e', 'ext-host');
/** Where buildExtensionTests writes the bundles. */
export const EXT_TESTS_OUT = join(E2E_RUN_DIR, 'ext-tests');
/** Environment variable that tells the runner (inside the extension host) where to write its JSON results. */
export const RESULTS_ENV = 'EXT_TEST_RESULTS';

/** The runner's JSON report (see test/e2e/ext-host/index.ts) plus what the driver measured. */
export interface ExtensionTestRun {
  readonly passed: number;
  readonly failures: number;
  readonly results: readonly ExtensionTestResult[];
  /** The extension host's exit code as the workbench reported it (0 = all passed). */
  readonly exitCode: number;
  /** Page load → codeAutomationExit. */
  readonly durationMs: number;
  /** The workbench's and extension host's log lines. */
  readonly log: readonly string[];
}

/** Options of runExtensionHostTests. */
export interface ExtensionTestOptions {
  /** A server started with `env: extensionTestEnv(runDir)`. */
  readonly server: RunningServer;
  /** Folder of the extension under test (holds package.json); loaded as extensionDevelopmentPath. */
  readonly extensionPath: string;
  /** The bundled runner (buildExtensionTests' result): a file or folder whose module exports run(). */
  readonly testsEntry: string;
  /** Folder the workbench opens. */
  readonly workspace: string;
  /** Give up after this long without codeAutomationExit; default 180 s. */
  readonly timeoutMs?: number;
}

/** Default for timeoutMs: workbench start (7–14 s measured) plus suites, on a loaded 2-core machine. */
const DEFAULT_TIMEOUT_MS = 180_000;

/** The server environment the runner needs: where to write its results (a file in the server's runDir). */
export function extensionTestEnv(runDir: string): Record<string, string> {
  return { [RESULTS_ENV]: resultsFile(resolve(runDir)) };
}

function resultsFile(runDir: string): string {
  return join(runDir, 'ext-test-results.json');
}

/**
 * Bundles test/e2e/ext-host/index.ts and every *.suite.ts into `outDir` (CommonJS for Node, `vscode` external).
 * Mocha (an ES module package that the extension host would have to require) is bundled once into
 * outDir/node_modules/mocha, so the runner and every suite share one mocha instance through `import ... from 'mocha'`.
 * Returns the runner file to pass as testsEntry.
 */
export async function buildExtensionTests(outDir: string = EXT_TESTS_OUT): Promise<string> {
  rmSync(outDir, { recursive: true, force: true });
  const suites = readdirSync(EXT_TESTS_SOURCE).filter((file) => file.endsWith('.suite.ts'));
  if (suites.length === 0) throw new Error(`no *.suite.ts in ${EXT_TESTS_SOURCE}`);
  const common = { bundle: true, platform: 'node', format: 'cjs', target: 'node20', sourcemap: 'inline', logLevel: 'error' } as const;
  await build({
    ...common,
    entryPoints: [join(REPO_ROOT, 'node_modules', 'mocha', 'lib', 'mocha.cjs')],
    outfile: join(outDir, 'node_modules', 'mocha', 'index.js'),
    sourcemap: false,
  });
  await build({
    ...common,
    entryPoints: ['index.ts', ...suites].map((file) => join(EXT_TESTS_SOURCE, file)),
    outdir: outDir,
    external: ['vscode', 'mocha'],
  });
  return join(outDir, 'index.js');
}

/** Opens the workbench with the test payload, waits for the extension host to exit, and returns the runner's results. */
export async function runExtensionHostTests(options: ExtensionTestOptions): Promise<ExtensionTestRun> {
  const { server } = options;
  const results = resultsFile(server.runDir);
  rmSync(results, { force: true });
  const remote = (path: string): string => `vscode-remote://${server.authority}${resolve(path)}`;
  const payload = JSON.stringify([
    ['extensionDevelopmentPath', remote(options.extensionPath)],
    ['extensionTestsPath', remote(options.testsEntry)],
    ['skipWelcome', 'true'],
  ]);
  const url = `${server.url}/?folder=${encodeURIComponent(resolve(options.workspace))}&payload=${encodeURIComponent(payload)}`;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;

  const browser = await launchBrowser();
  const log: string[] = [];
  const started = performance.now();
  let exitCode: number | undefined;
  try {
    const exited = new Promise<number>((resolveExit) => {
      // The workbench calls this when the extension host that ran the tests exits.
      void browser.page.exposeFunction('codeAutomationExit', (code: number) => resolveExit(code));
    });
    // When this function exists the workbench forwards its log lines, and the extension host's console with them.
    await browser.page.exposeFunction('codeAutomationLog', (type: string, args: unknown) => {
      log.push(`[${type}] ${format(...(Array.isArray(args) ? args : [args]))}`);
    });
    await browser.page.goto(url, { waitUntil: 'domcontentloaded' });
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<undefined>((resolveTimeout) => {
      timer = setTimeout(() => resolveTimeout(undefined), timeoutMs);
    });
    exitCode = await Promise.race([exited, timedOut]);
    clearTimeout(timer);
  } finally {
    mkdirSync(ARTIFACTS_DIR, { recursive: true });
    writeFileSync(
      join(ARTIFACTS_DIR, 'ext-host-tests.log'),
      [...log, '--- browser console ---', ...browser.consoleLines].join('\n') + '\n',
    );
    if (exitCode !== 0) await browser.page.screenshot({ path: join(ARTIFACTS_DIR, 'ext-host-tests-failure.png') }).catch(() => undefined);
    await browser.close();
  }
  const durationMs = Math.round(performance.now() - started);
  if (exitCode === undefined) {
    throw new Error(`the extension host reported no exit within ${timeoutMs} ms; last log lines:\n${log.slice(-30).join('\n')}`);
  }
  if (!existsSync(results)) {
    throw new Error(
      `the extension host exited with code ${exitCode} but wrote no results to ${results} ` +
        `(was the server started with env: extensionTestEnv(runDir)?); last log lines:\n${log.slice(-30).join('\n')}`,
    );
  }
  const report = JSON.parse(readFileSync(results, 'utf8')) as ExtensionTestReport;
  const outDir = dirname(resolve(options.testsEntry));
  const mapped = report.results.map((result) =>
    result.error === undefined ? result : { ...result, error: mapStack(result.error, outDir) },
  );
  return { passed: report.passed, failures: report.failures, results: mapped, exitCode, durationMs, log };
}

/**
 * Rewrites `file.js:line:col` frames of the bundles in `outDir` to their TypeScript sources through the bundles'
 * inline source maps (the extension host formats stacks itself, so Node's source-map support does not apply there).
 */
export function mapStack(stack: string, outDir: string = EXT_TESTS_OUT): string {
  const maps = new Map<string, SourceMap | undefined>();
  return stack.replace(/[^\s()]*?([\w.-]+\.js):(\d+):(\d+)/g, (frame, file: string, line: string, column: string) => {
    const bundle = join(outDir, basename(file));
    if (!maps.has(bundle)) maps.set(bundle, inlineSourceMap(bundle));
    const entry = maps.get(bundle)?.findEntry(Number(line) - 1, Number(column) - 1);
    if (entry === undefined || !('originalSource' in entry)) return frame;
    const source = relative(REPO_ROOT, resolve(dirname(bundle), entry.originalSource));
    return `${source}:${entry.originalLine + 1}:${entry.originalColumn + 1}`;
  });
}

function inlineSourceMap(bundle: string): SourceMap | undefined {
  if (!existsSync(bundle)) return undefined;
  const match = /\/\/# sourceMappingURL=data:application\/json;base64,([A-Za-z0-9+/=]+)\s*$/.exec(readFileSync(bundle, 'utf8'));
  if (match?.[1] === undefined) return undefined;
  return new SourceMap(JSON.parse(Buffer.from(match[1], 'base64').toString('utf8')) as ConstructorParameters<typeof SourceMap>[0]);
}
