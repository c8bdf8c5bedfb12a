import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { RemoteError } from '../../../src/protocol/endpoint';
import { Endpoint, type Envelope, type Transport } from '../../../src/protocol/endpoint';

/** Two transports wired to each other, delivering asynchronously like a real port. */
function pair(): [Transport, Transport] {
  const listeners: [Set<(m: unknown) => void>, Set<(m: unknown) => void>] = [new Set(), new Set()];
  const make = (mine: 0 | 1): Transport => ({
    post: (message: Envelope) => queueMicrotask(() => listeners[mine === 0 ? 1 : 0].forEach((l) => l(message))),
    listen(listener) {
      listeners[mine].add(listener);
      return () => listeners[mine].delete(listener);
    },
  });
  return [make(0), make(1)];
}

interface Server {
  requests: { 'math/double': { params: { x: number }; result: number }; 'math/fail': { params: null; result: never } };
  events: { 'math/tick': { n: number } };
}
interface Client {
  requests: Record<never, never>;
  events: Record<never, never>;
}

describe('Endpoint', () => {
  it('answers a typed request with the handler result', async () => {
    const [a, b] = pair();
    const server = new Endpoint<Server, Client>(a);
    const client = new Endpoint<Client, Server>(b);
    server.handle('math/double', ({ x }) => x * 2);
    assert.equal(await client.request('math/double', { x: 21 }), 42);
  });

  it('turns a throwing handler into a rejected request carrying the code', async () => {
    const [a, b] = pair();
    const server = new Endpoint<Server, Client>(a);
    const client = new Endpoint<Client, Server>(b);
    server.handle('math/fail', () => {
      throw Object.assign(new Error('file.bin: expected X, found Y'), { code: 'bad-header' });
    });
    await assert.rejects(
      client.request('math/fail', null),
      (error: RemoteError) => error.code === 'bad-header' && /expected X/.test(error.message),
    );
  });

  it('rejects a request for a method nobody serves instead of leaving it pending', async () => {
    const [a, b] = pair();
    new Endpoint<Server, Client>(a);
    const client = new Endpoint<Client, Server>(b);
    await assert.rejects(client.request('math/double', { x: 1 }), { code: 'no-handler' });
  });

  it('rejects everything pending when disposed', async () => {
    const [, b] = pair();
    const client = new Endpoint<Client, Server>(b);
    const pending = client.request('math/double', { x: 1 });
    client.dispose();
    await assert.rejects(pending, { code: 'disposed' });
  });

  it('delivers events to listeners until they unsubscribe', async () => {
    const [a, b] = pair();
    const server = new Endpoint<Server, Client>(a);
    const client = new Endpoint<Client, Server>(b);
    const seen: number[] = [];
    const stop = client.on('math/tick', ({ n }) => seen.push(n));
    server.emit('math/tick', { n: 1 });
    await new Promise((resolve) => setTimeout(resolve, 5));
    stop();
    server.emit('math/tick', { n: 2 });
    await new Promise((resolve) => setTimeout(resolve, 5));
    assert.deepEqual(seen, [1]);
  });
});
