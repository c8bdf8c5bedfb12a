import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { lineChunks } from '../../../../src/core/io/text-lines';
import { seededRandom } from '../../helpers';
import { bothSources, FillingMemorySource } from '../../streaming-sources';

const encode = (text: string) => new TextEncoder().encode(text);
const decode = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

/** Collects every chunk as text (copied: a chunk is valid only until the next one is requested). */
async function chunksOf(source: FillingMemorySource | Parameters<typeof lineChunks>[0], start: number, chunkBytes: number) {
  const out: { text: string; offset: number }[] = [];
  for await (const chunk of lineChunks(source, start, undefined, chunkBytes)) out.push({ text: decode(chunk.bytes), offset: chunk.offset });
  return out;
}

/** Seeded text: lines of random length (some longer than any read), with and without a final line break. */
function randomText(seed: number): string {
  const random = seededRandom(seed);
  const lines: string[] = [];
  for (let i = 0; i < 60; i++) lines.push('w'.repeat(Math.floor(random() * (i % 7 === 0 ? 300 : 40))) + ` ${i}`);
  return lines.join('\n') + (seed % 2 === 0 ? '\n' : '');
}

describe('lineChunks', () => {
  for (const chunkBytes of [1, 7, 64, 1000, 1 << 20]) {
    it(`hands out every byte once, in order, in chunks that end on line breaks (reads of ${chunkBytes} bytes)`, async () => {
      for (let seed = 1; seed <= 6; seed++) {
        const text = randomText(seed);
        for (const [, source] of bothSources('t.txt', encode(text))) {
          const chunks = await chunksOf(source, 3, chunkBytes);
          assert.equal(chunks.map((c) => c.text).join(''), text.slice(3));
          let offset = 3;
          chunks.forEach((chunk, i) => {
            assert.equal(chunk.offset, offset, 'each chunk says where it starts');
            offset += encode(chunk.text).length;
            if (i < chunks.length - 1) assert.ok(chunk.text.endsWith('\n'), `chunk ${i} ends on a line break`);
          });
        }
      }
    });
  }

  it('keeps a multi-byte character whole when a read cuts it', async () => {
    const text = 'naïve 1\ncafé 2\nµ 3\n'.repeat(20);
    for (const [, source] of bothSources('u.txt', encode(text))) {
      const chunks = await chunksOf(source, 0, 5);
      assert.equal(chunks.map((c) => c.text).join(''), text);
    }
  });

  it('reads through one reused buffer when the source can fill it', async () => {
    const source = new FillingMemorySource('r.txt', encode(randomText(2)));
    await chunksOf(source, 0, 16);
    assert.ok(source.reads > 10);
  });
});
