import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TokenList } from '../../../../src/core/text/token-list';
import { seededRandom } from '../../helpers';

/** What decoding each token on its own gives: the behaviour TokenList must keep. */
const oneByOne = (bytes: Uint8Array, ranges: [number, number][]) =>
  ranges.map(([start, end]) => new TextDecoder('utf-8').decode(bytes.subarray(start, end)));

describe('TokenList', () => {
  it('gives the same tokens, in order, as decoding each one on its own (ASCII, UTF-8, invalid bytes, empty)', () => {
    const random = seededRandom(7);
    const alphabet = [0x61, 0x7a, 0x30, 0x2d, 0x27, 0xc3, 0xa9, 0xe2, 0x82, 0xac, 0xff, 0x80, 0xf0];
    const bytes = new Uint8Array(200_000);
    const ranges: [number, number][] = [];
    let at = 0;
    while (at < bytes.length - 40) {
      const length = Math.floor(random() * 20);
      const ascii = random() < 0.8;
      for (let i = 0; i < length; i++) {
        bytes[at + i] = ascii ? 0x61 + Math.floor(random() * 26) : (alphabet[Math.floor(random() * alphabet.length)] as number);
      }
      ranges.push([at, at + length]);
      at += length + 1;
    }
    const list = new TokenList(ranges.length);
    for (const [start, end] of ranges) list.add(bytes, start, end);
    assert.deepEqual(list.finish(), oneByOne(bytes, ranges));
  });

  it('takes a token longer than its batch, and decoded text between byte tokens, in order', () => {
    const long = new Uint8Array(70_000).fill(0x62);
    const list = new TokenList(4);
    list.add(new TextEncoder().encode('king'), 0, 4);
    list.add(long, 0, long.length);
    list.addText('new york');
    list.add(new TextEncoder().encode('x queen'), 2, 7);
    assert.deepEqual(list.finish(), ['king', 'b'.repeat(70_000), 'new york', 'queen']);
  });

  it('returns only the tokens added when fewer than the rows it was sized for', () => {
    const list = new TokenList(10);
    list.add(new TextEncoder().encode('a'), 0, 1);
    assert.deepEqual(list.finish(), ['a']);
  });
});
