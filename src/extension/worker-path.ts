import type * as vscode from 'vscode';

/** The path the worker reads: core path helpers use forward slashes on every platform. */
export function workerPath(uri: vscode.Uri): string {
  return uri.fsPath.replace(/\\/g, '/');
}
