import type { Matrix } from '../checkpoint';
import type { FileAccess } from '../io/files';
import { basename, dirname } from '../io/files';
import { isNpy, readNpyHeader } from '../npy-header';
import { isFloatNpy, loadNpyData, npyShapeText } from './npy';

/**
 * The output matrix saved beside an input matrix as its own .npy (U.npy + V.npy, as Embedding Lens's trainers and
 * many scripts write them; W.npy + W_tilde.npy or C.npy for GloVe; syn0 + syn1neg): the first sibling name that
 * exists for the input's name.
 */
const PARTNERS: Readonly<Record<string, readonly string[]>> = {
  U: ['V'],
  W: ['W_tilde', 'C'],
  input: ['output'],
  W_in: ['W_out'],
  syn0: ['syn1neg'],
  word_vectors: ['context_vectors'],
  target: ['context'],
};

/** Largest manifest.json read for its `tied` flag: a run's manifest is a few kB. */
const MAX_MANIFEST_BYTES = 1 << 20;

/** What was found beside an input .npy. */
export interface NpyPartner {
  /** V, when a sibling .npy of the same shape is there. */
  readonly output: Matrix | undefined;
  /** An Embedding Lens run manifest beside the arrays says U plays both roles. */
  readonly tied: boolean;
  readonly files: string[];
  readonly notes: string[];
  /** Closes the partner's file. */
  close(): Promise<void>;
}

/** Looks beside `path` (an input matrix's .npy, `rows`×`cols`) for its output matrix and for a run manifest. */
export async function npyPartner(files: FileAccess, path: string, rows: number, cols: number): Promise<NpyPartner> {
  const folder = dirname(path);
  const at = (name: string): string => (folder === '' ? name : `${folder}/${name}`);
  const stem = basename(path).replace(/\.npy$/i, '');
  const notes: string[] = [];
  const found: string[] = [];
  let output: Matrix | undefined;
  let close = (): Promise<void> => Promise.resolve();
  for (const name of PARTNERS[stem] ?? []) {
    const partnerPath = at(`${name}.npy`);
    const stat = await files.stat(partnerPath);
    if (!stat || stat.isDirectory) continue;
    const source = await files.open(partnerPath);
    const head = await source.read(0, Math.min(16, stat.size));
    const header = isNpy(head) ? await readNpyHeader(source).catch(() => undefined) : undefined;
    if (!header || !isFloatNpy(header) || header.shape[0] !== rows || header.shape[1] !== cols || header.shape.length !== 2) {
      await source.close();
      notes.push(
        `${name}.npy beside ${stem}.npy is not a ${rows}×${cols} float matrix (${header ? npyShapeText(header.shape) : 'not .npy'}): not read as V`,
      );
      continue;
    }
    output = {
      name,
      role: 'output',
      rows,
      cols,
      dtype: header.dtype,
      tensorNames: [],
      load: (signal) => loadNpyData(source, header, signal),
    };
    close = () => source.close();
    found.push(partnerPath);
    notes.push(`${name}.npy beside ${stem}.npy: read as V (the output matrix)`);
    break;
  }
  const tied = await manifestSaysTied(files, at('manifest.json'));
  if (tied) {
    found.push(at('manifest.json'));
    notes.push('manifest.json of an Embedding Lens run: the model was trained tied (U is also the output matrix)');
  }
  return { output, tied: tied && output === undefined, files: found, notes, close };
}

async function manifestSaysTied(files: FileAccess, path: string): Promise<boolean> {
  const stat = await files.stat(path);
  if (!stat || stat.isDirectory || stat.size > MAX_MANIFEST_BYTES) return false;
  const source = await files.open(path);
  try {
    const manifest: unknown = JSON.parse(new TextDecoder().decode(await source.read(0, stat.size)));
    if (typeof manifest !== 'object' || manifest === null) return false;
    const { producer, tied } = manifest as { producer?: unknown; tied?: unknown };
    return producer === 'embedding-lens' && tied === true;
  } catch {
    return false;
  } finally {
    await source.close();
  }
}
