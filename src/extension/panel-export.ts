import * as vscode from 'vscode';
import { dirname, join } from 'node:path';
import { writeFileAtomic } from '../node/atomic-write';
import { safeFileName } from '../node/export-paths';
import type { ExportFormat } from '../protocol/panel';

/** Save-dialog filters per format. */
const FILTERS: Record<ExportFormat | 'tsv', Record<string, string[]>> = {
  tsv: { 'TSV (tab-separated)': ['tsv'] },
  png: { 'PNG image': ['png'] },
  svg: { 'SVG image': ['svg'] },
  csv: { 'CSV (comma-separated)': ['csv'] },
  json: { JSON: ['json'] },
};

/** Longest export the webview may hand over (bytes): a PNG at 2× of a large panel is a few MB; CSVs are bounded by k. */
const MAX_EXPORT_BYTES = 256 << 20;

/** Exports and trainings write files: refused in an untrusted workspace (the extension declares limited support there). */
export function ensureTrusted(what = vscode.l10n.t('Exports write files')): void {
  if (!vscode.workspace.isTrusted) {
    throw Object.assign(new Error(vscode.l10n.t('{0}; trust this workspace first (Manage Workspace Trust).', what)), {
      code: 'untrusted',
    });
  }
}

/** Asks where to save, starting beside the checkpoint with `name`; undefined when the user cancels. */
export async function askSavePath(
  checkpoint: vscode.Uri,
  name: string,
  format: ExportFormat | 'tsv',
  title: string,
): Promise<vscode.Uri | undefined> {
  const folder = checkpoint.scheme === 'file' ? dirname(checkpoint.fsPath) : undefined;
  return vscode.window.showSaveDialog({
    title,
    filters: FILTERS[format],
    ...(folder === undefined ? {} : { defaultUri: vscode.Uri.file(join(folder, safeFileName(name))) }),
  });
}

/** Saves bytes made by the webview where the user chooses (atomically); null when they cancel. */
export async function saveExport(
  checkpoint: vscode.Uri,
  format: ExportFormat,
  name: string,
  data: ArrayBuffer,
): Promise<{ path: string } | null> {
  ensureTrusted();
  if (data.byteLength > MAX_EXPORT_BYTES)
    throw new Error(`export of ${data.byteLength} bytes is larger than the ${MAX_EXPORT_BYTES >> 20} MB allowed`);
  const target = await askSavePath(checkpoint, name, format, vscode.l10n.t('Save {0}', format.toUpperCase()));
  if (!target) return null;
  await writeFileAtomic(target.fsPath, new Uint8Array(data));
  return { path: target.fsPath };
}
