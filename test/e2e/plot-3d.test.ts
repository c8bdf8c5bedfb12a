// The 3-D plot in a real VS Code, installed from the .vsix: a 3-D PCA chosen in the projection bar, turned by a drag
// and by the arrow keys, and put back by "Reset view"; a 3-D UMAP; then back to 2-D. Screenshots land in test/e2e/.run/artifacts/.
import * as assert from 'node:assert/strict';
import { cpSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { FrameLocator, Page } from 'playwright-core';
import { launchBrowser, type LaunchedBrowser } from './lib/browser';
import { E2E_RUN_DIR, REPO_ROOT } from './lib/paths';
import { startServer, type RunningServer } from './lib/server';
import { withVsix } from './lib/vsix';
import { openCheckpoint, PANEL_TIMEOUT_MS, search } from './lib/lens';
import { openWorkbench, screenshot, setColorTheme } from './lib/workbench';

const WORKSPACE = join(E2E_RUN_DIR, 'ws-plot-3d');
const RUN_DIR = join(E2E_RUN_DIR, 'plot-3d');
const MODEL = 'checkpoints/gensim/word2vec.model';
/** Rows of the fixture model: every one is drawn. */
const ROWS = 929;

function makeWorkspace(): void {
  rmSync(WORKSPACE, { recursive: true, force: true });
  mkdirSync(join(WORKSPACE, 'checkpoints'), { recursive: true });
  cpSync(join(REPO_ROOT, 'test', 'fixtures', 'gensim', 'side'), join(WORKSPACE, 'checkpoints', 'gensim'), { recursive: true });
}

/** Picks an option of a vscode-single-select by its text, as a user does: open it, click the option. */
async function choose(frame: FrameLocator, testId: string, text: string): Promise<void> {
  const select = frame.locator(`[data-testid="${testId}"]`);
  await select.click();
  await select.locator('li.option', { hasText: text }).first().click({ timeout: 10_000 });
}

/** Where the selected token's label is drawn (its CSS translate), once the plot has placed it. */
async function labelAt(frame: FrameLocator): Promise<{ x: number; y: number }> {
  const label = frame.locator('.label.selected');
  await label.waitFor({ timeout: PANEL_TIMEOUT_MS });
  const transform = (await label.getAttribute('style')) ?? '';
  const match = /translate\((-?[\d.]+)px, (-?[\d.]+)px\)/.exec(transform);
  assert.ok(match, `label transform "${transform}"`);
  return { x: Number(match[1]), y: Number(match[2]) };
}

/** Time for the webview to draw a frame and move its labels (one animation frame; slack for a loaded machine). */
async function frames(page: Page): Promise<void> {
  await page.waitForTimeout(300);
}

describe('the 3-D plot in a real VS Code', () => {
  let server: RunningServer | undefined;
  let browser: LaunchedBrowser | undefined;
  let frame: FrameLocator;

  before(async () => {
    makeWorkspace();
    server = await withVsix((vsix) => startServer({ workspace: WORKSPACE, runDir: RUN_DIR, vsix }));
    browser = await launchBrowser();
    await openWorkbench(browser.page, server.url, WORKSPACE);
    await setColorTheme(browser.page, 'Default Dark Modern');
    frame = await openCheckpoint(browser.page, MODEL);
    await frame.locator(`canvas[data-drawn="${ROWS}"]`).waitFor({ timeout: PANEL_TIMEOUT_MS });
  });

  after(async () => {
    if (browser) {
      mkdirSync(join(E2E_RUN_DIR, 'artifacts'), { recursive: true });
      writeFileSync(join(E2E_RUN_DIR, 'artifacts', 'plot-3d-console.log'), `${browser.consoleLines.join('\n')}\n`);
    }
    await browser?.close();
    await server?.stop();
  });

  it('shows a 3-D PCA that turns with a drag and the arrow keys and comes back with Reset view', async () => {
    const page = (browser as LaunchedBrowser).page;
    const reset = frame.locator('[data-testid="reset-view"]');
    assert.equal(await reset.isVisible(), false, 'no 3-D controls on a 2-D plot');
    await choose(frame, 'projection-dims', '3-D');
    await frame.locator('[data-testid="project"]').click();
    await frame.locator(`canvas[data-dims="3"][data-drawn="${ROWS}"]`).waitFor({ timeout: PANEL_TIMEOUT_MS });
    await frame.locator('[data-testid="caption"]', { hasText: /PCA of .*axes explain [\d.]+% \+ [\d.]+% \+ [\d.]+%/ }).waitFor();
    await reset.waitFor({ state: 'visible' });

    await search(frame, 'king');
    await frame.locator('[data-testid="neighbors-input"] .token').first().waitFor({ timeout: PANEL_TIMEOUT_MS });
    // Selecting centres the view on the token; start from the fitted view.
    await reset.click();
    await frames(page);
    const start = await labelAt(frame);
    await screenshot(page, 'plot-3d-start');

    const canvas = frame.locator('canvas[data-testid="scatter"]');
    const box = await canvas.boundingBox();
    assert.ok(box);
    // Drag from an empty corner (a press on a point would still only turn: a drag never selects).
    const x0 = box.x + box.width * 0.1;
    const y0 = box.y + box.height * 0.9;
    await page.mouse.move(x0, y0);
    await page.mouse.down();
    for (let k = 1; k <= 12; k++) await page.mouse.move(x0 + 12 * k, y0 - 4 * k);
    await page.mouse.up();
    await frames(page);
    const turned = await labelAt(frame);
    assert.ok(Math.hypot(turned.x - start.x, turned.y - start.y) > 5, `the label moved with the turn: ${JSON.stringify([start, turned])}`);
    assert.equal(await frame.locator('[data-testid="neighbors-input"] .token').first().isVisible(), true, 'the drag kept the selection');
    await screenshot(page, 'plot-3d-turned');

    await canvas.focus();
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.press('ArrowLeft');
    await frames(page);
    const keyed = await labelAt(frame);
    assert.ok(Math.hypot(keyed.x - turned.x, keyed.y - turned.y) > 2, 'arrow keys turn the view');

    await reset.click();
    await frames(page);
    const back = await labelAt(frame);
    assert.ok(Math.hypot(back.x - start.x, back.y - start.y) <= 1, `Reset view returns to the start: ${JSON.stringify([start, back])}`);
  });

  it('lays out UMAP in 3-D, showing epochs while it optimises', async () => {
    const page = (browser as LaunchedBrowser).page;
    await choose(frame, 'projection-method', 'UMAP');
    await frame.locator('[data-testid="project"]').click();
    await frame.locator('[data-testid="projection-status"]', { hasText: /epoch \d+ of \d+/ }).waitFor({ timeout: PANEL_TIMEOUT_MS });
    await frame.locator('[data-testid="caption"]', { hasText: /UMAP of .*929 points/ }).waitFor({ timeout: PANEL_TIMEOUT_MS });
    await frame.locator(`canvas[data-dims="3"][data-drawn="${ROWS}"]`).waitFor({ timeout: PANEL_TIMEOUT_MS });
    await screenshot(page, 'plot-3d-umap');
    await choose(frame, 'projection-method', 'PCA');
  });

  it('goes back to a flat plot that pans on drag, without the 3-D controls', async () => {
    const page = (browser as LaunchedBrowser).page;
    await choose(frame, 'projection-dims', '2-D');
    await frame.locator('[data-testid="project"]').click();
    await frame.locator(`canvas[data-dims="2"][data-drawn="${ROWS}"]`).waitFor({ timeout: PANEL_TIMEOUT_MS });
    await frame.locator('[data-testid="reset-view"]').waitFor({ state: 'hidden' });
    const before = await labelAt(frame);
    const box = await frame.locator('canvas[data-testid="scatter"]').boundingBox();
    assert.ok(box);
    await page.mouse.move(box.x + 20, box.y + box.height - 20);
    await page.mouse.down();
    for (let k = 1; k <= 5; k++) await page.mouse.move(box.x + 20 + 10 * k, box.y + box.height - 20);
    await page.mouse.up();
    await frames(page);
    const after = await labelAt(frame);
    assert.ok(
      Math.abs(after.x - before.x - 50) <= 1 && Math.abs(after.y - before.y) <= 1,
      `a 2-D drag pans: ${JSON.stringify([before, after])}`,
    );
    await screenshot(page, 'plot-3d-back-to-2d');
  });
});
