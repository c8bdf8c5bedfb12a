import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import type { BackendPreference } from '../core/train/config';
import { registerFastKernels } from './tfjs-kernels';

/** The backend that runs: 'tensorflow' is tfjs-node's native libtensorflow. */
export type BackendName = 'tensorflow' | 'wasm' | 'cpu';

/** What selectBackend settled on, and why it did not take the preferred one (for the log, UI and CLI). */
export interface BackendChoice {
  readonly name: BackendName;
  readonly preference: BackendPreference;
  /** One line per backend tried and skipped, e.g. "tfjs-node: not installed (MODULE_NOT_FOUND)". */
  readonly notes: readonly string[];
}

/** The .wasm binaries the wasm backend loads at run time: the build copies them next to dist/worker.js. */
export const WASM_FILES = ['tfjs-backend-wasm-simd.wasm', 'tfjs-backend-wasm.wasm'] as const;

/** Where to look for the .wasm files, first hit wins. */
export interface BackendOptions {
  /** Folder holding WASM_FILES; by default the bundle's own folder (dist/), else the npm package's dist/. */
  readonly wasmFolder?: string;
}

let wasmPathsSet = false;
let nodeModule: 'loaded' | string | undefined;

/** Loads tfjs-node once (it registers the 'tensorflow' backend); returns why not when it cannot. */
function loadTfjsNode(): string | undefined {
  if (nodeModule === undefined) {
    try {
      // Optional dependency, required lazily: it is absent wherever its libtensorflow download failed.
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- an import would fail the bundle or the type check when absent
      require('@tensorflow/tfjs-node');
      nodeModule = 'loaded';
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      nodeModule = code === 'MODULE_NOT_FOUND' ? 'not installed (MODULE_NOT_FOUND)' : `failed to load (${(error as Error).message})`;
    }
  }
  return nodeModule === 'loaded' ? undefined : nodeModule;
}

/** The folder holding the wasm binaries: next to this bundle (dist/), or the installed package's dist/. */
export function defaultWasmFolder(): string | undefined {
  const candidates = [__dirname];
  try {
    candidates.push(dirname(require.resolve('@tensorflow/tfjs-backend-wasm')));
  } catch {
    // Not resolvable from a bundle without node_modules: only the bundle's folder is left.
  }
  return candidates.find((folder) => WASM_FILES.every((file) => existsSync(join(folder, file))));
}

async function tryWasm(options: BackendOptions, notes: string[]): Promise<boolean> {
  if (!wasmPathsSet) {
    const folder = options.wasmFolder ?? defaultWasmFolder();
    if (folder === undefined || !WASM_FILES.every((file) => existsSync(join(folder, file)))) {
      notes.push(`wasm: expected ${WASM_FILES.join(' and ')} in ${folder ?? 'the bundle folder'}, found them missing`);
      return false;
    }
    // Threads need a Worker with SharedArrayBuffer that the Emscripten glue cannot start in Node (measured).
    tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
    setWasmPaths(folder.endsWith('/') ? folder : `${folder}/`);
    wasmPathsSet = true;
  }
  registerFastKernels('wasm');
  const before = processListeners();
  try {
    if (await tf.setBackend('wasm')) return true;
    notes.push('wasm: the backend failed to initialise');
  } catch (error) {
    notes.push(`wasm: ${(error as Error).message ?? String(error)}`);
  } finally {
    removeListenersAddedSince(before);
  }
  return false;
}

type ProcessEvent = 'uncaughtException' | 'unhandledRejection';
const PROCESS_EVENTS: readonly ProcessEvent[] = ['uncaughtException', 'unhandledRejection'];

/** The process's listeners of an event (typed per event by Node, read here as plain functions). */
function listenersOf(event: ProcessEvent): ((...args: unknown[]) => void)[] {
  return (event === 'uncaughtException' ? process.listeners('uncaughtException') : process.listeners('unhandledRejection')) as ((
    ...args: unknown[]
  ) => void)[];
}

function processListeners(): Map<ProcessEvent, Set<unknown>> {
  return new Map(PROCESS_EVENTS.map((event) => [event, new Set<unknown>(listenersOf(event))]));
}

/**
 * The Emscripten glue of the wasm backend installs process handlers that rethrow any uncaught exception or
 * unhandled rejection, which would kill the compute worker (and every panel's job with it) over a stray promise
 * anywhere: take them out again; the worker handles its own errors.
 */
function removeListenersAddedSince(before: Map<ProcessEvent, Set<unknown>>): void {
  for (const event of PROCESS_EVENTS) {
    for (const listener of listenersOf(event)) if (!before.get(event)?.has(listener)) process.removeListener(event, listener);
  }
}

/**
 * Chooses and initialises the TensorFlow.js backend: tfjs-node when preferred or on auto and installed, else
 * the wasm backend (our UnsortedSegmentSum and flag-free matMul kernels registered), else the pure-JS cpu one.
 * Run it once per process (in the one long-lived compute worker: tfjs-node fails in a second worker thread).
 */
export async function selectBackend(preference: BackendPreference = 'auto', options: BackendOptions = {}): Promise<BackendChoice> {
  const notes: string[] = [];
  if (preference === 'auto' || preference === 'node') {
    const problem = loadTfjsNode();
    if (problem === undefined && (await tf.setBackend('tensorflow'))) return { name: 'tensorflow', preference, notes };
    notes.push(`tfjs-node: ${problem ?? 'the backend failed to initialise'}`);
  }
  if (preference !== 'cpu' && (await tryWasm(options, notes))) return { name: 'wasm', preference, notes };
  registerFastKernels('cpu');
  if (!(await tf.setBackend('cpu'))) throw new Error('TensorFlow.js: even the cpu backend failed to initialise');
  // The cpu backend prints an "install tfjs-node" banner on first use; the choice is reported by us instead.
  (tf.backend() as { firstUse?: boolean }).firstUse = false;
  return { name: 'cpu', preference, notes };
}
