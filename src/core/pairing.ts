import type { Matrix, Role, SourceDType } from './checkpoint';
import { transpose } from './dtype';

/** A named tensor of a tensor-dictionary format (safetensors, state dict, npz, Keras, TF.js). */
export interface TensorEntry {
  readonly name: string;
  readonly shape: readonly number[];
  readonly dtype: SourceDType;
  /** Tensors with the same key share storage in the file (PyTorch): one matrix, tied. */
  readonly storageKey?: string;
  /** The whole tensor as float32 in its stored (row-major) shape. */
  load(signal?: AbortSignal): Promise<Float32Array>;
}

/** What the model's own metadata says, when there is any. */
export interface PairingHints {
  /** config.json `tie_word_embeddings` (Hugging Face) or an equivalent declaration. */
  readonly tiedByConfig?: boolean;
  /** Number of tokens the vocabulary file lists, used to recognise the lookup table among many tensors. */
  readonly vocabSize?: number;
}

/** The outcome: matrices with roles, whether U and V are tied, and notes that say why. */
export interface Pairing {
  readonly matrices: Matrix[];
  readonly tied: boolean;
  readonly notes: string[];
}

/**
 * Names of lookup tables (U), most specific first; matched against the end of a tensor's name at a '.' or '/'
 * boundary. Hugging Face, PyTorch examples, SGNS repos, gensim, Keras (`embeddings`, `embeddings:0`).
 */
const INPUT_NAMES = [
  'embed_tokens.weight',
  'wte.weight',
  'word_embeddings.weight',
  'tok_embeddings.weight',
  'token_embedding.weight',
  'embed_in.weight',
  'shared.weight',
  'in_embed.weight',
  'in_embeddings.weight',
  'u_embeddings.weight',
  'target_embeddings.weight',
  'input_embeddings.weight',
  'center_embeddings.weight',
  'wv.vectors',
  'embedding.weight',
  'embeddings.weight',
  'encoder.weight',
  'emb.weight',
  'embed.weight',
  'embeddings:0',
  'embeddings',
];

/** Names of output/context matrices (V): softmax heads, SGNS context tables, word2vec's syn1neg. */
const OUTPUT_NAMES = [
  'lm_head.weight',
  'embed_out.weight',
  'output.weight',
  'decoder.weight',
  'out_embed.weight',
  'out_embeddings.weight',
  'output_embeddings.weight',
  'v_embeddings.weight',
  'context_embeddings.weight',
  'syn1neg',
  'lm_head',
  'reverse_embeddings', // keras_hub ReversibleEmbedding(tie_weights=False): the [d, V] output projection
];

/** Other lookup tables worth showing: position (GPT-2's wpe), token-type and any '*emb*' tensor. */
const OTHER_EMBEDDING = /emb|(^|[./])wpe\.weight$|position|token_type/i;

/**
 * Whole names (no module path) of U and V in NumPy .npz archives and other flat tensor files: np.savez(U=…, V=…),
 * GloVe's W and context C, input/output, word2vec's syn0. Matched only as the entire name, after the suffix lists,
 * so a layer's `attention.W` in a state dict is never taken for a lookup table.
 */
const WHOLE_INPUT_NAMES = ['U', 'W', 'input', 'W_in', 'syn0', 'word_vectors', 'target'];
const WHOLE_OUTPUT_NAMES = ['V', 'C', 'output', 'W_out', 'context', 'context_vectors', 'W_tilde'];

/** True when a tensor's name is one pairing recognises as an input or output embedding (or mentions one). */
export function looksLikeEmbeddingName(name: string): boolean {
  return (
    [...INPUT_NAMES, ...OUTPUT_NAMES].some((suffix) => matchesName(name, suffix)) ||
    WHOLE_INPUT_NAMES.includes(name) ||
    WHOLE_OUTPUT_NAMES.includes(name) ||
    /emb/i.test(name)
  );
}

/** A Dense/Linear layer's kernel in a Keras/TF.js file: `[d, V]`, i.e. V transposed. */
const DENSE_KERNEL = /(^|[./])(kernel(:0)?|vars\/0)$/;

function matchesName(name: string, suffix: string): boolean {
  if (name === suffix) return true;
  if (!name.endsWith(suffix)) return false;
  const boundary = name[name.length - suffix.length - 1];
  return boundary === '.' || boundary === '/';
}

function findByNames(candidates: readonly TensorEntry[], names: readonly string[]): TensorEntry | undefined {
  for (const suffix of names) {
    const hit = candidates.find((tensor) => matchesName(tensor.name, suffix));
    if (hit) return hit;
  }
  return undefined;
}

function isMatrix(tensor: TensorEntry): boolean {
  return tensor.shape.length === 2 && (tensor.shape[0] ?? 0) >= 1 && (tensor.shape[1] ?? 0) >= 1;
}

