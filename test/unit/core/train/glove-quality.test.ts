import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { before, describe, it } from 'node:test';
import { trainGlove } from '../../../../src/core/train/glove';
import type { TrainedEmbeddings } from '../../../../src/core/train/train-types';
import { readCorpusFiles } from '../../../../src/node/corpus-files';
import { shared } from '../../helpers';

/** Rows of W + W̃ scaled to unit length. */
function unitRows(data: Float32Array, rows: number, cols: number): Float32Array {
  const unit = new Float32Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    let norm = 0;
    for (let c = 0; c < cols; c++) norm += (data[r * cols + c] as number) ** 2;
    norm = Math.sqrt(norm) || 1;
    for (let c = 0; c < cols; c++) unit[r * cols + c] = (data[r * cols + c] as number) / norm;
  }
  return unit;
}

const mean = (values: number[]): number => values.reduce((sum, value) => sum + value, 0) / values.length;

describe('GloVe on the shared 1M-token slice (dim 32, window 5, 5 epochs)', () => {
  let trained: TrainedEmbeddings;
  let cosine: (a: string, b: string | number) => number;
  let row: (word: string) => number;

  before(async () => {
    const corpus = await readCorpusFiles([shared('data/corpus/corpus-1m.txt')], { minCount: 5 });
    trained = await trainGlove(corpus, { dim: 32, window: 5, epochs: 5, seed: 1 });
    const sum = trained.extras.find((m) => m.name === 'U_plus_V');
    assert.ok(sum);
    const unit = unitRows(sum.data, sum.rows, sum.cols);
    row = (word) => {
      const found = corpus.vocab.index.get(word);
      assert.ok(found !== undefined, `${word} is in the vocabulary`);
      return found;
    };
    cosine = (a, b) => {
      const i = row(a) * sum.cols;
      const j = (typeof b === 'number' ? b : row(b)) * sum.cols;
      let dot = 0;
      for (let c = 0; c < sum.cols; c++) dot += (unit[i + c] as number) * (unit[j + c] as number);
      return dot;
    };
  });

  it('lowers the weighted squared error every epoch', () => {
    const losses = trained.lossPerEpoch;
    assert.ok(
      losses.every((loss, e) => e === 0 || loss < (losses[e - 1] as number)),
      `${losses}`,
    );
  });

  it('puts WordSim-353 pairs people call similar closer together than pairs they call unrelated', () => {
    const pairs = readFileSync(shared('data/eval/wordsim353.tsv'), 'utf8')
      .split('\n')
      .filter((line) => line !== '' && !line.startsWith('#'))
      .map((line) => line.split('\t'))
      .map(([a = '', b = '', score = '']) => ({ a: a.toLowerCase(), b: b.toLowerCase(), score: Number(score) }))
      .filter(({ a, b }) => a !== b && trained.vocab.index.has(a) && trained.vocab.index.has(b));
    const similar = pairs.filter((p) => p.score >= 7).map((p) => cosine(p.a, p.b));
    const unrelated = pairs.filter((p) => p.score <= 3).map((p) => cosine(p.a, p.b));
    assert.ok(similar.length > 50 && unrelated.length > 15);
    assert.ok(mean(similar) > mean(unrelated) + 0.1, `similar ${mean(similar)}, unrelated ${mean(unrelated)}`);
  });

  it('groups number words together', () => {
    const numbers = ['two', 'three', 'four', 'five', 'six', 'seven'];
    const within = numbers.flatMap((a, i) => numbers.slice(i + 1).map((b) => cosine(a, b)));
    // Rows 50–249: frequent words of every kind.
    const others = numbers.flatMap((a) => Array.from({ length: 200 }, (_, k) => cosine(a, 50 + k)));
    // GloVe's vectors share a common direction, so every cosine is high: the margin is small but steady (0.06–0.09).
    assert.ok(mean(within) > mean(others) + 0.03, `within ${mean(within)}, to others ${mean(others)}`);
    const three = Array.from({ length: trained.vocab.tokens.length }, (_, r) => ({ r, score: cosine('three', r) }))
      .sort((x, y) => y.score - x.score)
      .slice(1, 11)
      .map(({ r }) => trained.vocab.tokens[r]);
    assert.ok(three.includes('two'), `nearest to three: ${three.join(' ')}`);
  });
});
