import type { Checkpoint, Matrix, Role, SourceDType } from '../checkpoint';
import { DTYPE_BYTES, decodeToFloat32, transpose } from '../dtype';
import { CheckpointError, ensure, throwIfAborted } from '../errors';
import type { CheckpointFormat, ReadContext } from '../format';
import { readExact, type ByteSource } from '../io/byte-source';
import { basename, dirname, joinInside } from '../io/files';
import { readNpyHeader, type NpyHeader } from '../npy-header';
import { NumpyArray, arrayFloat32, arrayNumbers, numpySourceDType, numpyHooks } from '../pickle/numpy';
import { firstGlobal, unpickleSource } from '../pickle/unpickle';
import { PickleCall, PickleDict, describeValue, instanceDict, sequenceItems, type PickleValue } from '../pickle/values';
import { fitVocabulary } from '../vocab-files';

/** Arrays at least this large stay in the file until a matrix is loaded (a 300k×300 model pickles 360 MB inline). */
const LAZY_ARRAY_BYTES = 64 * 1024;

/** An array of the model, wherever gensim put it: inline in the pickle, or in a `.npy` side file. */
interface ArrayRef {
  readonly attribute: string;
  readonly shape: readonly number[];
  readonly dtype: SourceDType;
  /** Where it was found, for provenance ('inline in the pickle' or the side file's name). */
  readonly where: string;
  load(signal?: AbortSignal): Promise<Float32Array>;
}

/** gensim's SaveLoad writes protocol 2–5 pickles whose first global is the saved object's gensim class. */
function isGensimPickle(head: Uint8Array): boolean {
  if (head[0] !== 0x80 || (head[1] ?? 0) < 2 || (head[1] ?? 0) > 5) return false;
  return firstGlobal(head)?.module.startsWith('gensim.') ?? false;
}

function attributes(object: PickleCall, path: string, what: string): PickleDict {
  const dict = instanceDict(object);
  ensure(dict, 'bad-header', () => `${path}: expected ${what} with its attributes, found ${describeValue(object)} without state`);
  return dict;
}

function stringList(value: PickleValue | undefined): string[] | undefined {
  const items = sequenceItems(value);
  if (!items) return undefined;
  return items.map((item) => (typeof item === 'string' ? item : String(item)));
}

/** A 2-D array stored by `SaveLoad._save_specials` as `<fname>.<attribute>.npy` beside the pickle. */
async function sideArray(context: ReadContext, stem: string, attribute: string, opened: ByteSource[]): Promise<ArrayRef> {
  const { files, path } = context;
  const name = `${stem}.${attribute}.npy`;
  const sidePath = joinInside(dirname(path), name);
  ensure(sidePath, 'bad-header', () => `${path}: side file name ${name} leaves the model's folder`);
  const stat = await files.stat(sidePath);
  ensure(stat, 'not-found', () => `${path}: the pickle says ${attribute} is stored in ${name}, which is missing`);
  const source = await files.open(sidePath);
  opened.push(source);
  const header: NpyHeader = await readNpyHeader(source);
  ensure(
    header.shape.length === 2,
    'bad-header',
    () => `${sidePath}: expected a 2-D array for ${attribute}, found shape (${header.shape.join(', ')})`,
  );
  const [rows, cols] = header.shape as [number, number];
  return {
    attribute,
    shape: header.shape,
    dtype: header.dtype,
    where: sidePath,
    async load(signal) {
      throwIfAborted(signal, sidePath);
      const count = rows * cols;
      const bytes = await readExact(source, header.dataOffset, count * DTYPE_BYTES[header.dtype], attribute);
      const out = new Float32Array(count);
      decodeToFloat32(bytes, header.dtype, header.littleEndian, count, out, 0);
      return header.fortranOrder ? transpose(out, cols, rows) : out;
    },
  };
}

/**
 * One attribute of a gensim object as a 2-D float array: inline (a pickled numpy array), or in a side file when
 * the object's `__numpys` lists it. Undefined when the object does not have it (or gensim dropped it: `__ignoreds`).
 */
async function findArray(
  context: ReadContext,
  owner: PickleDict,
  stem: string,
  attribute: string,
  opened: ByteSource[],
): Promise<ArrayRef | undefined> {
  const { path, source } = context;
  const value = owner.get(attribute);
  if (value instanceof NumpyArray) {
    const dtype = value.dtype ? numpySourceDType(value.dtype) : undefined;
    ensure(
      value.shape.length === 2,
      'bad-header',
      () => `${path}: expected ${attribute} to be 2-D, found shape (${value.shape.join(', ')})`,
    );
    ensure(
      dtype,
      'unsupported',
      () => `${path}: ${attribute} has numpy type ${value.dtype?.code ?? '?'}, expected float32, float16 or float64`,
    );
    return { attribute, shape: value.shape, dtype, where: 'inline in the pickle', load: () => arrayFloat32(value, source, attribute) };
  }
  if (stringList(owner.get('__numpys'))?.includes(attribute)) return sideArray(context, stem, attribute, opened);
  if (value !== undefined && value !== null) {
    throw new CheckpointError('bad-header', `${path}: expected ${attribute} to be a numpy array, found ${describeValue(value)}`);
  }
  return undefined;
}

function arrayMatrix(array: ArrayRef, name: string, role: Role, rows: number): Matrix {
  const [stored, cols] = array.shape as [number, number];
  return {
    name,
    role,
    rows,
    cols,
    dtype: array.dtype,
    tensorNames: [name],
    // Only the vocabulary rows are handed out; gensim's arrays have exactly one row per key.
    load: async (signal) => {
      const data = await array.load(signal);
      return rows === stored ? data : data.subarray(0, rows * cols);
    },
  };
}

