// Drives the Embedding Lens panel in the workbench: open a checkpoint from the palette, find its webview, search,
// read the neighbour lists.
import type { FrameLocator, Page } from 'playwright-core';
import { quickInput, runCommand, webviewFrame } from './workbench';

/** A loaded 2-core machine: webview start + worker load + PCA are a few seconds; allow for more. */
export const PANEL_TIMEOUT_MS = 60_000;

/** Runs "Open Checkpoint…" and picks the file by its workspace-relative path in the quick pick. */
export async function openCheckpoint(page: Page, relative: string): Promise<FrameLocator> {
  await runCommand(page, 'Embedding Lens: Open Checkpoint…');
  await pickFile(page, relative);
  return activePanel(page, relative.split('/').slice(-2).join('/'));
}

/** In an open checkpoint quick pick, types `relative` and clicks the row whose file name is exactly its last segment. */
export async function pickFile(page: Page, relative: string): Promise<void> {
  const { input, rows } = quickInput(page);
  await input.fill(relative);
  // The row whose file name is exactly the one asked for ("word2vec.model", not "word2vec.model.syn1neg.npy").
  const name = relative.split('/').pop() as string;
  const row = rows
    .filter({ has: page.locator('.label-name', { hasText: new RegExp(`^${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`) }) })
    .first();
  await row.waitFor({ timeout: PANEL_TIMEOUT_MS });
  await row.click();
}

/** The webview of the panel whose tab is active: polled until its page names `fileName` (a new one takes a moment). */
export async function activePanel(page: Page, fileName: string): Promise<FrameLocator> {
  await page.locator('.tabs-container .tab.active', { hasText: fileName }).first().waitFor({ timeout: PANEL_TIMEOUT_MS });
  const deadline = performance.now() + PANEL_TIMEOUT_MS;
  while (performance.now() < deadline) {
    const count = await page.locator('iframe.webview.ready').count();
    for (let i = count - 1; i >= 0; i--) {
      const frame = webviewFrame(page, i);
      const name = await frame
        .locator('h1')
        .first()
        .textContent({ timeout: 1_000 })
        .catch(() => null);
      if (name?.includes(fileName)) return frame;
    }
    await page.waitForTimeout(200);
  }
  throw new Error(`no webview shows ${fileName}`);
}

export async function search(frame: FrameLocator, query: string): Promise<void> {
  const field = frame.locator('[data-testid="search"] input');
  await field.fill(query);
  await field.press('Enter');
}

export async function neighborTokens(frame: FrameLocator, matrix: 'input' | 'output'): Promise<string[]> {
  const list = frame.locator(`[data-testid="neighbors-${matrix}"] .token`);
  await list.first().waitFor({ timeout: PANEL_TIMEOUT_MS });
  return (await list.allTextContents()).map((text) => text.trim());
}
