import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { pairEmbeddings, type TensorEntry } from '../../../src/core/pairing';

/** A tensor whose values are its flat index, so transposition is visible. */
function tensor(name: string, shape: [number, number], storageKey?: string): TensorEntry {
  const data = Float32Array.from({ length: shape[0] * shape[1] }, (_, i) => i);
  return { name, shape, dtype: 'float32', ...(storageKey ? { storageKey } : {}), load: () => Promise.resolve(data) };
}

const roles = (tensors: TensorEntry[], hints = {}) => pairEmbeddings(tensors, hints).matrices.map((m) => [m.role, m.name, m.rows, m.cols]);

describe('pairEmbeddings', () => {
  it("takes a Hugging Face model's embed_tokens as U and lm_head as V", () => {
    const result = pairEmbeddings([
      tensor('model.layers.0.mlp.up_proj.weight', [32, 8]),
      tensor('lm_head.weight', [100, 8]),
      tensor('model.embed_tokens.weight', [100, 8]),
    ]);
    assert.deepEqual(
      result.matrices.map((m) => [m.role, m.name]),
      [
        ['input', 'model.embed_tokens.weight'],
        ['output', 'lm_head.weight'],
      ],
    );
    assert.equal(result.tied, false);
  });

  it('makes V an alias of U when the config declares tying and the file has no lm_head', async () => {
    const result = pairEmbeddings([tensor('transformer.wte.weight', [50, 4]), tensor('transformer.wpe.weight', [16, 4])], {
      tiedByConfig: true,
    });
    assert.equal(result.tied, true);
    assert.deepEqual(
      result.matrices.map((m) => m.role),
      ['input', 'output', 'other'],
    );
    assert.deepEqual(await result.matrices[1]!.load(), await result.matrices[0]!.load());
  });

  it('calls a decoder that shares storage with the encoder tied (PyTorch weight tying)', () => {
    const result = pairEmbeddings([
      tensor('encoder.weight', [30, 6], 's0'),
      tensor('decoder.weight', [30, 6], 's0'),
      tensor('decoder.bias', [30, 1]),
    ]);
    assert.equal(result.tied, true);
    assert.match(result.notes.join('\n'), /shares storage/);
  });

  it('reads a Dense kernel of shape [d, V] after an Embedding [V, d] as V transposed', async () => {
    const result = pairEmbeddings([tensor('embedding/embeddings', [5, 3]), tensor('dense/kernel', [3, 5])]);
    const output = result.matrices.find((m) => m.role === 'output');
    assert.ok(output);
    assert.equal(output.transposed, true);
    assert.deepEqual([output.rows, output.cols], [5, 3]);
    // Row r of V is column r of the kernel: kernel[c][r] = c*5 + r.
    assert.deepEqual(Array.from((await output.load()).subarray(0, 3)), [0, 5, 10]);
  });

  it('ignores a Dense kernel whose shape does not match the embedding (a classifier head)', () => {
    assert.deepEqual(roles([tensor('embedding/embeddings', [300, 8]), tensor('dense/kernel', [8, 1])]), [
      ['input', 'embedding/embeddings', 300, 8],
    ]);
  });

  it('pairs two-table SGNS models by name (in_embed / out_embed)', () => {
    assert.deepEqual(roles([tensor('out_embed.weight', [40, 5]), tensor('in_embed.weight', [40, 5])]), [
      ['input', 'in_embed.weight', 40, 5],
      ['output', 'out_embed.weight', 40, 5],
    ]);
  });

  it('falls back to the tensor whose rows equal the vocabulary size when no name is known', () => {
    assert.deepEqual(roles([tensor('w1', [64, 64]), tensor('table', [1000, 16])], { vocabSize: 1000 }), [['input', 'table', 1000, 16]]);
  });

  it('matches names only at a boundary, so "myembeddings" is not "embeddings"', () => {
    const result = pairEmbeddings([tensor('myembeddings', [10, 2]), tensor('wte.weight', [10, 2])]);
    assert.equal(result.matrices[0]!.name, 'wte.weight');
  });
});
