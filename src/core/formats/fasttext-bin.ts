import type { Matrix, Role } from '../checkpoint';
import { CheckpointError, ensure, throwIfAborted } from '../errors';
import type { CheckpointFormat } from '../format';
import { readExact, type ByteSource } from '../io/byte-source';
import { loadMatrixRows, readInt64, readMatrixLayout, type MatrixLayout } from './fasttext-matrix';

/** FASTTEXT_FILEFORMAT_MAGIC_INT32 in fastText's fasttext.cc, the first int32 of every .bin/.ftz model. */
const MAGIC = 793712314;
/** 11: the first versioned files (2017); 12: every fastText since. fastText itself reads both with one layout. */
const VERSIONS = [11, 12];
/** magic + version (int32 each), then Args::save: twelve int32 fields and the double `t`. */
const ARGS_OFFSET = 8;
const DICTIONARY_OFFSET = ARGS_OFFSET + 12 * 4 + 8;
/** size, nwords, nlabels (int32), ntokens, pruneidx_size (int64). */
const DICTIONARY_HEADER_BYTES = 3 * 4 + 2 * 8;
/** The smallest dictionary entry: an empty word's NUL, an int64 count and an int8 type. */
const MIN_ENTRY_BYTES = 1 + 8 + 1;
/** Widest vector we accept: far above any real model, low enough to catch garbage. */
const MAX_DIM = 1 << 16;
/** Longest word we accept; fastText has no limit, but a NUL this far away means a corrupt dictionary. */
const MAX_WORD_BYTES = 1 << 16;
/** Dictionary bytes fetched per read: the dictionary of a 2M-word model is ~30 MB. */
const DICTIONARY_CHUNK_BYTES = 1 << 20;
/** fastText's enums (args.h): model_name {cbow = 1, sg, sup}, loss_name {hs = 1, ns, softmax, ova}. */
const MODEL_NAMES = ['cbow', 'sg', 'sup'];
const LOSS_NAMES = ['hs', 'ns', 'softmax', 'ova'];

/** The training arguments a fastText model stores (Args::save). */
export interface FastTextArgs {
  readonly dim: number;
  readonly ws: number;
  readonly epoch: number;
  readonly minCount: number;
  readonly neg: number;
  readonly wordNgrams: number;
  readonly loss: string;
  readonly model: string;
  readonly bucket: number;
  readonly minn: number;
  readonly maxn: number;
  readonly lrUpdateRate: number;
  readonly t: number;
}

interface Dictionary {
  readonly words: string[];
  readonly counts: number[];
  readonly labels: string[];
  readonly ntokens: number;
  /** Entries of the n-gram index kept by `quantize -cutoff`; -1 when the dictionary was never pruned. */
  readonly pruned: number;
  readonly end: number;
}

const utf8 = new TextDecoder('utf-8');

/** Reads the dictionary's entries front to back in chunks, never past the file's end. */
class Cursor {
  private chunk: Uint8Array = new Uint8Array(0);
  private chunkStart = 0;
  constructor(
    private readonly source: ByteSource,
    public position: number,
    private readonly size: number,
  ) {}

  /** Up to `want` bytes from the position (fewer only at the end of the file), without consuming them. */
  private async window(want: number): Promise<Uint8Array> {
    const from = this.position - this.chunkStart;
    if (from + want > this.chunk.length && this.chunkStart + this.chunk.length < this.size) {
      const length = Math.min(Math.max(want, DICTIONARY_CHUNK_BYTES), this.size - this.position);
      this.chunk = await this.source.read(this.position, length);
      this.chunkStart = this.position;
      return this.chunk.subarray(0, want);
    }
    return this.chunk.subarray(from, from + want);
  }

  /** A NUL-terminated word. */
  async word(what: () => string): Promise<string> {
    for (let want = 256; ; want *= 2) {
      const bytes = await this.window(want);
      const nul = bytes.indexOf(0);
      if (nul >= 0) {
        this.position += nul + 1;
        return utf8.decode(bytes.subarray(0, nul));
      }
      if (bytes.length < want)
        throw new CheckpointError('truncated', `${this.source.name}: ${what()}: expected a NUL-terminated word, found the end of the file`);
      if (want > MAX_WORD_BYTES)
        throw new CheckpointError('bad-header', `${this.source.name}: ${what()}: expected a word, found ${want} bytes without a NUL`);
    }
  }

