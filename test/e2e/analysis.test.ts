// The analysis views in a real VS Code, installed from the .vsix: a UMAP of U and V together that updates while it
// optimises, custom axes, and the U-vs-V tab (cards, histogram, table, three neighbour lists) checked against the
// CLI's `compare --json`. Screenshots land in test/e2e/.run/artifacts/.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { FrameLocator } from 'playwright-core';
import { launchBrowser, type LaunchedBrowser } from './lib/browser';
import { E2E_RUN_DIR, REPO_ROOT } from './lib/paths';
import { startServer, type RunningServer } from './lib/server';
import { withVsix } from './lib/vsix';
import { openCheckpoint, PANEL_TIMEOUT_MS, pickFile, search } from './lib/lens';
import { openWorkbench, quickInput, quickOpen, screenshot, setColorTheme } from './lib/workbench';

const WORKSPACE = join(E2E_RUN_DIR, 'ws-analysis');
const RUN_DIR = join(E2E_RUN_DIR, 'analysis');
const FIXTURES = join(REPO_ROOT, 'test', 'fixtures');
const MODEL = 'checkpoints/gensim/word2vec.model';

function makeWorkspace(): void {
  rmSync(WORKSPACE, { recursive: true, force: true });
  mkdirSync(join(WORKSPACE, 'checkpoints'), { recursive: true });
  cpSync(join(REPO_ROOT, 'demo', 'models'), join(WORKSPACE, 'models'), { recursive: true });
  cpSync(join(FIXTURES, 'gensim', 'side'), join(WORKSPACE, 'checkpoints', 'gensim'), { recursive: true });
  cpSync(join(FIXTURES, 'gensim', 'retrained'), join(WORKSPACE, 'checkpoints', 'retrained'), { recursive: true });
}

function cliJson<T>(args: string[]): T {
  const result = spawnSync(process.execPath, [join(REPO_ROOT, 'dist', 'cli.js'), ...args, '--json'], { encoding: 'utf8' });
  assert.equal(result.status, 0, result.stderr);
  return JSON.parse(result.stdout) as T;
}

/** Picks an option of a vscode-single-select by its text, as a user does: open it, click the option. */
async function choose(frame: FrameLocator, testId: string, text: string): Promise<void> {
  const select = frame.locator(`[data-testid="${testId}"]`);
  await select.click();
  await select.locator('li.option', { hasText: text }).first().click({ timeout: 10_000 });
  await frame.locator(`[data-testid="${testId}"]`).evaluate((node, want) => {
    const value = (node as unknown as { value: string }).value;
    if (!value) throw new Error(`${want}: nothing chosen`);
  }, text);
}

