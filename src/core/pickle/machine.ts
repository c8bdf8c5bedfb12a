import { CheckpointError } from '../errors';
import { ObjectBuilder, type PickleHooks } from './objects';
import { HIGHEST_PROTOCOL, Op, opName } from './opcodes';
import { PY2_MODULES } from './policy';
import { decodeLong, parseFloatText, parseIndexText, parseIntText, rawUnicodeEscape, unquotePython } from './scalars';
import { LazyBytes, PickleDict, PickleGlobal, PickleSet, PickleTuple, describeValue, sequenceItems, type PickleValue } from './values';
import { ByteWindow, NeedMore } from './window';

/** Settings of one run. */
export interface MachineOptions {
  /** The file name used in messages. */
  readonly name: string;
  readonly hooks?: readonly PickleHooks[];
  /** Byte strings at least this long are left in the file as `LazyBytes` (Infinity: read everything). */
  readonly lazyBytesThreshold?: number;
  /** Called for every GLOBAL / STACK_GLOBAL (sniffers stop at the first). */
  readonly onGlobal?: (global: PickleGlobal) => void;
}

/** A finished run: the pickled value and facts about the stream. */
export interface PickleResult {
  readonly value: PickleValue;
  /** Absolute offset just past the STOP opcode (the next pickle in a torch legacy file starts here). */
  readonly end: number;
  readonly protocol: number;
  /** Callables the pickle names in calls that stayed inert records (never run), for provenance notes. */
  readonly inertCalls: ReadonlySet<string>;
}

/** Stack items at most; each costs at least one input byte, so only a lying or hostile file gets near. */
const MAX_STACK = 1 << 26;
/** Nested MARKs at most (real pickles nest a few dozen deep). */
const MAX_MARKS = 1 << 16;
/** Memo indices at most (PUT indices are dense in real pickles: one per memoised object). */
const MAX_MEMO_INDEX = 1 << 27;
/** Text-opcode lines (protocol 0 ints, floats, names) at most. */
const MAX_LINE_BYTES = 1 << 20;
/** A byte or text string held in memory at most (larger bytes stay in the file as LazyBytes). */
const MAX_INLINE_BYTES = 1 << 28;
/** Integers wider than this many bytes are not a checkpoint's (Python itself caps int text at 4300 digits). */
const MAX_LONG_BYTES = 1 << 12;

const utf8 = new TextDecoder('utf-8');
const latin1 = new TextDecoder('latin1');

/**
 * The pickle virtual machine, run as data: each opcode pushes, pops or records; nothing is imported or called.
 * It is resumable: when an opcode needs bytes past the current window it rewinds to the opcode and asks the
 * driver (./unpickle) for more, so a large pickle is read in bounded windows.
 */
export class PickleMachine {
  private stack: PickleValue[] = [];
  private readonly marks: number[] = [];
  private readonly memo: PickleValue[] = [];
  private protocol = 0;
  private readonly objects: ObjectBuilder;
  private readonly input: ByteWindow;
  private readonly lazyThreshold: number;

  constructor(
    private readonly options: MachineOptions,
    start: number,
    totalSize: number,
  ) {
    this.input = new ByteWindow(options.name, start, totalSize);
    this.lazyThreshold = options.lazyBytesThreshold ?? Infinity;
    this.objects = new ObjectBuilder(options.name, options.hooks ?? []);
  }

  /** Absolute offset of the next opcode (where the driver must feed from after a NeedMore). */
  get position(): number {
    return this.input.at;
  }

  /** Hands the machine the bytes [offset, offset + bytes.length) of the input. */
  feed(bytes: Uint8Array, offset: number): void {
    this.input.feed(bytes, offset);
  }

  /** Runs until STOP (the result) or until the window runs out (what to read next). */
  run(): PickleResult | NeedMore {
    for (;;) {
      const start = this.input.at;
      try {
        const op = this.input.u8();
        if (op === Op.STOP) return this.finish();
        this.exec(op);
      } catch (error) {
        if (error instanceof NeedMore) {
          this.input.at = start;
          return error;
        }
        throw error;
      }
    }
  }

