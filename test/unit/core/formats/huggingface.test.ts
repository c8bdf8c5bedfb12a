import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import type { Checkpoint } from '../../../../src/core/checkpoint';
import type { CheckpointError } from '../../../../src/core/errors';
import type { FileAccess } from '../../../../src/core/io/files';
import { openCheckpoint } from '../../../../src/core/open';
import { expected, fixture, withCheckpoint } from '../../helpers';
import { countingFiles, patchedFiles } from './tensor-test-support';

interface TensorFacts {
  file: string;
  shape: number[];
  rows: number[][];
  lastRow: number[];
  sum: number;
}
interface ModelFacts {
  config: { tie_word_embeddings: boolean; vocab_size: number };
  tiedInMemory: boolean;
  tensorNames: string[];
  tensors: Record<string, TensorFacts>;
  tokens: string[];
  shards?: string[];
}
type HfExpected = Record<'gpt2-tied' | 'llama-untied' | 'llama-sharded' | 'bert-vocab-txt', ModelFacts>;

const truth = expected<HfExpected>('huggingface/expected.json');
const folder = (name: keyof HfExpected): string => fixture(`huggingface/${name}`);
const asFloat32 = (values: number[]): number[] => Array.from(Float32Array.from(values));
const rowOf = (data: Float32Array, i: number, cols: number): number[] => Array.from(data.subarray(i * cols, (i + 1) * cols));
const roles = (checkpoint: Checkpoint) => checkpoint.matrices.map((m) => [m.role, m.name, m.rows, m.cols]);

/** Checks a loaded matrix against the rows safetensors read back from the saved file. */
function assertRows(data: Float32Array, facts: TensorFacts): void {
  const [rows, cols] = facts.shape as [number, number];
  assert.equal(data.length, rows * cols);
  assert.deepEqual(rowOf(data, 0, cols), asFloat32(facts.rows[0]!));
  assert.deepEqual(rowOf(data, 1, cols), asFloat32(facts.rows[1]!));
  assert.deepEqual(rowOf(data, rows - 1, cols), asFloat32(facts.lastRow));
}

describe('Hugging Face model folders written by transformers save_pretrained', () => {
  it('opens a tied GPT-2 folder: lm_head is absent from the file, so V is wte, as transformers ties it', async () => {
    const facts = truth['gpt2-tied'];
    assert.equal(facts.tiedInMemory, true, 'transformers shares the storage');
    assert.ok(!facts.tensorNames.includes('lm_head.weight'), 'save_pretrained left lm_head out');
    await withCheckpoint(folder('gpt2-tied'), async (checkpoint) => {
      assert.equal(checkpoint.format, 'safetensors');
      assert.equal(checkpoint.tied, true);
      assert.deepEqual(roles(checkpoint), [
        ['input', 'transformer.wte.weight', 320, 8],
        ['output', 'transformer.wte.weight (tied output)', 320, 8],
        ['other', 'transformer.wpe.weight', 32, 8],
      ]);
      const u = await checkpoint.matrices[0]!.load();
      assertRows(u, facts.tensors['transformer.wte.weight']!);
      assert.deepEqual(await checkpoint.matrices[1]!.load(), u);
      assert.deepEqual(checkpoint.vocab.tokens, facts.tokens, 'the tokenizer.json vocabulary in id order');
      assert.ok(checkpoint.provenance.files.some((file) => file.endsWith('gpt2-tied/config.json')));
      assert.match(checkpoint.provenance.notes.join('\n'), /tie_word_embeddings = true/);
    });
  });

  it('opens an untied Llama folder: embed_tokens is U, lm_head is V, and they differ', async () => {
    const facts = truth['llama-untied'];
    assert.equal(facts.tiedInMemory, false);
    await withCheckpoint(folder('llama-untied'), async (checkpoint) => {
      assert.equal(checkpoint.tied, false);
      assert.deepEqual(roles(checkpoint), [
        ['input', 'model.embed_tokens.weight', 416, 8],
        ['output', 'lm_head.weight', 416, 8],
      ]);
      assertRows(await checkpoint.matrices[0]!.load(), facts.tensors['model.embed_tokens.weight']!);
      assertRows(await checkpoint.matrices[1]!.load(), facts.tensors['lm_head.weight']!);
    });
  });

  it("fits the tokenizer's 400 tokens to the model's 416 padded rows and says so", async () => {
    const facts = truth['llama-untied'];
    await withCheckpoint(folder('llama-untied'), (checkpoint) => {
      assert.equal(facts.config.vocab_size, 416);
      assert.deepEqual(checkpoint.vocab.tokens.slice(0, 400), facts.tokens);
      assert.equal(checkpoint.vocab.tokens[400], '<row 400>');
      assert.match(checkpoint.provenance.notes.join('\n'), /lists 400 tokens for 416 matrix rows/);
    });
  });

  it('opens a BERT masked-LM folder with its vocab.txt, the tied decoder absent, positions as another table', async () => {
    const facts = truth['bert-vocab-txt'];
    assert.equal(facts.tiedInMemory, true);
    await withCheckpoint(folder('bert-vocab-txt'), async (checkpoint) => {
      assert.equal(checkpoint.tied, true);
      assert.deepEqual(
        checkpoint.matrices.map((m) => [m.role, m.name]),
        [
          ['input', 'bert.embeddings.word_embeddings.weight'],
          ['output', 'bert.embeddings.word_embeddings.weight (tied output)'],
          ['other', 'bert.embeddings.position_embeddings.weight'],
          ['other', 'bert.embeddings.token_type_embeddings.weight'],
        ],
      );
      assert.ok(checkpoint.vocab.source.endsWith('bert-vocab-txt/vocab.txt'));
      assert.deepEqual(checkpoint.vocab.tokens, facts.tokens);
      assertRows(await checkpoint.matrices[2]!.load(), facts.tensors['bert.embeddings.position_embeddings.weight']!);
    });
  });
});

