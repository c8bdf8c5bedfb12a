import { join, parse } from 'node:path';

/** The metadata file written beside a Projector tensors file: "x-tensors.tsv" → "x-metadata.tsv", else "x.metadata.tsv". */
export function metadataPathFor(tensorsPath: string): string {
  const { dir, name } = parse(tensorsPath);
  const stem = name.endsWith('-tensors') ? name.slice(0, -'-tensors'.length) : name;
  return join(dir, `${stem}${stem === name ? '.metadata' : '-metadata'}.tsv`);
}

/** A file name from text a webview sent (it may hold a token): no folders, no characters file systems refuse. */
export function safeFileName(name: string): string {
  const cleaned = Array.from(name, (ch) => (ch < ' ' || '\\/:*?"<>|'.includes(ch) ? '_' : ch))
    .join('')
    .slice(0, 120);
  return cleaned === '' || cleaned === '.' || cleaned === '..' ? 'export' : cleaned;
}
