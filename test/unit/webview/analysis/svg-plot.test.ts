import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import sax from 'sax';
import { seededRandom } from '../../../../src/core/analysis/seeded-random';
import { hexColour, paintPoints, plotSvg, xmlText, type SvgPlotInput } from '../../../../webview/analysis/svg-plot';
import { HOSTILE_TOKENS } from '../../core/export/hostile-tokens';

interface Parsed {
  elements: { name: string; attributes: Record<string, string> }[];
  /** Text of each <text> element outside its <title>, and of each <title>. */
  labels: string[];
  titles: string[];
}

/** Parses with a strict (well-formedness checking) XML parser; throws on any error. */
function parseSvg(text: string): Parsed {
  const parser = sax.parser(true, { xmlns: false });
  const parsed: Parsed = { elements: [], labels: [], titles: [] };
  const stack: string[] = [];
  let label = '';
  let title = '';
  parser.onerror = (error) => {
    throw error;
  };
  parser.onopentag = (node) => {
    parsed.elements.push({ name: node.name, attributes: node.attributes as Record<string, string> });
    stack.push(node.name);
    if (node.name === 'text') label = '';
    if (node.name === 'title') title = '';
  };
  parser.ontext = (chunk) => {
    if (stack.at(-1) === 'text') label += chunk;
    if (stack.at(-1) === 'title') title += chunk;
  };
  parser.onclosetag = (name) => {
    stack.pop();
    if (name === 'text') parsed.labels.push(label);
    if (name === 'title') parsed.titles.push(title);
  };
  parser.write(text).close();
  return parsed;
}

const black = { r: 0, g: 0, b: 0, a: 1 };
const white = { r: 1, g: 1, b: 1, a: 1 };

function input(overrides: Partial<SvgPlotInput> = {}): SvgPlotInput {
  const n = HOSTILE_TOKENS.length;
  const random = seededRandom(13);
  const xy = new Float32Array(2 * n);
  for (let i = 0; i < xy.length; i++) xy[i] = random() * 10 - 5;
  return {
    xy,
    tokenAt: (row) => HOSTILE_TOKENS[row] ?? `#${row}`,
    width: 640,
    height: 480,
    colours: { r: 0.2, g: 0.5, b: 1, a: 0.8 },
    background: white,
    foreground: black,
    selection: black,
    neighbor: { r: 0, g: 0.6, b: 0, a: 1 },
    highlight: { r: 1, g: 0, b: 0, a: 1 },
    labels: Array.from({ length: n }, (_, row) => row),
    selected: 15,
    neighbors: [0, 1, 2],
    ...overrides,
  };
}

/** What a label shows for a token: cut to 40 code points, characters XML cannot hold as \u{…}, direction isolated. */
function expectedLabel(token: string): string {
  const chars = Array.from(token);
  const cut = chars.length > 40 ? `${chars.slice(0, 39).join('')}…` : token;
  const safe = cut.replace(
    // eslint-disable-next-line no-control-regex -- the characters XML 1.0 forbids
    /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDFFF]/gu,
    (c) => `\\u{${c.codePointAt(0)?.toString(16)}}`,
  );
  return `\u2068${safe}\u2069`;
}