  /** An int64 count and an int8 type, as Dictionary::save writes after each word. */
  async countAndType(what: () => string): Promise<{ count: number; type: number }> {
    const bytes = await this.window(9);
    if (bytes.length < 9)
      throw new CheckpointError('truncated', `${this.source.name}: ${what()}: expected a count and a type, found the end of the file`);
    const view = new DataView(bytes.buffer, bytes.byteOffset, 9);
    const count = readInt64(view, 0, this.source.name, `${what()}: the count`);
    this.position += 9;
    return { count, type: view.getInt8(8) };
  }
}

function parseArgs(bytes: Uint8Array, path: string): FastTextArgs {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const int = (field: number): number => view.getInt32(ARGS_OFFSET + field * 4, true);
  const [model, loss] = [MODEL_NAMES[int(7) - 1], LOSS_NAMES[int(6) - 1]];
  ensure(model !== undefined, 'bad-header', () => `${path}: expected model 1..3 (cbow, sg, sup) in the args, found ${int(7)}`);
  ensure(loss !== undefined, 'bad-header', () => `${path}: expected loss 1..4 (hs, ns, softmax, ova) in the args, found ${int(6)}`);
  const args = {
    dim: int(0),
    ws: int(1),
    epoch: int(2),
    minCount: int(3),
    neg: int(4),
    wordNgrams: int(5),
    loss,
    model,
    bucket: int(8),
    minn: int(9),
    maxn: int(10),
    lrUpdateRate: int(11),
    t: view.getFloat64(ARGS_OFFSET + 48, true),
  };
  ensure(args.dim >= 1 && args.dim <= MAX_DIM, 'bad-header', () => `${path}: expected dim 1..${MAX_DIM} in the args, found ${args.dim}`);
  ensure(args.bucket >= 0, 'bad-header', () => `${path}: expected a non-negative bucket count in the args, found ${args.bucket}`);
  return args;
}

async function readDictionary(source: ByteSource, size: number, signal: AbortSignal | undefined): Promise<Dictionary> {
  const path = source.name;
  const header = await readExact(source, DICTIONARY_OFFSET, DICTIONARY_HEADER_BYTES, 'the dictionary header');
  const view = new DataView(header.buffer, header.byteOffset, header.byteLength);
  const [entries, nwords, nlabels] = [0, 4, 8].map((at) => view.getInt32(at, true)) as [number, number, number];
  const ntokens = readInt64(view, 12, path, 'the token count');
  const pruned = readInt64(view, 20, path, 'the pruned n-gram count');
  ensure(
    nwords >= 0 && nlabels >= 0 && entries === nwords + nlabels,
    'bad-header',
    () => `${path}: expected dictionary size = words + labels, found ${entries} entries, ${nwords} words, ${nlabels} labels`,
  );
  ensure(pruned >= -1, 'bad-header', () => `${path}: expected a pruned n-gram count of -1 or more, found ${pruned}`);
  const start = DICTIONARY_OFFSET + DICTIONARY_HEADER_BYTES;
  // Checked before the entries are read: a lying count must not drive a long loop or large arrays.
  ensure(
    start + entries * MIN_ENTRY_BYTES + Math.max(0, pruned) * 8 <= size,
    'truncated',
    () =>
      `${path}: dictionary says ${entries} entries (at least ${entries * MIN_ENTRY_BYTES} bytes), file has ${size - start} bytes after its header`,
  );
  const words: string[] = [];
  const counts: number[] = [];
  const labels: string[] = [];
  const cursor = new Cursor(source, start, size);
  for (let i = 0; i < entries; i++) {
    if ((i & 0xffff) === 0) throwIfAborted(signal, path);
    const what = (): string => `dictionary entry ${i + 1} of ${entries} at byte ${cursor.position}`;
    const word = await cursor.word(what);
    const { count, type } = await cursor.countAndType(what);
    // Dictionary::threshold sorts words before labels, so nwords and nlabels split the entries in two.
    const expected = i < nwords ? 0 : 1;
    ensure(
      type === expected,
      'bad-header',
      () => `${path}: ${what()}: expected type ${expected} (${expected ? 'label' : 'word'}), found ${type}`,
    );
    if (type === 0) {
      words.push(word);
      counts.push(count);
    } else labels.push(word);
  }
  // The pruned n-gram index (pairs of int32) is only needed to look up subwords; U does not use it.
  const end = cursor.position + Math.max(0, pruned) * 8;
  ensure(end <= size, 'truncated', () => `${path}: the pruned n-gram index ends at byte ${end}, file has ${size} bytes`);
  return { words, counts, labels, ntokens, pruned, end };
}

