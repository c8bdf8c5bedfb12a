import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { CheckpointError } from '../../../../src/core/errors';
import type { Cooccurrences } from '../../../../src/core/train/cooccurrence';
import { countCooccurrences } from '../../../../src/core/train/cooccurrence';
import type { EncodedCorpus } from '../../../../src/core/train/corpus';
import { encodeLines } from '../../../../src/core/train/corpus';
import { shared } from '../../helpers';

/** X[a][b] by token, read from the stored upper triangle. */
function lookup(corpus: EncodedCorpus, counts: Cooccurrences): (a: string, b: string) => number {
  const full = new Map<string, number>();
  for (let k = 0; k < counts.rows.length; k++) {
    full.set(`${counts.rows[k]},${counts.cols[k]}`, counts.values[k] as number);
    full.set(`${counts.cols[k]},${counts.rows[k]}`, counts.values[k] as number);
  }
  return (a, b) => full.get(`${corpus.vocab.index.get(a)},${corpus.vocab.index.get(b)}`) ?? 0;
}

/**
 * An independent reference: cooccur.c's own loop (a circular history of the last `window` words of the line; each
 * word adds 1/distance to (context, word) and (word, context)), over token strings, into a map of the full matrix.
 */
function referenceCounts(lines: readonly string[], vocab: ReadonlySet<string>, window: number): Map<string, number> {
  const counts = new Map<string, number>();
  const add = (a: string, b: string, value: number): void => {
    const key = `${a} ${b}`;
    counts.set(key, (counts.get(key) ?? 0) + value);
  };
  for (const line of lines) {
    const history: string[] = [];
    for (const word of line.split(/\s+/)) {
      if (!vocab.has(word)) continue;
      for (let back = 1; back <= Math.min(window, history.length); back++) {
        const context = history[history.length - back] as string;
        add(context, word, 1 / back);
        add(word, context, 1 / back);
      }
      history.push(word);
    }
  }
  return counts;
}