describe('sharded safetensors (model.safetensors.index.json)', () => {
  const facts = truth['llama-sharded'];
  const index = `${folder('llama-sharded')}/model.safetensors.index.json`;

  it('opens the folder through its index and reads only the shards holding embed_tokens and lm_head', async () => {
    const counting = countingFiles();
    const needed = new Set([facts.tensors['model.embed_tokens.weight']!.file, facts.tensors['lm_head.weight']!.file]);
    assert.equal(facts.shards!.length, 3);
    assert.equal(needed.size, 2, 'transformers put the two tables in different shards');
    await withCheckpoint(
      folder('llama-sharded'),
      async (checkpoint) => {
        assert.equal(checkpoint.format, 'safetensors-sharded');
        assert.equal(checkpoint.path, index);
        assert.equal(checkpoint.tied, false);
        assert.deepEqual(roles(checkpoint), [
          ['input', 'model.embed_tokens.weight', 416, 8],
          ['output', 'lm_head.weight', 416, 8],
        ]);
        assertRows(await checkpoint.matrices[0]!.load(), facts.tensors['model.embed_tokens.weight']!);
        assertRows(await checkpoint.matrices[1]!.load(), facts.tensors['lm_head.weight']!);
      },
      counting.files,
    );
    const shardsOpened = counting.opened.filter((path) => path.endsWith('.safetensors')).map((path) => path.split('/').pop());
    assert.deepEqual(new Set(shardsOpened), needed);
    assert.equal(counting.stillOpen(), 0, 'close() closes the index and every shard');
  });

  it('gives the same matrices as the unsharded save of the same model', async () => {
    const whole = truth['llama-untied'].tensors;
    assert.deepEqual(facts.tensors['lm_head.weight']!.rows, whole['lm_head.weight']!.rows);
  });

  const indexJson = JSON.parse(readFileSync(index, 'utf8')) as { weight_map: Record<string, string> };
  const withIndex = (weightMap: Record<string, string>, extra: Record<string, string> = {}): FileAccess =>
    patchedFiles({ [index]: JSON.stringify({ ...indexJson, weight_map: weightMap }), ...extra });
  const rejects = (files: FileAccess, code: string, message: RegExp, format?: string) =>
    assert.rejects(openCheckpoint(index, files, format ? { format } : {}), (error: CheckpointError) => {
      assert.equal(error.code, code, error.message);
      assert.match(error.message, message);
      assert.ok(error.message.startsWith(index), `names the index: ${error.message}`);
      return true;
    });

  it('refuses a shard name that climbs out of the model folder', () =>
    rejects(
      withIndex({ ...indexJson.weight_map, 'model.embed_tokens.weight': '../../safetensors/mixed.safetensors' }),
      'unsafe',
      /shard "\.\.\/\.\.\/safetensors\/mixed\.safetensors" points outside the model folder/,
    ));

  it('refuses an absolute shard path', () =>
    rejects(
      withIndex({ ...indexJson.weight_map, 'lm_head.weight': '/etc/passwd.safetensors' }),
      'unsafe',
      /points outside the model folder/,
    ));

  it('reports a missing shard by name', () => {
    const shard = facts.tensors['lm_head.weight']!.file;
    return rejects(
      patchedFiles({}, [`${folder('llama-sharded')}/${shard}`]),
      'not-found',
      new RegExp(`weight_map names shard ${shard}, which is missing`),
    );
  });

  it('reports an index that puts a tensor in a shard that does not hold it', () => {
    const wrong = facts.tensors['model.embed_tokens.weight']!.file === facts.shards![2] ? facts.shards![1]! : facts.shards![2]!;
    return rejects(
      withIndex({ ...indexJson.weight_map, 'model.embed_tokens.weight': wrong }),
      'bad-header',
      new RegExp(`weight_map puts model\\.embed_tokens\\.weight in ${wrong}, which has no such tensor`),
    );
  });

  it('rejects an index without a weight_map when told it is one', () =>
    rejects(
      patchedFiles({ [index]: '{"metadata": {}}' }),
      'bad-header',
      /expected \{"weight_map": \{tensor: shard\}\}, found no weight_map/,
      'safetensors-sharded',
    ));

  it('rejects an index that is not valid JSON', () =>
    rejects(patchedFiles({ [index]: '{"weight_map": {"a": "model-00001-of-00003.safetensors"' }), 'bad-header', /as JSON/));

  it('explains that a lone shard without the tables is one shard of a model', async () => {
    const shard = `${folder('llama-sharded')}/${facts.shards!.find((name) => !Object.values(facts.tensors).some((t) => t.file === name))}`;
    await assert.rejects(openCheckpoint(shard, patchedFiles({})), (error: CheckpointError) => {
      assert.equal(error.code, 'no-embedding');
      assert.match(
        error.message,
        /expected an embedding of vocab_size = 416 rows, .*this is one shard: open model\.safetensors\.index\.json/,
      );
      return true;
    });
  });
});

