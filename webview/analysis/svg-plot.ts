// The scatter as a standalone SVG file: points, the selection's emphasis and token labels, from coordinates and
// colours. Output is plain SVG 1.1 (no script, no foreignObject, no external references); tokens are XML text.
// Pure: no DOM, so it runs in tests and could run in the host.
import { RAMP_SIZE, buildRamp, writeRgba8, type Rgba } from '../scatter/colour';

/** A legend drawn in the picture's top-left corner: coloured dots with names, or a colour ramp with a caption. */
export type PlotLegend =
  | { readonly kind: 'swatches'; readonly items: readonly { readonly label: string; readonly colour: Rgba }[] }
  | { readonly kind: 'ramp'; readonly from: Rgba; readonly to: Rgba; readonly label: string };

/** Everything the SVG shows. Colours are straight RGBA in [0, 1] (from the scatter's theme). */
export interface SvgPlotInput {
  /** float32 x,y pairs in data coordinates (y up), or in picture px (y down) when `pixels` is set. */
  readonly xy: Float32Array;
  /** The coordinates are already picture px (a view as the canvas shows it): drawn where they are, `view` ignored. */
  readonly pixels?: boolean;
  readonly tokenAt: (row: number) => string;
  /** Text after a label's token, outside its direction isolate (e.g. " U" in a joint layout). */
  readonly labelSuffix?: (row: number) => string;
  /** Picture size in px. */
  readonly width: number;
  readonly height: number;
  /** RGBA8 per point (as the scatter paints them), or one colour for all. */
  readonly colours: Uint8Array | Rgba;
  readonly background: Rgba;
  /** Label text. */
  readonly foreground: Rgba;
  readonly selection: Rgba;
  readonly neighbor: Rgba;
  readonly highlight: Rgba;
  /** Data window shown (e.g. the current zoom); default: all finite points with a margin. */
  readonly view?: { readonly minX: number; readonly maxX: number; readonly minY: number; readonly maxY: number };
  /** Point diameter in px. */
  readonly pointDiameter?: number;
  /** Opacity multiplier of every point (the scatter's density-dependent opacity); default 1. */
  readonly pointAlpha?: number;
  /** 3-D: the drawing order, far to near; the points are drawn in DEPTH_GROUPS groups along it. */
  readonly order?: ArrayLike<number>;
  /** 3-D: float32 (size factor, opacity factor) per point: its depth cue, averaged per depth group. */
  readonly cue?: Float32Array;
  readonly selected?: number;
  readonly neighbors?: ArrayLike<number>;
  readonly highlighted?: ArrayLike<number>;
  /** Rows labelled with their token (default: the selection and its neighbours). */
  readonly labels?: ArrayLike<number>;
  /** A caption drawn along the bottom edge (e.g. "PCA of U · 30,000 tokens"). */
  readonly caption?: string;
  readonly legend?: PlotLegend;
}

/** Free space around the fitted cloud (px), as the scatter's own fit leaves. */
const FIT_MARGIN = 24;
/** Longest label drawn; the full token is in the label's <title>. */
const LABEL_CHARS = 40;
/** Longest <title> text: a 2 MB token in a tooltip helps nobody. */
const TITLE_CHARS = 4000;
/** Label font size (px) and the halo stroke that keeps labels readable over points. */
const LABEL_PX = 11;
const HALO_PX = 3;
/**
 * Depth groups of a 3-D export: each is one <g> with its own dot size and opacity (the depth cue) and the groups are
 * stacked far to near. Eight steps read as a smooth fade and keep the file to a few paths per colour.
 */
const DEPTH_GROUPS = 8;

// XML 1.0 forbids these characters even as references: C0 controls other than tab/LF/CR, U+FFFE/U+FFFF, and lone
// surrogates (the u flag makes the class match only unpaired ones).
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const XML_ILLEGAL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDFFF]/gu;

/**
 * Text as XML character data: &, <, > escaped, CR as a reference (a parser would turn a raw CR into LF), and
 * characters XML cannot hold shown as \u{…}.
 */
