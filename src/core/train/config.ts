import { CheckpointError } from '../errors';

/** The trainers a config can name. */
export const TRAINERS = ['sgns', 'cbow', 'glove', 'classifier', 'lm'] as const;
export type TrainerName = (typeof TRAINERS)[number];

/** TensorFlow.js backends for the layered trainers (classifier, lm): auto tries tfjs-node, then wasm, then cpu. */
export const BACKENDS = ['auto', 'node', 'wasm', 'cpu'] as const;
/** Which TensorFlow.js backend the user asked for (a config or setting). */
export type BackendPreference = (typeof BACKENDS)[number];

/** Evaluation sets run after training (paths relative to the config file); false: none. */
export interface EvalSets {
  readonly wordsim?: string;
  readonly simlex?: string;
  readonly analogies?: string;
}

/** A training run, as the config file states it with defaults filled in. Paths are as written (relative to the file). */
export interface TrainConfig {
  readonly trainer: TrainerName;
  /** Text files, one sentence or paragraph per line (for the classifier: `label<TAB>text`). */
  readonly corpus: readonly string[];
  readonly dim: number;
  /** Context window (each side). */
  readonly window: number;
  /** Negative samples per positive (sgns, cbow). */
  readonly negative: number;
  readonly epochs: number;
  /** Tokens seen fewer times are dropped. */
  readonly minCount: number;
  /** Frequency subsampling threshold (sgns, cbow); 0 turns it off. */
  readonly sample: number;
  /** Negatives drawn ∝ count^negativePower (sgns, cbow): 0.75 as word2vec.c and gensim; fastText fixes 0.5. */
  readonly negativePower: number;
  /** One matrix for input and output (sgns, cbow, lm). */
  readonly tied: boolean;
  readonly seed: number;
  readonly threads: number;
  /** Output folder; each run writes a new folder inside it. */
  readonly out: string;
  /** Starting learning rate (sgns 0.025, cbow 0.05, glove 0.05, lm/classifier Adam 0.002 when not given). */
  readonly alpha: number | null;
  /** Keep at most this many of the most frequent tokens (lm default 10,000); null: no cap. */
  readonly maxVocab: number | null;
  readonly lowercase: boolean;
  /** GloVe's weighting: f(x) = min(1, (x / xMax)^power). */
  readonly xMax: number;
  readonly power: number;
  /** LM: recurrent cell and its width; sequence length and batch size of the truncated back-propagation. */
  readonly cell: 'gru' | 'lstm';
  readonly hidden: number;
  readonly sequenceLength: number;
  /** null: the trainer sizes its own step (the LM keeps a step near 150 ms so a cancel lands quickly). */
  readonly batchSize: number | null;
  /** LM and classifier: share of the data held out for perplexity or accuracy. */
  readonly heldOut: number;
  readonly backend: BackendPreference;
  readonly eval: EvalSets | false;
}

/** Defaults shared by every trainer, then per-trainer changes (GloVe's wider window and more epochs, as glove.c). */
const COMMON: Omit<TrainConfig, 'trainer' | 'corpus'> = {
  dim: 100,
  window: 5,
  negative: 5,
  epochs: 5,
  minCount: 5,
  sample: 1e-3,
  negativePower: 0.75,
  tied: false,
  seed: 1,
  threads: 2,
  out: 'embedding-lens-runs',
  alpha: null,
  maxVocab: null,
  lowercase: false,
  xMax: 100,
  power: 0.75,
  cell: 'gru',
  hidden: 128,
  sequenceLength: 35,
  batchSize: null,
  heldOut: 0.05,
  backend: 'auto',
  eval: false,
};
const PER_TRAINER: Record<TrainerName, Partial<TrainConfig>> = {
  sgns: {},
  cbow: {},
  glove: { window: 10, epochs: 25 },
  classifier: { minCount: 2, epochs: 2, dim: 64 },
  lm: { maxVocab: 10_000, epochs: 2, dim: 64, hidden: 64 },
};

