/** What a matrix is for: U is the lookup table, V the context/softmax matrix. */
export type Role = 'input' | 'output' | 'other';

/** Element types as stored in the file; every matrix is handed out as float32. */
export type SourceDType = 'float32' | 'float16' | 'bfloat16' | 'float64' | 'int8' | 'uint8' | 'uint16' | 'int16' | 'int32';

/** The tokens of the rows, in row order. */
export interface Vocabulary {
  readonly tokens: readonly string[];
  /** Training counts per token, where the file (or its vocab file) has them. */
  readonly counts?: readonly number[];
  /** Where the tokens came from: a file name, a tensor, or 'row numbers' when none was found. */
  readonly source: string;
  /** The token count when it is known without building `tokens` (row-number vocabularies build theirs lazily). */
  readonly size?: number;
}

/** Number of tokens, without materialising a lazy vocabulary. */
export function vocabularySize(vocab: Vocabulary): number {
  return vocab.size ?? vocab.tokens.length;
}

/** One embedding matrix of a checkpoint, read lazily so `inspect` never loads a multi-GB file. */
export interface Matrix {
  /** The tensor's name in the file (or the name the format gives it, e.g. 'syn1neg'). */
  readonly name: string;
  readonly role: Role;
  /** Rows shown as tokens (vocabulary rows). */
  readonly rows: number;
  readonly cols: number;
  /** The element type in the file, before conversion to float32. */
  readonly dtype: SourceDType;
  /** Tensor names in the file that make up this matrix (provenance). */
  readonly tensorNames: readonly string[];
  /** Rows stored after the vocabulary rows that are not tokens (fastText's subword buckets). */
  readonly extraRows?: number;
  /** Stored as [cols, rows] in the file (a Dense kernel [d, V]); `load` returns it transposed to rows×cols. */
  readonly transposed?: boolean;
  /** The vocabulary rows as float32, row-major rows×cols. */
  load(signal?: AbortSignal): Promise<Float32Array>;
}

/** A checkpoint, whatever its format: vocabulary, named matrices with roles, and how we know. */
export interface Checkpoint {
  /** The reader that recognised the file (e.g. 'word2vec-binary', 'safetensors'). */
  readonly format: string;
  readonly path: string;
  readonly vocab: Vocabulary;
  readonly matrices: readonly Matrix[];
  /** U and V are one matrix (same storage, or declared tied by the model's config). */
  readonly tied: boolean;
  /** Files read and how roles and ties were decided, for the user who asks "why do you say so?". */
  readonly provenance: Provenance;
  /** Releases the file handles the lazy matrices read from. */
  close(): Promise<void>;
}

/** Where a checkpoint's facts came from. */
export interface Provenance {
  readonly files: readonly string[];
  readonly notes: readonly string[];
}

/** The first matrix with the role, if any. */
export function matrixWithRole(checkpoint: Checkpoint, role: Role): Matrix | undefined {
  return checkpoint.matrices.find((matrix) => matrix.role === role);
}

/** A matrix whose float32 data is already in memory (text formats parse everything in one pass). */
export function eagerMatrix(fields: Omit<Matrix, 'load'>, data: Float32Array): Matrix {
  return { ...fields, load: () => Promise.resolve(data) };
}

/** A vocabulary of row numbers, for matrices that come without tokens. */
export function rowNumberVocabulary(rows: number): Vocabulary {
  // Built on first use: a header-only inspect of a 2.6M-row matrix must not create 2.6M strings.
  let tokens: string[] | undefined;
  return {
    get tokens(): string[] {
      tokens ??= Array.from({ length: rows }, (_, row) => `#${row}`);
      return tokens;
    },
    size: rows,
    source: 'row numbers',
  };
}
