import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RAMP_SIZE, buildRamp, mixOklab, parseCssColour } from '../../../webview/scatter/colour';
import type { Rgba } from '../../../webview/scatter/colour';
import { pointStyle } from '../../../webview/scatter/point-style';

function rgba255(c: Rgba | undefined): number[] {
  assert.ok(c, 'parsed');
  return [c.r * 255, c.g * 255, c.b * 255].map(Math.round).concat(Math.round(c.a * 1000) / 1000);
}

describe('scatter colours', () => {
  it('parses the hex forms VS Code themes use, with and without alpha', () => {
    assert.deepEqual(rgba255(parseCssColour('#3794ff')), [55, 148, 255, 1]);
    assert.deepEqual(rgba255(parseCssColour('#FFF')), [255, 255, 255, 1]);
    assert.deepEqual(rgba255(parseCssColour('#0008')), [0, 0, 0, 0.533]);
    assert.deepEqual(rgba255(parseCssColour(' #cccccc80 ')), [204, 204, 204, 0.502]);
  });

  it('parses rgb() and rgba() with commas, spaces, a slash alpha and percentages', () => {
    assert.deepEqual(rgba255(parseCssColour('rgb(255, 0, 128)')), [255, 0, 128, 1]);
    assert.deepEqual(rgba255(parseCssColour('rgba(10,20,30,0.25)')), [10, 20, 30, 0.25]);
    assert.deepEqual(rgba255(parseCssColour('rgb(10 20 30 / 50%)')), [10, 20, 30, 0.5]);
    assert.deepEqual(rgba255(parseCssColour('rgb(100%, 50%, 0%)')), [255, 128, 0, 1]);
    assert.deepEqual(rgba255(parseCssColour('rgba(300, -5, 0, 2)')), [255, 0, 0, 1]);
    assert.deepEqual(rgba255(parseCssColour('transparent')), [0, 0, 0, 0]);
  });

  it('rejects what it does not know instead of guessing', () => {
    for (const text of ['', 'red', '#12', '#12345', 'hsl(0, 100%, 50%)', 'rgb(1, 2)', 'rgb(a, b, c)', 'var(--x)']) {
      assert.equal(parseCssColour(text), undefined, text);
    }
  });

  it('returns the endpoint colours exactly at t = 0 and t = 1, and clamps t outside [0, 1]', () => {
    const from = parseCssColour('#3794ff')!;
    const to = parseCssColour('rgba(209, 134, 22, 0.5)')!;
    assert.deepEqual(mixOklab(from, to, 0), from);
    assert.deepEqual(mixOklab(from, to, 1), to);
    assert.deepEqual(mixOklab(from, to, -3), from);
    assert.deepEqual(mixOklab(from, to, 7), to);
    assert.deepEqual(mixOklab(from, to, NaN), from);
  });

  it('builds a ramp table whose first and last entries are the endpoint colours in 8 bits', () => {
    const ramp = buildRamp(parseCssColour('#3794ff')!, parseCssColour('#d18616')!);
    assert.equal(ramp.length, RAMP_SIZE * 4);
    assert.deepEqual(Array.from(ramp.subarray(0, 4)), [0x37, 0x94, 0xff, 255]);
    assert.deepEqual(Array.from(ramp.subarray(ramp.length - 4)), [0xd1, 0x86, 0x16, 255]);
  });

  it('ramps perceptually: lightness changes monotonically from black to white, unlike a plain sRGB blend', () => {
    const black = parseCssColour('#000')!;
    const white = parseCssColour('#fff')!;
    const ramp = buildRamp(black, white);
    for (let i = 1; i < RAMP_SIZE; i++) assert.ok(ramp[4 * i]! >= ramp[4 * (i - 1)]!, `entry ${i}`);
    // OKLab's midpoint is L = 0.5, a mid grey of about sRGB 99 — darker than the naive 128.
    const mid = mixOklab(black, white, 0.5);
    assert.ok(Math.abs(mid.r * 255 - 99) < 2, `mid grey ${mid.r * 255}`);
    assert.ok(Math.abs(mid.r - mid.g) < 1e-6 && Math.abs(mid.g - mid.b) < 1e-6, 'a grey stays grey');
  });

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
});