/** The default config of a trainer (without corpus). */
export function defaultsFor(trainer: TrainerName): Omit<TrainConfig, 'corpus'> {
  return { ...COMMON, ...PER_TRAINER[trainer], trainer };
}

/** How each key is checked: its kind and, for numbers, the range a sane run stays in. */
type KeyRule =
  | { readonly kind: 'integer'; readonly min: number; readonly max: number }
  | { readonly kind: 'number'; readonly min: number; readonly max: number; readonly nullable?: boolean }
  | { readonly kind: 'boolean' }
  | { readonly kind: 'string' }
  | { readonly kind: 'enum'; readonly values: readonly string[] }
  | { readonly kind: 'paths' }
  | { readonly kind: 'eval' }
  | { readonly kind: 'nullableInteger'; readonly min: number; readonly max: number };

/** Every key the config accepts, with its rule (the JSON schema in schemas/ states the same; a test holds them equal). */
export const CONFIG_KEYS: Readonly<Record<keyof TrainConfig, KeyRule>> = {
  trainer: { kind: 'enum', values: TRAINERS },
  corpus: { kind: 'paths' },
  dim: { kind: 'integer', min: 1, max: 4096 },
  window: { kind: 'integer', min: 1, max: 100 },
  negative: { kind: 'integer', min: 1, max: 100 },
  epochs: { kind: 'integer', min: 1, max: 1000 },
  minCount: { kind: 'integer', min: 1, max: 1_000_000_000 },
  sample: { kind: 'number', min: 0, max: 1 },
  negativePower: { kind: 'number', min: -1, max: 1 },
  tied: { kind: 'boolean' },
  seed: { kind: 'integer', min: 0, max: 2 ** 32 - 1 },
  threads: { kind: 'integer', min: 1, max: 256 },
  out: { kind: 'string' },
  alpha: { kind: 'number', min: 1e-9, max: 10, nullable: true },
  maxVocab: { kind: 'nullableInteger', min: 1, max: 50_000_000 },
  lowercase: { kind: 'boolean' },
  xMax: { kind: 'number', min: 1e-9, max: 1e12 },
  power: { kind: 'number', min: 0, max: 10 },
  cell: { kind: 'enum', values: ['gru', 'lstm'] },
  hidden: { kind: 'integer', min: 1, max: 8192 },
  sequenceLength: { kind: 'integer', min: 2, max: 4096 },
  batchSize: { kind: 'nullableInteger', min: 1, max: 65_536 },
  heldOut: { kind: 'number', min: 0, max: 0.5 },
  backend: { kind: 'enum', values: BACKENDS },
  eval: { kind: 'eval' },
};

/** A parsed config and what was noticed on the way (unknown keys are allowed, and named, in case of a typo). */
export interface ParsedConfig {
  readonly config: TrainConfig;
  readonly warnings: readonly string[];
}

/** Reads a config file's text; `file` names it in errors. Every problem is one line naming the key, what was expected and what was found. */
export function parseTrainConfig(text: string, file: string): ParsedConfig {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new CheckpointError('bad-header', `${file}: expected a JSON training config, found invalid JSON (${(error as Error).message})`);
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new CheckpointError('bad-header', `${file}: expected a JSON object with "trainer" and "corpus", found ${describe(raw)}`);
  }
  return configFromObject(raw as Record<string, unknown>, file);
}

/** Checks an already-parsed object (the CLI's `--set` overrides are applied to it first). */
export function configFromObject(raw: Record<string, unknown>, file: string): ParsedConfig {
  const trainer = raw['trainer'];
  if (typeof trainer !== 'string' || !(TRAINERS as readonly string[]).includes(trainer)) {
    throw new CheckpointError('bad-header', `${file}: "trainer" expected one of ${TRAINERS.join(', ')}, found ${describe(trainer)}`);
  }
  if (raw['corpus'] === undefined)
    throw new CheckpointError('bad-header', `${file}: "corpus" expected a path or a list of paths, found nothing`);
  const warnings: string[] = [];
  const config: Record<string, unknown> = { ...defaultsFor(trainer as TrainerName) };
  for (const [key, value] of Object.entries(raw)) {
    if (key === '$schema') continue;
    const rule = (CONFIG_KEYS as Record<string, KeyRule>)[key];
    if (!rule) {
      warnings.push(`${file}: unknown key "${key}" ignored (known: ${Object.keys(CONFIG_KEYS).join(', ')})`);
      continue;
    }
    config[key] = checked(key, rule, value, file);
  }
  return { config: config as unknown as TrainConfig, warnings };
}

