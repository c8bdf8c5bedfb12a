import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import sax from 'sax';
import { seededRandom } from '../../../../src/core/analysis/seeded-random';
import { plotLegend, plotViewSvg, type PlotSvgState } from '../../../../webview/analysis/plot-view-svg';
import { PointIndex } from '../../../../webview/point-index';
import type { ScatterPicture } from '../../../../webview/scatter/geometry';
import { HOSTILE_TOKENS } from '../../core/export/hostile-tokens';

interface Parsed {
  readonly elements: { name: string; attributes: Record<string, string> }[];
  /** Text of each <text> outside its <title>. */
  readonly texts: string[];
  readonly titles: string[];
}

/** Parses with sax in strict mode: any well-formedness error throws. */
function parse(svg: string): Parsed {
  const parser = sax.parser(true, {});
  const parsed: Parsed = { elements: [], texts: [], titles: [] };
  const stack: string[] = [];
  let text = '';
  let title = '';
  parser.onerror = (error) => {
    throw error;
  };
  parser.onopentag = (node) => {
    parsed.elements.push({ name: node.name, attributes: node.attributes as Record<string, string> });
    stack.push(node.name);
    if (node.name === 'text') text = '';
    if (node.name === 'title') title = '';
  };
  parser.ontext = (chunk) => {
    if (stack.at(-1) === 'text') text += chunk;
    if (stack.at(-1) === 'title') title += chunk;
  };
  parser.onclosetag = (name) => {
    stack.pop();
    if (name === 'text') parsed.texts.push(text);
    if (name === 'title') parsed.titles.push(title);
  };
  parser.write(svg).close();
  return parsed;
}

const rgba = (r: number, g: number, b: number, a = 1): { r: number; g: number; b: number; a: number } => ({ r, g, b, a });
const THEME = {
  background: rgba(0.12, 0.12, 0.12),
  rampFrom: rgba(0.2, 0.6, 1),
  rampTo: rgba(0.8, 0.5, 0.1),
  highlight: rgba(0.95, 0.3, 0.3),
  neighbor: rgba(0.5, 0.8, 0.5),
  selection: rgba(0.8, 0.8, 0.8),
};

/** A joint 3-D layout of the hostile tokens as the scatter would report it: every point on a 600×400 canvas. */
function state(overrides: Partial<PlotSvgState> = {}): PlotSvgState {
  const rows = HOSTILE_TOKENS.length;
  const n = 2 * rows;
  const random = seededRandom(41);
  const xy = new Float32Array(2 * n);
  for (let i = 0; i < n; i++) {
    xy[2 * i] = 40 + random() * 520;
    xy[2 * i + 1] = 40 + random() * 320;
  }
  const order = Uint32Array.from({ length: n }, (_, i) => n - 1 - i);
  const cue = new Float32Array(2 * n);
  for (let k = 0; k < n; k++) {
    const i = order[k]!;
    cue[2 * i] = 0.5 + k / n; // drawn far to near: growing
    cue[2 * i + 1] = 0.4 + (0.6 * k) / n;
  }
  const colours = new Uint8Array(4 * n);
  for (let i = 0; i < n; i++) colours.set(i < rows ? [51, 153, 255, 255] : [204, 128, 26, 255], 4 * i);
  const picture: ScatterPicture = {
    xy,
    order,
    cue,
    width: 600,
    height: 400,
    colours,
    diameter: 4,
    alpha: 0.8,
    palette: THEME,
    selected: 3,
  };
  const points = new PointIndex(
    Int32Array.from({ length: n }, (_, i) => i % rows),
    true,
  );
  return {
    picture,
    tokens: HOSTILE_TOKENS,
    points,
    labelled: Array.from({ length: n }, (_, i) => i),
    neighbors: [0, 1, rows],
    highlighted: [2],
    caption: 'PCA of U <and> V & "friends"',
    legend: plotLegend(true, false, THEME),
    foreground: rgba(0.9, 0.9, 0.9),
    ...overrides,
  };
}