/** What the output matrix's rows are, by model and loss (fasttext.cc createTrainOutputMatrix, loss.cc). */
function outputRole(args: FastTextArgs, dictionary: Dictionary): { role: Role; rows: number; note: string } {
  const nwords = dictionary.words.length;
  if (args.model === 'sup') {
    const shown = dictionary.labels.slice(0, 8).join(', ') + (dictionary.labels.length > 8 ? ', …' : '');
    return {
      role: 'other',
      rows: dictionary.labels.length,
      note: `supervised model: the output matrix has one row per label (${shown}), not per word; shown as 'other'`,
    };
  }
  if (args.loss === 'hs') {
    return {
      role: 'other',
      rows: nwords,
      note: `hierarchical softmax: output rows 0..${nwords - 2} are the inner nodes of the Huffman tree over the words (the last row is unused), not words; shown as 'other'`,
    };
  }
  return { role: 'output', rows: nwords, note: `loss ${args.loss}: the output matrix has one row per word, in dictionary order: V` };
}

/** What the input matrix's rows after the words are, and how U relates to fastText's own word vectors. */
function inputNote(args: FastTextArgs, dictionary: Dictionary, inputRows: number): string {
  const nwords = dictionary.words.length;
  const extra = inputRows - nwords;
  const kinds = [
    ...(args.maxn > 0 ? [`char n-grams of ${args.minn}..${args.maxn}`] : []),
    ...(args.wordNgrams > 1 ? [`word n-grams up to ${args.wordNgrams}`] : []),
  ];
  const rest =
    extra === 0
      ? 'no subword rows'
      : `${extra} ${dictionary.pruned >= 0 ? 'n-gram rows kept by quantization' : 'hashed bucket rows'} (${kinds.join(', ') || 'unused'}), not shown as words`;
  const average =
    args.maxn > 0
      ? "; fastText's own word vectors (print-word-vectors, the .vec file) average a word's row with its char n-gram rows"
      : "; with no char n-grams, fastText's word vectors (print-word-vectors, the .vec file) are these rows";
  return `input matrix: ${nwords} word rows (U), then ${rest}${average}`;
}

function lazyMatrix(source: ByteSource, fields: Omit<Matrix, 'load' | 'dtype'>, layout: MatrixLayout): Matrix {
  return {
    ...fields,
    dtype: layout.kind === 'quantized' ? 'uint8' : 'float32',
    load: (signal) => loadMatrixRows(source, layout, fields.rows, signal),
  };
}

