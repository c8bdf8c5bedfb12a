// A word2vec pool worker (see word2vec-pool.ts): runs one thread's share of every epoch on the shared training memory,
// Hogwild (no locks: the threads update U and V in place), then says done. Progress goes through the shared memory;
// a cancel terminates the worker.
import { parentPort } from 'node:worker_threads';
import { kernelFor, memoryBuffer } from '../core/train/word2vec-kernel';
import { runShare } from '../core/train/word2vec-share';
import type { Word2vecTaskMessage, Word2vecWorkerReply } from './word2vec-pool-messages';
import { failureReply } from './worker-failure';

if (!parentPort) throw new Error('word2vec-worker must run as a worker thread');
const port = parentPort;
const reply = (message: Word2vecWorkerReply): void => port.postMessage(message);

port.on('message', (task: Word2vecTaskMessage) => {
  try {
    const shares = runShare(kernelFor(task.memory), memoryBuffer(task.memory), task.plan, task.thread);
    while (!shares.next().done);
    reply({ type: 'done' });
  } catch (error) {
    reply(failureReply(error));
  }
});
