// CSS colour parsing and a perceptual (OKLCH) ramp between two colours. Pure: no DOM.

/** A colour as straight (not premultiplied) RGBA, each channel in [0, 1]. */
export interface Rgba {
  r: number;
  g: number;
  b: number;
  a: number;
}

const HEX = /^#([0-9a-f]{3,4}|[0-9a-f]{6}|[0-9a-f]{8})$/i;
const FUNC = /^rgba?\(\s*([^)]*)\)$/i;

/**
 * Parses the CSS colour forms VS Code theme variables use: `#rgb`, `#rgba`, `#rrggbb`, `#rrggbbaa`, `rgb()`/`rgba()`
 * with commas or spaces and an optional `/ alpha`, channels as numbers or percentages, and `transparent`.
 * Returns undefined for anything else (named colours, hsl(), …: resolve those through the browser first).
 */
export function parseCssColour(text: string): Rgba | undefined {
  const s = text.trim().toLowerCase();
  if (s === 'transparent') return { r: 0, g: 0, b: 0, a: 0 };
  const hex = HEX.exec(s);
  if (hex) {
    const digits = hex[1]!;
    const short = digits.length <= 4;
    const channel = (i: number): number =>
      short ? parseInt(digits[i]! + digits[i]!, 16) / 255 : parseInt(digits.slice(2 * i, 2 * i + 2), 16) / 255;
    const count = short ? digits.length : digits.length / 2;
    return { r: channel(0), g: channel(1), b: channel(2), a: count === 4 ? channel(3) : 1 };
  }
  const func = FUNC.exec(s);
  if (!func) return undefined;
  // "r, g, b, a" | "r g b / a" | "r g b"
  const parts = func[1]!
    .replace(/\//g, ' ')
    .split(/[\s,]+/)
    .filter((part) => part !== '');
  if (parts.length !== 3 && parts.length !== 4) return undefined;
  const rgb = parts.slice(0, 3).map((part) => parseChannel(part, 255));
  const alpha = parts.length === 4 ? parseChannel(parts[3]!, 1) : 1;
  if (rgb.some((v) => v === undefined) || alpha === undefined) return undefined;
  return { r: rgb[0]!, g: rgb[1]!, b: rgb[2]!, a: alpha };
}

/** A number or percentage, divided by `full` (255 for colour channels, 1 for alpha) and clamped to [0, 1]. */
function parseChannel(part: string, full: number): number | undefined {
  const percent = part.endsWith('%');
  const value = Number(percent ? part.slice(0, -1) : part);
  if (!Number.isFinite(value)) return undefined;
  const unit = percent ? value / 100 : value / full;
  return Math.min(1, Math.max(0, unit));
}

function srgbToLinear(c: number): number {
  return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
}

function linearToSrgb(c: number): number {
  const v = c <= 0.0031308 ? 12.92 * c : 1.055 * c ** (1 / 2.4) - 0.055;
  return Math.min(1, Math.max(0, v));
}

/** sRGB → OKLab (Björn Ottosson's matrices), written into `out` as [L, a, b]. */
function toOklab(c: Rgba, out: Float64Array): void {
  const r = srgbToLinear(c.r);
  const g = srgbToLinear(c.g);
  const b = srgbToLinear(c.b);
  const l = Math.cbrt(0.4122214708 * r + 0.5363325363 * g + 0.0514459929 * b);
  const m = Math.cbrt(0.2119034982 * r + 0.6806995451 * g + 0.1073969566 * b);
  const s = Math.cbrt(0.0883024619 * r + 0.2817188376 * g + 0.6299787005 * b);
  out[0] = 0.2104542553 * l + 0.793617785 * m - 0.0040720468 * s;
  out[1] = 1.9779984951 * l - 2.428592205 * m + 0.4505937099 * s;
  out[2] = 0.0259040371 * l + 0.7827717662 * m - 0.808675766 * s;
}

function fromOklab(L: number, A: number, B: number, alpha: number): Rgba {
  const l = (L + 0.3963377774 * A + 0.2158037573 * B) ** 3;
  const m = (L - 0.1055613458 * A - 0.0638541728 * B) ** 3;
  const s = (L - 0.0894841775 * A - 1.291485548 * B) ** 3;
  return {
    r: linearToSrgb(4.0767416621 * l - 3.3077115913 * m + 0.2309699292 * s),
    g: linearToSrgb(-1.2684380046 * l + 2.6097574011 * m - 0.3413193965 * s),
    b: linearToSrgb(-0.0041960863 * l - 0.7034186147 * m + 1.707614701 * s),
    a: alpha,
  };
}

// Below this OKLab chroma a colour is a grey whose hue means nothing: the ramp takes the other end's hue.
const ACHROMATIC = 0.02;

/**
 * The colour a fraction `t` (clamped to [0, 1]) of the way from `from` to `to`, interpolated in OKLCH (lightness,
 * chroma and hue, hue the short way round): perceptually even steps that keep their colourfulness, where a straight
 * line in RGB or OKLab between two contrasting hues passes through grey. Endpoints are returned exactly.
 */
export function mixOklch(from: Rgba, to: Rgba, t: number): Rgba {
  if (!(t > 0)) return { ...from };
  if (t >= 1) return { ...to };
  const p = new Float64Array(3);
  const q = new Float64Array(3);
  toOklab(from, p);
  toOklab(to, q);
  const c1 = Math.hypot(p[1]!, p[2]!);
  const c2 = Math.hypot(q[1]!, q[2]!);
  let h1 = Math.atan2(p[2]!, p[1]!);
  let h2 = Math.atan2(q[2]!, q[1]!);
  if (c1 < ACHROMATIC) h1 = h2;
  if (c2 < ACHROMATIC) h2 = h1;
  let dh = h2 - h1;
  if (dh > Math.PI) dh -= 2 * Math.PI;
  if (dh < -Math.PI) dh += 2 * Math.PI;
  const L = p[0]! + (q[0]! - p[0]!) * t;
  const C = c1 + (c2 - c1) * t;
  const h = h1 + dh * t;
  return fromOklab(L, C * Math.cos(h), C * Math.sin(h), from.a + (to.a - from.a) * t);
}

/** Entries in a ramp table: shade values are quantised to 1/255, below what a point's colour can show. */
export const RAMP_SIZE = 256;

/** A RAMP_SIZE-entry RGBA8 table from `from` (entry 0) to `to` (last entry) through OKLCH. */
export function buildRamp(from: Rgba, to: Rgba): Uint8Array {
  const table = new Uint8Array(RAMP_SIZE * 4);
  for (let i = 0; i < RAMP_SIZE; i++) writeRgba8(table, i, mixOklch(from, to, i / (RAMP_SIZE - 1)));
  return table;
}

/** Writes `c` as 8-bit RGBA at entry `index` of `out`. */
export function writeRgba8(out: Uint8Array, index: number, c: Rgba): void {
  out[4 * index] = Math.round(c.r * 255);
  out[4 * index + 1] = Math.round(c.g * 255);
  out[4 * index + 2] = Math.round(c.b * 255);
  out[4 * index + 3] = Math.round(c.a * 255);
}
