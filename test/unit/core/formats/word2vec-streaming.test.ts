import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { CheckpointError } from '../../../../src/core/errors';
import { readWord2vecBinary } from '../../../../src/core/formats/word2vec-binary';
import type { MemorySource } from '../../../../src/core/io/byte-source';
import { readVectorLines } from '../../../../src/core/text/vector-lines';
import { parseWord2vecHeader } from '../../../../src/core/formats/word2vec-text';
import { nodeFiles } from '../../../../src/node/node-files';
import { fixture } from '../../helpers';
import { bothSources } from '../../streaming-sources';

const binary = readFileSync(fixture('word2vec/vectors.bin'));
const text = readFileSync(fixture('word2vec/vectors.txt'));
/** Read sizes that cut tokens, vectors and line breaks at every kind of place; the largest reads the file at once. */
const CHUNKS = [13, 97, 401, 4093, 1 << 20];

const readBinary = (source: MemorySource, chunkBytes: number) =>
  readWord2vecBinary({ source, path: source.name, files: nodeFiles }, chunkBytes);

describe('the word2vec binary reader, streaming', () => {
  it('reads the same tokens and numbers whatever the read size, with fresh or reused read buffers', async () => {
    const [[, whole]] = bothSources('vectors.bin', binary) as [[string, MemorySource]];
    const reference = await readBinary(whole, 1 << 20);
    const referenceValues = await reference.matrices[0]!.load();
    for (const chunkBytes of CHUNKS) {
      for (const [kind, source] of bothSources('vectors.bin', binary)) {
        const checkpoint = await readBinary(source, chunkBytes);
        assert.deepEqual(checkpoint.vocab.tokens, reference.vocab.tokens, `${kind}, reads of ${chunkBytes}`);
        assert.deepEqual(await checkpoint.matrices[0]!.load(), referenceValues, `${kind}, reads of ${chunkBytes}`);
      }
    }
  });

  it('reports a file cut inside a vector as truncated, naming the file and the word, at any read size', async () => {
    const cut = binary.subarray(0, binary.length - 10);
    for (const chunkBytes of [13, 401, 1 << 20]) {
      for (const [, source] of bothSources('cut.bin', cut)) {
        await assert.rejects(readBinary(source, chunkBytes), (error: unknown) => {
          assert.ok(error instanceof CheckpointError);
          assert.equal(error.code, 'truncated');
          assert.match(error.message, /^cut\.bin: header says \d+×\d+ float32, file ends inside vector \d+/);
          return true;
        });
      }
    }
  });

  it('reports a token without an ending space within 64 KiB as a bad header, and a file cut inside a token as truncated', async () => {
    const header = parseWord2vecHeader(binary)!;
    const body = binary.subarray(header.headerBytes);
    const runaway = new Uint8Array(header.headerBytes + 70_000 + body.length);
    runaway.set(binary.subarray(0, header.headerBytes));
    runaway.fill(0x61, header.headerBytes, header.headerBytes + 70_000); // the first token never ends
    runaway.set(body, header.headerBytes + 70_000);
    // Two rows promised; the second token runs to the end of the file (long enough to pass the up-front size check).
    const firstRow = body.subarray(0, body.indexOf(0x20) + 1 + header.cols * 4);
    const cutInToken = new Uint8Array([
      ...new TextEncoder().encode(`2 ${header.cols}\n`),
      ...firstRow,
      0x0a,
      ...new Uint8Array(200).fill(0x62),
    ]);
    for (const chunkBytes of [97, 4093, 1 << 20]) {
      for (const [, source] of bothSources('runaway.bin', runaway)) {
        await assert.rejects(readBinary(source, chunkBytes), (error: unknown) => {
          assert.ok(error instanceof CheckpointError);
          assert.equal(error.code, 'bad-header');
          assert.match(
            error.message,
            /^runaway\.bin: word 1 of \d+ at byte \d+: expected a token and a space, found more than 65536 bytes/,
          );
          return true;
        });
      }
      for (const [, source] of bothSources('cut.bin', cutInToken)) {
        await assert.rejects(readBinary(source, chunkBytes), (error: unknown) => {
          assert.ok(error instanceof CheckpointError);
          assert.equal(error.code, 'truncated');
          assert.match(error.message, /^cut\.bin: word 2 of 2 at byte \d+: expected a token and a space, found the end of the file$/);
          return true;
        });
      }
    }
  });
});

describe('the text vector reader, streaming', () => {
  it('reads the same tokens and numbers whatever the read size, with fresh or reused read buffers', async () => {
    const header = parseWord2vecHeader(text)!;
    const options = { start: header.headerBytes, rows: header.rows, valuesPerLine: header.cols, hasToken: true };
    const [[, whole]] = bothSources('vectors.txt', text) as [[string, MemorySource]];
    const reference = await readVectorLines(whole, { ...options, chunkBytes: 1 << 20 });
    assert.equal(reference.tokens.length, header.rows);
    for (const chunkBytes of CHUNKS) {
      for (const [kind, source] of bothSources('vectors.txt', text)) {
        const lines = await readVectorLines(source, { ...options, chunkBytes });
        assert.deepEqual(lines.tokens, reference.tokens, `${kind}, reads of ${chunkBytes}`);
        assert.deepEqual(lines.values, reference.values, `${kind}, reads of ${chunkBytes}`);
      }
    }
  });
});
