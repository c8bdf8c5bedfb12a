import { CheckpointError, throwIfAborted } from '../errors';
import type { ByteSource } from '../io/byte-source';
import { PickleMachine, type MachineOptions, type PickleResult } from './machine';
import type { PickleGlobal } from './values';
import { NeedMore } from './window';

/** How much of the file one read brings in; the machine asks for more only when an opcode needs it. */
const WINDOW_BYTES = 4 << 20;
/** The largest window one opcode may need (a string held in memory); beyond it the pickle is refused. */
const MAX_WINDOW_BYTES = (1 << 28) + 64;

/** Options of one unpickling: file name for messages, interpreters, lazy byte threshold, cancellation. */
export interface UnpickleOptions extends Omit<MachineOptions, 'name'> {
  readonly signal?: AbortSignal;
  /** Bytes per read (tests use tiny windows to exercise resumption). */
  readonly windowBytes?: number;
}

/** Unpickles bytes already in memory (tests, small side pickles). */
export function unpickleBytes(bytes: Uint8Array, name: string, options: UnpickleOptions = {}): PickleResult {
  const machine = new PickleMachine({ ...options, name }, 0, bytes.byteLength);
  machine.feed(bytes, 0);
  const result = machine.run();
  if (result instanceof NeedMore) {
    // Cannot happen: the window is the whole input, so the machine reports truncation itself.
    throw new CheckpointError('truncated', `${name}: pickle needs bytes up to ${result.end}, has ${bytes.byteLength}`);
  }
  return result;
}

/**
 * Unpickles the pickle that starts at `start` in `source`, reading it in windows: only the bytes its opcodes
 * use are read, and byte strings past `lazyBytesThreshold` stay in the file as LazyBytes.
 */
export async function unpickleSource(source: ByteSource, start: number, options: UnpickleOptions = {}): Promise<PickleResult> {
  const total = await source.size();
  if (start >= total) throw new CheckpointError('truncated', `${source.name}: expected a pickle at byte ${start}, file has ${total} bytes`);
  const machine = new PickleMachine({ ...options, name: source.name }, start, total);
  const window = options.windowBytes ?? WINDOW_BYTES;
  let offset = start;
  let length = Math.min(window, total - start);
  for (;;) {
    throwIfAborted(options.signal, source.name);
    const bytes = await source.read(offset, length);
    if (bytes.byteLength < length) {
      throw new CheckpointError(
        'truncated',
        `${source.name}: expected ${length} bytes at ${offset}, read ${bytes.byteLength} (file changed?)`,
      );
    }
    machine.feed(bytes, offset);
    const result = machine.run();
    if (!(result instanceof NeedMore)) return result;
    offset = machine.position;
    const need = result.end - offset;
    if (need > MAX_WINDOW_BYTES) {
      throw new CheckpointError(
        'too-large',
        `${source.name}: one pickle opcode at byte ${offset} needs ${need} bytes, expected at most ${MAX_WINDOW_BYTES}`,
      );
    }
    length = Math.min(total - offset, Math.max(window, need));
  }
}

/** A sentinel thrown to stop the machine at the first global. */
class FoundGlobal {
  constructor(readonly global: PickleGlobal) {}
}

/**
 * The first global a pickle names (its top-level class, for sniffing), read from the first bytes only.
 * Undefined when the bytes are not a pickle or name no global before they end. Never throws.
 */
export function firstGlobal(head: Uint8Array): PickleGlobal | undefined {
  const machine = new PickleMachine(
    {
      name: 'sniff',
      onGlobal: (global) => {
        throw new FoundGlobal(global);
      },
    },
    0,
    // The head is a prefix of a longer file: sizes past it (a FRAME's length) are not errors here.
    Number.MAX_SAFE_INTEGER,
  );
  machine.feed(head, 0);
  try {
    machine.run();
  } catch (error) {
    if (error instanceof FoundGlobal) return error.global;
  }
  return undefined;
}
