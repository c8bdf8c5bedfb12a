import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { shortToken } from '../../../webview/token-text';
import { readViewState, VIEW_STATE_VERSION } from '../../../webview/persisted-state';
import { DEFAULT_CHOICE } from '../../../webview/projection-choice';

describe('persisted view state', () => {
  it('is read back when it carries the current version', () => {
    const projection = { method: 'umap', space: 'joint', limit: '5000', axisX: '', axisY: '' } as const;
    const state = {
      version: VIEW_STATE_VERSION,
      path: '/m/v.bin',
      query: 'ki',
      regex: true,
      selectedToken: 'king',
      projection,
      tab: 'compare',
      against: { path: '/m/other.bin', name: 'm/other.bin' },
    } as const;
    assert.deepEqual(readViewState(state), state);
  });

  it('is thrown away when the version differs or the shape is foreign', () => {
    assert.equal(readViewState({ version: VIEW_STATE_VERSION + 1, path: '/m/v.bin' }), undefined);
    assert.equal(readViewState({ path: '/m/v.bin' }), undefined);
    assert.equal(readViewState('nonsense'), undefined);
    assert.equal(readViewState(null), undefined);
  });

  it('fills fields of the wrong type with defaults', () => {
    assert.deepEqual(
      readViewState({ version: VIEW_STATE_VERSION, path: '/p', query: 3, regex: 'yes', selectedToken: {}, projection: { method: 'tsne' } }),
      {
        version: VIEW_STATE_VERSION,
        path: '/p',
        query: '',
        regex: false,
        selectedToken: null,
        projection: DEFAULT_CHOICE,
        tab: 'map',
        against: null,
      },
    );
    assert.equal(
      readViewState({ version: VIEW_STATE_VERSION, path: '/p', against: { path: 3 } })?.against,
      null,
      'a foreign target is dropped',
    );
  });
});

describe('token display text', () => {
  it('leaves short tokens alone and cuts long ones with their length', () => {
    assert.equal(shortToken('king', 10), 'king');
    assert.equal(shortToken('x'.repeat(2000), 10), `${'x'.repeat(9)}… (2,000 chars)`);
  });

  it('never splits a surrogate pair', () => {
    const cut = shortToken('😀'.repeat(20), 5);
    assert.equal(cut, `${'😀'.repeat(4)}… (20 chars)`);
  });
});