describe('co-occurrence counting', () => {
  it('weights each pair by 1/distance within the window, symmetrically', async () => {
    const corpus = encodeLines(['a b c a'], { minCount: 1 });
    const x = lookup(corpus, await countCooccurrences(corpus, { window: 2 }));
    assert.equal(x('a', 'b'), 1 + 1 / 2, 'a b at distance 1, b … a at distance 2');
    assert.equal(x('a', 'c'), 1 / 2 + 1, 'a … c at distance 2, c a at distance 1');
    assert.equal(x('b', 'c'), 1);
    assert.equal(x('a', 'a'), 0, 'the two a are 3 apart, outside the window');
    for (const [p, q] of [
      ['a', 'b'],
      ['a', 'c'],
      ['b', 'c'],
    ] as const) {
      assert.equal(x(p, q), x(q, p), `X is symmetric for ${p}, ${q}`);
    }
  });

  it('counts 1 per pair without distance weighting', async () => {
    const corpus = encodeLines(['a b c a'], { minCount: 1 });
    const x = lookup(corpus, await countCooccurrences(corpus, { window: 2, distanceWeighting: false }));
    assert.equal(x('a', 'b'), 2);
    assert.equal(x('b', 'c'), 1);
  });

  it('adds a pair of equal words to the diagonal once per direction, as cooccur.c does', async () => {
    const corpus = encodeLines(['a a b'], { minCount: 1 });
    const counts = await countCooccurrences(corpus, { window: 5 });
    const x = lookup(corpus, counts);
    assert.equal(x('a', 'a'), 2);
    assert.equal(x('a', 'b'), 1 + 1 / 2);
    assert.equal(counts.nonzeros, 3, 'X[a][a], X[a][b] and X[b][a]');
  });

  it('never lets a window cross a sentence end', async () => {
    const corpus = encodeLines(['a b', 'c d'], { minCount: 1 });
    const x = lookup(corpus, await countCooccurrences(corpus, { window: 5 }));
    assert.equal(x('a', 'b'), 1);
    assert.equal(x('c', 'd'), 1);
    assert.equal(x('b', 'c'), 0);
    assert.equal(x('a', 'd'), 0);
  });

  it('measures distance over kept tokens: words under minCount are dropped first, as cooccur.c skips them', async () => {
    const corpus = encodeLines(['a rare b', 'a b'], { minCount: 2 });
    const x = lookup(corpus, await countCooccurrences(corpus, { window: 1 }));
    assert.equal(x('a', 'b'), 2, 'a and b are adjacent once "rare" is gone');
  });

  it('stores the upper triangle sorted by row then column', async () => {
    const corpus = encodeLines(['d c b a a b c d e', 'e a c'], { minCount: 1 });
    const counts = await countCooccurrences(corpus, { window: 3 });
    for (let k = 0; k < counts.rows.length; k++) {
      assert.ok((counts.rows[k] as number) <= (counts.cols[k] as number));
      if (k > 0) {
        const before = (counts.rows[k - 1] as number) * 1e6 + (counts.cols[k - 1] as number);
        assert.ok(before < (counts.rows[k] as number) * 1e6 + (counts.cols[k] as number), 'strictly increasing');
      }
    }
  });

  it('matches a literal port of cooccur.c on 1500 lines of the shared corpus, in one pass or in many', async () => {
    const lines = readFileSync(shared('data/corpus/corpus-1m.txt'), 'utf8').split('\n').slice(0, 1500);
    const corpus = encodeLines(lines, { minCount: 3 });
    const reference = referenceCounts(lines, new Set(corpus.vocab.tokens), 10);
    for (const bufferBytes of [undefined, 256 << 10]) {
      const counts = await countCooccurrences(corpus, { window: 10, ...(bufferBytes ? { bufferBytes } : {}) });
      if (bufferBytes) assert.ok(counts.passes > 3, `a 256 KiB buffer takes several passes (took ${counts.passes})`);
      assert.equal(counts.nonzeros, reference.size);
      const tokens = corpus.vocab.tokens;
      let worst = 0;
      let asymmetric = 0;
      for (let k = 0; k < counts.rows.length; k++) {
        const a = tokens[counts.rows[k] as number] as string;
        const b = tokens[counts.cols[k] as number] as string;
        const expected = reference.get(`${a} ${b}`) ?? NaN;
        if (reference.get(`${b} ${a}`) !== expected) asymmetric++;
        worst = Math.max(worst, Math.abs((counts.values[k] as number) - expected) / expected);
      }
      assert.equal(asymmetric, 0, 'the reference is symmetric too');
      assert.ok(worst < 1e-6, `relative error ${worst} (float32 storage)`);
    }
  });

  it('reports progress up to 1 and stops with a cancelled error when aborted', async () => {
    const lines = readFileSync(shared('data/corpus/corpus-1m.txt'), 'utf8').split('\n').slice(0, 20000);
    const corpus = encodeLines(lines, { minCount: 2 });
    const fractions: number[] = [];
    await countCooccurrences(corpus, { window: 5 }, { onProgress: (fraction) => fractions.push(fraction) });
    assert.ok(fractions.length > 3);
    assert.deepEqual(
      fractions.map((f, i) => i === 0 || f >= (fractions[i - 1] as number)),
      fractions.map(() => true),
    );
    assert.equal(fractions[fractions.length - 1], 1);

    const abort = new AbortController();
    const counting = countCooccurrences(corpus, { window: 5 }, { signal: abort.signal, onProgress: (f) => f > 0.2 && abort.abort() });
    await assert.rejects(counting, (error: unknown) => error instanceof CheckpointError && error.code === 'cancelled');
  });

  it('rejects a window outside 1–1000', async () => {
    const corpus = encodeLines(['a b'], { minCount: 1 });
    await assert.rejects(countCooccurrences(corpus, { window: 0 }), { code: 'unsupported' });
  });
});
