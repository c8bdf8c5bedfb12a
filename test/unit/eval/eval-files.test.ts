import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MemorySource } from '../../../src/core/io/byte-source';
import type { FileAccess } from '../../../src/core/io/files';
import { MAX_EVAL_FILE_BYTES, parseAnalogies, parseWordPairs } from '../../../src/core/eval/eval-files';
import { readEvalSets, standardEvalPaths } from '../../../src/core/eval/eval-sets';
import { nodeFiles } from '../../../src/node/node-files';
import { shared } from '../helpers';

const standard = standardEvalPaths(shared('data/eval'));

/** A FileAccess over in-memory files. */
function memoryFiles(files: Record<string, Uint8Array | string>): FileAccess {
  const bytes = (path: string): Uint8Array | undefined => {
    const value = files[path];
    return typeof value === 'string' ? new TextEncoder().encode(value) : value;
  };
  return {
    open: (path) => {
      const data = bytes(path);
      if (!data) return Promise.reject(new Error(`no ${path}`));
      return Promise.resolve(new MemorySource(path, data));
    },
    stat: (path) => Promise.resolve(bytes(path) ? { size: (bytes(path) as Uint8Array).length, isDirectory: false } : undefined),
    list: () => Promise.resolve(Object.keys(files)),
  };
}

describe('reading the standard evaluation sets', () => {
  it('finds 353 WordSim pairs, 999 SimLex pairs and 19,544 analogy questions in 14 sections', async () => {
    const sets = await readEvalSets(nodeFiles, standard);
    assert.equal(sets.wordsim?.pairs.length, 353);
    assert.equal(sets.simlex?.pairs.length, 999);
    assert.equal(sets.analogies?.questions.length, 19_544);
    assert.equal(sets.analogies?.sections.length, 14);
    assert.equal(sets.analogies?.sections[0], 'capital-common-countries');
    assert.deepEqual(sets.wordsim?.pairs[0], { a: 'love', b: 'sex', score: 6.77, line: 3 });
    const first = sets.analogies?.questions[0];
    assert.deepEqual(first, { a: 'Athens', b: 'Greece', c: 'Baghdad', d: 'Iraq', section: 0, line: 2 });
  });

  it('reads only the sets it is given', async () => {
    const sets = await readEvalSets(nodeFiles, { simlex: standard.simlex });
    assert.deepEqual(Object.keys(sets), ['simlex']);
  });
});

describe('parseWordPairs', () => {
  it('skips # comments and blank lines, trims words, accepts CRLF line ends and scientific scores', () => {
    const set = parseWordPairs('# header\r\n\r\ncat\tdog\t7.5\r\n Tiger \tcat\t1e1\n\n', 'pairs.tsv');
    assert.deepEqual(set.pairs, [
      { a: 'cat', b: 'dog', score: 7.5, line: 3 },
      { a: 'Tiger', b: 'cat', score: 10, line: 4 },
    ]);
  });

  it('names the file, the line, what was expected and what was found for a space-separated line', () => {
    assert.throws(() => parseWordPairs('cat\tdog\t1\ncat dog 2\n', 'ws.tsv'), {
      code: 'bad-header',
      message: 'ws.tsv:2: expected "word1<TAB>word2<TAB>score", found 1 tab-separated field in "cat dog 2"',
    });
  });

  it('rejects a score that is not a number, an extra field and an empty word, each on one line', () => {
    for (const [text, found] of [
      ['cat\tdog\thigh', 'the score "high"'],
      ['cat\tdog\t1\t2', '4 tab-separated fields'],
      ['\tdog\t1', 'an empty word'],
      ['cat\tdog\tNaN', 'the score "NaN"'],
    ] as const) {
      assert.throws(
        () => parseWordPairs(text, 'f'),
        (error: Error & { code?: string }) => error.code === 'bad-header' && error.message.includes(found) && !error.message.includes('\n'),
      );
    }
  });

  it('shows control characters of a bad line as escapes, so the error stays one line', () => {
    assert.throws(
      () => parseWordPairs('a\tb\t1\u001b[31m\u009b2J\n', 'f'),
      (error: Error) => error.message.endsWith('in "a\\tb\\t1\\u001b[31m\\u009b2J"'),
    );
  });
});

describe('parseAnalogies', () => {
  it('groups questions under ": section" headers, skipping blank lines', () => {
    const set = parseAnalogies(': capitals\nAthens Greece Rome Italy\n\n: family\nboy girl  king\tqueen\n', 'q.txt');
    assert.deepEqual(set.sections, ['capitals', 'family']);
    assert.deepEqual(
      set.questions.map((q) => [q.a, q.b, q.c, q.d, q.section, q.line]),
      [
        ['Athens', 'Greece', 'Rome', 'Italy', 0, 2],
        ['boy', 'girl', 'king', 'queen', 1, 5],
      ],
    );
  });

  it('accepts questions before any header, in a section named ""', () => {
    const set = parseAnalogies('a b c d\n', 'q.txt');
    assert.deepEqual(set.sections, ['']);
    assert.equal(set.questions.length, 1);
  });

  it('names the file, the line and the word count of a line that is not four words', () => {
    assert.throws(() => parseAnalogies(': s\na b c d\na b c\n', 'q.txt'), {
      code: 'bad-header',
      message: 'q.txt:3: expected 4 words "a b c d" or a ": section" header, found 3 words in "a b c"',
    });
  });
});

describe('readEvalSets bounds', () => {
  it(`refuses a file over ${MAX_EVAL_FILE_BYTES} bytes before reading it`, async () => {
    const files = memoryFiles({ 'big.tsv': new Uint8Array(MAX_EVAL_FILE_BYTES + 1) });
    await assert.rejects(readEvalSets(files, { wordsim: 'big.tsv' }), { code: 'too-large' });
  });

  it('reports a missing file as not-found, naming it', async () => {
    await assert.rejects(readEvalSets(nodeFiles, { analogies: '/nonexistent/questions.txt' }), (error: Error & { code?: string }) => {
      return error.code === 'not-found' && error.message.includes('/nonexistent/questions.txt');
    });
  });
});
