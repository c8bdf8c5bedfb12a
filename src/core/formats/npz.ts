import { Inflate } from 'fflate';
import type { Checkpoint } from '../checkpoint';
import { CheckpointError } from '../errors';
import type { CheckpointFormat } from '../format';
import { readExact, type ByteSource } from '../io/byte-source';
import type { ZipArchive, ZipEntry } from '../io/zip';
import { readNpyHeader, type NpyHeader } from '../npy-header';
import { pairEmbeddings, type TensorEntry } from '../pairing';
import { findSiblingVocabulary } from '../vocab-files';
import { isFloatNpy, npyLayoutNotes, npyShapeText, npyTensor } from './npy';
import { fitOrNumberRows } from './vocab-beside';

/**
 * Inflated bytes enough for any .npy header we read: numpy's version-1 headers stop at 65535 bytes (+10 for
 * the preamble); longer ones only carry structured dtypes, which we do not read anyway.
 */
const HEADER_PREFIX_BYTES = 65536 + 16;
/** Compressed bytes pushed per inflate step: bounds the overshoot to ~1032× this (deflate's maximum ratio). */
const INFLATE_STEP_BYTES = 4096;
const ZIP_LOCAL_HEADER_BYTES = 30;
const ZIP_LOCAL_SIGNATURE = 0x04034b50;

/** A source over the first inflated bytes of a member that reports the member's full declared size. */
class PrefixSource implements ByteSource {
  constructor(
    readonly name: string,
    private readonly prefix: Uint8Array,
    private readonly declaredSize: number,
  ) {}
  size(): Promise<number> {
    return Promise.resolve(this.declaredSize);
  }
  read(offset: number, length: number): Promise<Uint8Array> {
    return Promise.resolve(this.prefix.subarray(offset, Math.min(offset + length, this.prefix.byteLength)));
  }
  close(): Promise<void> {
    return Promise.resolve();
  }
}

/**
 * The first bytes of a deflated member, inflated step by step from its start, so `inspect` reads every
 * array's header without inflating the arrays.
 */
async function inflatePrefix(source: ByteSource, entry: ZipEntry, want: number): Promise<Uint8Array> {
  const label = `${source.name}#${entry.name}`;
  const local = await readExact(source, entry.localHeaderOffset, ZIP_LOCAL_HEADER_BYTES, `zip local header of ${entry.name}`);
  const view = new DataView(local.buffer, local.byteOffset, ZIP_LOCAL_HEADER_BYTES);
  if (view.getUint32(0, true) !== ZIP_LOCAL_SIGNATURE) throw new CheckpointError('bad-header', `${label}: expected a zip local header`);
  const start = entry.localHeaderOffset + ZIP_LOCAL_HEADER_BYTES + view.getUint16(26, true) + view.getUint16(28, true);
  const chunks: Uint8Array[] = [];
  let have = 0;
  const inflater = new Inflate((chunk) => {
    chunks.push(chunk);
    have += chunk.byteLength;
  });
  for (let at = 0; at < entry.compressedSize && have < want; at += INFLATE_STEP_BYTES) {
    const step = Math.min(INFLATE_STEP_BYTES, entry.compressedSize - at);
    const bytes = await readExact(source, start + at, step, `compressed ${entry.name}`);
    try {
      inflater.push(bytes, at + step >= entry.compressedSize);
    } catch (error) {
      throw new CheckpointError('bad-header', `${label}: deflate data is corrupt (${(error as Error).message})`);
    }
  }
  const out = new Uint8Array(have);
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.byteLength;
  }
  return out;
}

/** Parses a member's .npy header, inflating only its beginning when the member is deflated. */
async function memberHeader(source: ByteSource, zip: ZipArchive, entry: ZipEntry): Promise<NpyHeader> {
  if (entry.method !== 8) {
    const member = await zip.open(entry);
    return readNpyHeader(member);
  }
  const prefix = await inflatePrefix(source, entry, Math.min(entry.size, HEADER_PREFIX_BYTES));
  return readNpyHeader(new PrefixSource(`${source.name}#${entry.name}`, prefix, entry.size));
}

/** True for a zip whose members are all .npy arrays (what np.savez and np.savez_compressed write). */
export function isNpzArchive(zip: ZipArchive | undefined): boolean {
  return zip !== undefined && zip.entries.length > 0 && zip.entries.every((entry) => entry.name.endsWith('.npy'));
}

/**
 * NumPy .npz: every 2-D float array is a candidate; pairing.ts picks U and V by name (U/V, W/C, input/output,
 * embeddings/context, …) or shape. Arrays of other types (int64 counts, object arrays) are listed in the notes
 * and never read.
 */
export const npz: CheckpointFormat = {
  id: 'npz',
  description: 'NumPy .npz archive, stored or deflated (2-D arrays paired into U and V by name and shape)',
  sniff: (probe) => isNpzArchive(probe.zip),
  async read({ source, path, files, zip }): Promise<Checkpoint> {
    if (!zip || !isNpzArchive(zip)) {
      throw new CheckpointError('bad-header', `${path}: expected a zip of .npy arrays (np.savez), found other members`);
    }
    const tensors: TensorEntry[] = [];
    const notes: string[] = [];
    const skipped: string[] = [];
    const layouts = new Map<string, string[]>();
    for (const entry of zip.entries) {
      const name = entry.name.replace(/\.npy$/, '');
      let header: NpyHeader;
      try {
        header = await memberHeader(source, zip, entry);
      } catch (error) {
        // An array of a type we do not read (int64 counts, pickled objects) must not make the archive unreadable.
        if (error instanceof CheckpointError && error.code === 'unsupported') {
          skipped.push(`${name} (${/dtype "([^"]+)"/.exec(error.message)?.[1] ?? 'unsupported'})`);
          continue;
        }
        throw error;
      }
      if (!isFloatNpy(header) || header.shape.length !== 2) {
        skipped.push(`${name} ${npyShapeText(header.shape)} ${header.dtype}`);
        continue;
      }
      tensors.push(npyTensor(name, header, () => zip.open(entry)));
      layouts.set(name, npyLayoutNotes(name, header));
    }
    if (skipped.length > 0) notes.push(`not matrices, not read: ${skipped.join(', ')}`);
    const listed = await findSiblingVocabulary(files, path);
    // The vocabulary's length recognises the lookup table among unnamed arrays (arr_0, arr_1).
    const pairing = pairEmbeddings(tensors, listed ? { vocabSize: listed.tokens.length } : {});
    const input = pairing.matrices.find((matrix) => matrix.role === 'input');
    if (!input) {
      throw new CheckpointError(
        'no-embedding',
        `${path}: expected a 2-D float array among the members, found ${zip.entries.map((entry) => entry.name).join(', ')}${skipped.length ? ` (${skipped.join(', ')})` : ''}`,
      );
    }
    for (const matrix of pairing.matrices) notes.push(...(layouts.get(matrix.name) ?? []));
    const vocab = fitOrNumberRows(listed, input.rows);
    return {
      format: 'npz',
      path,
      vocab: vocab.vocab,
      matrices: pairing.matrices,
      tied: pairing.tied,
      provenance: { files: [path, ...(vocab.file !== undefined ? [vocab.file] : [])], notes: [...pairing.notes, ...notes, ...vocab.notes] },
      close: () => source.close(),
    };
  },
};
