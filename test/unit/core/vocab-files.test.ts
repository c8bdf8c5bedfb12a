import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fitVocabulary, parseJsonVocabulary, parseMetadataTsv, parseVocabLines } from '../../../src/core/vocab-files';

describe('vocabulary side files', () => {
  it('takes counts from "word count" lines (GloVe vocab_count, word2vec -save-vocab)', () => {
    const vocab = parseVocabLines('the 1061396\nof 593677\n', 'vocab.txt');
    assert.deepEqual(vocab.tokens, ['the', 'of']);
    assert.deepEqual(vocab.counts, [1061396, 593677]);
  });

  it('keeps a token that ends in a number whole when not every line has a count', () => {
    const vocab = parseVocabLines('[PAD]\n[unused 1]\nhello\n', 'vocab.txt');
    assert.deepEqual(vocab.tokens, ['[PAD]', '[unused 1]', 'hello']);
    assert.equal(vocab.counts, undefined);
  });

  it('reads single-column projector metadata without a header, and multi-column with one', () => {
    assert.deepEqual(parseMetadataTsv('a\nb\n', 'm.tsv').tokens, ['a', 'b']);
    const vocab = parseMetadataTsv('word\tcount\tpos\nrun\t12\tverb\nred\t3\tadj\n', 'm.tsv');
    assert.deepEqual(vocab.tokens, ['run', 'red']);
    assert.deepEqual(vocab.counts, [12, 3]);
  });

  it('orders tokenizer.json entries by id and includes added tokens', () => {
    const json = JSON.stringify({ added_tokens: [{ id: 3, content: '<eos>' }], model: { vocab: { b: 1, a: 0, c: 2 } } });
    assert.deepEqual(parseJsonVocabulary(json, 'tokenizer.json').tokens, ['a', 'b', 'c', '<eos>']);
  });

  it('refuses a token→id map whose ids are wildly sparse rather than allocating for the largest id', () => {
    assert.throws(() => parseJsonVocabulary(JSON.stringify({ a: 0, b: 1e9 }), 'vocab.json'), { code: 'bad-header' });
  });

  it('names padded embedding rows and says so', () => {
    const { vocab, note } = fitVocabulary({ tokens: ['a', 'b'], source: 'vocab.txt' }, 4);
    assert.deepEqual(vocab.tokens, ['a', 'b', '<row 2>', '<row 3>']);
    assert.match(note ?? '', /lists 2 tokens for 4 matrix rows/);
  });
});
