import * as vscode from 'vscode';
import { findCheckpointFiles } from './checkpoint-files';

interface FileItem extends vscode.QuickPickItem {
  readonly uri?: vscode.Uri;
}

/** Asks which checkpoint to open: files found in the workspace, plus "Browse…" for anything else. */
export async function pickCheckpoint(title = vscode.l10n.t('Open Checkpoint')): Promise<vscode.Uri | undefined> {
  const pick = vscode.window.createQuickPick<FileItem>();
  pick.title = title;
  pick.placeholder = vscode.l10n.t('Pick a checkpoint file in the workspace, or browse');
  pick.matchOnDescription = true;
  const browse: FileItem = { label: `$(folder-opened) ${vscode.l10n.t('Browse…')}`, alwaysShow: true };
  pick.items = [browse];
  pick.busy = true;
  const search = new vscode.CancellationTokenSource();
  void findCheckpointFiles(search.token).then(
    (files) => {
      pick.items = [
        ...files.map((uri) => ({
          label: uri.path.split('/').pop() ?? uri.fsPath,
          description: vscode.workspace.asRelativePath(uri, true),
          uri,
        })),
        browse,
      ];
      pick.busy = false;
    },
    () => (pick.busy = false),
  );
  const chosen = await new Promise<FileItem | undefined>((resolve) => {
    pick.onDidAccept(() => resolve(pick.selectedItems[0]));
    pick.onDidHide(() => resolve(undefined));
    pick.show();
  });
  search.cancel();
  search.dispose();
  pick.dispose();
  if (!chosen) return undefined;
  if (chosen.uri) return chosen.uri;
  const browsed = await vscode.window.showOpenDialog({
    canSelectFiles: true,
    canSelectFolders: true,
    canSelectMany: false,
    title,
    openLabel: vscode.l10n.t('Open'),
  });
  return browsed?.[0];
}
