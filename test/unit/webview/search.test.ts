import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { bestHit, searchTokens } from '../../../webview/search';

const tokens = ['King', 'king', 'kingdom', 'queen', 'Kingston', '<img src=x>', 'shaking'];

describe('token search', () => {
  it('matches substrings ignoring case when the query is lower case', () => {
    assert.deepEqual([...searchTokens(tokens, 'king', false).rows], [0, 1, 2, 4, 6]);
  });

  it('respects case when the query has an upper-case letter', () => {
    assert.deepEqual([...searchTokens(tokens, 'King', false).rows], [0, 4]);
  });

  it('treats regex metacharacters literally in substring mode', () => {
    assert.deepEqual([...searchTokens(tokens, '<img src=x>', false).rows], [5]);
    assert.equal(searchTokens(tokens, '.*', false).total, 0);
  });

  it('matches regular expressions when asked', () => {
    assert.deepEqual([...searchTokens(tokens, '^king', true).rows], [0, 1, 2, 4]);
  });

  it('reports an invalid regular expression instead of throwing', () => {
    const result = searchTokens(tokens, '(', true);
    assert.equal(result.total, 0);
    assert.match(result.error ?? '', /Invalid regular expression/);
  });

  it('counts every match but keeps at most the cap', () => {
    const many = Array.from({ length: 100 }, (_, i) => `w${i}`);
    const result = searchTokens(many, 'w', false, 10);
    assert.equal(result.total, 100);
    assert.equal(result.rows.length, 10);
  });

  it('matches nothing for an empty query', () => {
    assert.equal(searchTokens(tokens, '', false).total, 0);
  });

  it('prefers the exact token when picking the hit to select', () => {
    const query = 'king';
    assert.equal(bestHit(tokens, query, searchTokens(tokens, query, false)), 1);
    assert.equal(bestHit(tokens, 'quee', searchTokens(tokens, 'quee', false)), 3);
    assert.equal(bestHit(tokens, 'zzz', searchTokens(tokens, 'zzz', false)), -1);
  });
});
