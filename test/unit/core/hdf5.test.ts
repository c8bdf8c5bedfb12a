import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { CheckpointError } from '../../../src/core/errors';
import { Hdf5File, isHdf5 } from '../../../src/core/hdf5/file';
import { MemorySource, type ByteSource } from '../../../src/core/io/byte-source';
import { expected, fixture, maxAbsDiff, seededRandom } from '../helpers';

interface DatasetTruth {
  shape: number[];
  dtype: string;
  values: number[];
}
interface Hdf5Truth {
  files: Record<string, { superblock: number; linkCount: number }>;
  title: string;
  names: string[];
  scale: number;
  attributes: Record<string, number>;
  datasets: Record<string, DatasetTruth>;
  manyChunks: { shape: number[]; sum: number; first: number[] };
}

const truth = expected<{ hdf5: Hdf5Truth }>('keras/expected.json').hdf5;
const FILES = ['h5py-earliest.h5', 'h5py-latest.h5'] as const;

function bytesOf(name: string): Uint8Array {
  return new Uint8Array(readFileSync(fixture(`keras/${name}`)));
}

/** The fixture through an in-memory source (the Keras tests read through the Node file adapter). */
function open(name: string): Promise<Hdf5File> {
  return Hdf5File.open(new MemorySource(name, bytesOf(name)));
}

/** Index of `pattern` in `bytes` (first match), or -1. */
function find(bytes: Uint8Array, pattern: readonly number[], from = 0): number {
  outer: for (let i = from; i + pattern.length <= bytes.byteLength; i++) {
    for (let j = 0; j < pattern.length; j++) if (bytes[i + j] !== pattern[j]) continue outer;
    return i;
  }
  return -1;
}

function le64(value: number): number[] {
  return Array.from({ length: 8 }, (_, i) => Math.floor(value / 256 ** i) % 256);
}

for (const name of FILES) {
  describe(`the HDF5 reader on h5py's ${name}`, () => {
    it('finds the superblock version h5py reports', async () => {
      const file = await open(name);
      assert.equal(file.superblockVersion, truth.files[name]?.superblock);
    });

    it('reads every small dataset with the values h5py wrote (contiguous, gzip, shuffle + fletcher32, single chunk, float16, big-endian float64, int32)', async () => {
      const file = await open(name);
      for (const [path, want] of Object.entries(truth.datasets)) {
        const node = (await file.get(path)) ?? (await file.get(`nested/deeper/${path}`));
        assert.ok(node?.dataset, `${path} is a dataset`);
        assert.deepEqual(node.dataset.dims, want.shape, path);
        const values = await node.read();
        // float64 and int32 become float32: compare within float32 rounding of the largest value.
        const tolerance = 1e-6 * Math.max(1, ...want.values.map(Math.abs));
        assert.ok(maxAbsDiff(values, want.values) <= tolerance, `${path} differs from h5py`);
      }
    });

    it('assembles a dataset of 1200 one-element chunks in the right places', async () => {
      const file = await open(name);
      const node = await file.get('f32_many_chunks');
      const values = await node!.read();
      assert.deepEqual(node!.dataset!.dims, truth.manyChunks.shape);
      assert.ok(maxAbsDiff(values.subarray(0, 30), truth.manyChunks.first) < 1e-6);
      const sum = values.reduce((a, b) => a + b, 0);
      assert.ok(Math.abs(sum - truth.manyChunks.sum) < 1e-3, `sum ${sum} vs h5py ${truth.manyChunks.sum}`);
    });

    it('decodes variable-length and fixed-length string attributes and a float64 scalar', async () => {
      const root = await (await open(name)).root();
      assert.deepEqual(await root.attribute('title'), { kind: 'strings', dims: [], values: [truth.title] });
      assert.deepEqual((await root.attribute('names'))?.kind === 'strings' && (await root.attribute('names')), {
        kind: 'strings',
        dims: [2],
        values: truth.names,
      });
      assert.deepEqual(await root.attribute('scale'), { kind: 'numbers', dims: [], values: [truth.scale] });
    });

    it('reads all twelve attributes of a group (dense attribute storage in the latest format)', async () => {
      const group = await (await open(name)).get('attributes');
      const attributes = await group!.attributes();
      const seen = Object.fromEntries([...attributes].map(([key, value]) => [key, value.kind === 'numbers' ? value.values[0] : NaN]));
      assert.deepEqual(seen, truth.attributes);
    });
  });
}

describe('the HDF5 reader on groups and laziness', () => {
  it('lists the 3000 links of a dense group through its fractal heap and v2 B-tree', async () => {
    const group = await (await open('h5py-latest.h5')).get('links');
    const links = await group!.links();
    assert.equal(links.length, truth.files['h5py-latest.h5']?.linkCount);
    assert.equal(new Set(links.map((link) => link.name)).size, links.length, 'every name once');
    assert.ok(links.every((link) => link.kind === 'soft' && /^link\d{4}$/.test(link.name)));
  });

  it('reads metadata and one dataset of a file padded to 1 GB without reading the padding', async () => {
    const real = bytesOf('h5py-earliest.h5');
    let read = 0;
    const size = 2 ** 30;
    const source: ByteSource = {
      name: 'padded.h5',
      size: () => Promise.resolve(size),
      read(offset, length) {
        const end = Math.min(size, offset + length);
        const out = new Uint8Array(Math.max(0, end - offset));
        if (offset < real.byteLength) out.set(real.subarray(offset, Math.min(end, real.byteLength)));
        read += out.byteLength;
        return Promise.resolve(out);
      },
      close: () => Promise.resolve(),
    };
    const file = await Hdf5File.open(source);
    const values = await (await file.get('f32_contiguous'))!.read();
    assert.equal(values.length, 15);
    assert.ok(read < 1 << 20, `read ${read} bytes of a ${size}-byte file`);
  });

  it('recognises HDF5 by its signature, also after a 512-byte user block', () => {
    const real = bytesOf('lm.h5');
    assert.equal(isHdf5(real.subarray(0, 64)), true);
    const shifted = new Uint8Array(1024);
    shifted.set(real.subarray(0, 512), 512);
    assert.equal(isHdf5(shifted), true);
    assert.equal(isHdf5(new TextEncoder().encode('{"weightsManifest": []}')), false);
  });
});

