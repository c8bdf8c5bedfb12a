import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import type { CheckpointError } from '../../../../src/core/errors';
import { openCheckpoint } from '../../../../src/core/open';
import { expected, fixture, withCheckpoint } from '../../helpers';
import { overlayFiles } from '../../overlay-files';
import { sparseFile } from './tensor-test-support';

interface TensorFacts {
  dtype: string;
  shape: number[];
  rows?: number[][];
  sum?: number;
}
interface SafetensorsExpected {
  vocab: { first: string[]; count: number };
  files: Record<string, { metadata: Record<string, string> | null; tensors: Record<string, TensorFacts> }>;
}

const truth = expected<SafetensorsExpected>('safetensors/expected.json');
const asFloat32 = (values: number[]): number[] => Array.from(Float32Array.from(values));
const rowOf = (data: Float32Array, i: number, cols: number): number[] => Array.from(data.subarray(i * cols, (i + 1) * cols));
const sumOf = (data: Float32Array): number => data.reduce((total, value) => total + value, 0);

/** A safetensors file from a header object and a data section, laid out as the format says. */
function safetensorsBytes(header: unknown, data: Uint8Array): Uint8Array {
  const json = new TextEncoder().encode(JSON.stringify(header));
  const out = new Uint8Array(8 + json.byteLength + data.byteLength);
  new DataView(out.buffer).setUint32(0, json.byteLength, true);
  out.set(json, 8);
  out.set(data, 8 + json.byteLength);
  return out;
}

describe('safetensors files written by the safetensors library', () => {
  it('reads a numpy-written file: float16 embeddings as U, float64 context as V, int64 buffers left aside', async () => {
    const facts = truth.files['mixed.safetensors']!;
    await withCheckpoint(fixture('safetensors/mixed.safetensors'), async (checkpoint) => {
      assert.equal(checkpoint.format, 'safetensors');
      assert.deepEqual(
        checkpoint.matrices.map((m) => [m.role, m.name, m.rows, m.cols, m.dtype]),
        [
          ['input', 'embeddings', ...facts.tensors['embeddings']!.shape, 'float16'],
          ['output', 'context', ...facts.tensors['context']!.shape, 'float64'],
        ],
      );
      const cols = facts.tensors['embeddings']!.shape[1]!;
      const u = await checkpoint.matrices[0]!.load();
      const v = await checkpoint.matrices[1]!.load();
      assert.deepEqual(rowOf(u, 1, cols), asFloat32(facts.tensors['embeddings']!.rows![1]!), 'float16 converts exactly');
      assert.deepEqual(rowOf(v, 0, cols), asFloat32(facts.tensors['context']!.rows![0]!), 'float64 rounds once');
      assert.ok(Math.abs(sumOf(u) - facts.tensors['embeddings']!.sum!) < 1e-3);
      const notes = checkpoint.provenance.notes.join('\n');
      assert.match(notes, /not convertible, not read: counts \(I64\), position_ids \(I64\)/);
      assert.match(notes, /metadata: .*producer=make_safetensors\.py/);
    });
  });

  it('names the rows from <stem>.vocab beside the file, with counts', async () => {
    await withCheckpoint(fixture('safetensors/mixed.safetensors'), (checkpoint) => {
      assert.deepEqual(checkpoint.vocab.tokens.slice(0, 5), truth.vocab.first);
      assert.equal(checkpoint.vocab.tokens.length, truth.vocab.count);
      assert.ok(checkpoint.vocab.counts !== undefined);
    });
  });

  it('reads a torch-written bfloat16 SGNS pair (in_embed / out_embed) exactly', async () => {
    const facts = truth.files['sgns-bf16.safetensors']!;
    await withCheckpoint(fixture('safetensors/sgns-bf16.safetensors'), async (checkpoint) => {
      assert.deepEqual(
        checkpoint.matrices.map((m) => [m.role, m.name, m.dtype]),
        [
          ['input', 'in_embed.weight', 'bfloat16'],
          ['output', 'out_embed.weight', 'bfloat16'],
        ],
      );
      const cols = facts.tensors['in_embed.weight']!.shape[1]!;
      const u = await checkpoint.matrices[0]!.load();
      const v = await checkpoint.matrices[1]!.load();
      assert.deepEqual(rowOf(u, 0, cols), facts.tensors['in_embed.weight']!.rows![0]);
      assert.deepEqual(rowOf(v, 1, cols), facts.tensors['out_embed.weight']!.rows![1]);
      assert.equal(sumOf(u), facts.tensors['in_embed.weight']!.sum);
      assert.equal(checkpoint.vocab.source, 'row numbers');
    });
  });

  it('shows an int8 table in inspect but refuses to load it as unsupported', async () => {
    const path = fixture('safetensors/int8.safetensors');
    await withCheckpoint(path, async (checkpoint) => {
      assert.deepEqual(
        checkpoint.matrices.map((m) => [m.role, m.name, m.dtype]),
        [['input', 'embeddings', 'int8']],
      );
      await assert.rejects(checkpoint.matrices[0]!.load(), (error: CheckpointError) => {
        assert.equal(error.code, 'unsupported');
        assert.equal(
          error.message,
          `${path}: tensor embeddings is I8 [60, 8], expected F32, F16, BF16 or F64 (quantised tables are not converted)`,
        );
        return true;
      });
    });
  });

  it('refuses an fp8 embedding table as unsupported instead of showing some other matrix', async () => {
    const path = fixture('safetensors/fp8.safetensors');
    assert.equal(truth.files['fp8.safetensors']!.tensors['model.embed_tokens.weight']!.dtype, 'float8_e4m3fn');
    await assert.rejects(openCheckpoint(path, overlayFiles('/none', new Uint8Array(0))), (error: CheckpointError) => {
      assert.equal(error.code, 'unsupported');
      assert.match(error.message, /tensor model\.embed_tokens\.weight is F8_E4M3 \[60, 8\]/);
      assert.ok(error.message.startsWith(path));
      return true;
    });
  });

  it('inspects a 1 GiB file from its header alone, in well under half a second', async () => {
    const rows = 262144;
    const cols = 1024;
    const header = { 'model.embed_tokens.weight': { dtype: 'F32', shape: [rows, cols], data_offsets: [0, rows * cols * 4] } };
    const head = safetensorsBytes(header, new Uint8Array(0));
    const path = '/virtual/huge.safetensors';
    const { files, bytesRead } = sparseFile(path, head, head.byteLength + rows * cols * 4);
    const started = performance.now();
    await withCheckpoint(
      path,
      (checkpoint) => {
        assert.deepEqual([checkpoint.matrices[0]!.rows, checkpoint.matrices[0]!.cols], [rows, cols]);
      },
      files,
    );
    assert.ok(performance.now() - started < 500, 'under half a second');
    assert.ok(bytesRead() <= 65536 + head.byteLength, `read ${bytesRead()} bytes`);
  });
});

