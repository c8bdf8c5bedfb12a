// Starting the pools' worker threads (kNN, word2vec, GloVe) both from the bundle in dist/ and from source through tsx.
import { existsSync } from 'node:fs';
import { join, resolve as resolvePath } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';

/**
 * The worker script `name` (e.g. 'knn-worker'): dist/<name>.js beside the running bundle (built by scripts/build.mjs),
 * else src/node/<name>.ts when this code runs from source through tsx.
 */
export function defaultWorkerScript(name: string): string {
  const bundled = join(__dirname, `${name}.js`);
  return existsSync(bundled) ? bundled : join(__dirname, `${name}.ts`);
}

/** tsx's CommonJS hook, needed only when a worker runs from source (tests, benches); never required in the vsix. */
const TSX_REGISTER = 'tsx/cjs';

/** Starts a worker on `script`; a .ts script (running from source) is loaded through tsx's require hook. */
export function startWorker(script: string | URL): Worker {
  const path = script instanceof URL ? fileURLToPath(script) : resolvePath(script);
  if (!path.endsWith('.ts')) return new Worker(path);
  // Module hooks are per thread and a worker's --import is not applied to a .ts entry: register tsx, then require it.
  return new Worker(`require(${JSON.stringify(TSX_REGISTER)}); require(${JSON.stringify(path)});`, { eval: true });
}
