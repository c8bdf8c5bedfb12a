import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RAMP_SIZE, buildRamp, mixOklch, parseCssColour } from '../../../webview/scatter/colour';
import type { Rgba } from '../../../webview/scatter/colour';

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
    assert.deepEqual(mixOklch(from, to, 0), from);
    assert.deepEqual(mixOklch(from, to, 1), to);
    assert.deepEqual(mixOklch(from, to, -3), from);
    assert.deepEqual(mixOklch(from, to, 7), to);
    assert.deepEqual(mixOklch(from, to, NaN), from);
  });

  it('builds a ramp table whose first and last entries are the endpoint colours in 8 bits', () => {
    const ramp = buildRamp(parseCssColour('#3794ff')!, parseCssColour('#d18616')!);
    assert.equal(ramp.length, RAMP_SIZE * 4);
    assert.deepEqual(Array.from(ramp.subarray(0, 4)), [0x37, 0x94, 0xff, 255]);
    assert.deepEqual(Array.from(ramp.subarray(ramp.length - 4)), [0xd1, 0x86, 0x16, 255]);
  });

  it('ramps perceptually: lightness changes monotonically from black to white, and greys stay grey', () => {
    const black = parseCssColour('#000')!;
    const white = parseCssColour('#fff')!;
    const ramp = buildRamp(black, white);
    for (let i = 1; i < RAMP_SIZE; i++) assert.ok(ramp[4 * i]! >= ramp[4 * (i - 1)]!, `entry ${i}`);
    // OKLab's midpoint is L = 0.5, a mid grey of about sRGB 99 — darker than the naive 128.
    const mid = mixOklch(black, white, 0.5);
    assert.ok(Math.abs(mid.r * 255 - 99) < 2, `mid grey ${mid.r * 255}`);
    assert.ok(Math.abs(mid.r - mid.g) < 1e-6 && Math.abs(mid.g - mid.b) < 1e-6, 'a grey stays grey');
  });

  it('keeps the colourfulness between two contrasting hues instead of passing through grey', () => {
    const blue = parseCssColour('#3794ff')!;
    const orange = parseCssColour('#d18616')!;
    const mid = mixOklch(blue, orange, 0.5);
    const spread = Math.max(mid.r, mid.g, mid.b) - Math.min(mid.r, mid.g, mid.b);
    const naive = { r: (blue.r + orange.r) / 2, g: (blue.g + orange.g) / 2, b: (blue.b + orange.b) / 2 };
    const naiveSpread = Math.max(naive.r, naive.g, naive.b) - Math.min(naive.r, naive.g, naive.b);
    assert.ok(spread > 2 * naiveSpread, `midpoint chroma ${spread} vs RGB blend ${naiveSpread}`);
  });
});
