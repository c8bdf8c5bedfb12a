// Training in a real VS Code, installed from the .vsix: a config's code lens trains skip-gram on the 1M-token slice
// in the compute worker while the panel draws the loss curve and the throughput; the panel then opens the new run
// with its scores (equal to `embedding-lens eval`'s); the panel's Retrain… trains it again with one epoch and the
// notification's "Compare with previous" compares the two runs; a cancelled training leaves no run behind.
// Screenshots land in test/e2e/.run/artifacts/.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { FrameLocator, Page } from 'playwright-core';
import { launchBrowser, type LaunchedBrowser } from './lib/browser';
import { activePanel, PANEL_TIMEOUT_MS } from './lib/lens';
import { E2E_RUN_DIR, REPO_ROOT } from './lib/paths';
import { startServer, type RunningServer } from './lib/server';
import { withVsix } from './lib/vsix';
import { openWorkbench, quickInput, quickOpen, runCommand, screenshot, setColorTheme } from './lib/workbench';

const WORKSPACE = join(E2E_RUN_DIR, 'ws-training');
const RUN_DIR = join(E2E_RUN_DIR, 'training');
const SHARED = join(REPO_ROOT, '..', 'shared', 'data');
const EVAL = join(SHARED, 'eval');
const RUNS = join(WORKSPACE, 'runs');
/** Reading 1M tokens and three epochs on a loaded 2-core machine, then writing and evaluating: generous. */
const TRAIN_TIMEOUT_MS = 240_000;

function makeWorkspace(): void {
  rmSync(WORKSPACE, { recursive: true, force: true });
  mkdirSync(WORKSPACE, { recursive: true });
  copyFileSync(join(SHARED, 'corpus', 'corpus-1m.txt'), join(WORKSPACE, 'corpus.txt'));
  const config = { trainer: 'sgns', corpus: 'corpus.txt', dim: 50, epochs: 3, threads: 2, out: 'runs' };
  writeFileSync(join(WORKSPACE, 'sgns.lens.json'), `${JSON.stringify(config, null, 2)}\n`);
  writeFileSync(join(WORKSPACE, 'model.py'), '# the model whose embeddings we study\n');
}

/** Finished runs in the output folder (temporary `.partial-…` folders are listed separately). */
function runs(): { finished: string[]; partial: string[] } {
  const names = existsSync(RUNS) ? readdirSync(RUNS) : [];
  return { finished: names.filter((n) => !n.startsWith('.')).sort(), partial: names.filter((n) => n.startsWith('.')) };
}

interface Manifest {
  config: { epochs: number };
  eval: { input: { wordsim: { spearman: number; covered: number }; simlex: { spearman: number } } };
  tokensPerSecond: number;
}

function manifestOf(run: string): Manifest {
  return JSON.parse(readFileSync(join(RUNS, run, 'manifest.json'), 'utf8')) as Manifest;
}

/** Waits until the loss curve has drawn at least `points` points; returns how many it has. */
async function curvePoints(frame: FrameLocator, points: number): Promise<number> {
  const curve = frame.locator('[data-testid="loss-curve"] path.curve');
  const deadline = performance.now() + TRAIN_TIMEOUT_MS;
  while (performance.now() < deadline) {
    const drawn = Number((await curve.getAttribute('data-points', { timeout: PANEL_TIMEOUT_MS }).catch(() => '0')) ?? '0');
    if (drawn >= points) return drawn;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`the loss curve did not reach ${points} points`);
}

/** Clicks a button of a notification toast (e.g. "Compare with previous"). */
async function notificationButton(page: Page, text: string): Promise<void> {
  const button = page.locator('.notification-toast .monaco-button', { hasText: text }).first();
  await button.waitFor({ state: 'visible', timeout: TRAIN_TIMEOUT_MS });
  await button.click();
}

