// A GloVe pool worker (see glove-pool.ts): trains its share of the co-occurrence entries, one epoch per message,
// on parameters shared with the other workers (Hogwild: no locks; rows collide rarely and the damage is small).
import { parentPort } from 'node:worker_threads';
import { CheckpointError } from '../core/errors';
import { EpochShare, shareSeed } from '../core/train/glove-entries';
import type { GloveKernel, GloveMemory } from '../core/train/glove-kernel';
import { adoptGloveMemory, gloveKernel } from '../core/train/glove-kernel';
import { batchAt } from '../core/train/glove-params';
import type { GloveEpochMessage, GloveStartMessage, GloveWorkerReply } from './glove-pool-messages';
import { failureReply } from './worker-failure';

if (!parentPort) throw new Error('glove-worker must run as a worker thread');
const port = parentPort;
const reply = (message: GloveWorkerReply): void => port.postMessage(message);

let setup: { task: GloveStartMessage; memory: GloveMemory; kernel: GloveKernel } | undefined;

port.on('message', (message: GloveStartMessage | GloveEpochMessage) => {
  try {
    if (message.type === 'start') {
      const memory = adoptGloveMemory(message.engine, message.memory);
      setup = { task: message, memory, kernel: gloveKernel(memory, message.layout) };
      return;
    }
    if (!setup) throw new Error('glove-worker: an epoch arrived before the start message');
    reply({ type: 'epoch-done', epoch: message.epoch, cost: runEpoch(setup, message.epoch) });
  } catch (error) {
    reply(failureReply(error));
  }
});

/** One epoch over this worker's share, synchronously; stops with a `cancelled` error when the control flag is set. */
function runEpoch({ task, memory, kernel }: NonNullable<typeof setup>, epoch: number): number {
  const records = new Int32Array(task.records);
  const entries = { records, floats: new Float32Array(task.records), count: task.count };
  const control = new Int32Array(task.control);
  const progress = new Float64Array(task.progress);
  const share = new EpochShare(entries, task.from, task.to, shareSeed(task.seed, epoch, task.thread));
  const batch = batchAt(task.layout, task.thread);
  let cost = 0;
  let done = 0;
  for (let count = share.fill(memory, batch); count > 0; count = share.fill(memory, batch)) {
    if (Atomics.load(control, 0) !== 0) throw new CheckpointError('cancelled', 'GloVe training: cancelled');
    cost += kernel.train(batch, count, task.rates);
    done += count;
    progress[2 * task.thread] = done;
    progress[2 * task.thread + 1] = cost;
  }
  return cost;
}