describe('the HDF5 reader on damaged files', () => {
  it('rejects a truncated file: the superblock says the file is longer', async () => {
    const real = bytesOf('lm.h5');
    await assert.rejects(Hdf5File.open(new MemorySource('cut.h5', real.subarray(0, real.byteLength - 1000))), (error: CheckpointError) => {
      assert.equal(error.code, 'truncated');
      assert.match(error.message, /^cut\.h5: the HDF5 superblock says the file ends at byte \d+, the file has \d+$/);
      return true;
    });
  });

  it('rejects bytes without the HDF5 signature', async () => {
    await assert.rejects(Hdf5File.open(new MemorySource('plain.bin', new Uint8Array(4096))), { code: 'unknown-format' });
  });

  it('catches a flipped byte in a version 2 object header by its checksum', async () => {
    const real = bytesOf('h5py-latest.h5');
    const at = find(real, [...new TextEncoder().encode('OHDR')], 100);
    const damaged = real.slice();
    damaged[at + 12] = (damaged[at + 12] as number) ^ 0x5a;
    const file = await Hdf5File.open(new MemorySource('flip.h5', damaged));
    await assert.rejects(
      (async () => {
        const root = await file.root();
        for (const link of await root.links()) await root.child(link.name);
      })(),
      (error: CheckpointError) => error.code === 'bad-header' && /^flip\.h5: .*fails its checksum/.test(error.message),
    );
  });

  it('refuses a dataset whose dataspace claims more rows than its storage holds', async () => {
    const real = bytesOf('h5py-earliest.h5');
    // f32_contiguous is 5×3: its dataspace stores 5 and 3 as 8-byte lengths, then the same maxima.
    const at = find(real, [...le64(5), ...le64(3), ...le64(5), ...le64(3)]);
    assert.ok(at > 0, 'found the dataspace');
    const damaged = real.slice();
    damaged.set(le64(5_000_000), at);
    const file = await Hdf5File.open(new MemorySource('lying.h5', damaged));
    const node = await file.get('f32_contiguous');
    assert.deepEqual(node!.dataset!.dims, [5_000_000, 3]);
    await assert.rejects(node!.read(), (error: CheckpointError) => {
      assert.equal(error.code, 'bad-header');
      assert.match(error.message, /^lying\.h5: dataset f32_contiguous is \[5000000, 3\] × 4 bytes = 60000000 bytes, its storage holds 60$/);
      return true;
    });
  });

  it('names a compression filter it does not read instead of returning garbage', async () => {
    const real = bytesOf('h5py-earliest.h5');
    // Version 1 filter description: id 1, name length 8, flags, 1 value, "deflate\0".
    const at = find(real, [1, 0, 8, 0]) >= 0 ? find(real, [...new TextEncoder().encode('deflate')]) - 8 : -1;
    assert.ok(at > 0, 'found the deflate filter');
    const damaged = real.slice();
    damaged[at] = 0x00;
    damaged[at + 1] = 0x7d; // 32000: h5py's LZF
    const file = await Hdf5File.open(new MemorySource('lzf.h5', damaged));
    await assert.rejects((await file.get('f16_chunked_gzip'))!.read(), (error: CheckpointError) => {
      assert.equal(error.code, 'unsupported');
      assert.match(error.message, /^lzf\.h5: a chunk of dataset f16_chunked_gzip: compressed with the "lzf" filter/);
      return true;
    });
  });

  it('answers 300 seeded byte flips and truncations with a result or a one-line CheckpointError naming the file', async () => {
    const random = seededRandom(7);
    for (const name of FILES) {
      const real = bytesOf(name);
      for (let trial = 0; trial < 150; trial++) {
        const damaged = random() < 0.3 ? real.slice(0, Math.floor(random() * real.byteLength)) : real.slice();
        if (damaged.byteLength === real.byteLength) {
          for (let flips = 1 + Math.floor(random() * 6); flips > 0; flips--) {
            damaged[Math.floor(random() * Math.min(real.byteLength, 8192))] = Math.floor(random() * 256);
          }
        }
        const label = `${name}#${trial}`;
        try {
          const file = await Hdf5File.open(new MemorySource(label, damaged));
          const visit = async (path: string, depth: number): Promise<void> => {
            const node = await file.get(path);
            if (!node || depth > 4 || path === 'links') return; // the 3000-link group is covered above
            await node.attributes();
            if (node.dataset) await node.read();
            for (const link of (await node.links()).slice(0, 30)) await visit(path ? `${path}/${link.name}` : link.name, depth + 1);
          };
          await visit('', 0);
        } catch (error) {
          assert.ok(error instanceof CheckpointError, `${label}: ${(error as Error).stack}`);
          assert.ok(error.message.startsWith(`${label}: `) && !error.message.includes('\n'), error.message);
        }
      }
    }
  });
});
