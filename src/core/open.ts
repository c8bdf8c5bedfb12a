import type { Checkpoint } from './checkpoint';
import { CheckpointError } from './errors';
import type { CheckpointFormat, Probe } from './format';
import { SNIFF_BYTES } from './format';
import type { FileAccess } from './io/files';
import { isZip, openZip, type ZipArchive } from './io/zip';
import { FORMATS } from './registry';

/** Options for opening a checkpoint. */
export interface OpenOptions {
  /** Skip sniffing and use this reader (for files whose content is ambiguous). */
  readonly format?: string;
  readonly signal?: AbortSignal;
}

/**
 * Files that make a folder a checkpoint, in the order we prefer them (an index before its shards,
 * a model's manifest before its weights).
 */
const FOLDER_ENTRY_FILES = [
  'model.safetensors.index.json',
  'model.safetensors',
  'pytorch_model.bin.index.json',
  'pytorch_model.bin',
  'model.json',
  'model.keras',
  'model.h5',
  'model.weights.h5', // an extracted .keras (config.json + model.weights.h5)
  'U.npy', // an Embedding Lens run (U.npy, V.npy, vocab.txt, manifest.json) or the same layout by hand
  'vectors.bin',
  'vectors.txt',
  'vectors.npy',
  'embeddings.npy',
  'tensors.tsv',
  'vectors.tsv',
];

/** Opens a checkpoint file (or a folder holding one), sniffing its format by content. */
export async function openCheckpoint(path: string, files: FileAccess, options: OpenOptions = {}): Promise<Checkpoint> {
  const stat = await files.stat(path);
  if (!stat) throw new CheckpointError('not-found', `${path}: expected a checkpoint file or folder, found nothing there`);
  if (stat.isDirectory) return openCheckpoint(await folderEntry(path, files), files, options);
  if (stat.size === 0) throw new CheckpointError('empty', `${path}: expected a checkpoint, found an empty file`);
  const source = await files.open(path);
  try {
    const head = await source.read(0, Math.min(SNIFF_BYTES, stat.size));
    const zip = isZip(head) ? await openZip(source) : undefined;
    const format = await chooseFormat({ head, path, size: stat.size, files, ...(zip ? { zip } : {}) }, options.format);
    return await format.read({ source, path, files, ...(zip ? { zip } : {}), ...(options.signal ? { signal: options.signal } : {}) });
  } catch (error) {
    await source.close();
    if (error instanceof CheckpointError) throw error;
    // A reader bug or an unforeseen corruption still reaches the user as one line about the file.
    throw new CheckpointError('internal', `${path}: could not be read (${(error as Error).message ?? String(error)})`);
  }
}

async function folderEntry(folder: string, files: FileAccess): Promise<string> {
  const names = new Set(await files.list(folder));
  const entry = FOLDER_ENTRY_FILES.find((name) => names.has(name));
  if (!entry) {
    throw new CheckpointError(
      'unknown-format',
      `${folder}: expected a folder with one of ${FOLDER_ENTRY_FILES.join(', ')}, found ${names.size} other entries`,
    );
  }
  return `${folder.replace(/\/$/, '')}/${entry}`;
}

async function chooseFormat(probe: Probe, forced: string | undefined): Promise<CheckpointFormat> {
  if (forced !== undefined) {
    const format = FORMATS.find((candidate) => candidate.id === forced);
    if (!format) {
      throw new CheckpointError('unsupported', `--format ${forced}: expected one of ${FORMATS.map((f) => f.id).join(', ')}`);
    }
    return format;
  }
  for (const format of FORMATS) {
    let matches = false;
    try {
      matches = await format.sniff(probe);
    } catch {
      matches = false; // sniffers must not throw; a failing one simply does not claim the file
    }
    if (matches) return format;
  }
  throw new CheckpointError(
    'unknown-format',
    `${probe.path}: expected an embedding checkpoint, found ${describeHead(probe.head, probe.zip)}`,
  );
}

/** A short, printable description of unrecognised bytes for the error line. */
export function describeHead(head: Uint8Array, zip?: ZipArchive): string {
  if (zip) {
    const names = zip.entries.slice(0, 4).map((entry) => entry.name);
    return `a zip archive with ${zip.entries.length} entries (${names.join(', ')}${zip.entries.length > 4 ? ', …' : ''})`;
  }
  const sample = Array.from(head.subarray(0, 16), (byte) =>
    byte >= 0x20 && byte < 0x7f ? String.fromCharCode(byte) : `\\x${byte.toString(16).padStart(2, '0')}`,
  ).join('');
  return `bytes "${sample}"`;
}
