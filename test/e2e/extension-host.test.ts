// Runs the mocha suites of test/e2e/ext-host inside a real VS Code extension host (code-server) with the
// extension loaded from the repository (extensionDevelopmentPath = repo root, so `npm run build` must have run),
// and reports every mocha test as its own node:test subtest.
import * as assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { acquireDistLock } from './lib/dist-lock';
import { buildExtensionTests, extensionTestEnv, runExtensionHostTests } from './lib/ext-host';
import { E2E_RUN_DIR, REPO_ROOT } from './lib/paths';
import { logTail, startServer, type RunningServer } from './lib/server';

/** The folder the workbench opens: the checkpoint fixtures, so suites can open real files. */
const WORKSPACE = join(REPO_ROOT, 'test', 'fixtures');
/** Short on purpose: VS Code's unix sockets live under it. */
const RUN_DIR = join(E2E_RUN_DIR, 'ext');
/** Server start + workbench + all suites, with slack for a loaded 2-core machine. */
const SUITES_TIMEOUT_MS = 240_000;

describe('the extension inside a real VS Code extension host', () => {
  let server: RunningServer | undefined;
  let testsEntry = '';
  let unlock: (() => void) | undefined;

  before(async () => {
    unlock = await acquireDistLock(); // `npm run package` (package.test.ts) must not rewrite dist/ under the extension host
    for (const file of ['extension.js', 'worker.js']) {
      assert.ok(existsSync(join(REPO_ROOT, 'dist', file)), `dist/${file} is missing: run \`npm run build\` before the e2e tests`);
    }
    testsEntry = await buildExtensionTests();
    server = await startServer({ workspace: WORKSPACE, runDir: RUN_DIR, env: extensionTestEnv(RUN_DIR) });
  });

  after(async () => {
    await server?.stop();
    unlock?.();
  });

  test('every mocha suite passes, one subtest per mocha test', { timeout: SUITES_TIMEOUT_MS }, async (t) => {
    assert.ok(server, 'the server did not start');
    t.diagnostic(`code-server up in ${server.startMs} ms at ${server.url} (authority ${server.authority})`);
    const run = await runExtensionHostTests({ server, extensionPath: REPO_ROOT, testsEntry, workspace: WORKSPACE });
    t.diagnostic(`extension-host run: ${run.passed} passed, ${run.failures} failed in ${run.durationMs} ms (exit code ${run.exitCode})`);
    for (const result of run.results) {
      await t.test(result.title, (subtest) => {
        if (result.state === 'pending') subtest.skip('pending in mocha');
        if (result.state === 'failed') throw mochaError(result.error);
      });
    }
    assert.ok(run.results.length > 0, `the runner reported no tests; log:\n${run.log.slice(-30).join('\n')}`);
    assert.equal(run.failures, 0, `${run.failures} mocha test(s) failed: see the subtests above`);
    assert.equal(run.exitCode, 0, `the extension host exited with code ${run.exitCode}; server log:\n${logTail(server.logFile)}`);
  });
});

/** The mocha failure as the subtest's error: its stack is the extension host's, not this driver's. */
function mochaError(text: string | undefined): Error {
  const error = new Error(text ?? 'failed without an error message');
  error.stack = error.message;
  return error;
}
