// The user's path in a real VS Code: install the packaged .vsix, open a model source, run "Open Checkpoint…" from
// the palette, and check what the panel shows against the CLI — in dark and light themes, with hostile tokens and
// with a file the loader refuses. Screenshots land in test/e2e/.run/artifacts/.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { launchBrowser, type LaunchedBrowser } from './lib/browser';
import { E2E_RUN_DIR, REPO_ROOT } from './lib/paths';
import { startServer, type RunningServer } from './lib/server';
import { withVsix } from './lib/vsix';
import { shortToken } from '../../webview/token-text';
import { activePanel, neighborTokens, openCheckpoint, PANEL_TIMEOUT_MS, search } from './lib/lens';
import { openWorkbench, quickOpen, screenshot, setColorTheme } from './lib/workbench';

const WORKSPACE = join(E2E_RUN_DIR, 'ws-panel');
const RUN_DIR = join(E2E_RUN_DIR, 'ui');
const FIXTURES = join(REPO_ROOT, 'test', 'fixtures');

interface CliNeighbors {
  readonly neighbors: readonly { token: string; score: number }[];
}

/** The fixture workspace: a model source and checkpoints made by the real tools, plus a truncated copy of one. */
function makeWorkspace(): void {
  rmSync(WORKSPACE, { recursive: true, force: true });
  mkdirSync(join(WORKSPACE, 'checkpoints', 'broken'), { recursive: true });
  cpSync(join(REPO_ROOT, 'demo', 'models'), join(WORKSPACE, 'models'), { recursive: true });
  cpSync(join(FIXTURES, 'word2vec', 'vectors.bin'), join(WORKSPACE, 'checkpoints', 'word2vec', 'vectors.bin'));
  cpSync(join(FIXTURES, 'glove'), join(WORKSPACE, 'checkpoints', 'glove'), { recursive: true });
  cpSync(join(FIXTURES, 'hostile'), join(WORKSPACE, 'checkpoints', 'hostile'), { recursive: true });
  const whole = readFileSync(join(FIXTURES, 'word2vec', 'vectors.bin'));
  writeFileSync(join(WORKSPACE, 'checkpoints', 'broken', 'truncated.bin'), whole.subarray(0, 1000));
}