export function xmlText(text: string): string {
  return text
    .replace(XML_ILLEGAL, (c) => `\\u{${(c.codePointAt(0) ?? 0).toString(16)}}`)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/\r/g, '&#13;');
}

/** A colour as #rrggbb (alpha is written separately as an opacity). */
export function hexColour(c: Rgba): string {
  const byte = (v: number): string =>
    Math.round(Math.min(1, Math.max(0, v)) * 255)
      .toString(16)
      .padStart(2, '0');
  return `#${byte(c.r)}${byte(c.g)}${byte(c.b)}`;
}

function opacity(alpha: number): string {
  return alpha >= 1 ? '' : ` opacity="${Number(Math.max(0, alpha).toFixed(3))}"`;
}

/** A coordinate with 0.1 px precision and no trailing zeros. */
function px(value: number): string {
  return String(Math.round(value * 10) / 10);
}

/** Cuts a token for a label (whole code points) and isolates its direction (FSI … PDI, as <bdi> does in the panel). */
function labelText(token: string): string {
  const chars = Array.from(token);
  const shown = chars.length > LABEL_CHARS ? `${chars.slice(0, LABEL_CHARS - 1).join('')}…` : token;
  return `\u2068${shown}\u2069`;
}

/** The SVG document text. */
export function plotSvg(input: SvgPlotInput): string {
  const { xy, width, height } = input;
  const n = Math.floor(xy.length / 2);
  const view = input.pixels ? { minX: 0, maxX: width, minY: -height, maxY: 0 } : (input.view ?? fittedView(xy, width, height));
  const spanX = view.maxX - view.minX || 1;
  const spanY = view.maxY - view.minY || 1;
  // Same scale on both axes (as the scatter), centred.
  const scale = Math.min(width / spanX, height / spanY);
  const cx = (view.minX + view.maxX) / 2;
  const cy = (view.minY + view.maxY) / 2;
  const sx = input.pixels ? (x: number): number => x : (x: number): number => width / 2 + (x - cx) * scale;
  const sy = input.pixels ? (y: number): number => y : (y: number): number => height / 2 - (y - cy) * scale;
  const inside = (x: number, y: number): boolean =>
    Number.isFinite(x) && Number.isFinite(y) && x >= 0 && x <= width && y >= 0 && y <= height;
  const diameter = input.pointDiameter ?? 3;

  const out: string[] = [
    '<?xml version="1.0" encoding="UTF-8"?>\n',
    `<svg xmlns="http://www.w3.org/2000/svg" version="1.1" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">\n`,
    `<rect width="${width}" height="${height}" fill="${hexColour(input.background)}"/>\n`,
  ];

  // Points: one path per colour, each point a zero-length segment with a round cap (a dot), far smaller than circles.
  // A 3-D view is cut into depth groups along its far-to-near order, each with its averaged depth cue.
  const single = input.colours instanceof Uint8Array ? undefined : input.colours;
  const rgba = input.colours instanceof Uint8Array ? input.colours : undefined;
  const pointAlpha = input.pointAlpha ?? 1;
  const order = input.order && input.order.length === n ? input.order : undefined;
  const cue = input.cue && input.cue.length === 2 * n ? input.cue : undefined;
  const groups = order ? DEPTH_GROUPS : 1;
  for (let g = 0; g < groups; g++) {
    const paths = new Map<string, string[]>();
    let size = 0;
    let fade = 0;
    let drawn = 0;
    for (let k = Math.floor((g * n) / groups); k < Math.floor(((g + 1) * n) / groups); k++) {
      const i = order ? (order[k] as number) : k;
      const x = sx(xy[2 * i] as number);
      const y = sy(xy[2 * i + 1] as number);
      if (!inside(x, y)) continue;
      const key = rgba ? `${rgba[4 * i]},${rgba[4 * i + 1]},${rgba[4 * i + 2]},${rgba[4 * i + 3]}` : '';
      let parts = paths.get(key);
      if (!parts) paths.set(key, (parts = []));
      parts.push(`M${px(x)} ${px(y)}h0`);
      size += cue ? (cue[2 * i] as number) : 1;
      fade += cue ? (cue[2 * i + 1] as number) : 1;
      drawn++;
    }
    if (drawn === 0 && order) continue;
    const strokeWidth = Number((diameter * (drawn > 0 ? size / drawn : 1)).toFixed(2));
    const alpha = pointAlpha * (drawn > 0 ? fade / drawn : 1);
    out.push(`<g fill="none" stroke-linecap="round" stroke-width="${strokeWidth}">\n`);
    for (const [key, parts] of paths) {
      const colour = single ?? rgbaFromKey(key);
      out.push(`<path stroke="${hexColour(colour)}"${strokeOpacity(colour.a * alpha)} d="${parts.join('')}"/>\n`);
    }
    out.push('</g>\n');
  }

  const dot = (rows: ArrayLike<number> | undefined, colour: Rgba, grow: number): void => {
    if (!rows) return;
    const parts: string[] = [];
    for (let k = 0; k < rows.length; k++) {
      const row = rows[k] as number;
      if (!(row >= 0 && row < n)) continue;
      const x = sx(xy[2 * row] as number);
      const y = sy(xy[2 * row + 1] as number);
      if (inside(x, y)) parts.push(`<circle cx="${px(x)}" cy="${px(y)}" r="${(diameter * grow) / 2}"/>`);
    }
    if (parts.length === 0) return;
    out.push(`<g fill="${hexColour(colour)}" stroke="${hexColour(input.background)}" stroke-width="1">${parts.join('')}</g>\n`);
  };
  dot(input.neighbors, input.neighbor, 2);
  dot(input.highlighted, input.highlight, 2);

  const selected = input.selected ?? -1;
  if (selected >= 0 && selected < n) {
    const x = sx(xy[2 * selected] as number);
    const y = sy(xy[2 * selected + 1] as number);
    if (inside(x, y)) {
      out.push(
        `<circle cx="${px(x)}" cy="${px(y)}" r="${diameter * 2.5}" fill="none" stroke="${hexColour(input.selection)}" stroke-width="2"/>\n`,
      );
    }
  }

  const labelled = input.labels ?? [...(selected >= 0 ? [selected] : []), ...Array.from(input.neighbors ?? [])];
  if (labelled.length > 0) {
    out.push(
      `<g font-family="system-ui, -apple-system, 'Segoe UI', Ubuntu, sans-serif" font-size="${LABEL_PX}" fill="${hexColour(input.foreground)}"` +
        ` stroke="${hexColour(input.background)}" stroke-width="${HALO_PX}" stroke-linejoin="round" paint-order="stroke">\n`,
    );
    for (let k = 0; k < labelled.length; k++) {
      const row = labelled[k] as number;
      if (!(row >= 0 && row < n)) continue;
      const x = sx(xy[2 * row] as number);
      const y = sy(xy[2 * row + 1] as number);
      if (!inside(x, y)) continue;
      const token = input.tokenAt(row);
      const title = token.length > TITLE_CHARS ? `${token.slice(0, TITLE_CHARS)}…` : token;
      const weight = row === selected ? ' font-weight="bold"' : '';
      const suffix = input.labelSuffix?.(row) ?? '';
      out.push(
        `<text x="${px(x + 6)}" y="${px(y - 6)}"${weight}><title>${xmlText(title)}</title>${xmlText(labelText(token) + suffix)}</text>\n`,
      );
    }
    out.push('</g>\n');
  }

  if (input.legend) out.push(legendSvg(input.legend, input.foreground, input.background));
  if (input.caption) {
    out.push(
      `<text x="8" y="${height - 8}" font-family="system-ui, sans-serif" font-size="${LABEL_PX}" fill="${hexColour(input.foreground)}"${opacity(0.8)}>` +
        `${xmlText(input.caption)}</text>\n`,
    );
  }
  out.push('</svg>\n');
  return out.join('');
}

