import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readViewState, VIEW_STATE_VERSION } from '../../../webview/persisted-state';
import { choiceDims, DEFAULT_CHOICE } from '../../../webview/projection-choice';

const saved = (projection: unknown): unknown => ({ version: VIEW_STATE_VERSION, path: '/m/v.bin', projection });

describe('the saved projection choice', () => {
  it('reads state saved before 3-D existed as a 2-D choice, unchanged', () => {
    const old = { method: 'umap', space: 'joint', limit: '5000', axisX: 'a - b', axisY: '' };
    const read = readViewState(saved(old));
    assert.deepEqual(read?.projection, old);
    assert.equal(choiceDims(read?.projection ?? DEFAULT_CHOICE), 2);
    assert.equal(choiceDims(DEFAULT_CHOICE), 2);
  });

  it('keeps a 3-D choice and its z axis', () => {
    const chosen = {
      method: 'axes',
      space: 'input',
      limit: '',
      axisX: 'king - queen',
      axisY: 'man - woman',
      dims: 3,
      axisZ: 'big - small',
    };
    const read = readViewState(saved(chosen));
    assert.deepEqual(read?.projection, chosen);
    assert.equal(choiceDims(read?.projection ?? DEFAULT_CHOICE), 3);
  });

  it('reads any other dims as 2-D and drops a z axis that is not text', () => {
    for (const dims of [4, '3', null, 2.5]) {
      const read = readViewState(saved({ method: 'pca', space: 'input', limit: '', axisX: '', axisY: '', dims, axisZ: 7 }));
      assert.equal(choiceDims(read?.projection ?? DEFAULT_CHOICE), 2, String(dims));
      assert.equal(read?.projection.axisZ, undefined);
    }
  });
});
