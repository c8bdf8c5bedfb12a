import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { unescapeProjectorField } from '../../../src/core/export/projector';
import { matrixWithRole } from '../../../src/core/checkpoint';
import { metadataPathFor, safeFileName } from '../../../src/node/export-paths';
import { fixture, withCheckpoint } from '../helpers';
import { testComputeWorker } from './compute-worker';

describe('the worker writing TensorBoard Projector files', () => {
  const { worker } = testComputeWorker();
  after(() => worker.dispose());
  const folder = mkdtempSync(join(tmpdir(), 'lens-projector-'));
  let nextJob = 1;
  const path = fixture('glove/vectors.bin');

  it('writes V of the most frequent rows with tokens and counts that line up row for row', async () => {
    const tensorsPath = join(folder, 'glove-V-tensors.tsv');
    const metadataPath = metadataPathFor(tensorsPath);
    const written = await worker.rpc.request('export/projector', {
      jobId: nextJob++,
      path,
      request: { space: 'output', limit: 50, tensorsPath, metadataPath },
    });
    assert.equal(written.rows, 50);
    assert.deepEqual(written.metadataColumns, ['token', 'count']);
    const lines = readFileSync(tensorsPath, 'utf8').trimEnd().split('\n');
    const labels = readFileSync(metadataPath, 'utf8').trimEnd().split('\n');
    assert.equal(labels[0], 'token\tcount');
    assert.equal(lines.length, 50);
    assert.equal(labels.length, 51);
    await withCheckpoint(path, async (checkpoint) => {
      const v = matrixWithRole(checkpoint, 'output');
      assert.ok(v);
      const data = await v.load();
      // GloVe writes its vocabulary most frequent first, so the top 50 are rows 0..49.
      for (const row of [0, 17, 49]) {
        const values = lines[row]?.split('\t').map((text) => Math.fround(Number(text)));
        assert.deepEqual(
          values,
          Array.from(data.subarray(row * v.cols, (row + 1) * v.cols)),
          'shortest text reads back to the same float32',
        );
        const [token, count] = (labels[row + 1] ?? '').split('\t');
        assert.equal(unescapeProjectorField(token ?? ''), checkpoint.vocab.tokens[row]);
        assert.equal(Number(count), checkpoint.vocab.counts?.[row]);
      }
    });
    assert.deepEqual(
      readdirSync(folder).filter((name) => name.endsWith('.tmp')),
      [],
      'no temporary file left',
    );
  });

  it('names a missing V and leaves no file behind', async () => {
    const tensorsPath = join(folder, 'no-v-tensors.tsv');
    const jobId = nextJob++;
    const running = worker.rpc.request('export/projector', {
      jobId,
      path: fixture('word2vec/vectors.bin'),
      request: { space: 'output', limit: null, tensorsPath, metadataPath: metadataPathFor(tensorsPath) },
    });
    await assert.rejects(running, /expected an output matrix V to export/);
    assert.equal(existsSync(tensorsPath), false);
    assert.deepEqual(
      readdirSync(folder).filter((name) => name.startsWith('.no-v')),
      [],
    );
  });

  it('suggests safe file names and pairs the metadata file with the tensors file', () => {
    assert.equal(metadataPathFor('/x/glove-U-tensors.tsv'), '/x/glove-U-metadata.tsv');
    assert.equal(metadataPathFor('/x/mine.tsv'), '/x/mine.metadata.tsv');
    assert.equal(safeFileName('w2v-neighbors-../../etc/passwd.csv'), 'w2v-neighbors-.._.._etc_passwd.csv');
    assert.equal(safeFileName('a\u0000b:c'), 'a_b_c');
    assert.equal(safeFileName('..'), 'export');
  });
});