describe('how config.json decides tying (the transformers rule)', () => {
  const gpt2Config = `${folder('gpt2-tied')}/config.json`;
  const config = JSON.parse(readFileSync(gpt2Config, 'utf8')) as Record<string, unknown>;
  const openWith = (files: FileAccess) => openCheckpoint(folder('gpt2-tied'), files);
  const without = (key: string): Record<string, unknown> => Object.fromEntries(Object.entries(config).filter(([name]) => name !== key));

  it('treats a config without tie_word_embeddings as tied, as transformers 4.x wrote tied models', async () => {
    const checkpoint = await openWith(patchedFiles({ [gpt2Config]: JSON.stringify(without('tie_word_embeddings')) }));
    try {
      assert.equal(checkpoint.tied, true);
      assert.equal(checkpoint.matrices[1]?.role, 'output');
      assert.match(checkpoint.provenance.notes.join('\n'), /no tie_word_embeddings, so true/);
    } finally {
      await checkpoint.close();
    }
  });

  it('has no output matrix when the config says untied and the file has no lm_head', async () => {
    const checkpoint = await openWith(patchedFiles({ [gpt2Config]: JSON.stringify({ ...config, tie_word_embeddings: false }) }));
    try {
      assert.equal(checkpoint.tied, false);
      assert.deepEqual(
        checkpoint.matrices.map((m) => m.role),
        ['input', 'other'],
      );
    } finally {
      await checkpoint.close();
    }
  });

  it('ties nothing for a headless architecture (GPT2Model has no LM head), whatever the flag says', async () => {
    const checkpoint = await openWith(patchedFiles({ [gpt2Config]: JSON.stringify({ ...config, architectures: ['GPT2Model'] }) }));
    try {
      assert.equal(checkpoint.tied, false);
      assert.ok(!checkpoint.matrices.some((m) => m.role === 'output'));
      assert.match(checkpoint.provenance.notes.join('\n'), /GPT2Model has no language-model head/);
    } finally {
      await checkpoint.close();
    }
  });

  it('ignores a config.json that is not a transformers config', async () => {
    const checkpoint = await openWith(patchedFiles({ [gpt2Config]: '{"learning_rate": 0.1}' }));
    try {
      assert.equal(checkpoint.tied, false);
      assert.match(checkpoint.provenance.notes.join('\n'), /is not a Hugging Face config/);
    } finally {
      await checkpoint.close();
    }
  });

  it('without any config.json, claims no tie', async () => {
    const checkpoint = await openWith(patchedFiles({}, [gpt2Config]));
    try {
      assert.equal(checkpoint.tied, false);
      assert.ok(!checkpoint.provenance.files.some((file) => file.endsWith('config.json')));
    } finally {
      await checkpoint.close();
    }
  });

  it('rejects a config.json that is not JSON, naming it', async () => {
    await assert.rejects(openWith(patchedFiles({ [gpt2Config]: '{"tie_word_embeddings": tru' })), (error: CheckpointError) => {
      assert.equal(error.code, 'bad-header');
      assert.ok(error.message.startsWith(gpt2Config), error.message);
      return true;
    });
  });
});