/** The legend in the top-left corner: dots with names, or a ramp bar with its caption. */
function legendSvg(legend: PlotLegend, foreground: Rgba, background: Rgba): string {
  const text = (x: number, label: string): string =>
    `<text x="${x}" y="16" font-family="system-ui, sans-serif" font-size="${LABEL_PX}" fill="${hexColour(foreground)}"` +
    ` stroke="${hexColour(background)}" stroke-width="${HALO_PX}" stroke-linejoin="round" paint-order="stroke">${xmlText(label)}</text>`;
  const parts: string[] = [];
  if (legend.kind === 'swatches') {
    let x = 8;
    for (const item of legend.items) {
      parts.push(`<circle cx="${x + 5}" cy="12" r="5" fill="${hexColour(item.colour)}"/>`, text(x + 14, item.label));
      // Room for the label at about 0.6 em per character, then a gap.
      x += 14 + Math.ceil(Array.from(item.label).length * LABEL_PX * 0.6) + 12;
    }
  } else {
    parts.push(
      `<defs><linearGradient id="legend-ramp"><stop offset="0" stop-color="${hexColour(legend.from)}"/>` +
        `<stop offset="1" stop-color="${hexColour(legend.to)}"/></linearGradient></defs>`,
      `<rect x="8" y="8" width="60" height="8" rx="2" fill="url(#legend-ramp)"/>`,
      text(74, legend.label),
    );
  }
  return `<g class="legend">${parts.join('')}</g>\n`;
}

