// Exports of the current plot: a PNG of a snapshot of the scatter (Scatter.snapshot draws and copies it in one task,
// so a WebGL canvas that does not keep its drawing buffer is never read blank) with labels, legend and caption drawn
// in, and the SVG document as a Blob.
import { parseCssColour, type Rgba } from '../scatter/colour';
import { readTheme, type ScatterTheme } from '../scatter/theme';
import { hexColour, type PlotLegend } from './svg-plot';

/** A label drawn on the exported picture, at CSS px from the canvas's top-left corner (as Scatter.toClient gives). */
export interface PlotLabel {
  readonly x: number;
  readonly y: number;
  readonly text: string;
  /** Drawn after the token, outside its direction isolate (" U" / " V" in a joint layout). */
  readonly suffix?: string;
  readonly selected?: boolean;
}

/** What is drawn over the points of an exported PNG. */
export interface PngOverlay {
  readonly labels?: readonly PlotLabel[];
  /** A line of text along the bottom edge (e.g. how the projection was made); cut to the picture's width. */
  readonly caption?: string;
  readonly legend?: PlotLegend;
}

/** The scatter's theme colours plus the text colour, read from the page (VS Code's theme variables). */
export interface PlotColours extends ScatterTheme {
  readonly foreground: Rgba;
}

/** Reads the colours an export should use from the current theme. */
export function plotColours(): PlotColours {
  const theme = readTheme(document.body);
  const foreground = parseCssColour(getComputedStyle(document.body).color) ?? theme.selection;
  return { ...theme, foreground };
}

/** Longest label drawn, as in the panel. */
const LABEL_CHARS = 40;

/**
 * PNG bytes of `picture` (a snapshot at `scale` device px per CSS px, drawn on in place) with the overlay's labels,
 * legend and caption. Rejects when the canvas cannot be encoded.
 */
export async function plotPng(picture: HTMLCanvasElement, scale: number, overlay: PngOverlay): Promise<Uint8Array> {
  const ctx = picture.getContext('2d');
  if (!ctx) throw new Error('PNG export: no 2D canvas context');
  const colours = plotColours();
  drawOverlay(ctx, overlay, scale, colours);
  const blob = await new Promise<Blob>((resolve, reject) =>
    picture.toBlob((b) => (b ? resolve(b) : reject(new Error('PNG export: the canvas could not be encoded'))), 'image/png'),
  );
  return blobBytes(blob);
}

function drawOverlay(ctx: CanvasRenderingContext2D, overlay: PngOverlay, scale: number, colours: PlotColours): void {
  const style = getComputedStyle(document.body);
  const fontPx = (parseFloat(style.fontSize) || 13) * 0.9 * scale;
  const family = style.fontFamily || 'sans-serif';
  const halo = (text: string, x: number, y: number): void => {
    ctx.strokeStyle = hexColour(colours.background);
    ctx.lineWidth = 3 * scale;
    ctx.strokeText(text, x, y);
    ctx.fillStyle = hexColour(colours.foreground);
    ctx.fillText(text, x, y);
  };
  ctx.textBaseline = 'middle';
  ctx.lineJoin = 'round';
  // The selection's label last, so it is drawn over its neighbours' (they crowd around it).
  const labels = [...(overlay.labels ?? [])].sort((a, b) => Number(a.selected ?? false) - Number(b.selected ?? false));
  for (const label of labels) {
    ctx.font = `${label.selected ? '600 ' : ''}${fontPx}px ${family}`;
    const chars = Array.from(label.text);
    // fillText never interprets markup; FSI … PDI isolates the token's direction as <bdi> does.
    const text = `\u2068${chars.length > LABEL_CHARS ? `${chars.slice(0, LABEL_CHARS - 1).join('')}…` : label.text}\u2069`;
    halo(text + (label.suffix ?? ''), (label.x + 6) * scale, (label.y - 8) * scale);
  }
  ctx.font = `${fontPx}px ${family}`;
  const legend = overlay.legend;
  if (legend?.kind === 'swatches') {
    let x = 8 * scale;
    for (const item of legend.items) {
      ctx.fillStyle = hexColour(item.colour);
      ctx.beginPath();
      ctx.arc(x + 5 * scale, 12 * scale, 5 * scale, 0, 2 * Math.PI);
      ctx.fill();
      halo(item.label, x + 14 * scale, 12 * scale);
      x += 14 * scale + ctx.measureText(item.label).width + 12 * scale;
    }
  } else if (legend?.kind === 'ramp') {
    const gradient = ctx.createLinearGradient(8 * scale, 0, 68 * scale, 0);
    gradient.addColorStop(0, hexColour(legend.from));
    gradient.addColorStop(1, hexColour(legend.to));
    ctx.fillStyle = gradient;
    ctx.fillRect(8 * scale, 8 * scale, 60 * scale, 8 * scale);
    halo(legend.label, 74 * scale, 12 * scale);
  }
  if (overlay.caption) {
    ctx.globalAlpha = 0.8;
    halo(fitText(ctx, overlay.caption, ctx.canvas.width - 16 * scale), 8 * scale, ctx.canvas.height - 10 * scale);
    ctx.globalAlpha = 1;
  }
}

/** `text`, cut with an ellipsis (at whole code points) to at most `maxWidth` px in the context's font. */
function fitText(ctx: CanvasRenderingContext2D, text: string, maxWidth: number): string {
  if (ctx.measureText(text).width <= maxWidth) return text;
  const chars = Array.from(text);
  let lo = 0;
  let hi = chars.length;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (ctx.measureText(`${chars.slice(0, mid).join('')}…`).width <= maxWidth) lo = mid;
    else hi = mid - 1;
  }
  return `${chars.slice(0, lo).join('')}…`;
}

/** The SVG text as a Blob of type image/svg+xml. */
export function svgBlob(svg: string): Blob {
  return new Blob([svg], { type: 'image/svg+xml' });
}

/** A Blob's bytes, to post to the host for saving (webviews cannot download files themselves). */
export async function blobBytes(blob: Blob): Promise<Uint8Array> {
  return new Uint8Array(await blob.arrayBuffer());
}
