// Drives VS Code's web workbench like a user: open a folder, run commands from the palette, open files,
// reach into a webview, switch the color theme, take screenshots.
import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Frame, FrameLocator, Locator, Page } from 'playwright-core';
import { ARTIFACTS_DIR } from './paths';

/** Workbench start is 7–14 s measured here; a loaded CI machine gets slack. */
const READY_TIMEOUT_MS = 90_000;
/** Palette, quick open and editor reactions are sub-second normally; seconds under load. */
const UI_TIMEOUT_MS = 30_000;
/** Poll interval while waiting for the palette to close. */
const POLL_MS = 50;
/** How long F1 gets to open the palette before focus is taken back from a webview or widget and F1 retried. */
const PALETTE_RETRY_MS = 3_000;

/** Color themes built into VS Code that the tests switch between. */
export type BuiltInTheme = 'Default Light Modern' | 'Default Dark Modern';

/** How long the workbench took to be ready. */
export interface OpenedWorkbench {
  /** Milliseconds from navigation to the explorer showing the folder. */
  readonly readyMs: number;
}

/**
 * Navigates to the workbench on `folder` and waits until it is ready: workbench and status bar visible, and the
 * explorer showing the folder's files (`file`, when given, else any row when the folder on disk is not empty).
 */
export async function openWorkbench(page: Page, url: string, folder: string, file?: string): Promise<OpenedWorkbench> {
  const started = performance.now();
  await page.goto(`${url}/?folder=${encodeURIComponent(folder)}`, { waitUntil: 'domcontentloaded' });
  await page.locator('.monaco-workbench').waitFor({ state: 'visible', timeout: READY_TIMEOUT_MS });
  await page.locator('.part.statusbar').waitFor({ state: 'visible', timeout: READY_TIMEOUT_MS });
  const explorer = page.locator('.explorer-folders-view');
  await explorer.waitFor({ state: 'visible', timeout: READY_TIMEOUT_MS });
  // The explorer view appears before its tree is filled; the server runs on this machine, so look at the folder.
  const rows = explorer.locator('.monaco-list-row');
  if (file !== undefined) await rows.filter({ hasText: file }).first().waitFor({ state: 'visible', timeout: READY_TIMEOUT_MS });
  else if (existsSync(folder) && readdirSync(folder).length > 0)
    await rows.first().waitFor({ state: 'visible', timeout: READY_TIMEOUT_MS });
  return { readyMs: Math.round(performance.now() - started) };
}

/** Waits for the "Restricted Mode" status bar item: the folder is open without workspace trust. */
export async function waitForRestrictedMode(page: Page): Promise<void> {
  await page.locator('.part.statusbar').getByText('Restricted Mode').first().waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
}

/** The quick input widget (command palette, quick open, quick picks). */
export function quickInput(page: Page): { readonly widget: Locator; readonly input: Locator; readonly rows: Locator } {
  const widget = page.locator('.quick-input-widget');
  return { widget, input: widget.locator('.quick-input-box input'), rows: widget.locator('.quick-input-list .monaco-list-row') };
}

/** Presses F1 until the palette is open; a focused webview or widget can swallow the first press. */
async function openPalette(page: Page): Promise<void> {
  const { widget } = quickInput(page);
  await page.keyboard.press('F1');
  if (
    await widget.waitFor({ state: 'visible', timeout: PALETTE_RETRY_MS }).then(
      () => true,
      () => false,
    )
  )
    return;
  // Focus back to the workbench document (out of an iframe), then try again.
  await page.evaluate('document.activeElement instanceof HTMLElement && document.activeElement.blur()');
  await page.keyboard.press('Escape');
  await page.keyboard.press('F1');
  await widget.waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
}

/**
 * Picks `label` in the open quick input after filling `text`: waits for a row showing it, presses Enter when that
 * row is the focused one, and clicks it otherwise (another row can match first).
 */
async function pick(page: Page, text: string, label: string): Promise<void> {
  const { input, rows } = quickInput(page);
  await input.fill(text); // one input event; keyboard.type() would re-filter the list on every keystroke
  const row = rows.filter({ hasText: label }).first();
  await row.waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
  const focused = rows.and(page.locator('.focused')).filter({ hasText: label });
  if ((await focused.count()) > 0) await page.keyboard.press('Enter');
  else await row.click();
}

/** Runs a command by its palette title ("Category: Title" as the palette shows it): F1, '>' + title, Enter. */
export async function runCommand(page: Page, title: string): Promise<void> {
  await openPalette(page);
  const text = `>${title}`;
  await pick(page, text, title);
  await paletteDone(page, text);
}

/** Waits until the palette has handed over: closed, or reused by the command's own quick pick (new input text). */
async function paletteDone(page: Page, text: string): Promise<void> {
  const { widget, input } = quickInput(page);
  const deadline = performance.now() + UI_TIMEOUT_MS;
  while (performance.now() < deadline) {
    if (!(await widget.isVisible())) return;
    if ((await input.inputValue().catch(() => '')) !== text) return;
    await page.waitForTimeout(POLL_MS);
  }
  throw new Error(`the command palette still shows "${text}" after ${UI_TIMEOUT_MS} ms`);
}

/** Opens a workspace file by name or relative path through Quick Open (Ctrl+P) and waits for its editor tab. */
export async function quickOpen(page: Page, file: string): Promise<void> {
  const name = file.split('/').pop() ?? file;
  await openPalette(page);
  await pick(page, file, name);
  await page.locator('.tabs-container .tab', { hasText: name }).first().waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
}

/**
 * The DOM of a webview: VS Code nests it as outer `iframe.webview.ready` → inner `iframe#active-frame`.
 * `index` picks among several webviews (hidden ones keep their iframes), in document order.
 */
export function webviewFrame(page: Page, index = 0): FrameLocator {
  return page.locator('iframe.webview.ready').nth(index).contentFrame().frameLocator('iframe#active-frame');
}

/** The webview's inner document as a Frame (for evaluate(), e.g. probeWebGL2); waits for it to be attached. */
export async function webviewContentFrame(page: Page, index = 0): Promise<Frame> {
  const inner = page.locator('iframe.webview.ready').nth(index).contentFrame().locator('iframe#active-frame');
  await inner.waitFor({ state: 'attached', timeout: UI_TIMEOUT_MS });
  const frame = await (await inner.elementHandle())?.contentFrame();
  if (frame === null || frame === undefined) throw new Error('the webview has no inner frame');
  return frame;
}

/** The class VS Code puts on .monaco-workbench for a theme's kind. */
const THEME_CLASS: Record<BuiltInTheme, string> = { 'Default Light Modern': 'vs', 'Default Dark Modern': 'vs-dark' };

/** Switches the color theme through "Preferences: Color Theme" and waits until the workbench shows it. */
export async function setColorTheme(page: Page, theme: BuiltInTheme): Promise<void> {
  await openPalette(page);
  await pick(page, '>Preferences: Color Theme', 'Preferences: Color Theme');
  await pick(page, theme, theme);
  await page.locator(`.monaco-workbench.${THEME_CLASS[theme]}`).waitFor({ state: 'attached', timeout: UI_TIMEOUT_MS });
}

/** Saves a PNG of the page as test/e2e/.run/artifacts/<name>.png and returns its path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(ARTIFACTS_DIR, { recursive: true });
  const path = join(ARTIFACTS_DIR, `${name}.png`);
  await page.screenshot({ path });
  return path;
}