describe('plot SVG', () => {
  it('is well-formed XML with hostile tokens as labels, and nothing that can run or load', () => {
    const svg = plotSvg(input());
    const parsed = parseSvg(svg);
    const names = new Set(parsed.elements.map((e) => e.name));
    for (const banned of ['script', 'foreignObject', 'iframe', 'use', 'image', 'a', 'style', 'animate', 'set'])
      assert.ok(!names.has(banned), banned);
    for (const element of parsed.elements) {
      for (const attribute of Object.keys(element.attributes)) {
        assert.ok(!/^on/i.test(attribute) && !/href$/i.test(attribute), `${element.name} ${attribute}`);
      }
    }
    assert.equal(parsed.elements[0]?.name, 'svg');
    assert.equal(parsed.elements[0]?.attributes['xmlns'], 'http://www.w3.org/2000/svg');
    assert.ok(!svg.includes('<script'));
  });

  it('shows every token as text: the label cut and isolated, the full token in its title', () => {
    const parsed = parseSvg(plotSvg(input()));
    // Every point of the seeded cloud is inside the fitted view, so every row has a label.
    assert.equal(parsed.titles.length, HOSTILE_TOKENS.length);
    HOSTILE_TOKENS.forEach((token, row) => {
      assert.equal(parsed.labels[row], expectedLabel(token), JSON.stringify(token.slice(0, 20)));
      const title = parsed.titles[row] ?? '';
      // eslint-disable-next-line no-control-regex -- tokens with characters XML cannot hold have them escaped
      if (!/[\u0000-\u0008\u000B\u000C\u000E-\u001F]/.test(token)) assert.equal(title, token);
    });
  });

  it('draws one dot per point with finite coordinates inside the picture, grouped by colour', () => {
    const n = 1000;
    const xy = new Float32Array(2 * n);
    const colours = new Uint8Array(4 * n);
    const random = seededRandom(2);
    for (let i = 0; i < n; i++) {
      xy[2 * i] = random();
      xy[2 * i + 1] = random();
      colours.set(i % 2 ? [255, 0, 0, 255] : [0, 0, 255, 128], 4 * i);
    }
    xy[0] = NaN;
    const svg = plotSvg(input({ xy, colours, labels: [], neighbors: [], selected: -1 }));
    const paths = parseSvg(svg).elements.filter((e) => e.name === 'path');
    assert.equal(paths.length, 2);
    const dots = paths.reduce((sum, path) => sum + (path.attributes['d']?.match(/M/g)?.length ?? 0), 0);
    assert.equal(dots, n - 1);
    assert.deepEqual(paths.map((p) => p.attributes['stroke']).sort(), ['#0000ff', '#ff0000']);
    assert.ok(paths.some((p) => p.attributes['stroke-opacity'] === '0.502'));
  });

  it('leaves out points and labels outside a zoomed view', () => {
    const xy = Float32Array.from([0, 0, 100, 100]);
    const parsed = parseSvg(
      plotSvg(input({ xy, labels: [0, 1], neighbors: [], selected: -1, view: { minX: -1, maxX: 1, minY: -1, maxY: 1 } })),
    );
    assert.equal(parsed.labels.length, 1);
  });

  it('escapes text and attribute values', () => {
    assert.equal(xmlText('<a & b>'), '&lt;a &amp; b&gt;');
    assert.equal(xmlText('bell\u0007'), 'bell\\u{7}');
    assert.equal(xmlText('lone \uD800 surrogate'), 'lone \\u{d800} surrogate');
    assert.equal(xmlText('pair 😀'), 'pair 😀');
    assert.equal(xmlText('a\r\nb'), 'a&#13;\nb');
    assert.equal(hexColour({ r: 1, g: 0.5, b: 0, a: 1 }), '#ff8000');
  });
});

describe('point colours for exports', () => {
  it('paints one colour, or a ramp by shade with the no-value colour for NaN', () => {
    const colours = {
      point: { r: 0, g: 0, b: 1, a: 1 },
      noValue: { r: 0.5, g: 0.5, b: 0.5, a: 0.5 },
      rampFrom: { r: 0, g: 0, b: 1, a: 1 },
      rampTo: { r: 1, g: 0.5, b: 0, a: 1 },
    };
    assert.deepEqual([...paintPoints(2, undefined, colours)], [0, 0, 255, 255, 0, 0, 255, 255]);
    const shaded = paintPoints(3, Float32Array.from([0, 1, NaN]), colours);
    assert.deepEqual([...shaded.subarray(0, 4)], [0, 0, 255, 255]);
    assert.deepEqual([...shaded.subarray(4, 8)], [255, 128, 0, 255]);
    assert.deepEqual([...shaded.subarray(8, 12)], [128, 128, 128, 128]);
  });
});
