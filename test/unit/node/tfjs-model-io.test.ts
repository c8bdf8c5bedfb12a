import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { trainClassifier } from '../../../src/core/train/classifier';
import { parseLabelledLines } from '../../../src/core/train/classifier-corpus';
import { trainLanguageModel, type LanguageModelResult } from '../../../src/core/train/lm';
import { TiedOutput } from '../../../src/core/train/tied-output';
import { selectBackend } from '../../../src/node/tfjs-backend';
import { loadLayersModel, saveLayersModel } from '../../../src/node/tfjs-model-io';
import { withCheckpoint } from '../helpers';
import { toyCorpus } from '../core/train/toy-corpus';

interface ManifestEntry {
  name: string;
  shape: number[];
  dtype: string;
}

const root = mkdtempSync(join(tmpdir(), 'lens-tfjs-io-'));
const manifest = (folder: string): ManifestEntry[] =>
  (
    JSON.parse(readFileSync(join(folder, 'model.json'), 'utf8')) as { weightsManifest: { weights: ManifestEntry[] }[] }
  ).weightsManifest.flatMap((group) => group.weights);
const predict = (model: tf.LayersModel): Float32Array =>
  tf.tidy(
    () =>
      (
        model.predict(
          tf.tensor2d(
            [
              [1, 4, 2, 7, 3],
              [5, 5, 0, 1, 9],
            ],
            [2, 5],
            'int32',
          ),
        ) as tf.Tensor
      ).dataSync() as Float32Array,
  );

