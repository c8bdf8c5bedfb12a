import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { terminalSafe } from '../../../src/cli/neighbors';

describe('tokens printed to a terminal', () => {
  it('show escape sequences and bidi controls as \\u{…} instead of sending them', () => {
    assert.equal(terminalSafe('\u001b[31mred\u001b[0m'), '\\u{1b}[31mred\\u{1b}[0m');
    assert.equal(terminalSafe('abc\u202eexe.txt'), 'abc\\u{202e}exe.txt');
    assert.equal(terminalSafe('tab\tinside'), 'tab\\u{9}inside');
  });

  it('leave ordinary text, RTL words and emoji alone', () => {
    for (const token of ['king', 'שלום', 'مرحبا', '👩‍👩‍👧‍👦', 'café']) assert.equal(terminalSafe(token), token);
  });

  it('cut long tokens to 60 characters', () => {
    const cut = terminalSafe('x'.repeat(2000));
    assert.equal(Array.from(cut).length, 60);
    assert.ok(cut.endsWith('…'));
  });
});
