import type { Checkpoint, Matrix } from '../checkpoint';
import { ensure } from '../errors';
import type { CheckpointFormat } from '../format';
import type { ByteSource } from '../io/byte-source';
import { basename } from '../io/files';
import { isNpy, readNpyHeader, type NpyHeader } from '../npy-header';
import type { TensorEntry } from '../pairing';
import { readTensorAsFloat32 } from './tensor-bytes';
import { vocabularyBeside } from './vocab-beside';
import { npyPartner } from './npy-partner';

/** The element types a .npy matrix may have; integer arrays are ids or counts, not embeddings. */
const FLOAT_DTYPES = new Set(['float32', 'float16', 'float64']);

/** True when the array's dtype is one we show as a matrix. */
export function isFloatNpy(header: NpyHeader): boolean {
  return FLOAT_DTYPES.has(header.dtype);
}

/** The shape as NumPy prints it: (50, 8), (50,). */
export function npyShapeText(shape: readonly number[]): string {
  return shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
}

/**
 * Reads a .npy array's data as row-major float32: converts f16/f64 and big-endian, and transposes a
 * Fortran-order 2-D array on the way. `source` is the .npy stream itself (a file, or an npz member).
 */
export function loadNpyData(source: ByteSource, header: NpyHeader, signal?: AbortSignal): Promise<Float32Array> {
  const count = header.shape.reduce((product, dim) => product * dim, 1);
  const rows = header.shape[0] ?? 1;
  return readTensorAsFloat32(
    source,
    {
      offset: header.dataOffset,
      count,
      dtype: header.dtype,
      littleEndian: header.littleEndian,
      what: `array ${npyShapeText(header.shape)} ${header.dtype}`,
      // 1-D Fortran data is already in order; a 2-D one is column-major.
      ...(header.fortranOrder && header.shape.length === 2 ? { columnMajorRows: rows } : {}),
    },
    signal,
  );
}

/** A .npy array as a named tensor for pairing; `open` gives its bytes again when the data is loaded. */
export function npyTensor(name: string, header: NpyHeader, open: () => Promise<ByteSource>): TensorEntry {
  return {
    name,
    shape: header.shape,
    dtype: header.dtype,
    load: async (signal) => {
      const source = await open();
      try {
        return await loadNpyData(source, header, signal);
      } finally {
        await source.close();
      }
    },
  };
}

/** Notes on how the array is stored, for provenance. */
export function npyLayoutNotes(name: string, header: NpyHeader): string[] {
  const notes: string[] = [];
  if (header.fortranOrder) notes.push(`${name} is in Fortran (column-major) order: transposed to rows on load`);
  if (!header.littleEndian) notes.push(`${name} is big-endian ${header.dtype}: byte-swapped on load`);
  return notes;
}

/** NumPy .npy: one array; a 2-D float array is the lookup table U, its rows named by a sibling vocab file. */
export const npy: CheckpointFormat = {
  id: 'npy',
  description: 'NumPy .npy array (a 2-D float array is U; tokens from a vocab.txt / metadata.tsv beside it)',
  sniff: (probe) => isNpy(probe.head),
  async read({ source, path, files }): Promise<Checkpoint> {
    const header = await readNpyHeader(source);
    const [rows, cols] = header.shape;
    ensure(
      header.shape.length === 2 && rows !== undefined && cols !== undefined && rows >= 1 && cols >= 1,
      'no-embedding',
      () => `${path}: expected a 2-D array (rows × dimensions), found shape ${npyShapeText(header.shape)}`,
    );
    ensure(
      isFloatNpy(header),
      'unsupported',
      () => `${path}: expected a float32, float16 or float64 array, found ${header.dtype} (ids or counts, not vectors)`,
    );
    const name = basename(path).replace(/\.npy$/i, '');
    const matrix: Matrix = {
      name,
      role: 'input',
      rows,
      cols,
      dtype: header.dtype,
      tensorNames: [],
      load: (signal) => loadNpyData(source, header, signal),
    };
    const { vocab, notes, file } = await vocabularyBeside(files, path, rows);
    const partner = await npyPartner(files, path, rows, cols);
    return {
      format: 'npy',
      path,
      vocab,
      matrices: partner.output ? [matrix, partner.output] : [matrix],
      tied: partner.tied,
      provenance: {
        files: [path, ...(file !== undefined ? [file] : []), ...partner.files],
        notes: ['a .npy file holds one array: read as U (one row per token)', ...npyLayoutNotes(name, header), ...notes, ...partner.notes],
      },
      close: async () => {
        await source.close();
        await partner.close();
      },
    };
  },
};
