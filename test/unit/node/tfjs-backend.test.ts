import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { selectBackend } from '../../../src/node/tfjs-backend';

describe('the TensorFlow.js backend choice', () => {
  it("takes out the wasm glue's rethrowing process handlers, so a stray rejection cannot kill the compute worker", async () => {
    const before = {
      rejection: process.listeners('unhandledRejection').length,
      exception: process.listeners('uncaughtException').length,
    };
    assert.equal((await selectBackend('wasm')).name, 'wasm');
    assert.equal(process.listeners('unhandledRejection').length, before.rejection);
    assert.equal(process.listeners('uncaughtException').length, before.exception);
  });
});