function strokeOpacity(alpha: number): string {
  return alpha >= 1 ? '' : ` stroke-opacity="${Number(Math.max(0, alpha).toFixed(3))}"`;
}

function rgbaFromKey(key: string): Rgba {
  const [r = 0, g = 0, b = 0, a = 255] = key.split(',').map(Number);
  return { r: r / 255, g: g / 255, b: b / 255, a: a / 255 };
}

/** The finite points' bounds, widened so they land FIT_MARGIN px inside the picture. */
function fittedView(xy: Float32Array, width: number, height: number): { minX: number; maxX: number; minY: number; maxY: number } {
  let minX = Infinity;
  let maxX = -Infinity;
  let minY = Infinity;
  let maxY = -Infinity;
  for (let i = 0; i + 1 < xy.length; i += 2) {
    const x = xy[i] as number;
    const y = xy[i + 1] as number;
    if (!Number.isFinite(x) || !Number.isFinite(y)) continue;
    minX = Math.min(minX, x);
    maxX = Math.max(maxX, x);
    minY = Math.min(minY, y);
    maxY = Math.max(maxY, y);
  }
  if (minX > maxX) return { minX: -1, maxX: 1, minY: -1, maxY: 1 };
  const spanX = maxX - minX || 1;
  const spanY = maxY - minY || 1;
  const scale = Math.min((width - 2 * FIT_MARGIN) / spanX, (height - 2 * FIT_MARGIN) / spanY);
  const padX = (width / scale - spanX) / 2;
  const padY = (height / scale - spanY) / 2;
  return { minX: minX - padX, maxX: maxX + padX, minY: minY - padY, maxY: maxY + padY };
}

/**
 * RGBA8 per point as the scatter paints them: one colour, or with `shade` (0..1 per point, NaN = no value) a ramp
 * from `rampFrom` to `rampTo` through OKLCH, with `noValue` for NaN.
 */
export function paintPoints(
  count: number,
  shade: Float32Array | undefined,
  colours: { readonly point: Rgba; readonly noValue: Rgba; readonly rampFrom: Rgba; readonly rampTo: Rgba },
): Uint8Array {
  const out = new Uint8Array(4 * count);
  if (!shade) {
    for (let i = 0; i < count; i++) writeRgba8(out, i, colours.point);
    return out;
  }
  const ramp = buildRamp(colours.rampFrom, colours.rampTo);
  for (let i = 0; i < count; i++) {
    const s = shade[i] as number;
    if (Number.isNaN(s)) {
      writeRgba8(out, i, colours.noValue);
      continue;
    }
    const k = 4 * Math.round(Math.min(1, Math.max(0, s)) * (RAMP_SIZE - 1));
    out.set(ramp.subarray(k, k + 4), 4 * i);
  }
  return out;
}
