import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Memo } from '../../../src/worker/memo';

describe('the worker memo', () => {
  it('computes a key once and shares the result', async () => {
    const memo = new Memo();
    let runs = 0;
    const compute = async (): Promise<number> => ++runs;
    assert.equal(await memo.get('a', compute), 1);
    assert.equal(await memo.get('a', compute), 1);
    assert.equal(runs, 1);
  });

  it('forgets a failure, so the next request computes afresh', async () => {
    const memo = new Memo();
    await assert.rejects(memo.get('a', () => Promise.reject(new Error('cancelled'))));
    assert.equal(memo.has('a'), false);
    assert.equal(await memo.get('a', () => Promise.resolve(7)), 7);
  });
});