/**
 * Picks U and V among a checkpoint's tensors. The rules, in order:
 * 1. Only 2-D tensors are candidates.
 * 2. U is the first tensor whose name ends with an INPUT_NAMES entry, else whose whole name is a WHOLE_INPUT_NAMES
 *    entry; failing that, the tensor whose row count equals the vocabulary size; failing that, the 2-D tensor with
 *    the most rows (rows ≥ cols).
 * 3. V is the first other tensor whose name ends with an OUTPUT_NAMES entry (else is a WHOLE_OUTPUT_NAMES entry)
 *    and whose shape is [rows(U), cols(U)]
 *    (a Linear/softmax weight: PyTorch stores out×in = V×d) or [cols(U), rows(U)] (a Dense kernel: V transposed);
 *    failing a name, a Dense kernel of shape [cols(U), rows(U)] (Keras `Dense(vocab)` over the embedding size).
 * 4. Tied when V shares U's storage, or the config declares tying; a declared-tied model without a V tensor
 *    (Hugging Face drops a tied lm_head) gets V as an alias of U.
 * 5. Other 2-D tensors whose name mentions an embedding (positions, token types) are kept with role 'other'.
 */
export function pairEmbeddings(tensors: readonly TensorEntry[], hints: PairingHints = {}): Pairing {
  const candidates = tensors.filter(isMatrix);
  const notes: string[] = [];
  const input =
    findByNames(candidates, INPUT_NAMES) ??
    candidates.find((tensor) => WHOLE_INPUT_NAMES.includes(tensor.name)) ??
    candidates.find((tensor) => hints.vocabSize !== undefined && tensor.shape[0] === hints.vocabSize) ??
    [...candidates]
      .filter((tensor) => (tensor.shape[0] as number) >= (tensor.shape[1] as number))
      .sort((a, b) => (b.shape[0] as number) - (a.shape[0] as number))[0];
  if (!input) return { matrices: [], tied: false, notes: ['no 2-D tensor to use as an embedding'] };
  const [rows, cols] = input.shape as [number, number];
  notes.push(`U = ${input.name} [${rows}, ${cols}]`);

  const others = candidates.filter((tensor) => tensor !== input);
  const fitsAsOutput = (tensor: TensorEntry): boolean =>
    (tensor.shape[0] === rows && tensor.shape[1] === cols) || (tensor.shape[0] === cols && tensor.shape[1] === rows);
  const output =
    findByNames(others.filter(fitsAsOutput), OUTPUT_NAMES) ??
    others.filter(fitsAsOutput).find((tensor) => WHOLE_OUTPUT_NAMES.includes(tensor.name)) ??
    others.find((tensor) => DENSE_KERNEL.test(tensor.name) && tensor.shape[0] === cols && tensor.shape[1] === rows);

  const matrices: Matrix[] = [tensorMatrix(input, 'input', false)];
  let tied = false;
  if (output) {
    const transposed = output.shape[0] !== rows || output.shape[1] !== cols || (rows === cols && isKernel(output));
    matrices.push(tensorMatrix(output, 'output', transposed));
    notes.push(`V = ${output.name} [${output.shape.join(', ')}]${transposed ? ' (a [d, V] kernel, transposed)' : ''}`);
    if (output.storageKey !== undefined && output.storageKey === input.storageKey) {
      tied = true;
      notes.push(`tied: ${output.name} shares storage with ${input.name}`);
    } else if (hints.tiedByConfig) {
      tied = true;
      notes.push('tied: declared by config (tie_word_embeddings)');
    }
  } else if (hints.tiedByConfig) {
    tied = true;
    matrices.push({ ...tensorMatrix(input, 'output', false), name: `${input.name} (tied output)` });
    notes.push(`tied: declared by config and no output tensor in the file, so V is ${input.name}`);
  } else {
    notes.push('no output matrix (V) in the file');
  }
  for (const tensor of others) {
    if (tensor !== output && OTHER_EMBEDDING.test(tensor.name)) matrices.push(tensorMatrix(tensor, 'other', false));
  }
  return { matrices, tied, notes };
}

function isKernel(tensor: TensorEntry): boolean {
  return DENSE_KERNEL.test(tensor.name);
}

function tensorMatrix(tensor: TensorEntry, role: Role, transposed: boolean): Matrix {
  const [r, c] = tensor.shape as [number, number];
  return {
    name: tensor.name,
    role,
    rows: transposed ? c : r,
    cols: transposed ? r : c,
    dtype: tensor.dtype,
    tensorNames: [tensor.name],
    ...(transposed ? { transposed: true } : {}),
    load: async (signal) => {
      const data = await tensor.load(signal);
      return transposed ? transpose(data, r, c) : data;
    },
  };
}