describe('the analysis views in a real VS Code', () => {
  let server: RunningServer | undefined;
  let browser: LaunchedBrowser | undefined;
  let frame: FrameLocator;

  before(async () => {
    makeWorkspace();
    server = await withVsix((vsix) => startServer({ workspace: WORKSPACE, runDir: RUN_DIR, vsix }));
    browser = await launchBrowser();
    await openWorkbench(browser.page, server.url, WORKSPACE);
    await setColorTheme(browser.page, 'Default Dark Modern');
    await quickOpen(browser.page, 'word2vec.py');
    frame = await openCheckpoint(browser.page, MODEL);
    await frame.locator('canvas[data-drawn="929"]').waitFor({ timeout: PANEL_TIMEOUT_MS });
  });

  after(async () => {
    if (browser) writeFileSync(join(E2E_RUN_DIR, 'artifacts', 'analysis-console.log'), `${browser.consoleLines.join('\n')}\n`);
    await browser?.close();
    await server?.stop();
  });

  it('lays out U and V together with UMAP, moving the points while it optimises, and says how well it kept neighbours', async () => {
    const page = (browser as LaunchedBrowser).page;
    await choose(frame, 'projection-method', 'UMAP');
    await choose(frame, 'projection-space', 'U and V together');
    await frame.locator('[data-testid="project"]').click();
    // Partial layouts arrive as epochs: the status line counts them while the run is going.
    await frame.locator('[data-testid="projection-status"]', { hasText: /epoch \d+ of \d+/ }).waitFor({ timeout: PANEL_TIMEOUT_MS });
    const caption = frame.locator('[data-testid="caption"]', { hasText: 'UMAP of U and V together' });
    await caption.waitFor({ timeout: PANEL_TIMEOUT_MS });
    await frame.locator('canvas[data-drawn="1858"]').waitFor({ timeout: PANEL_TIMEOUT_MS });
    assert.match((await caption.textContent()) ?? '', /1,858 points .* neighbours kept: \d+\.\d% of each point's 10 nearest/);
    await search(frame, 'king');
    await frame.locator('[data-testid="neighbors-cross"] .token').first().waitFor({ timeout: PANEL_TIMEOUT_MS });
    await screenshot(page, 'analysis-umap-joint');
  });

  it('lists the cross neighbours of a token as the CLI ranks V by uᵢ·v', async () => {
    const cli = cliJson<{ neighbors: { token: string }[] }>([
      'neighbors',
      join(WORKSPACE, MODEL),
      'king',
      '--matrix',
      'cross',
      '--k',
      '10',
    ]);
    const shown = (await frame.locator('[data-testid="neighbors-cross"] .token').allTextContents()).map((t) => t.trim());
    assert.deepEqual(
      shown,
      cli.neighbors.map((n) => n.token),
    );
  });

  it('places tokens on custom axes typed as word differences', async () => {
    await choose(frame, 'projection-method', 'Custom axes');
    await choose(frame, 'projection-space', 'U (input)');
    await frame.locator('[data-testid="axis-x"] input').fill('king - man');
    await frame.locator('[data-testid="axis-y"] input').fill('good - bad');
    await frame.locator('[data-testid="project"]').click();
    const caption = frame.locator('[data-testid="caption"]', { hasText: 'Custom axes' });
    await caption.waitFor({ timeout: PANEL_TIMEOUT_MS });
    assert.match((await caption.textContent()) ?? '', /axes “king − man” × “good − bad”/);
  });

  it('compares U with V: cards equal to `compare --json`, a histogram, a sortable table and three lists', async () => {
    const page = (browser as LaunchedBrowser).page;
    const cli = cliJson<{ meanCosUV: number; jaccardAtK: number; linearCKA: number; procrustesResidual: number }>([
      'compare',
      join(WORKSPACE, MODEL),
    ]);
    await frame.locator('[data-testid="tab-uv"]').click();
    const cards = frame.locator('[data-testid="metric-cards"]');
    await cards.waitFor({ timeout: PANEL_TIMEOUT_MS });
    const value = async (id: string): Promise<string> =>
      ((await cards.locator(`[data-metric="${id}"] .metric-value`).textContent()) ?? '').trim();
    const shown = (x: number): string => x.toFixed(3).replace('-', '−');
    assert.equal(await value('cos-uv'), shown(cli.meanCosUV));
    assert.equal(await value('jaccard'), shown(cli.jaccardAtK));
    assert.equal(await value('cka'), shown(cli.linearCKA));
    assert.equal(await value('procrustes'), shown(cli.procrustesResidual));
    await frame.locator('[data-testid="histogram"] svg rect').first().waitFor();
    await frame.locator('[data-testid="token-table"]').waitFor();
    await frame.locator('[data-testid="neighbor-columns"] li').first().waitFor({ timeout: PANEL_TIMEOUT_MS });
    await screenshot(page, 'analysis-uv-dark');
    await setColorTheme(page, 'Default Light Modern');
    await screenshot(page, 'analysis-uv-light');
    await setColorTheme(page, 'Default Dark Modern');
  });

  it('compares the checkpoint with a retrained one: cards equal to `compare --against --json`, drift table, two lists', async () => {
    const page = (browser as LaunchedBrowser).page;
    const other = 'checkpoints/retrained/vectors.txt';
    const cli = cliJson<{ sharedRows: number; meanCosUV: number; linearCKA: number; topDrift: { token: string }[] }>([
      'compare',
      join(WORKSPACE, MODEL),
      '--against',
      join(WORKSPACE, other),
    ]);
    await frame.locator('[data-testid="tab-compare"]').click();
    await frame.locator('[data-testid="compare-pick"]').click();
    await pickFile(page, other);
    const compare = frame.locator('[data-testid="compare"]');
    const cards = compare.locator('[data-testid="metric-cards"]');
    await cards.waitFor({ timeout: PANEL_TIMEOUT_MS });
    const value = async (id: string): Promise<string> =>
      ((await cards.locator(`[data-metric="${id}"] .metric-value`).textContent()) ?? '').trim();
    assert.equal(await value('shared'), cli.sharedRows.toLocaleString('en-US'));
    assert.equal(await value('aligned-cos'), cli.meanCosUV.toFixed(3));
    assert.equal(await value('cka'), cli.linearCKA.toFixed(3));
    // The table opens sorted by drift, largest first: its first row is the CLI's top drift. (It shows the token
    // selected earlier, so scroll to the top first.)
    await compare.locator('[data-testid="token-table"] .tt-body').evaluate((body) => (body.scrollTop = 0));
    const firstToken = compare.locator('[data-testid="token-table"] .tt-row[aria-rowindex="2"]');
    await firstToken.waitFor();
    assert.match((await firstToken.textContent()) ?? '', new RegExp(`^\\s*${cli.topDrift[0]?.token}`));
    await firstToken.click();
    await compare.locator('[data-testid="neighbor-columns"] li').first().waitFor({ timeout: PANEL_TIMEOUT_MS });
    assert.equal(await compare.locator('[data-testid="neighbor-columns"] ol, [data-testid="neighbor-columns"] ul').count(), 2);
    await screenshot(page, 'analysis-compare');
  });

  it("exports the selection's neighbours as the CLI lists them and the coordinates of every point, through VS Code's save dialog", async () => {
    const page = (browser as LaunchedBrowser).page;
    await frame.locator('[data-testid="tab-map"]').click();
    await search(frame, 'king');
    await frame.locator('[data-testid="neighbors"] .neighbor').first().waitFor({ timeout: PANEL_TIMEOUT_MS });
    const saveThrough = async (item: string, fileName: string): Promise<string> => {
      await frame.locator('[data-testid="export"]').click();
      await frame.locator(`[data-testid="export-${item}"]`).click();
      // code-server's save dialog is a quick input holding the suggested path: the file lands beside the checkpoint.
      const { input } = quickInput(page);
      await input.waitFor({ timeout: PANEL_TIMEOUT_MS });
      // The simple save dialog fills in the folder first and the suggested name a moment later.
      const wanted = new RegExp(`${fileName.replace('.', '\\.')}$`);
      const deadline = performance.now() + PANEL_TIMEOUT_MS;
      while (!wanted.test(await input.inputValue()) && performance.now() < deadline) await page.waitForTimeout(100);
      assert.match(await input.inputValue(), wanted);
      await input.press('Enter');
      await frame
        .locator('[data-testid="export-status"]', { hasText: `Saved ${join(WORKSPACE, 'checkpoints', 'gensim', fileName)}` })
        .waitFor({
          timeout: PANEL_TIMEOUT_MS,
        });
      const path = join(WORKSPACE, 'checkpoints', 'gensim', fileName);
      assert.ok(existsSync(path), path);
      return readFileSync(path, 'utf8');
    };
    const json = JSON.parse(await saveThrough('neighbors-json', 'word2vec-neighbors-king.json')) as {
      queries: { token: string; lists: { matrix: string; neighbors: { token: string }[] }[] }[];
    };
    const cli = cliJson<{ neighbors: { token: string }[] }>(['neighbors', join(WORKSPACE, MODEL), 'king', '--k', '10']);
    assert.equal(json.queries[0]?.token, 'king');
    assert.deepEqual(
      json.queries[0]?.lists.find((list) => list.matrix === 'input')?.neighbors.map((n) => n.token),
      cli.neighbors.map((n) => n.token),
    );
    const csv = (await saveThrough('coordinates', 'word2vec-coordinates.csv')).trimEnd().split('\r\n');
    assert.equal(csv[0], 'token,x,y');
    assert.equal(csv.length, 1 + 929, 'a header and one line per point of the layout shown');
    await saveThrough('png', 'word2vec-plot.png');
    const png = readFileSync(join(WORKSPACE, 'checkpoints', 'gensim', 'word2vec-plot.png'));
    assert.deepEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], 'a PNG file');
    assert.ok(png.length > 10_000, `${png.length} bytes: a real picture, not a blank canvas`);
    const svg = await saveThrough('svg', 'word2vec-plot.svg');
    assert.match(svg, /<svg[^>]*xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    assert.match(svg, /<path /, 'the points, as dots of one path per colour');
    assert.match(svg, />king</, "the selection's label");
  });
});
