import { CheckpointError } from '../errors';
import { builtinConstruct } from './constructors';
import { refusalReason } from './policy';
import {
  PickleCall,
  PickleDict,
  PickleGlobal,
  PicklePersistent,
  describeValue,
  isNative,
  sequenceItems,
  type CallKind,
  type PickleValue,
} from './values';

/** What a reader plugs into the machine to recognise known constructors and torch's persistent ids. */
export interface PickleHooks {
  /** Turns a call of a known constructor into data; undefined leaves it an inert `PickleCall`. */
  construct?(callee: PickleGlobal, args: readonly PickleValue[], kind: CallKind): PickleValue | undefined;
  /** Resolves a persistent id (BINPERSID / PERSID), e.g. torch's storage tuples. */
  persistentLoad?(pid: PickleValue): PickleValue | undefined;
}

/**
 * The object-building opcodes (calls, BUILD, SETITEM(S), APPEND(S), persistent ids) as data: calls are checked
 * against the safety rule (./policy), interpreted when a hook knows the constructor, and recorded otherwise.
 */
export class ObjectBuilder {
  /** Callables named in calls that stayed inert records. */
  readonly inertCalls = new Set<string>();

  constructor(
    private readonly name: string,
    private readonly hooks: readonly PickleHooks[],
  ) {}

  private fail(message: string): never {
    throw new CheckpointError('bad-header', `${this.name}: ${message}`);
  }

  invoke(callee: PickleValue, args: PickleValue[], kind: CallKind, kwargs?: PickleValue): PickleValue {
    if (!(callee instanceof PickleGlobal)) {
      throw new CheckpointError(
        'unsafe',
        `${this.name}: pickle asks to call ${describeValue(callee)}; refusing (pickles are read as data only)`,
      );
    }
    const reason = refusalReason(callee);
    if (reason) throw new CheckpointError('unsafe', `${this.name}: ${reason}; refusing (pickles are read as data only)`);
    if (callee.module === 'copyreg') {
      // How protocols 0/1 spell object creation: _reconstructor(cls, base, state), __newobj__(cls, *args) and
      // __newobj_ex__(cls, args, kwargs). The class they create is judged like any other callee.
      const [cls, base, state] = args;
      if (callee.name === '__newobj__') return this.invoke(cls ?? null, args.slice(1), 'newobj');
      if (callee.name === '__newobj_ex__') return this.invoke(cls ?? null, [...(sequenceItems(base) ?? [])], 'newobj_ex', state);
      const isObject = base instanceof PickleGlobal && base.qualified === 'builtins.object';
      return this.invoke(cls ?? null, isObject ? [] : [state ?? null], 'reconstructor');
    }
    for (const hooks of this.hooks ?? []) {
      const built = hooks.construct?.(callee, args, kind);
      if (built !== undefined) return built;
    }
    const builtin = builtinConstruct(callee, args);
    if (builtin !== undefined) return builtin;
    this.inertCalls.add(callee.qualified);
    return new PickleCall(callee, args, kind, kwargs);
  }

  build(target: PickleValue, state: PickleValue): void {
    if (isNative(target) && target.build) return target.build(state);
    if (target instanceof PickleCall) {
      if (target.state instanceof PickleDict && state instanceof PickleDict) {
        for (const [key, value] of state.map) target.state.map.set(key, value);
      } else {
        target.state = state;
      }
      return;
    }
    if (target instanceof PickleDict) {
      target.state = state;
      return;
    }
    this.fail(`BUILD on ${describeValue(target)}, expected an object`);
  }

  append(target: PickleValue, values: PickleValue[]): void {
    if (Array.isArray(target)) {
      for (const value of values) target.push(value);
    } else if (target instanceof PickleCall) {
      target.appended.push(...values);
    } else {
      this.fail(`APPEND to ${describeValue(target)}, expected a list`);
    }
  }

  setItems(target: PickleValue, items: PickleValue[]): void {
    if (items.length % 2 !== 0) this.fail(`SETITEMS with an odd number (${items.length}) of keys and values`);
    if (target instanceof PickleDict) {
      for (let i = 0; i < items.length; i += 2) target.map.set(items[i] as PickleValue, items[i + 1] as PickleValue);
    } else if (target instanceof PickleCall) {
      for (let i = 0; i < items.length; i += 2) target.items.push([items[i] as PickleValue, items[i + 1] as PickleValue]);
    } else {
      this.fail(`SETITEM on ${describeValue(target)}, expected a dict`);
    }
  }

  persistent(pid: PickleValue): PickleValue {
    for (const hooks of this.hooks ?? []) {
      const loaded = hooks.persistentLoad?.(pid);
      if (loaded !== undefined) return loaded;
    }
    return new PicklePersistent(pid);
  }
}