/** `--set key=value`: the value read as the key's type (numbers, booleans, null, lists as comma-separated paths). */
export function overrideValue(key: string, text: string, file: string): unknown {
  const rule = (CONFIG_KEYS as Record<string, KeyRule>)[key];
  if (!rule) throw new CheckpointError('bad-header', `--set ${key}: unknown key (known: ${Object.keys(CONFIG_KEYS).join(', ')})`);
  switch (rule.kind) {
    case 'integer':
    case 'number':
    case 'nullableInteger':
      return text === 'null' ? null : text.trim() === '' ? Number.NaN : Number(text);
    case 'boolean':
      return text === 'true' ? true : text === 'false' ? false : text;
    case 'paths':
      return text.split(',');
    case 'eval':
      return text === 'false' ? false : tryJson(text, `${file}: --set eval`);
    default:
      return text;
  }
}

function checked(key: string, rule: KeyRule, value: unknown, file: string): unknown {
  const fail = (expected: string): never => {
    throw new CheckpointError('bad-header', `${file}: "${key}" expected ${expected}, found ${describe(value)}`);
  };
  switch (rule.kind) {
    case 'integer':
      if (typeof value !== 'number' || !Number.isInteger(value) || value < rule.min || value > rule.max)
        fail(`an integer ${rule.min}..${rule.max}`);
      return value;
    case 'nullableInteger':
      if (value === null) return null;
      if (typeof value !== 'number' || !Number.isInteger(value) || value < rule.min || value > rule.max)
        fail(`an integer ${rule.min}..${rule.max} or null`);
      return value;
    case 'number':
      if (value === null && rule.nullable) return null;
      if (typeof value !== 'number' || !Number.isFinite(value) || value < rule.min || value > rule.max)
        fail(`a number ${rule.min}..${rule.max}`);
      return value;
    case 'boolean':
      if (typeof value !== 'boolean') fail('true or false');
      return value;
    case 'string':
      if (typeof value !== 'string' || value.trim() === '') fail('a non-empty string');
      return value;
    case 'enum':
      if (typeof value !== 'string' || !rule.values.includes(value)) fail(`one of ${rule.values.join(', ')}`);
      return value;
    case 'paths': {
      const list = typeof value === 'string' ? [value] : value;
      if (!Array.isArray(list) || list.length === 0 || !list.every((item) => typeof item === 'string' && item.trim() !== '')) {
        fail('a path or a non-empty list of paths');
      }
      return list;
    }
    case 'eval': {
      if (value === false) return false;
      if (typeof value !== 'object' || value === null || Array.isArray(value))
        fail('false or an object with wordsim, simlex and/or analogies paths');
      const sets = value as Record<string, unknown>;
      for (const [name, path] of Object.entries(sets)) {
        if (!['wordsim', 'simlex', 'analogies'].includes(name) || typeof path !== 'string' || path.trim() === '') {
          fail('false or an object with wordsim, simlex and/or analogies paths');
        }
      }
      return sets;
    }
  }
}

function tryJson(text: string, what: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new CheckpointError('bad-header', `${what}: expected false or a JSON object, found ${JSON.stringify(text.slice(0, 60))}`);
  }
}

/** A found value in a few words, for messages. */
function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return `a list of ${value.length}`;
  if (typeof value === 'string') return JSON.stringify(value.length > 60 ? `${value.slice(0, 60)}…` : value);
  if (typeof value === 'object') return 'an object';
  return `${typeof value} ${String(value)}`;
}
