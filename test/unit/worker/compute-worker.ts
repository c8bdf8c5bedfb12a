import { fileURLToPath } from 'node:url';
import { ComputeWorker, type WorkerLog } from '../../../src/node/compute-worker';

const bootstrap = fileURLToPath(new URL('./ts-worker.mjs', import.meta.url));
const entry = new URL('../../../src/worker/worker.ts', import.meta.url).href;

/** The extension's ComputeWorker running the TypeScript worker entry through tsx; log lines are collected. */
export function testComputeWorker(): { worker: ComputeWorker; logged: string[] } {
  const logged: string[] = [];
  const log: WorkerLog = { warn: (line) => logged.push(line), error: (line) => logged.push(line) };
  return { worker: new ComputeWorker(bootstrap, log, { workerData: { entry } }), logged };
}