/** fastText's binary model (.bin, and the quantized .ftz): args, dictionary, input matrix (U + buckets), output matrix. */
export const fastTextBin: CheckpointFormat = {
  id: 'fasttext-bin',
  description: 'fastText binary model (.bin / quantized .ftz: dictionary with counts, input matrix U with subword buckets, output matrix)',
  sniff(probe) {
    if (probe.head.byteLength < 8) return false;
    const view = new DataView(probe.head.buffer, probe.head.byteOffset, 8);
    // The version is checked by `read`, so a future version gets a clear `unsupported` instead of "unknown format".
    return view.getInt32(0, true) === MAGIC;
  },
  async read(context) {
    const { source, path, signal } = context;
    const size = await source.size();
    const { version, args } = await readFastTextHead(source);
    const dictionary = await readDictionary(source, size, signal);
    const nwords = dictionary.words.length;

    const input = await readMatrixLayout(source, dictionary.end, size, args.dim, true, 'input matrix');
    // Rows after the words: the hashed subword buckets, or only the n-grams kept when quantization pruned them.
    const inputRows = nwords + (dictionary.pruned >= 0 ? dictionary.pruned : args.bucket);
    ensure(
      input.layout.rows === inputRows,
      'bad-header',
      () =>
        `${path}: expected an input matrix of ${nwords} words + ${inputRows - nwords} ${dictionary.pruned >= 0 ? 'kept n-grams' : 'buckets'} = ${inputRows} rows, found ${input.layout.rows}`,
    );
    ensure(
      input.flag || dictionary.pruned < 0,
      'bad-header',
      () => `${path}: expected a quantized input matrix with a pruned dictionary (fastText refuses this file too), found a dense one`,
    );
    const output = await readMatrixLayout(source, input.layout.end, size, args.dim, input.flag, 'output matrix');
    const described = outputRole(args, dictionary);
    ensure(
      output.layout.rows === described.rows,
      'bad-header',
      () =>
        `${path}: expected an output matrix of ${described.rows} rows (${args.model === 'sup' ? 'labels' : 'words'}), found ${output.layout.rows}`,
    );

    const notes = [
      `fastText ${args.model} model, loss ${args.loss}, file format version ${version}: dim ${args.dim}, ${nwords} words` +
        `${dictionary.labels.length ? `, ${dictionary.labels.length} labels` : ''}, ${dictionary.ntokens} training tokens`,
      inputNote(args, dictionary, inputRows),
      described.note,
    ];
    for (const [name, matrix] of [
      ['input', input.layout],
      ['output', output.layout],
    ] as const) {
      if (matrix.kind === 'quantized') {
        notes.push(
          `${name} matrix is product-quantized (.ftz): ${matrix.subquantizers} subquantizers of ${matrix.dsub} dims, 256 centroids each` +
            `${matrix.norms ? ', norms quantized separately' : ''}; rows are decoded on load and approximate the trained vectors`,
        );
      }
    }
    if (output.layout.end !== size) notes.push(`${size - output.layout.end} bytes after the output matrix were ignored`);

    const matrices: Matrix[] = [
      lazyMatrix(
        source,
        { name: 'input', role: 'input', rows: nwords, cols: args.dim, tensorNames: ['input'], extraRows: inputRows - nwords },
        input.layout,
      ),
      lazyMatrix(
        source,
        { name: 'output', role: described.role, rows: described.rows, cols: args.dim, tensorNames: ['output'] },
        output.layout,
      ),
    ];
    return {
      format: 'fasttext-bin',
      path,
      vocab: { tokens: dictionary.words, counts: dictionary.counts, source: path },
      matrices,
      tied: false,
      provenance: { files: [path], notes },
      close: () => source.close(),
    };
  },
};

/** The file format version and training arguments of a fastText model (reads only its first 64 bytes). */
export async function readFastTextHead(source: ByteSource): Promise<{ version: number; args: FastTextArgs }> {
  const path = source.name;
  const head = await readExact(source, 0, DICTIONARY_OFFSET, 'the magic number, version and training args');
  const view = new DataView(head.buffer, head.byteOffset, head.byteLength);
  const magic = view.getInt32(0, true);
  ensure(magic === MAGIC, 'bad-header', () => `${path}: expected the fastText magic number ${MAGIC}, found ${magic}`);
  const version = view.getInt32(4, true);
  ensure(
    VERSIONS.includes(version),
    'unsupported',
    () => `${path}: expected fastText file format version ${VERSIONS.join(' or ')}, found ${version}`,
  );
  const args = parseArgs(head, path);
  // fastText's loadModel: version 11 supervised models predate char n-grams for classifiers, whatever maxn says.
  return { version, args: version === 11 && args.model === 'sup' ? { ...args, maxn: 0 } : args };
}
