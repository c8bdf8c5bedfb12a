// The extension activates in a real VS Code and registers every command its package.json contributes.
import * as assert from 'node:assert/strict';
import { suite, test } from 'mocha';
// eslint-disable-next-line no-restricted-imports -- this file runs inside VS Code's extension host
import * as vscode from 'vscode';

/** publisher.name from package.json. */
const EXTENSION_ID = 'embedding-lens.embedding-lens';

interface CommandContribution {
  readonly command: string;
}

function contributedCommands(extension: vscode.Extension<unknown>): string[] {
  const manifest = extension.packageJSON as { contributes?: { commands?: readonly CommandContribution[] } };
  return (manifest.contributes?.commands ?? []).map((contribution) => contribution.command);
}

suite('Extension activation', () => {
  test('the extension is installed under its publisher.name id', () => {
    assert.ok(vscode.extensions.getExtension(EXTENSION_ID), `${EXTENSION_ID} is not among the installed extensions`);
  });

  test('the extension activates without throwing', async () => {
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(extension);
    await extension.activate();
    assert.equal(extension.isActive, true);
  });

  test('every command in contributes.commands is registered after activation', async () => {
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(extension);
    await extension.activate();
    const contributed = contributedCommands(extension);
    assert.ok(contributed.length > 0, 'package.json contributes no commands');
    const registered = new Set(await vscode.commands.getCommands(true));
    const missing = contributed.filter((command) => !registered.has(command));
    assert.deepEqual(missing, [], `contributed but not registered: ${missing.join(', ')}`);
  });
});