  private finish(): PickleResult {
    const value = this.pop();
    return { value, end: this.input.at, protocol: this.protocol, inertCalls: this.objects.inertCalls };
  }

  private fail(message: string): never {
    throw new CheckpointError('bad-header', `${this.options.name}: ${message}`);
  }

  private push(value: PickleValue): void {
    if (this.stack.length >= MAX_STACK) {
      throw new CheckpointError('too-large', `${this.options.name}: pickle stack exceeds ${MAX_STACK} items`);
    }
    this.stack.push(value);
  }

  private pop(): PickleValue {
    if (this.stack.length === 0 || this.stack.length === this.marks.at(-1))
      this.fail(`pickle pops an empty stack at byte ${this.input.at - 1}`);
    return this.stack.pop() as PickleValue;
  }

  private top(): PickleValue {
    if (this.stack.length === 0 || this.stack.length === this.marks.at(-1))
      this.fail(`pickle reads an empty stack at byte ${this.input.at - 1}`);
    return this.stack[this.stack.length - 1] as PickleValue;
  }

  private popMark(): PickleValue[] {
    const mark = this.marks.pop();
    if (mark === undefined) this.fail(`pickle uses a MARK that was never set, at byte ${this.input.at - 1}`);
    return this.stack.splice(mark);
  }

  private memoGet(index: number): PickleValue {
    const value = index < this.memo.length ? this.memo[index] : undefined;
    if (value === undefined) this.fail(`pickle reads memo entry ${index}, which was never stored`);
    return value;
  }

  private memoPut(index: number): void {
    if (index > MAX_MEMO_INDEX)
      throw new CheckpointError('too-large', `${this.options.name}: pickle memo index ${index} is beyond ${MAX_MEMO_INDEX}`);
    this.memo[index] = this.top();
  }

  private bytesValue(length: number): PickleValue {
    if (length >= this.lazyThreshold) return this.input.skip(length, (offset) => new LazyBytes(offset, length));
    this.checkInline(length);
    return this.input.take(length).slice();
  }

  private text(length: number): string {
    this.checkInline(length);
    return utf8.decode(this.input.take(length));
  }

  private checkInline(length: number): void {
    this.input.ensureWithin(length);
    if (length > MAX_INLINE_BYTES) {
      throw new CheckpointError(
        'too-large',
        `${this.options.name}: a ${length}-byte string in the pickle, expected at most ${MAX_INLINE_BYTES}`,
      );
    }
  }

