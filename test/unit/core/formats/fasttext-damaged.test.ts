import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import type { Checkpoint } from '../../../../src/core/checkpoint';
import { fastTextBin } from '../../../../src/core/formats/fasttext-bin';
import { MemorySource } from '../../../../src/core/io/byte-source';
import { nodeFiles } from '../../../../src/node/node-files';
import { fixture } from '../../helpers';

// Damaged fastText models, derived in memory from the real fixtures of make_fasttext.sh. Offsets follow
// fastText's layout: magic and version (int32 at 0 and 4), args (int32 from 8: dim at 8, model at 36, bucket
// at 40), the dictionary header at 64 (size, nwords, nlabels int32, then ntokens and pruneidx_size int64).

const bytesOf = (name: string): Uint8Array => new Uint8Array(readFileSync(fixture(`fasttext/${name}`)));

/** Reads bytes with the fastText reader directly (no sniffing), as a damaged file would be read. */
function readBytes(bytes: Uint8Array, name: string): Promise<Checkpoint> {
  return fastTextBin.read({ source: new MemorySource(name, bytes), path: name, files: nodeFiles });
}

/** A copy of a fixture with an edit applied through a DataView. */
function patched(name: string, edit: (view: DataView, bytes: Uint8Array) => void): Uint8Array {
  const bytes = bytesOf(name).slice();
  edit(new DataView(bytes.buffer), bytes);
  return bytes;
}

describe('fastText files that are damaged or lie about their sizes', () => {
  const fails = async (bytes: Uint8Array, code: string, pattern?: RegExp): Promise<void> => {
    await assert.rejects(
      async () => {
        const checkpoint = await readBytes(bytes, 'broken.bin');
        for (const m of checkpoint.matrices) await m.load();
      },
      (error: Error & { code?: string }) => {
        assert.equal(error.name, 'CheckpointError', error.message);
        assert.equal(error.code, code, error.message);
        assert.ok(error.message.startsWith('broken.bin: '), error.message);
        if (pattern) assert.match(error.message, pattern);
        return true;
      },
    );
  };
  const real = bytesOf('skipgram.bin');

  it('refuses a file cut inside the dictionary, the input matrix, or the last output row', async () => {
    await fails(real.subarray(0, 3000), 'truncated');
    await fails(real.subarray(0, real.length - 60_000), 'truncated', /input matrix header says 3453×8 float32/);
    await fails(real.subarray(0, real.length - 1), 'truncated', /output matrix/);
    await fails(real.subarray(0, 50), 'truncated');
  });

  it('does not claim a file without the magic number, and refuses one read as fastText anyway', async () => {
    const bytes = patched('skipgram.bin', (view) => view.setInt32(0, 1234, true));
    assert.equal(fastTextBin.sniff({ head: bytes, path: 'x', size: bytes.length, files: nodeFiles }), false);
    assert.equal(fastTextBin.sniff({ head: bytesOf('skipgram.vec'), path: 'x', size: 1, files: nodeFiles }), false);
    await fails(bytes, 'bad-header', /magic number 793712314, found 1234/);
  });

  it('refuses a file format version it does not know as unsupported', async () => {
    await fails(
      patched('skipgram.bin', (view) => view.setInt32(4, 13, true)),
      'unsupported',
      /version 11 or 12, found 13/,
    );
  });

  it('checks a dictionary size against the file before reading entries', async () => {
    const huge = patched('skipgram.bin', (view) => {
      view.setInt32(64, 2_000_000_000, true); // size
      view.setInt32(68, 2_000_000_000, true); // nwords
    });
    await fails(huge, 'truncated', /dictionary says 2000000000 entries/);
    await fails(
      patched('skipgram.bin', (view) => view.setInt32(72, 5, true)),
      'bad-header',
      /words \+ labels/,
    );
    await fails(
      patched('skipgram.bin', (view) => view.setInt32(68, 1000, true)),
      'bad-header',
    ); // size stays 1453
  });

  it('refuses args and matrix headers that disagree with each other', async () => {
    await fails(
      patched('skipgram.bin', (view) => view.setInt32(40, 1_000_000, true)),
      'bad-header',
      /buckets = 1001453 rows, found 3453/,
    );
    await fails(
      patched('skipgram.bin', (view) => view.setInt32(8, 9, true)),
      'bad-header',
      /9 columns \(args dim\), found 8/,
    );
    await fails(
      patched('skipgram.bin', (view) => view.setInt32(36, 7, true)),
      'bad-header',
      /expected model 1\.\.3/,
    );
    await fails(
      patched('skipgram.bin', (view) => view.setInt32(8, 0, true)),
      'bad-header',
      /dim 1\.\./,
    );
    const dictEnd = real.length - (17 + 1453 * 8 * 4) - (17 + 3453 * 8 * 4);
    await fails(
      patched('skipgram.bin', (view) => view.setBigInt64(dictEnd + 1, 1n << 40n, true)),
      'truncated',
      /header says 1099511627776×8/,
    );
    await fails(
      patched('skipgram.bin', (view) => view.setBigInt64(dictEnd + 1, 1n << 60n, true)),
      'bad-header',
      /below 2\^53/,
    );
    await fails(
      patched('skipgram.bin', (_, bytes) => (bytes[dictEnd] = 7)),
      'bad-header',
      /quantization flag 0 or 1/,
    );
  });

  it('refuses a quantized model whose quantizer header is inconsistent or cut short', async () => {
    const ftz = bytesOf('supervised.ftz');
    await fails(ftz.subarray(0, ftz.length - 200), 'truncated');
    // The input QuantMatrix starts after the dictionary; its codes are 435 + 565 rows × 3 subquantizers.
    const codesAt = ftz.length - (17 + 3 * 8 * 4) - (16 + 256 * 4) - 1000 - (16 + 8 * 256 * 4) - 3000;
    await fails(
      patched('supervised.ftz', (view) => view.setInt32(codesAt + 3000 + 8, 0, true)),
      'bad-header',
      /quantizer for 8-wide vectors/,
    );
    await fails(
      patched('supervised.ftz', (view) => view.setInt32(codesAt - 4, 1 << 30, true)),
      'truncated',
      /codes/,
    );
  });

  it('throws only CheckpointErrors on a few hundred seeded byte flips and truncations', async () => {
    let state = 20240611;
    const random = (): number => (state = (Math.imul(state, 1664525) + 1013904223) >>> 0) / 2 ** 32;
    for (const name of ['cbow-hs.bin', 'supervised.ftz']) {
      const original = bytesOf(name);
      for (let trial = 0; trial < 150; trial++) {
        const bytes = original.slice(0, trial % 5 === 0 ? Math.floor(random() * original.length) : original.length);
        // Flips concentrate on the header and dictionary, where a single byte changes the meaning of the rest.
        for (let flip = 0; flip < 3; flip++) bytes[Math.floor(random() * Math.min(bytes.length, 4096))] = Math.floor(random() * 256);
        try {
          const checkpoint = await readBytes(bytes, `${name}#${trial}`);
          for (const m of checkpoint.matrices) await m.load();
        } catch (error) {
          assert.equal((error as Error).name, 'CheckpointError', `${name} trial ${trial}: ${(error as Error).stack}`);
        }
      }
    }
  });
});
