import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { encodeLines } from '../../../../src/core/train/corpus';
import { capVocabulary, fillBatch, heldOutStart, makeWindows, shuffledOrder, UNKNOWN_TOKEN } from '../../../../src/core/train/lm-data';
import { seededRandom } from '../../helpers';

describe('language-model data', () => {
  const corpus = encodeLines(['a b a c a b d', 'e a b', 'a f'], { minCount: 1 });

  it('caps the vocabulary by mapping every rarer token to one <unk> row, keeping the sequences whole', () => {
    const capped = capVocabulary(corpus, 3, 1);
    assert.deepEqual(capped.vocab.tokens, ['a', 'b', UNKNOWN_TOKEN]);
    assert.deepEqual(Array.from(capped.vocab.counts), [5, 3, 4]);
    assert.equal(capped.ids.length, corpus.ids.length);
    assert.deepEqual(
      Array.from(capped.ids, (id) => capped.vocab.tokens[id]),
      ['a', 'b', 'a', '<unk>', 'a', 'b', '<unk>', '<unk>', 'a', 'b', 'a', '<unk>'],
    );
    assert.equal(capped.unknownRow, 2);
    assert.equal(capped.unknownTokens, 4);
  });

  it('also makes tokens under minCount <unk>, and reuses a corpus’s own <unk> token', () => {
    assert.deepEqual(capVocabulary(corpus, 100, 2).vocab.tokens, ['a', 'b', UNKNOWN_TOKEN]);
    const own = capVocabulary(encodeLines(['<unk> <unk> <unk> x x y'], { minCount: 1 }), 2, 1);
    assert.deepEqual(own.vocab.tokens, ['<unk>', 'x']);
    assert.equal(own.unknownRow, 0);
    assert.deepEqual(Array.from(own.ids), [0, 0, 0, 1, 1, 0]);
  });

  it('cuts sentences into windows that never cross a sentence end and predict the next token', () => {
    const windows = makeWindows(corpus, 0, 3, 4);
    // Sentence 0 (7 tokens) gives 6 targets in windows of 4 and 2; sentence 1 gives 2; sentence 2 gives 1.
    assert.deepEqual(Array.from(windows.starts), [0, 4, 7, 10]);
    assert.deepEqual(Array.from(windows.lengths), [4, 2, 2, 1]);
    assert.equal(windows.targets, 9);
    const batch = fillBatch(corpus.ids, windows, Int32Array.from([1, 3]), 0, 2, 4);
    assert.deepEqual(Array.from(batch.inputs), [corpus.ids[4], corpus.ids[5], 0, 0, corpus.ids[10], 0, 0, 0]);
    assert.deepEqual(Array.from(batch.targets), [corpus.ids[5], corpus.ids[6], 0, 0, corpus.ids[11], 0, 0, 0]);
    assert.deepEqual(Array.from(batch.weights), [1, 1, 0, 0, 1, 0, 0, 0]);
    assert.equal(batch.count, 3);
  });

  it('holds out the last sentences, at least one on each side', () => {
    assert.equal(heldOutStart(100, 0.05), 95);
    assert.equal(heldOutStart(3, 0.01), 2);
    assert.equal(heldOutStart(2, 0.9), 1);
    assert.throws(() => heldOutStart(1, 0.5), { code: 'empty' });
  });

  it('shuffles into a permutation, the same one for the same seed', () => {
    const a = shuffledOrder(50, seededRandom(3));
    assert.deepEqual(
      Array.from(a).sort((x, y) => x - y),
      Array.from({ length: 50 }, (_, i) => i),
    );
    assert.deepEqual(a, shuffledOrder(50, seededRandom(3)));
    assert.notDeepEqual(a, shuffledOrder(50, seededRandom(4)));
  });
});
