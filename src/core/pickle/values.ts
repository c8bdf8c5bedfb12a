/**
 * The plain data a pickle becomes. Nothing here is ever executed: a Python global is a name, a call is a record of
 * what the pickle asked for, and only a few known constructors are interpreted as data (see ./interpreters).
 */

/** A reference to a Python global (`module.name`). Never imported. */
export class PickleGlobal {
  constructor(
    readonly module: string,
    readonly name: string,
  ) {}
  /** `module.name`, as messages and allowlists spell it. */
  get qualified(): string {
    return `${this.module}.${this.name}`;
  }
}

/** How the pickle spelled a call: REDUCE, NEWOBJ, NEWOBJ_EX, INST, OBJ, or copyreg's protocol-0/1 reconstructor. */
export type CallKind = 'reduce' | 'newobj' | 'newobj_ex' | 'inst' | 'obj' | 'reconstructor';

/**
 * A call that was recorded, not made: an object of a class we do not interpret (a gensim model, a user's class),
 * with the state BUILD gave it and whatever SETITEM(S)/APPEND(S) added to it.
 */
export class PickleCall {
  /** The BUILD state (usually the instance `__dict__`, or a `(dict, slots)` tuple). */
  state: PickleValue | undefined = undefined;
  /** Key/value pairs a SETITEM(S) stored into the object (dict subclasses). */
  readonly items: [PickleValue, PickleValue][] = [];
  /** Values an APPEND(S) added to the object (list subclasses). */
  readonly appended: PickleValue[] = [];
  constructor(
    readonly callee: PickleGlobal,
    readonly args: readonly PickleValue[],
    readonly kind: CallKind,
    readonly kwargs?: PickleValue,
  ) {}
}

/** A Python tuple (kept apart from lists: torch sizes and numpy states are tuples). */
export class PickleTuple {
  constructor(readonly items: readonly PickleValue[]) {}
}

/** A Python dict (also OrderedDict and defaultdict, named by `className`); keys keep their pickle identity. */
export class PickleDict {
  readonly map = new Map<PickleValue, PickleValue>();
  /** What BUILD set on the dict object itself (torch keeps a state dict's `_metadata` there). */
  state: PickleValue | undefined = undefined;
  constructor(readonly className = 'builtins.dict') {}
  /** The value at a string key, if any. */
  get(key: string): PickleValue | undefined {
    return this.map.get(key);
  }
}

/** A Python set or frozenset. */
export class PickleSet {
  readonly items: PickleValue[] = [];
  constructor(readonly frozen: boolean) {}
}

/** A persistent id the reader did not resolve (no hook): kept as the raw id. */
export class PicklePersistent {
  constructor(readonly pid: PickleValue) {}
}

/**
 * A large byte string left in the file rather than read: `length` bytes at absolute `offset` of the source the
 * pickle was read from (gensim's inline arrays can be hundreds of MB; `inspect` must not read them).
 */
export class LazyBytes {
  constructor(
    readonly offset: number,
    readonly length: number,
  ) {}
}

/** A value an interpreter built from a known constructor (a torch tensor, a numpy array). */
export interface PickleNative {
  /** What it is, for messages ('torch tensor', 'numpy array'). */
  readonly pickleKind: string;
  /** Applies a BUILD state; absent when the value takes none. */
  build?(state: PickleValue): void;
}

/** Everything the unpickler can put on its stack. */
export type PickleValue =
  | null
  | boolean
  | number
  | bigint
  | string
  | Uint8Array
  | LazyBytes
  | PickleValue[]
  | PickleTuple
  | PickleDict
  | PickleSet
  | PickleGlobal
  | PickleCall
  | PicklePersistent
  | PickleNative;

/** True for values an interpreter produced. */
export function isNative(value: PickleValue | undefined): value is PickleNative {
  return typeof value === 'object' && value !== null && 'pickleKind' in value;
}

/** The items of a list or tuple; undefined for anything else. */
export function sequenceItems(value: PickleValue | undefined): readonly PickleValue[] | undefined {
  if (Array.isArray(value)) return value;
  if (value instanceof PickleTuple) return value.items;
  return undefined;
}

/** The attribute dict of an object: its BUILD state, or the dict half of a `(dict, slots)` state. */
export function instanceDict(value: PickleValue | undefined): PickleDict | undefined {
  if (!(value instanceof PickleCall)) return undefined;
  const state = value.state;
  if (state instanceof PickleDict) return state;
  const parts = sequenceItems(state);
  if (parts && parts.length === 2) {
    const [dict, slots] = parts;
    if (dict instanceof PickleDict) return dict;
    if (slots instanceof PickleDict) return slots;
  }
  return undefined;
}

/** A safe integer from an int value (number or small bigint); undefined otherwise. */
export function asInteger(value: PickleValue | undefined): number | undefined {
  if (typeof value === 'number' && Number.isSafeInteger(value)) return value;
  if (typeof value === 'bigint' && value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER)) {
    return Number(value);
  }
  if (typeof value === 'boolean') return value ? 1 : 0;
  return undefined;
}

/** A short description of a value for error messages (never its whole content). */
export function describeValue(value: PickleValue | undefined): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'None';
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  if (typeof value === 'number' || typeof value === 'bigint') return `int ${String(value)}`;
  if (typeof value === 'string') return `str "${value.length > 40 ? `${value.slice(0, 40)}…` : value}"`;
  if (value instanceof Uint8Array) return `bytes (${value.byteLength})`;
  if (value instanceof LazyBytes) return `bytes (${value.length})`;
  if (Array.isArray(value)) return `a list of ${value.length}`;
  if (value instanceof PickleTuple) return `a tuple of ${value.items.length}`;
  if (value instanceof PickleDict) return `${value.className === 'builtins.dict' ? 'a dict' : `a ${value.className}`} of ${value.map.size}`;
  if (value instanceof PickleSet) return `a set of ${value.items.length}`;
  if (value instanceof PickleGlobal) return `the global ${value.qualified}`;
  if (value instanceof PickleCall) return `a ${value.callee.qualified} object`;
  if (value instanceof PicklePersistent) return 'a persistent id';
  return `a ${value.pickleKind}`;
}
