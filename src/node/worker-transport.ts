import type { MessagePort, Worker } from 'node:worker_threads';
import type { Envelope, Transport } from '../protocol/endpoint';

/** A Transport over a worker_threads port (the worker's parentPort, or the host's Worker object). */
export function portTransport(port: MessagePort | Worker): Transport {
  return {
    post: (message: Envelope, transfer?: ArrayBuffer[]) => port.postMessage(message, transfer ?? []),
    listen(listener) {
      port.on('message', listener);
      return () => port.off('message', listener);
    },
  };
}