describe('the plot as SVG', () => {
  it('is well-formed XML with every hostile token as label text, nothing that runs or loads', () => {
    const svg = plotViewSvg(state());
    const parsed = parse(svg);
    const names = new Set(parsed.elements.map((e) => e.name));
    for (const banned of ['script', 'foreignObject', 'iframe', 'use', 'image', 'a', 'style', 'animate', 'set'])
      assert.ok(!names.has(banned));
    for (const element of parsed.elements)
      for (const attribute of Object.keys(element.attributes)) assert.ok(!/^on/i.test(attribute) && !/href$/i.test(attribute));
    assert.ok(!svg.includes('<script'));
    // One label per point, the legend (U, V), the caption.
    const labels = parsed.texts.slice(0, -3);
    assert.equal(labels.length, 2 * HOSTILE_TOKENS.length);
    // Labels follow the labelled points, the selection (point 3) moved last so it is drawn on top.
    const rows = HOSTILE_TOKENS.length;
    const drawn = [...Array.from({ length: 2 * rows }, (_, p) => p).filter((p) => p !== 3), 3];
    drawn.forEach((point, k) => {
      const token = HOSTILE_TOKENS[point % rows] as string;
      // eslint-disable-next-line no-control-regex -- tokens with characters XML cannot hold are escaped, long ones cut
      const plain = Array.from(token).length <= 40 && !/[\u0000-\u0008\u000B\u000C\u000E-\u001F]/.test(token);
      if (plain) assert.equal(labels[k], `\u2068${token}\u2069 ${point < rows ? 'U' : 'V'}`, JSON.stringify(token));
    });
    const bold = parsed.elements.filter((e) => e.name === 'text' && e.attributes['font-weight'] === 'bold');
    assert.equal(bold.length, 1, 'one selected label');
    assert.ok(labels.includes('\u2068<script>alert(1)</script>\u2069 U'), 'markup in a token stays text');
    assert.equal(parsed.texts.at(-1), 'PCA of U <and> V & "friends"');
    assert.deepEqual(parsed.texts.slice(-3, -1), ['U', 'V']);
  });

  it('draws a 3-D picture far to near in depth groups, farther groups thinner and fainter', () => {
    const parsed = parse(plotViewSvg(state({ labelled: [] })));
    const groups = parsed.elements.filter((e) => e.name === 'g' && e.attributes['stroke-linecap'] === 'round');
    assert.equal(groups.length, 8);
    const widths = groups.map((g) => Number(g.attributes['stroke-width']));
    for (let k = 1; k < widths.length; k++) assert.ok(widths[k]! > widths[k - 1]!, 'nearer groups draw larger dots');
    const opacities = parsed.elements
      .filter((e) => e.name === 'path')
      .map((p) => Number(p.attributes['stroke-opacity'] ?? 1))
      .filter((o) => o > 0);
    assert.ok(opacities[0]! < opacities.at(-1)!, 'nearer groups are more opaque');
    const dots = parsed.elements
      .filter((e) => e.name === 'path')
      .reduce((sum, p) => sum + (p.attributes['d']?.match(/M/g)?.length ?? 0), 0);
    assert.equal(dots, 2 * HOSTILE_TOKENS.length);
  });

  it('draws a 2-D picture in one group at the scatter size and opacity, and leaves out hidden points', () => {
    const base = state({ labelled: [], legend: plotLegend(false, true, THEME) });
    const xy = base.picture.xy.slice();
    xy[0] = Number.NaN;
    xy[2] = 5000; // off the canvas
    const { width, height, colours, diameter, alpha, palette, selected } = base.picture;
    const picture: ScatterPicture = { xy, width, height, colours, diameter, alpha, palette, selected };
    const parsed = parse(plotViewSvg({ ...base, picture }));
    const groups = parsed.elements.filter((e) => e.name === 'g' && e.attributes['stroke-linecap'] === 'round');
    assert.equal(groups.length, 1);
    assert.equal(groups[0]?.attributes['stroke-width'], '4');
    const paths = parsed.elements.filter((e) => e.name === 'path');
    assert.ok(paths.every((p) => p.attributes['stroke-opacity'] === '0.8'));
    const dots = paths.reduce((sum, p) => sum + (p.attributes['d']?.match(/M/g)?.length ?? 0), 0);
    assert.equal(dots, 2 * HOSTILE_TOKENS.length - 2);
    assert.ok(
      parsed.elements.some((e) => e.name === 'linearGradient'),
      'the frequency ramp legend',
    );
    assert.ok(parsed.texts.includes('frequent → rare'));
  });
});
