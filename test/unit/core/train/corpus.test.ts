import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { gzipSync } from 'node:zlib';
import { CheckpointError } from '../../../../src/core/errors';
import { encodeLines, MAX_SENTENCE_TOKENS } from '../../../../src/core/train/corpus';
import { readCorpusFiles } from '../../../../src/node/corpus-files';
import { shared } from '../../helpers';

describe('corpus encoding', () => {
  it('orders the vocabulary by count, ties by first appearance, and drops tokens under minCount', () => {
    const corpus = encodeLines(['b a c a', 'd b a c', 'e'], { minCount: 2 });
    assert.deepEqual(corpus.vocab.tokens, ['a', 'b', 'c']);
    assert.deepEqual(Array.from(corpus.vocab.counts), [3, 2, 2]);
    assert.equal(corpus.vocab.index.get('c'), 2);
    assert.equal(corpus.vocab.index.get('d'), undefined);
    assert.deepEqual(Array.from(corpus.ids), [1, 0, 2, 0, 1, 0, 2]);
    assert.deepEqual(Array.from(corpus.sentenceEnds), [4, 7], 'the line with only a dropped token leaves no empty sentence');
    assert.equal(corpus.rawTokens, 9);
  });

  it('keeps only the most frequent maxVocab tokens and can lower-case', () => {
    const corpus = encodeLines(['The the THE cat Cat dog'], { minCount: 1, maxVocab: 2, lowercase: true });
    assert.deepEqual(corpus.vocab.tokens, ['the', 'cat']);
    assert.deepEqual(Array.from(corpus.ids), [0, 0, 0, 1, 1]);
  });

  it('cuts lines longer than MAX_SENTENCE_TOKENS into pieces', () => {
    const corpus = encodeLines([Array.from({ length: MAX_SENTENCE_TOKENS + 5 }, () => 'w').join(' ')], { minCount: 1 });
    assert.deepEqual(Array.from(corpus.sentenceEnds), [MAX_SENTENCE_TOKENS, MAX_SENTENCE_TOKENS + 5]);
  });

  it('counts the shared 1M-token slice exactly as a plain count does', async () => {
    const path = shared('data/corpus/corpus-1m.txt');
    const corpus = await readCorpusFiles([path], { minCount: 5 });
    const counts = new Map<string, number>();
    let raw = 0;
    for (const token of readFileSync(path, 'utf8').split(/\s+/)) {
      if (token === '') continue;
      raw++;
      counts.set(token, (counts.get(token) ?? 0) + 1);
    }
    assert.equal(corpus.rawTokens, raw);
    const kept = [...counts].filter(([, count]) => count >= 5);
    assert.equal(corpus.vocab.tokens.length, kept.length);
    for (const [row, token] of corpus.vocab.tokens.entries()) assert.equal(corpus.vocab.counts[row], counts.get(token));
    for (let row = 1; row < corpus.vocab.tokens.length; row++)
      assert.ok((corpus.vocab.counts[row - 1] ?? 0) >= (corpus.vocab.counts[row] ?? 0));
    assert.equal(
      corpus.ids.length,
      kept.reduce((sum, [, count]) => sum + count, 0),
    );
  });
});

describe('corpus files', () => {
  const folder = mkdtempSync(join(tmpdir(), 'lens-corpus-'));

  it('reads several files, gzip included, as one corpus with progress up to 1', async () => {
    writeFileSync(join(folder, 'a.txt'), 'x y\nx z');
    writeFileSync(join(folder, 'b.txt.gz'), gzipSync('y x\n'));
    const seen: number[] = [];
    const corpus = await readCorpusFiles(
      [join(folder, 'a.txt'), join(folder, 'b.txt.gz')],
      { minCount: 1 },
      { onProgress: (f) => seen.push(f) },
    );
    assert.deepEqual(corpus.vocab.tokens, ['x', 'y', 'z']);
    assert.deepEqual(Array.from(corpus.sentenceEnds), [2, 4, 6]);
    assert.ok(seen.length > 0 && seen.every((f) => f >= 0 && f <= 1));
  });

  it('names the file and what it expected when the corpus is missing, empty or not gzip', async () => {
    const missing = join(folder, 'missing.txt');
    await assert.rejects(
      readCorpusFiles([missing], { minCount: 1 }),
      (e: unknown) => e instanceof CheckpointError && e.message.includes(missing),
    );
    writeFileSync(join(folder, 'empty.txt'), '\n \n');
    await assert.rejects(readCorpusFiles([join(folder, 'empty.txt')], { minCount: 1 }), /expected text to train on, found no tokens/);
    await assert.rejects(readCorpusFiles([join(folder, 'a.txt')], { minCount: 9 }), /expected tokens seen at least 9 times/);
    writeFileSync(join(folder, 'fake.gz'), 'not gzip at all');
    await assert.rejects(readCorpusFiles([join(folder, 'fake.gz')], { minCount: 1 }), /fake\.gz: expected gzip-compressed text/);
  });

  it('stops with a cancelled error when the signal fires', async () => {
    const controller = new AbortController();
    controller.abort();
    await assert.rejects(readCorpusFiles([join(folder, 'a.txt')], { minCount: 1 }, { signal: controller.signal }), /cancelled/);
  });
});
