import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { matrixWithRole } from '../../../../src/core/checkpoint';
import { fixture, withCheckpoint } from '../../helpers';

const pairs = (name: string): string => fixture(`numpy/pairs/${name}`);

describe('U and V as two .npy files', () => {
  it('reads V.npy beside U.npy as the output matrix, and the folder opens at U.npy', async () => {
    for (const path of [pairs('uv/U.npy'), pairs('uv')]) {
      await withCheckpoint(path, async (checkpoint) => {
        assert.equal(checkpoint.tied, false);
        assert.deepEqual(
          checkpoint.matrices.map((m) => [m.name, m.role, m.rows, m.cols]),
          [
            ['U', 'input', 12, 6],
            ['V', 'output', 12, 6],
          ],
        );
        const v = matrixWithRole(checkpoint, 'output');
        assert.equal((await v?.load())?.length, 72);
        assert.equal(checkpoint.vocab.tokens[0], 'w0');
        assert.ok(checkpoint.provenance.notes.some((note) => note.includes('V.npy beside U.npy: read as V')));
      });
    }
  });

  it("pairs GloVe's W with W_tilde", async () => {
    await withCheckpoint(pairs('glove/W.npy'), (checkpoint) => {
      assert.deepEqual(
        checkpoint.matrices.map((m) => m.role),
        ['input', 'output'],
      );
      assert.equal(checkpoint.matrices[1]?.name, 'W_tilde');
    });
  });

  it('keeps U alone, with a note, when V.npy has another shape', async () => {
    await withCheckpoint(pairs('mismatch/U.npy'), (checkpoint) => {
      assert.equal(checkpoint.matrices.length, 1);
      assert.ok(checkpoint.provenance.notes.some((note) => /V\.npy beside U\.npy is not a 12×6 float matrix \(\(12, 5\)\)/.test(note)));
    });
  });

  it("marks U as tied when an Embedding Lens run's manifest says so", async () => {
    await withCheckpoint(pairs('tied'), (checkpoint) => {
      assert.equal(checkpoint.tied, true);
      assert.equal(checkpoint.matrices.length, 1);
    });
    await withCheckpoint(pairs('uv/U.npy'), (checkpoint) => assert.equal(checkpoint.tied, false, 'no manifest: untied'));
  });
});