function cli(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [join(REPO_ROOT, 'dist', 'cli.js'), ...args], { encoding: 'utf8' });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('the panel in a real VS Code, installed from the .vsix', () => {
  let server: RunningServer | undefined;
  let browser: LaunchedBrowser | undefined;
  const dialogs: string[] = [];

  before(async () => {
    makeWorkspace();
    server = await withVsix((vsix) => startServer({ workspace: WORKSPACE, runDir: RUN_DIR, vsix }));
    browser = await launchBrowser();
    browser.page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    await openWorkbench(browser.page, server.url, WORKSPACE);
  });

  after(async () => {
    if (browser) writeFileSync(join(E2E_RUN_DIR, 'artifacts', 'ui-console.log'), `${browser.consoleLines.join('\n')}\n`);
    await browser?.close();
    await server?.stop();
  });

  it('opens a word2vec checkpoint beside the model source and shows the header figures', async (t) => {
    const page = (browser as LaunchedBrowser).page;
    await setColorTheme(page, 'Default Dark Modern');
    await quickOpen(page, 'keras_sentiment.py');
    const started = performance.now();
    await openCheckpoint(page, 'checkpoints/word2vec/vectors.bin');
    const frame = await activePanel(page, 'word2vec/vectors.bin');
    await frame.locator('[data-testid="header"]').waitFor({ timeout: PANEL_TIMEOUT_MS });
    await frame.locator('canvas[data-drawn="1452"]').waitFor({ timeout: PANEL_TIMEOUT_MS });
    t.diagnostic(`palette → first picture: ${Math.round(performance.now() - started)} ms`);
    assert.equal((await frame.locator('[data-testid="format"]').textContent())?.trim(), 'word2vec-binary');
    assert.match((await frame.locator('[data-testid="vocab"]').textContent()) ?? '', /^1,452 tokens/);
    assert.match((await frame.locator('[data-testid="matrices"]').textContent()) ?? '', /1,452 × 16/);
    assert.equal(await page.locator('.editor-group-container').count(), 2, 'the panel opened in a second group, beside the source');
    assert.equal(await page.locator('.tabs-container .tab', { hasText: 'keras_sentiment.py' }).count(), 1);
    const renderer = await frame.locator('canvas[data-testid="scatter"]').getAttribute('data-renderer');
    t.diagnostic(`scatter renderer: ${renderer}`);
    await page.locator('.statusbar-item', { hasText: 'word2vec/vectors.bin' }).first().waitFor({ timeout: PANEL_TIMEOUT_MS });
  });

  it('finds a token by search and lists the same neighbours as the CLI', async () => {
    const page = (browser as LaunchedBrowser).page;
    const frame = await activePanel(page, 'word2vec/vectors.bin');
    await search(frame, 'king');
    await frame.locator('[data-testid="selected-token"]', { hasText: 'king' }).waitFor({ timeout: PANEL_TIMEOUT_MS });
    assert.match((await frame.locator('[data-testid="search-count"]').textContent()) ?? '', /\d+ match/);
    const shown = await neighborTokens(frame, 'input');
    const expected = JSON.parse(
      cli(['neighbors', join(WORKSPACE, 'checkpoints', 'word2vec', 'vectors.bin'), 'king', '--k', '10', '--json']).stdout,
    ) as CliNeighbors;
    assert.deepEqual(
      shown,
      expected.neighbors.map((n) => n.token),
    );
    await screenshot(page, 'panel-dark');
  });

  it('selects a neighbour when it is clicked', async () => {
    const page = (browser as LaunchedBrowser).page;
    const frame = await activePanel(page, 'word2vec/vectors.bin');
    const second = (await neighborTokens(frame, 'input'))[1] as string;
    await frame.locator('[data-testid="neighbors-input"] button').nth(1).click();
    await frame.locator('[data-testid="selected-token"]', { hasText: second }).waitFor({ timeout: PANEL_TIMEOUT_MS });
  });

  it('looks right in the light theme', async () => {
    const page = (browser as LaunchedBrowser).page;
    await setColorTheme(page, 'Default Light Modern');
    const frame = await activePanel(page, 'word2vec/vectors.bin');
    await frame.locator('body.vscode-light').waitFor({ timeout: PANEL_TIMEOUT_MS });
    await screenshot(page, 'panel-light');
    await setColorTheme(page, 'Default Dark Modern');
  });

  it('shows U and V neighbour lists and frequency colours for a GloVe checkpoint', async () => {
    const page = (browser as LaunchedBrowser).page;
    await openCheckpoint(page, 'checkpoints/glove/vectors.bin');
    const frame = await activePanel(page, 'glove/vectors.bin');
    await frame.locator('[data-testid="legend"]').waitFor({ timeout: PANEL_TIMEOUT_MS });
    await search(frame, 'king');
    const inV = await neighborTokens(frame, 'output');
    const expected = JSON.parse(
      cli(['neighbors', join(WORKSPACE, 'checkpoints', 'glove', 'vectors.bin'), 'king', '--k', '10', '--matrix', 'output', '--json'])
        .stdout,
    ) as CliNeighbors;
    assert.deepEqual(
      inV,
      expected.neighbors.map((n) => n.token),
    );
    await screenshot(page, 'panel-glove');
  });

  it('renders hostile tokens as text: no markup, no script, no dialog, layout intact', async () => {
    const page = (browser as LaunchedBrowser).page;
    const truth = JSON.parse(readFileSync(join(FIXTURES, 'hostile', 'expected.json'), 'utf8')) as {
      probe: string;
      neighbors10: { token: string }[];
    };
    await openCheckpoint(page, 'checkpoints/hostile/vectors.npy');
    const frame = await activePanel(page, 'hostile/vectors.npy');
    await frame.locator('canvas[data-testid="scatter"]').waitFor({ timeout: PANEL_TIMEOUT_MS });
    await search(frame, truth.probe);
    await frame.locator('[data-testid="selected-token"]', { hasText: truth.probe }).waitFor({ timeout: PANEL_TIMEOUT_MS });
    const shown = await neighborTokens(frame, 'input');
    // Exactly numpy's neighbours, as text (long ones cut the way the list cuts them).
    assert.deepEqual(
      shown,
      truth.neighbors10.map((n) => shortToken(n.token, 60).trim()),
    );
    await search(frame, 'onerror');
    await frame.locator('[data-testid="search-count"]', { hasText: /[1-9]\d* match/ }).waitFor({ timeout: PANEL_TIMEOUT_MS });
    // The page draws its own SVG (links over the plot, the selects' chevrons); a token must never add markup.
    assert.equal(
      await frame.locator('img, iframe, foreignObject, svg image, svg script, [onerror], [onload]').count(),
      0,
      'no element was made from a token',
    );
    assert.equal(await frame.locator('script', { hasText: 'alert' }).count(), 0, 'no script was made from a token');
    assert.deepEqual(dialogs, [], 'no alert() ran');
    const width = await frame.locator('.neighbors').evaluate((node) => node.scrollWidth <= node.clientWidth + 1);
    assert.ok(width, 'a 2,000-character token does not widen the neighbour list');
    await screenshot(page, 'panel-hostile');
  });

  it('shows the loader’s one-line error in place for a truncated file', async () => {
    const page = (browser as LaunchedBrowser).page;
    const path = join(WORKSPACE, 'checkpoints', 'broken', 'truncated.bin');
    await openCheckpoint(page, 'checkpoints/broken/truncated.bin');
    const frame = await activePanel(page, 'broken/truncated.bin');
    const message = frame.locator('[data-testid="error-message"]');
    await message.waitFor({ timeout: PANEL_TIMEOUT_MS });
    const fromCli = cli(['inspect', path]);
    assert.equal(fromCli.status, 2);
    assert.equal((await message.textContent())?.trim(), fromCli.stderr.trim());
    assert.equal((await frame.locator('[data-testid="error-code"]').textContent())?.trim(), 'code: truncated');
    await screenshot(page, 'panel-error');
  });
});