describe('damaged safetensors files', () => {
  const path = fixture('safetensors/sgns-bf16.safetensors');
  const original = new Uint8Array(readFileSync(path));
  const headerLength = new DataView(original.buffer, original.byteOffset).getUint32(0, true);
  const header = JSON.parse(new TextDecoder().decode(original.subarray(8, 8 + headerLength))) as Record<string, unknown>;
  const data = original.subarray(8 + headerLength);
  const rejects = (bytes: Uint8Array, code: string, message: RegExp, format?: string) =>
    assert.rejects(openCheckpoint(path, overlayFiles(path, bytes), format ? { format } : {}), (error: CheckpointError) => {
      assert.equal(error.code, code, error.message);
      assert.match(error.message, message);
      assert.ok(error.message.startsWith(path), `names the file: ${error.message}`);
      return true;
    });

  it('rejects a file whose data section is cut short, naming the tensor', () =>
    rejects(
      original.subarray(0, original.length - 100),
      'truncated',
      /tensor out_embed\.weight needs bytes 960\.\.1920 of the data section, file has 1820/,
    ));

  it('rejects a header length beyond the file', () => {
    const bytes = original.slice();
    new DataView(bytes.buffer).setUint32(0, 1_000_000, true);
    return rejects(bytes, 'truncated', /header says 1000000 bytes of JSON, file has \d+ after the length/, 'safetensors');
  });

  it('rejects a header length over 100 MB before reading it', () => {
    const bytes = original.slice();
    new DataView(bytes.buffer).setUint32(4, 1, true); // 2^32 + n bytes
    return rejects(bytes, 'bad-header', /expected at most 100000000/, 'safetensors');
  });

  it('rejects a header that is not JSON', () => {
    const bytes = original.slice();
    bytes[9] = 0x7b; // "{{" …
    return rejects(bytes, 'bad-header', /expected a JSON safetensors header/);
  });

  it('rejects data_offsets that disagree with the shape and dtype', () => {
    const lying = { ...header, 'in_embed.weight': { dtype: 'BF16', shape: [600, 8], data_offsets: [0, 960] } };
    return rejects(
      safetensorsBytes(lying, data),
      'bad-header',
      /tensor in_embed\.weight is \[600, 8\] BF16 = 9600 bytes, data_offsets span 960/,
    );
  });

  it('rejects a shape that claims far more than the file holds, before allocating', () => {
    const lying = { ...header, 'in_embed.weight': { dtype: 'BF16', shape: [600000000, 8], data_offsets: [0, 9600000000] } };
    return rejects(safetensorsBytes(lying, data), 'truncated', /needs bytes 0\.\.9600000000 of the data section, file has 1920/);
  });

  it('rejects offsets that run backwards', () => {
    const lying = { ...header, 'in_embed.weight': { dtype: 'BF16', shape: [60, 8], data_offsets: [960, 0] } };
    return rejects(safetensorsBytes(lying, data), 'bad-header', /data_offsets \[960,0\], expected \[begin, end\] with begin ≤ end/);
  });

  it('rejects a tensor entry without a dtype', () => {
    const lying = { ...header, 'in_embed.weight': { shape: [60, 8], data_offsets: [0, 960] } };
    return rejects(safetensorsBytes(lying, data), 'bad-header', /tensor in_embed\.weight: expected \{dtype, shape, data_offsets\}/);
  });

  it('does not claim a JSON text file (its first bytes are not a header length)', async () => {
    const json = new TextEncoder().encode('{"weight": [1, 2]}\n');
    await assert.rejects(openCheckpoint(path, overlayFiles(path, json)), { code: 'unknown-format' });
  });
});
