// Starts a TypeScript worker entry in a worker thread through tsx (Node 20 does not apply --import to worker entries).
import { register } from 'tsx/esm/api';
import { workerData } from 'node:worker_threads';

register();
await import(workerData.entry);
