import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { packTokens, unpackTokens } from '../../../../src/core/view/token-table';

describe('packed token tables', () => {
  it('round-trip any Unicode text exactly, including empty, RTL, emoji and 2,000-character tokens', () => {
    const tokens = ['', 'king', '<img src=x onerror=alert(1)>', 'שלום', '\u202Eevil', '👩‍👩‍👧', 'x'.repeat(2000), 'e\u0301'];
    const packed = packTokens(tokens, tokens.length);
    assert.deepEqual(unpackTokens(packed.utf8, packed.ends), tokens);
  });

  it('uses exact-size buffers whose length is the UTF-8 byte count', () => {
    const packed = packTokens(['ab', 'é'], 2);
    assert.equal(packed.utf8.buffer.byteLength, 4);
    assert.deepEqual([...packed.ends], [2, 4]);
  });

  it('names rows the vocabulary does not cover by their number', () => {
    const packed = packTokens(['a'], 3);
    assert.deepEqual(unpackTokens(packed.utf8, packed.ends), ['a', '#1', '#2']);
  });

  it('decodes malformed bytes and lying offsets without throwing', () => {
    const utf8 = new Uint8Array([0x61, 0xff, 0x62]);
    assert.deepEqual(unpackTokens(utf8, new Uint32Array([2, 1, 99])), ['a\uFFFD', '', 'b']);
  });
});
