import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { before, describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { trainClassifier } from '../../../../src/core/train/classifier';
import { parseLabelledLines, type LabelledEncodeOptions } from '../../../../src/core/train/classifier-corpus';
import { neighbourLabelAgreement, wordLabels } from '../../../../src/core/train/classifier-probe';
import { selectBackend } from '../../../../src/node/tfjs-backend';
import { fixture, seededRandom } from '../../helpers';

const encode: LabelledEncodeOptions = { maxVocab: 1000, minCount: 1, maxDocumentTokens: 6 };

/**
 * Synthetic glosses: each label has its own opening words (as dictionary glosses of nouns, verbs, adjectives and
 * adverbs do), and each content word leans to one label (4 in 5 of its uses).
 */
function syntheticGlosses(documents: number, seed: number): string[] {
  const random = seededRandom(seed);
  const openings = [
    ['a', 'the', 'an'],
    ['to', 'cause', 'make'],
    ['having', 'being', 'relating'],
    ['in', 'manner', 'way'],
  ];
  const labels = ['noun', 'verb', 'adjective', 'adverb'];
  const content = Array.from({ length: 40 }, (_, i) => `w${i}`);
  return Array.from({ length: documents }, () => {
    const label = Math.floor(random() * 4);
    const own = content.filter((_, i) => i % 4 === label);
    const words = [openings[label]![Math.floor(random() * 3)]!];
    for (let i = 0; i < 4; i++) {
      const pool = random() < 0.8 ? own : content;
      words.push(pool[Math.floor(random() * pool.length)]!);
    }
    return `${labels[label]}\t${words.join(' ')}`;
  });
}

describe('the labelled-corpus format (label<TAB>text)', () => {
  const lines = readFileSync(fixture('labelled/glosses.tsv'), 'utf8').split('\n');

  it('reads labels in order of first appearance, skipping comments, blank lines and documents without tokens', () => {
    const corpus = parseLabelledLines(lines, 'glosses.tsv', encode);
    assert.deepEqual(corpus.labels, ['noun', 'verb', 'adjective', 'adverb']);
    assert.equal(corpus.documentEnds.length, 16, '17 document lines, one of them only spaces');
    assert.deepEqual(Array.from(corpus.documentLabels.slice(0, 5)), [0, 0, 0, 0, 1]);
    const first = Array.from(corpus.ids.subarray(0, corpus.documentEnds[0]), (id) => corpus.vocab.tokens[id]);
    assert.deepEqual(first, ['a', 'domestic', 'animal', 'that', 'barks', 'and'], 'cut to maxDocumentTokens');
    assert.equal(corpus.vocab.tokens.at(-1), '<unk>');
  });

  it('names the line of a malformed document', () => {
    assert.throws(() => parseLabelledLines(['noun\ta cat', 'a dog without a label'], 'x.tsv', encode), {
      code: 'bad-header',
      message: 'x.tsv:2: expected "label<TAB>text", found no tab',
    });
    assert.throws(() => parseLabelledLines([' \ta cat'], 'x.tsv', encode), { message: /x\.tsv:1: expected a label/ });
    assert.throws(() => parseLabelledLines(['# nothing'], 'x.tsv', encode), { code: 'empty' });
  });
});

describe('trainClassifier', () => {
  before(() => selectBackend('wasm'));
  const corpus = parseLabelledLines(syntheticGlosses(800, 4), 'synthetic', encode);

  it('predicts held-out labels far better than the majority label, and returns U and the label head', async () => {
    const start = tf.memory().numTensors;
    const result = await trainClassifier(corpus, { dim: 16, epochs: 4, batchSize: 32, learningRate: 0.02, seed: 2 });
    const { heldOutAccuracy, majorityBaseline } = result.metrics as Record<string, number>;
    assert.ok(heldOutAccuracy! > 0.9, `held-out accuracy ${heldOutAccuracy}`);
    assert.ok(majorityBaseline! < 0.35, `majority baseline ${majorityBaseline}`);
    assert.ok(result.lossPerEpoch.at(-1)! < result.lossPerEpoch[0]!);
    assert.deepEqual([result.input.rows, result.input.cols, result.output], [corpus.vocab.tokens.length, 16, null]);
    assert.deepEqual(
      result.extras.map((m) => [m.name, m.rows, m.cols]),
      [
        ['label_vectors', 4, 16],
        ['label_bias', 4, 1],
      ],
    );
    assert.deepEqual(result.labels, corpus.labels);
    result.model.dispose();
    assert.equal(tf.memory().numTensors, start);
  });

  it('learns an embedding whose neighbours share a label far more often than chance (random vectors do not)', async () => {
    const result = await trainClassifier(corpus, { dim: 16, epochs: 4, batchSize: 32, learningRate: 0.02, seed: 2 });
    const labels = wordLabels(corpus, 5, corpus.vocab.index.get('<unk>'));
    const trained = neighbourLabelAgreement(result.input.data, 16, labels, 5);
    const random = seededRandom(1);
    const baseline = neighbourLabelAgreement(
      Float32Array.from(result.input.data, () => random() - 0.5),
      16,
      labels,
      5,
    );
    assert.ok(trained.words >= 40);
    assert.ok(trained.agreement > trained.chance + 0.4, `agreement ${trained.agreement} vs chance ${trained.chance}`);
    assert.ok(baseline.agreement < trained.chance + 0.15, `random vectors: ${baseline.agreement} vs chance ${baseline.chance}`);
    result.model.dispose();
  });

  it('stops on cancel, before it starts or between steps, leaving no tensor behind', async () => {
    const controller = new AbortController();
    controller.abort();
    await assert.rejects(trainClassifier(corpus, {}, { signal: controller.signal }), { code: 'cancelled' });
    const start = tf.memory().numTensors;
    const later = new AbortController();
    const run = trainClassifier(corpus, { dim: 16, epochs: 50, batchSize: 8 }, { signal: later.signal });
    setTimeout(() => later.abort(), 100);
    await assert.rejects(run, { code: 'cancelled' });
    assert.equal(tf.memory().numTensors, start);
  });
});