/** The model object and its KeyedVectors: a Word2Vec-like model has `wv`; a KeyedVectors file is one itself. */
function locateVectors(root: PickleCall, path: string): { model?: PickleDict; kv: PickleDict; kvStem: string } {
  const className = root.callee.qualified;
  if (/fasttext/i.test(className)) {
    throw new CheckpointError(
      'unsupported',
      `${path}: a gensim FastText model (${className}); its word vectors are built from n-gram buckets, expected Word2Vec or KeyedVectors (export with model.wv.save_word2vec_format)`,
    );
  }
  const own = attributes(root, path, `a gensim ${root.callee.name}`);
  if (/KeyedVectors$/.test(root.callee.name)) return { kv: own, kvStem: '' };
  const wv = own.get('wv');
  ensure(
    wv instanceof PickleCall,
    'no-embedding',
    () => `${path}: a gensim ${root.callee.name} without word vectors (wv), found ${describeValue(wv)}`,
  );
  if (/fasttext/i.test(wv.callee.qualified)) return locateVectors(wv, path);
  return { model: own, kv: attributes(wv, path, 'gensim KeyedVectors'), kvStem: '.wv' };
}

/** gensim 4.x `SaveLoad.save()` models (Word2Vec, KeyedVectors): the pickle plus its `.npy` side files. */
export const gensimModel: CheckpointFormat = {
  id: 'gensim',
  description: 'gensim Word2Vec.save() / KeyedVectors.save() pickle with its .npy side files (U = wv.vectors, V = syn1neg)',
  sniff: (probe) => isGensimPickle(probe.head),
  async read(context): Promise<Checkpoint> {
    const { source, path, signal } = context;
    const pickle = await unpickleSource(source, 0, {
      hooks: [numpyHooks],
      lazyBytesThreshold: LAZY_ARRAY_BYTES,
      ...(signal ? { signal } : {}),
    });
    const root = pickle.value;
    ensure(
      root instanceof PickleCall && root.callee.module.startsWith('gensim.'),
      'bad-header',
      () => `${path}: expected a pickled gensim model, found ${describeValue(root)}`,
    );
    const { model, kv, kvStem } = locateVectors(root, path);
    const keys = kv.get('index_to_key');
    if (keys === undefined && kv.get('index2word') !== undefined) {
      throw new CheckpointError(
        'unsupported',
        `${path}: a gensim 3.x model (wv.index2word), expected gensim ≥ 4; load and re-save it with gensim 4`,
      );
    }
    const tokens = stringList(keys);
    ensure(tokens, 'bad-header', () => `${path}: expected wv.index_to_key to be a list of keys, found ${describeValue(keys)}`);
    const opened: ByteSource[] = [];
    const close = async (): Promise<void> => {
      await Promise.all([source, ...opened].map((s) => s.close()));
    };
    try {
      const stem = basename(path);
      const vectors = await findArray(context, kv, `${stem}${kvStem}`, 'vectors', opened);
      ensure(vectors, 'no-embedding', () => `${path}: gensim model without wv.vectors (found neither an inline array nor a side file)`);
      const [rows] = vectors.shape as [number, number];
      const notes = [`U = wv.vectors [${vectors.shape.join(', ')}] (${vectors.where})`];
      const counts = await readCounts(kv, context, tokens.length);
      const fitted = fitVocabulary({ tokens, ...(counts ? { counts } : {}), source: `${path} (wv.index_to_key)` }, rows);
      if (fitted.note) notes.push(fitted.note);
      const matrices: Matrix[] = [arrayMatrix(vectors, 'wv.vectors', 'input', rows)];
      for (const [attribute, role] of [
        ['syn1neg', 'output'],
        ['syn1', 'other'],
      ] as const) {
        const array = model ? await findArray(context, model, stem, attribute, opened) : undefined;
        if (!array) continue;
        const [arrayRows, arrayCols] = array.shape as [number, number];
        if (arrayRows === 0) continue;
        ensure(
          arrayRows === rows && arrayCols === vectors.shape[1],
          'bad-header',
          () => `${path}: ${attribute} is [${array.shape.join(', ')}], expected [${rows}, ${vectors.shape[1]}] like wv.vectors`,
        );
        matrices.push(arrayMatrix(array, attribute, role, rows));
        notes.push(
          role === 'output'
            ? `V = syn1neg [${array.shape.join(', ')}] (${array.where}): the negative-sampling output weights`
            : `syn1 [${array.shape.join(', ')}] (${array.where}) is hierarchical softmax: its rows are Huffman-tree inner nodes, not words, so it is not V`,
        );
      }
      if (!model) notes.push('a KeyedVectors file holds only the word vectors (U); the model file also has syn1neg (V)');
      else if (!matrices.some((matrix) => matrix.role === 'output')) notes.push('no output matrix (V): syn1neg is absent');
      return {
        format: 'gensim',
        path,
        vocab: fitted.vocab,
        matrices,
        tied: false,
        provenance: { files: [path, ...opened.map((s) => s.name)], notes: [`gensim ${root.callee.name} pickle`, ...notes] },
        close,
      };
    } catch (error) {
      await close();
      throw error;
    }
  },
};

/** Training counts: gensim 4 keeps them in `wv.expandos['count']`, an int64 array in key order. */
async function readCounts(kv: PickleDict, context: ReadContext, keys: number): Promise<number[] | undefined> {
  const expandos = kv.get('expandos');
  const count = expandos instanceof PickleDict ? expandos.get('count') : undefined;
  if (!(count instanceof NumpyArray) || count.shape.length !== 1 || count.size !== keys) return undefined;
  return arrayNumbers(count, context.source, 'wv.expandos["count"]');
}