describe('saving and loading TF.js language models in tfjs-node’s layout', () => {
  const trained: Record<'tied' | 'untied', LanguageModelResult | undefined> = { tied: undefined, untied: undefined };
  const options = { dim: 8, hidden: 10, sequenceLength: 6, batchSize: 16, epochs: 1, seed: 5 };

  before(async () => {
    await selectBackend('wasm');
    const corpus = toyCorpus(200, 9);
    trained.untied = await trainLanguageModel(corpus, options);
    trained.tied = await trainLanguageModel(corpus, { ...options, tied: true });
    for (const kind of ['tied', 'untied'] as const) {
      const folder = join(root, kind);
      await saveLayersModel((trained[kind] as LanguageModelResult).model, folder);
      writeFileSync(join(folder, 'vocab.txt'), `${(trained[kind] as LanguageModelResult).vocab.tokens.join('\n')}\n`);
    }
  });
  after(() => {
    trained.tied?.model.dispose();
    trained.untied?.model.dispose();
  });

  it('stores a tied model’s embedding once, as its only matrix, and no output kernel', () => {
    const weights = manifest(join(root, 'tied'));
    const matrices = weights.filter((w) => w.shape.length === 2 && w.shape.includes(trained.tied!.vocab.tokens.length));
    assert.deepEqual(matrices, [{ name: 'token_embedding/embeddings', shape: [trained.tied!.vocab.tokens.length, 8], dtype: 'float32' }]);
    assert.ok(!weights.some((w) => w.name.startsWith('lm_head') || w.name.startsWith('tied_output')));
    const bytes = weights.reduce((sum, w) => sum + 4 * w.shape.reduce((a, b) => a * b, 1), 0);
    assert.equal(statSync(join(root, 'tied', 'weights.bin')).size, bytes, 'weights.bin holds exactly the manifest’s weights');
  });

  it('reloads a tied model still tied: one variable read by both layers, and identical predictions', async () => {
    const loaded = await loadLayersModel(join(root, 'tied'));
    try {
      const embedding = loaded.getLayer('token_embedding').weights[0];
      const tiedLayer = loaded.getLayer('tied_output');
      assert.ok(tiedLayer instanceof TiedOutput);
      assert.equal(tiedLayer.tiedWeight(), embedding, 'the TiedOutput reads the Embedding’s own LayerVariable');
      assert.equal(loaded.weights.filter((w) => w.shape.length === 2 && w.shape[0] === trained.tied!.vocab.tokens.length).length, 1);
      assert.deepEqual(predict(loaded), predict(trained.tied!.model));
      // Changing the embedding changes the output layer too: they are one matrix.
      const before = predict(loaded);
      embedding!.write(tf.tidy(() => tf.mul(embedding!.read(), 2)));
      assert.notDeepEqual(predict(loaded), before);
    } finally {
      loaded.dispose();
    }
  });

  it('reloads an untied model with identical predictions and its own output kernel', async () => {
    const loaded = await loadLayersModel(join(root, 'untied', 'model.json'));
    try {
      assert.deepEqual(predict(loaded), predict(trained.untied!.model));
      assert.deepEqual(
        manifest(join(root, 'untied')).map((w) => w.name),
        loaded.weights.map((w) => w.originalName),
      );
      assert.ok(manifest(join(root, 'untied')).some((w) => w.name === 'lm_head/kernel'));
    } finally {
      loaded.dispose();
    }
  });

  it('opens in our checkpoint reader with U and V found (untied) and the tie recognised (tied)', async () => {
    await withCheckpoint(join(root, 'untied'), async (checkpoint) => {
      const input = checkpoint.matrices.find((m) => m.role === 'input');
      const output = checkpoint.matrices.find((m) => m.role === 'output');
      assert.equal(checkpoint.tied, false);
      assert.deepEqual([input?.name, output?.name, output?.transposed], ['token_embedding/embeddings', 'lm_head/kernel', true]);
      assert.deepEqual(await input!.load(), trained.untied!.input.data);
      assert.deepEqual(await output!.load(), trained.untied!.output!.data, 'the reader’s V equals the trainer’s V (kernel transposed)');
      assert.deepEqual(checkpoint.vocab.tokens, trained.untied!.vocab.tokens);
    });
    await withCheckpoint(join(root, 'tied'), async (checkpoint) => {
      assert.equal(checkpoint.tied, true);
      assert.match(checkpoint.provenance.notes.join('\n'), /tied: layer tied_output \(TiedOutput\) names embedding token_embedding/);
      const output = checkpoint.matrices.find((m) => m.role === 'output');
      assert.deepEqual(await output!.load(), trained.tied!.input.data, 'V is U');
    });
  });

  it('writes a new folder whole (no temporary left beside it) and replaces the files of an existing one', async () => {
    assert.deepEqual(readdirSync(root).sort(), ['tied', 'untied']);
    const existing = join(root, 'existing');
    mkdirSync(existing);
    writeFileSync(join(existing, 'U.npy'), 'other output');
    await saveLayersModel(trained.untied!.model, existing);
    assert.deepEqual(readdirSync(existing).sort(), ['U.npy', 'model.json', 'weights.bin']);
    assert.deepEqual(readFileSync(join(existing, 'weights.bin')), readFileSync(join(root, 'untied', 'weights.bin')));
  });

  it('saves and reloads the classifier too, whose checkpoint has U and no V', async () => {
    const lines = Array.from({ length: 60 }, (_, i) => `${i % 2 ? 'verb' : 'noun'}\t${i % 2 ? 'to' : 'a'} word${i % 7} word${i % 5}`);
    const labelled = parseLabelledLines(lines, 'inline', { maxVocab: 100, minCount: 1, maxDocumentTokens: 8 });
    const result = await trainClassifier(labelled, { dim: 6, epochs: 1 });
    const folder = join(root, 'classifier');
    await saveLayersModel(result.model, folder);
    const loaded = await loadLayersModel(folder);
    try {
      assert.deepEqual(predict(loaded), predict(result.model));
    } finally {
      loaded.dispose();
      result.model.dispose();
    }
    await withCheckpoint(folder, async (checkpoint) => {
      assert.deepEqual(
        checkpoint.matrices.map((m) => [m.role, m.name, m.rows, m.cols]),
        [['input', 'token_embedding/embeddings', labelled.vocab.tokens.length, 6]],
      );
      assert.deepEqual(await checkpoint.matrices[0]!.load(), result.input.data);
    });
  });

  it('says which file is missing or broken', async () => {
    await assert.rejects(loadLayersModel(join(root, 'nowhere')), { code: 'not-found' });
    const broken = join(root, 'broken');
    mkdirSync(broken);
    writeFileSync(join(broken, 'model.json'), '{"modelTopology": ');
    await assert.rejects(loadLayersModel(broken), { code: 'bad-header' });
    writeFileSync(join(broken, 'model.json'), readFileSync(join(root, 'untied', 'model.json')));
    await assert.rejects(loadLayersModel(broken), (error: Error) => /weights\.bin/.test(error.message));
    assert.ok(!existsSync(join(broken, 'weights.bin')));
  });
});
