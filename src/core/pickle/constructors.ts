import { PickleDict, PickleSet, sequenceItems, type PickleGlobal, type PickleValue } from './values';

/** latin-1 text to bytes: how protocol 0–2 pickles spell a bytes object (`_codecs.encode(text, 'latin1')`). */
export function latin1Bytes(text: string): Uint8Array {
  const out = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) out[i] = text.charCodeAt(i) & 0xff;
  return out;
}

function fillDict(dict: PickleDict, source: PickleValue | undefined): PickleDict {
  if (source instanceof PickleDict) {
    for (const [key, value] of source.map) dict.map.set(key, value);
    return dict;
  }
  for (const pair of sequenceItems(source) ?? []) {
    const [key, value] = sequenceItems(pair) ?? [];
    if (key !== undefined && value !== undefined) dict.map.set(key, value);
  }
  return dict;
}

function fillSet(set: PickleSet, source: PickleValue | undefined): PickleSet {
  set.items.push(...(sequenceItems(source) ?? []));
  return set;
}

/**
 * Python's own data types spelled as calls (protocols 0–3 write `set([...])`, `OrderedDict()`, `_codecs.encode`,
 * `bytearray(...)`): turned into plain data. Undefined when `callee` is none of them.
 */
export function builtinConstruct(callee: PickleGlobal, args: readonly PickleValue[]): PickleValue | undefined {
  const [first, second] = args;
  switch (callee.qualified) {
    case 'collections.OrderedDict':
    case 'collections.Counter':
    case 'builtins.dict':
      return fillDict(new PickleDict(callee.qualified), first);
    case 'collections.defaultdict':
      // The default factory is a name (builtins.int); nothing calls it.
      return fillDict(new PickleDict(callee.qualified), second);
    case 'builtins.set':
      return fillSet(new PickleSet(false), first);
    case 'builtins.frozenset':
      return fillSet(new PickleSet(true), first);
    case 'builtins.list':
      return [...(sequenceItems(first) ?? [])];
    case 'builtins.bytes':
    case 'builtins.bytearray':
      if (first === undefined) return new Uint8Array(0);
      if (first instanceof Uint8Array) return first.slice();
      if (typeof first === 'string') return latin1Bytes(first);
      return undefined;
    case '_codecs.encode':
    case 'codecs.encode':
      if (typeof first !== 'string') return undefined;
      return second === 'latin1' || second === 'latin-1' || second === undefined ? latin1Bytes(first) : new TextEncoder().encode(first);
    default:
      return undefined;
  }
}