describe('training in a real VS Code', () => {
  let server: RunningServer | undefined;
  let browser: LaunchedBrowser | undefined;

  before(async () => {
    makeWorkspace();
    server = await withVsix((vsix) =>
      startServer({ workspace: WORKSPACE, runDir: RUN_DIR, vsix, settings: { 'embeddingLens.training.evaluationData': EVAL } }),
    );
    browser = await launchBrowser();
    await openWorkbench(browser.page, server.url, WORKSPACE);
    await setColorTheme(browser.page, 'Default Dark Modern');
  });

  after(async () => {
    if (browser) writeFileSync(join(E2E_RUN_DIR, 'artifacts', 'training-console.log'), `${browser.consoleLines.join('\n')}\n`);
    await browser?.close();
    await server?.stop();
  });

  it("trains from the config's code lens, drawing the loss curve live, then opens the run with scores equal to the CLI's", async () => {
    const page = (browser as LaunchedBrowser).page;
    await quickOpen(page, 'sgns.lens.json');
    const lens = page.locator('.codelens-decoration a').filter({ hasText: /Train$/ });
    await lens.first().waitFor({ timeout: PANEL_TIMEOUT_MS });
    await lens.first().click();
    const frame = await activePanel(page, 'Training sgns');
    await curvePoints(frame, 4);
    assert.match((await frame.locator('[data-testid="training-throughput"]').textContent()) ?? '', /^[\d,]+ tokens\/s$/);
    assert.match((await frame.locator('[data-testid="training-epoch"]').textContent()) ?? '', /^\d of 3$/);
    await screenshot(page, 'training-live');
    // Done: the same panel shows the new run, with what trained it in the header.
    const trained = frame.locator('[data-testid="run"]');
    await trained.waitFor({ timeout: TRAIN_TIMEOUT_MS });
    assert.match(
      (await trained.textContent()) ?? '',
      /^sgns: 3 epochs, dim 50, [\d,]+ tokens at [\d,]+ tokens\/s, final loss \d+\.\d{3}, U: WordSim ρ 0\.\d{3}, SimLex ρ -?0\.\d{3}, analogies \d+\.\d%$/,
    );
    await frame.locator('canvas[data-drawn]').first().waitFor({ timeout: PANEL_TIMEOUT_MS });
    await screenshot(page, 'training-done');
    const { finished, partial } = runs();
    assert.equal(finished.length, 1, `one run in ${RUNS}: ${finished.join(', ')}`);
    assert.deepEqual(partial, []);
    const run = finished[0] as string;
    const manifest = manifestOf(run);
    const cli = spawnSync(
      process.execPath,
      [
        join(REPO_ROOT, 'dist', 'cli.js'),
        'eval',
        join(RUNS, run),
        '--wordsim',
        join(EVAL, 'wordsim353.tsv'),
        '--simlex',
        join(EVAL, 'simlex999.txt'),
        '--json',
      ],
      { encoding: 'utf8' },
    );
    assert.equal(cli.status, 0, cli.stderr);
    const scores = JSON.parse(cli.stdout) as { wordsim: { spearman: number; covered: number }; simlex: { spearman: number } };
    assert.equal(manifest.eval.input.wordsim.spearman, scores.wordsim.spearman);
    assert.equal(manifest.eval.input.wordsim.covered, scores.wordsim.covered);
    assert.equal(manifest.eval.input.simlex.spearman, scores.simlex.spearman);
    // Three epochs of 50-dimensional skip-gram on 1M tokens rank WordSim pairs well above chance (gensim 4.2 with
    // the same settings: ρ 0.26 on the same 250 covered pairs).
    assert.ok(manifest.eval.input.wordsim.spearman > 0.15, `WordSim ρ ${manifest.eval.input.wordsim.spearman}`);
  });

  it('retrains from the panel with one epoch, then compares the new run with the previous one', async () => {
    const page = (browser as LaunchedBrowser).page;
    const before = runs().finished;
    const panel = await activePanel(page, before[0] as string);
    await panel.locator('[data-testid="retrain"]').click();
    const { widget, input, rows } = quickInput(page);
    await widget.waitFor({ state: 'visible', timeout: PANEL_TIMEOUT_MS });
    await rows.filter({ hasText: 'Epochs: 3' }).first().click();
    await input.fill('1');
    await page.keyboard.press('Enter');
    await rows.filter({ hasText: 'Epochs: 1 (was 3)' }).first().waitFor({ timeout: PANEL_TIMEOUT_MS });
    await rows.filter({ hasText: 'Train with these changes' }).first().click();
    const frame = await activePanel(page, 'Training sgns');
    await frame.locator('[data-testid="training-phase"]').waitFor({ timeout: PANEL_TIMEOUT_MS });
    await notificationButton(page, 'Compare with previous');
    const compare = frame.locator('[data-testid="compare"]');
    const cards = compare.locator('[data-testid="metric-cards"]');
    await cards.waitFor({ timeout: PANEL_TIMEOUT_MS });
    const { finished } = runs();
    assert.equal(finished.length, 2);
    const newer = finished.find((name) => !before.includes(name)) as string;
    assert.equal(manifestOf(newer).config.epochs, 1);
    // Same corpus and seed, one epoch against three: all words shared, and the two runs' neighbourhoods differ.
    const shared = ((await cards.locator('[data-metric="shared"] .metric-value').textContent()) ?? '').trim();
    const vocab = readFileSync(join(RUNS, newer, 'vocab.txt'), 'utf8')
      .trim()
      .split('\n').length;
    assert.equal(shared, vocab.toLocaleString('en-US'));
    await screenshot(page, 'training-compare');
  });

  it('cancels a training from the panel and leaves no run and no temporary folder behind', async () => {
    const page = (browser as LaunchedBrowser).page;
    const before = runs().finished;
    await runCommand(page, 'Embedding Lens: Train…');
    const { rows } = quickInput(page);
    await rows.filter({ hasText: 'sgns.lens.json' }).first().click();
    const frame = await activePanel(page, 'Training sgns');
    await curvePoints(frame, 1);
    await frame.locator('[data-testid="training-cancel"]').click();
    await page.locator('.tabs-container .tab', { hasText: 'Training sgns' }).waitFor({ state: 'detached', timeout: PANEL_TIMEOUT_MS });
    await page
      .locator('.notification-toast', { hasText: 'Training cancelled; nothing was written.' })
      .waitFor({ timeout: PANEL_TIMEOUT_MS });
    assert.deepEqual(runs(), { finished: before, partial: [] });
  });
});
