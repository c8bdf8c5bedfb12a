import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { pointStyle } from '../../../webview/scatter/point-style';

describe('scatter point style', () => {
  it('sizes points smaller and fainter as the count grows, bigger as the view zooms in, within bounds', () => {
    const style = { diameter: 0, alpha: 0, emphasis: 0, ring: 0, ringWidth: 0, halo: 0 };
    const small = { ...pointStyle(1_000, 1, false, style) };
    const large = { ...pointStyle(1_000_000, 1, false, style) };
    const zoomed = { ...pointStyle(1_000_000, 100, false, style) };
    const contrast = { ...pointStyle(1_000_000, 1, true, style) };
    assert.ok(small.diameter > large.diameter && small.alpha > large.alpha);
    assert.ok(zoomed.diameter > large.diameter && zoomed.diameter <= 14);
    assert.ok(large.diameter >= 1.5 && large.alpha >= 0.35);
    assert.equal(contrast.alpha, 1);
    assert.ok(zoomed.emphasis > zoomed.diameter && zoomed.ring > zoomed.emphasis);
  });

  it('never lets a cloud point grow past 14 px or shrink below 1.5 px, whatever the zoom', () => {
    const style = { diameter: 0, alpha: 0, emphasis: 0, ring: 0, ringWidth: 0, halo: 0 };
    for (const count of [1, 10, 1e3, 1e5, 1e6, 1e7])
      for (const zoom of [0.25, 0.5, 1, 4, 100, 1e4]) {
        const s = pointStyle(count, zoom, false, style);
        assert.ok(s.diameter >= 1.5 && s.diameter <= 14, `${count} points at ${zoom}×: ${s.diameter}`);
        assert.ok(s.alpha > 0 && s.alpha <= 0.9);
      }
  });
});
