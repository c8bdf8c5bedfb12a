// Workspace Trust: in Restricted Mode (an untrusted folder) viewing a checkpoint still works — files are parsed as
// data, never executed — since the manifest declares limited support for untrusted workspaces. Writing files
// (exports) is refused there.
import * as assert from 'node:assert/strict';
import { cpSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { launchBrowser, type LaunchedBrowser } from './lib/browser';
import { neighborTokens, openCheckpoint, PANEL_TIMEOUT_MS, search } from './lib/lens';
import { E2E_RUN_DIR, REPO_ROOT } from './lib/paths';
import { startServer, type RunningServer } from './lib/server';
import { withVsix } from './lib/vsix';
import { openWorkbench, screenshot, waitForRestrictedMode } from './lib/workbench';

const WORKSPACE = join(E2E_RUN_DIR, 'ws-untrusted');

describe('an untrusted workspace', () => {
  let server: RunningServer | undefined;
  let browser: LaunchedBrowser | undefined;

  before(async () => {
    rmSync(WORKSPACE, { recursive: true, force: true });
    mkdirSync(join(WORKSPACE, 'checkpoints'), { recursive: true });
    cpSync(join(REPO_ROOT, 'test', 'fixtures', 'word2vec', 'vectors.bin'), join(WORKSPACE, 'checkpoints', 'vectors.bin'));
    // Packaged by package.test.ts or panel.test.ts when they ran first.
    server = await withVsix((vsix) => startServer({ workspace: WORKSPACE, runDir: join(E2E_RUN_DIR, 'untrusted'), trust: false, vsix }), {
      onlyIfMissing: true,
    });
    browser = await launchBrowser();
    await openWorkbench(browser.page, server.url, WORKSPACE);
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('opens in Restricted Mode and still shows a checkpoint with its neighbours', async () => {
    const page = (browser as LaunchedBrowser).page;
    await waitForRestrictedMode(page);
    const frame = await openCheckpoint(page, 'checkpoints/vectors.bin');
    await frame.locator('canvas[data-drawn="1452"]').waitFor({ timeout: PANEL_TIMEOUT_MS });
    await search(frame, 'king');
    assert.equal((await neighborTokens(frame, 'input')).length, 10);
    await screenshot(page, 'panel-untrusted');
    // Exports write files: refused with a line saying why, and nothing is written.
    await frame.locator('[data-testid="export"]').click();
    await frame.locator('[data-testid="export-coordinates"]').click();
    await frame.locator('[data-testid="export-status"]', { hasText: 'trust this workspace first' }).waitFor({ timeout: PANEL_TIMEOUT_MS });
    assert.deepEqual(readdirSync(join(WORKSPACE, 'checkpoints')), ['vectors.bin']);
  });
});