  private exec(op: number): void {
    const input = this.input;
    switch (op) {
      case Op.PROTO: {
        const version = input.u8();
        if (version > HIGHEST_PROTOCOL) {
          throw new CheckpointError('unsupported', `${this.options.name}: pickle protocol ${version}, expected 0–${HIGHEST_PROTOCOL}`);
        }
        this.protocol = version;
        return;
      }
      case Op.FRAME:
        // A framing hint (protocol 4): the opcodes inside are read as usual; only its size is checked.
        input.ensureWithin(input.u64());
        return;
      case Op.MARK:
        if (this.marks.length >= MAX_MARKS)
          throw new CheckpointError('too-large', `${this.options.name}: pickle nests more than ${MAX_MARKS} MARKs`);
        this.marks.push(this.stack.length);
        return;
      case Op.POP:
        if (this.stack.length > (this.marks.at(-1) ?? 0)) this.stack.pop();
        else this.popMark();
        return;
      case Op.POP_MARK:
        this.popMark();
        return;
      case Op.DUP:
        this.push(this.top());
        return;
      case Op.NONE:
        return this.push(null);
      case Op.NEWTRUE:
        return this.push(true);
      case Op.NEWFALSE:
        return this.push(false);
      case Op.INT:
        return this.push(parseIntText(input.line(MAX_LINE_BYTES), true, this.options.name));
      case Op.LONG:
        return this.push(parseIntText(input.line(MAX_LINE_BYTES), false, this.options.name));
      case Op.BININT:
        return this.push(input.i32());
      case Op.BININT1:
        return this.push(input.u8());
      case Op.BININT2:
        return this.push(input.u16());
      case Op.LONG1:
        return this.push(decodeLong(input.take(input.u8())));
      case Op.LONG4: {
        const length = input.i32();
        if (length < 0 || length > MAX_LONG_BYTES) this.fail(`LONG4 of ${length} bytes, expected 0..${MAX_LONG_BYTES}`);
        return this.push(decodeLong(input.take(length)));
      }
      case Op.FLOAT:
        return this.push(parseFloatText(input.line(MAX_LINE_BYTES), this.options.name));
      case Op.BINFLOAT:
        return this.push(input.f64be());
      case Op.STRING:
        return this.push(unquotePython(input.line(MAX_LINE_BYTES, true), this.options.name));
      case Op.BINSTRING: {
        const length = input.i32();
        if (length < 0) this.fail(`BINSTRING of negative length ${length}`);
        this.checkInline(length);
        return this.push(latin1.decode(input.take(length)));
      }
      case Op.SHORT_BINSTRING:
        return this.push(latin1.decode(input.take(input.u8())));
      case Op.UNICODE:
        return this.push(rawUnicodeEscape(input.line(MAX_INLINE_BYTES, true)));
      case Op.BINUNICODE:
        return this.push(this.text(input.u32()));
      case Op.SHORT_BINUNICODE:
        return this.push(this.text(input.u8()));
      case Op.BINUNICODE8:
        return this.push(this.text(input.u64()));
      case Op.BINBYTES:
        return this.push(this.bytesValue(input.u32()));
      case Op.SHORT_BINBYTES:
        return this.push(this.bytesValue(input.u8()));
      case Op.BINBYTES8:
        return this.push(this.bytesValue(input.u64()));
      case Op.BYTEARRAY8: {
        const length = input.u64();
        this.checkInline(length);
        return this.push(input.take(length).slice());
      }
      case Op.NEXT_BUFFER:
        throw new CheckpointError(
          'unsupported',
          `${this.options.name}: pickle uses an out-of-band buffer (protocol 5 NEXT_BUFFER), which a file cannot carry`,
        );
      case Op.READONLY_BUFFER:
        this.top();
        return;
      case Op.EMPTY_TUPLE:
        return this.push(new PickleTuple([]));
      case Op.TUPLE:
        return this.push(new PickleTuple(this.popMark()));
      case Op.TUPLE1: {
        const a = this.pop();
        return this.push(new PickleTuple([a]));
      }
      case Op.TUPLE2: {
        const b = this.pop();
        const a = this.pop();
        return this.push(new PickleTuple([a, b]));
      }
      case Op.TUPLE3: {
        const c = this.pop();
        const b = this.pop();
        const a = this.pop();
        return this.push(new PickleTuple([a, b, c]));
      }
      case Op.EMPTY_LIST:
        return this.push([]);
      case Op.LIST:
        return this.push(this.popMark());
      case Op.APPEND: {
        const value = this.pop();
        return this.objects.append(this.top(), [value]);
      }
      case Op.APPENDS: {
        const values = this.popMark();
        return this.objects.append(this.top(), values);
      }
      case Op.EMPTY_DICT:
        return this.push(new PickleDict());
      case Op.DICT: {
        const dict = new PickleDict();
        this.objects.setItems(dict, this.popMark());
        return this.push(dict);
      }
      case Op.SETITEM: {
        const value = this.pop();
        const key = this.pop();
        return this.objects.setItems(this.top(), [key, value]);
      }
      case Op.SETITEMS: {
        const items = this.popMark();
        return this.objects.setItems(this.top(), items);
      }
      case Op.EMPTY_SET:
        return this.push(new PickleSet(false));
      case Op.ADDITEMS: {
        const items = this.popMark();
        const set = this.top();
        if (!(set instanceof PickleSet) || set.frozen) this.fail(`ADDITEMS on ${describeValue(set)}, expected a set`);
        set.items.push(...items);
        return;
      }
      case Op.FROZENSET: {
        const set = new PickleSet(true);
        set.items.push(...this.popMark());
        return this.push(set);
      }
      case Op.GET:
        return this.push(this.memoGet(parseIndexText(input.line(MAX_LINE_BYTES), this.options.name)));
      case Op.BINGET:
        return this.push(this.memoGet(input.u8()));
      case Op.LONG_BINGET:
        return this.push(this.memoGet(input.u32()));
      case Op.PUT:
        return this.memoPut(parseIndexText(input.line(MAX_LINE_BYTES), this.options.name));
      case Op.BINPUT:
        return this.memoPut(input.u8());
      case Op.LONG_BINPUT:
        return this.memoPut(input.u32());
      case Op.MEMOIZE:
        return this.memoPut(this.memo.length);
      case Op.GLOBAL: {
        const module = input.line(MAX_LINE_BYTES);
        const name = input.line(MAX_LINE_BYTES);
        return this.push(this.global(module, name));
      }
      case Op.STACK_GLOBAL: {
        const name = this.pop();
        const module = this.pop();
        if (typeof module !== 'string' || typeof name !== 'string') {
          this.fail(`STACK_GLOBAL on ${describeValue(module)} and ${describeValue(name)}, expected two strings`);
        }
        return this.push(this.global(module, name));
      }
      case Op.REDUCE: {
        const args = this.pop();
        const callee = this.pop();
        return this.push(this.objects.invoke(callee, this.argList(args, 'REDUCE'), 'reduce'));
      }
      case Op.NEWOBJ: {
        const args = this.pop();
        const cls = this.pop();
        return this.push(this.objects.invoke(cls, this.argList(args, 'NEWOBJ'), 'newobj'));
      }
      case Op.NEWOBJ_EX: {
        const kwargs = this.pop();
        const args = this.pop();
        const cls = this.pop();
        return this.push(this.objects.invoke(cls, this.argList(args, 'NEWOBJ_EX'), 'newobj_ex', kwargs));
      }
      case Op.INST: {
        const module = input.line(MAX_LINE_BYTES);
        const name = input.line(MAX_LINE_BYTES);
        const cls = this.global(module, name);
        return this.push(this.objects.invoke(cls, this.popMark(), 'inst'));
      }
      case Op.OBJ: {
        const [cls, ...args] = this.popMark();
        return this.push(this.objects.invoke(cls ?? null, args, 'obj'));
      }
      case Op.BUILD: {
        const state = this.pop();
        return this.objects.build(this.top(), state);
      }
      case Op.PERSID:
        return this.push(this.objects.persistent(input.line(MAX_LINE_BYTES)));
      case Op.BINPERSID:
        return this.push(this.objects.persistent(this.pop()));
      case Op.EXT1:
      case Op.EXT2:
      case Op.EXT4:
        throw new CheckpointError(
          'unsupported',
          `${this.options.name}: pickle uses the copyreg extension registry (${opName(op)}), which names code by number`,
        );
      default:
        this.fail(`unknown pickle opcode ${opName(op)} at byte ${input.at - 1}`);
    }
  }

  private argList(args: PickleValue, opcode: string): PickleValue[] {
    const items = sequenceItems(args);
    if (!items) this.fail(`${opcode} with ${describeValue(args)} as arguments, expected a tuple`);
    return [...items];
  }

  private global(module: string, name: string): PickleGlobal {
    const mapped = this.protocol < 3 ? (PY2_MODULES.get(module) ?? module) : module;
    const global = new PickleGlobal(mapped, name);
    this.options.onGlobal?.(global);
    return global;
  }
}
