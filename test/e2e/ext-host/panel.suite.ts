// The checkpoint panel in a real VS Code: opens beside the source, loads through the worker, reports loader errors.
import * as assert from 'node:assert/strict';
import { suite, suiteSetup, test } from 'mocha';
// eslint-disable-next-line no-restricted-imports -- this file runs inside VS Code's extension host
import * as vscode from 'vscode';

/** The parts of the extension's exported API (src/extension/extension.ts) these tests use. */
interface LensPanel {
  readonly uri: vscode.Uri;
  readonly panel: vscode.WebviewPanel;
  readonly state: 'loading' | 'error' | 'ready';
  readonly current:
    | { state: 'ready'; header: { description: { summary: { format: string; vocabSize: number; tied: boolean } }; backend: string } }
    | { state: 'error'; code: string; message: string }
    | { state: 'loading' };
}
interface LensApi {
  openCheckpoint(uri: vscode.Uri): Promise<LensPanel>;
  panels(): LensPanel[];
}

const EXTENSION_ID = 'embedding-lens.embedding-lens';

function workspaceFile(relative: string): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the tests need the fixtures folder open as the workspace');
  return vscode.Uri.joinPath(folder.uri, relative);
}

suite('Checkpoint panel', () => {
  let api: LensApi;

  suiteSetup(async () => {
    const extension = vscode.extensions.getExtension<LensApi>(EXTENSION_ID);
    assert.ok(extension);
    api = await extension.activate();
  });

  test('opens beside the active editor, keeping the model source visible', async () => {
    const source = await vscode.workspace.openTextDocument(workspaceFile('scripts/make_word2vec.py'));
    await vscode.window.showTextDocument(source, vscode.ViewColumn.One);
    const lens = await api.openCheckpoint(workspaceFile('word2vec/vectors.bin'));
    // The column of a panel opened "beside" is resolved by the workbench and reported back a moment later.
    for (let waited = 0; lens.panel.viewColumn === undefined && waited < 10_000; waited += 100) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    assert.equal(lens.panel.viewColumn, vscode.ViewColumn.Two);
    assert.ok(
      vscode.window.visibleTextEditors.some((editor) => editor.document === source),
      'the source editor is still visible',
    );
    assert.equal(lens.state, 'ready');
    const current = lens.current;
    assert.ok(current.state === 'ready');
    assert.equal(current.header.description.summary.format, 'word2vec-binary');
    assert.equal(current.header.description.summary.vocabSize, 1452);
    assert.match(current.header.backend, /worker_threads/);
  });

  test('opening the same checkpoint again reveals its panel instead of making a second one', async () => {
    const before = api.panels().length;
    const again = await api.openCheckpoint(workspaceFile('word2vec/vectors.bin'));
    assert.equal(api.panels().length, before);
    assert.equal(again.state, 'ready');
  });

  test('shows the loader’s one-line message in the panel for a file it refuses', async () => {
    const lens = await api.openCheckpoint(workspaceFile('corrupt/pickle-evil.pt'));
    const current = lens.current;
    assert.equal(current.state, 'error');
    assert.ok(current.state === 'error');
    assert.equal(current.code, 'unsafe');
    assert.match(current.message, /pickle-evil\.pt/);
    assert.ok(!current.message.includes('\n'), 'one line');
    assert.ok(!/\bat \S+ \(/.test(current.message), 'no stack trace');
  });

  test('a GloVe checkpoint opens with its two matrices, untied', async () => {
    const lens = await api.openCheckpoint(workspaceFile('glove/vectors.bin'));
    const current = lens.current;
    assert.ok(current.state === 'ready', `state ${current.state}`);
    assert.equal(current.header.description.summary.tied, false);
  });

  test('closing a panel forgets it', async () => {
    const lens = api.panels().find((panel) => panel.uri.path.endsWith('glove/vectors.bin'));
    assert.ok(lens);
    lens.panel.dispose();
    assert.ok(!api.panels().includes(lens));
  });
});
