import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { CheckpointError } from '../../../../src/core/errors';
import { openCheckpoint, type OpenOptions } from '../../../../src/core/open';
import { nodeFiles } from '../../../../src/node/node-files';
import { expected, fixture, withCheckpoint } from '../../helpers';

interface ProjectorExpected {
  rows: number;
  cols: number;
  firstTokens: string[];
  lastToken: string;
  firstCounts: number[];
  firstRows: number[][];
}

const truth = expected<ProjectorExpected>('projector/expected.json');

const scratchRoots: string[] = [];
after(() => scratchRoots.forEach((root) => rmSync(root, { recursive: true, force: true })));

/** A fresh folder holding the given files (copied fixtures or text derived from them in the test). */
function scratch(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'projector-test-'));
  scratchRoots.push(root);
  for (const [name, content] of Object.entries(files)) writeFileSync(join(root, name), content);
  return root;
}

const fixtureText = (name: string): string => readFileSync(fixture(`projector/${name}`), 'utf8');

async function rejects(path: string, options: OpenOptions, code: string, mention?: RegExp): Promise<void> {
  await assert.rejects(openCheckpoint(path, nodeFiles, options), (error: unknown) => {
    assert.ok(error instanceof CheckpointError, String(error));
    assert.equal(error.code, code, error.message);
    assert.ok(error.message.includes(path), error.message);
    if (mention) assert.match(error.message, mention);
    return true;
  });
}

describe("tensors.tsv as torch's SummaryWriter.add_embedding writes it for the TensorBoard projector", () => {
  for (const folder of ['labels', 'table']) {
    it(`is recognised by content (${folder}/tensors.tsv, and its folder)`, async () => {
      for (const path of [fixture(`projector/${folder}/tensors.tsv`), fixture(`projector/${folder}`)]) {
        await withCheckpoint(path, async (checkpoint) => assert.equal(checkpoint.format, 'projector-tsv'));
      }
    });

    it(`takes its labels from ${folder}/metadata.tsv, one per vector`, async () => {
      await withCheckpoint(fixture(`projector/${folder}/tensors.tsv`), async (checkpoint) => {
        assert.equal(checkpoint.vocab.tokens.length, truth.rows);
        assert.deepEqual(checkpoint.vocab.tokens.slice(0, 5), truth.firstTokens);
        assert.equal(checkpoint.vocab.tokens.at(-1), truth.lastToken);
        assert.ok(checkpoint.provenance.files.some((file) => file.endsWith('metadata.tsv')));
      });
    });
  }

  it('reads the header row of a multi-column metadata.tsv as column names, and its count column as counts', async () => {
    await withCheckpoint(fixture('projector/table/tensors.tsv'), async (checkpoint) => {
      assert.equal(checkpoint.vocab.tokens[0], truth.firstTokens[0], 'the header row is not the first label');
      assert.equal(checkpoint.vocab.tokens.length, truth.rows);
      assert.deepEqual(checkpoint.vocab.counts?.slice(0, 5), truth.firstCounts);
    });
    await withCheckpoint(fixture('projector/labels/tensors.tsv'), async (checkpoint) => assert.equal(checkpoint.vocab.counts, undefined));
  });

  it('holds exactly the float32 values torch wrote, in one input matrix', async () => {
    await withCheckpoint(fixture('projector/labels/tensors.tsv'), async (checkpoint) => {
      assert.deepEqual(
        checkpoint.matrices.map((m) => [m.role, m.rows, m.cols]),
        [['input', truth.rows, truth.cols]],
      );
      const data = await checkpoint.matrices[0]!.load();
      truth.firstRows.forEach((row, i) => {
        assert.deepEqual(Array.from(data.subarray(i * truth.cols, (i + 1) * truth.cols)), row.map(Math.fround), `row ${i}`);
      });
    });
  });

  it('names rows by number when no metadata file is beside it', async () => {
    const path = join(scratch({ 'vectors.tsv': fixtureText('labels/tensors.tsv') }), 'vectors.tsv');
    await withCheckpoint(path, async (checkpoint) => {
      assert.equal(checkpoint.format, 'projector-tsv');
      assert.deepEqual(checkpoint.vocab.tokens.slice(0, 2), ['#0', '#1']);
    });
  });

  it('says so when metadata.tsv lists fewer labels than there are vectors', async () => {
    const labels = fixtureText('labels/metadata.tsv').split('\n').slice(0, 10).join('\n');
    const path = join(scratch({ 'tensors.tsv': fixtureText('labels/tensors.tsv'), 'metadata.tsv': `${labels}\n` }), 'tensors.tsv');
    await withCheckpoint(path, async (checkpoint) => {
      assert.equal(checkpoint.vocab.tokens.length, truth.rows);
      assert.equal(checkpoint.vocab.tokens[10], '<row 10>');
      assert.ok(checkpoint.provenance.notes.some((note) => note.includes('10 tokens for 300 matrix rows')));
    });
  });

  it('does not claim word vectors with a token column, nor a vocab file of words and counts', async () => {
    await withCheckpoint(fixture('word2vec/vectors-noheader.txt'), async (checkpoint) => assert.equal(checkpoint.format, 'vectors-text'));
    const tabbed = fixtureText('table/metadata.tsv').split('\n').slice(1).join('\n');
    await rejects(join(scratch({ 'words.tsv': tabbed }), 'words.tsv'), {}, 'unknown-format');
  });
});

describe('broken projector files fail with one clear line naming the file', () => {
  const lines = fixtureText('labels/tensors.tsv').split('\n');

  it('a file cut inside its last line reports that line', async () => {
    const text = fixtureText('labels/tensors.tsv');
    const path = join(scratch({ 'tensors.tsv': text.slice(0, text.length - 30) }), 'tensors.tsv');
    await rejects(path, {}, 'bad-header', new RegExp(`line ${truth.rows} expected ${truth.cols} numbers`));
  });

  it('a line with a word among the numbers is a bad line, found by its number', async () => {
    const broken = [...lines];
    broken[120] = broken[120]!.replace(/^[^\t]+/, 'oops');
    const path = join(scratch({ 'tensors.tsv': broken.join('\n') }), 'tensors.tsv');
    await rejects(path, {}, 'bad-header', /line 121 expected 16 numbers, found "oops/);
  });

  it('a ragged row is refused when the reader is forced', async () => {
    const ragged = [...lines];
    ragged[1] = ragged[1]!.split('\t').slice(0, 5).join('\t');
    const path = join(scratch({ 'tensors.tsv': ragged.join('\n') }), 'tensors.tsv');
    await rejects(path, { format: 'projector-tsv' }, 'bad-header', /line 2 expected 16 numbers/);
  });

  it('an empty file is empty', async () => {
    await rejects(join(scratch({ 'tensors.tsv': '' }), 'tensors.tsv'), {}, 'empty');
  });
});
