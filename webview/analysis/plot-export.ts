// Exports of the current plot: a PNG of the scatter canvas with its labels drawn in, and the SVG document as a Blob.
// The scatter's WebGL canvas does not keep its drawing buffer (preserveDrawingBuffer: false), so the copy is taken
// in the animation frame right after a redraw, when the buffer still holds the picture.
import { parseCssColour, type Rgba } from '../scatter/colour';
import { readTheme, type ScatterTheme } from '../scatter/theme';
import { hexColour } from './svg-plot';

/** A label drawn on the exported picture, at CSS px from the canvas's top-left corner (as Scatter.toClient gives). */
export interface PlotLabel {
  readonly x: number;
  readonly y: number;
  readonly text: string;
  readonly selected?: boolean;
}

/** What capturePlotPng needs besides the canvas. */
export interface PngOptions {
  /** Makes the scatter draw a frame now (e.g. scatter.setSelected(current)): its requestAnimationFrame must run before ours. */
  redraw(): void;
  readonly labels?: readonly PlotLabel[];
  /** A line of text along the bottom edge (e.g. how the projection was made). */
  readonly caption?: string;
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
 * A PNG of the canvas as shown (device pixels), on the theme's background, with `labels` drawn over it. Resolves
 * once encoded; rejects when the canvas cannot be read or encoded.
 */
export function capturePlotPng(canvas: HTMLCanvasElement, options: PngOptions): Promise<Blob> {
  const colours = plotColours();
  return new Promise<Blob>((resolve, reject) => {
    options.redraw();
    requestAnimationFrame(() => {
      try {
        const out = document.createElement('canvas');
        out.width = canvas.width;
        out.height = canvas.height;
        const ctx = out.getContext('2d');
        if (!ctx) throw new Error('PNG export: no 2D canvas context');
        ctx.fillStyle = hexColour(colours.background);
        ctx.fillRect(0, 0, out.width, out.height);
        ctx.drawImage(canvas, 0, 0);
        const scale = canvas.clientWidth > 0 ? canvas.width / canvas.clientWidth : window.devicePixelRatio || 1;
        drawLabels(ctx, options.labels ?? [], options.caption, scale, colours);
        out.toBlob((blob) => (blob ? resolve(blob) : reject(new Error('PNG export: the canvas could not be encoded'))), 'image/png');
      } catch (error) {
        reject(error instanceof Error ? error : new Error(String(error)));
      }
    });
  });
}

function drawLabels(
  ctx: CanvasRenderingContext2D,
  labels: readonly PlotLabel[],
  caption: string | undefined,
  scale: number,
  colours: PlotColours,
): void {
  const style = getComputedStyle(document.body);
  const fontPx = (parseFloat(style.fontSize) || 13) * 0.9 * scale;
  const family = style.fontFamily || 'sans-serif';
  ctx.textBaseline = 'middle';
  ctx.lineJoin = 'round';
  for (const label of labels) {
    ctx.font = `${label.selected ? '600 ' : ''}${fontPx}px ${family}`;
    const chars = Array.from(label.text);
    // fillText never interprets markup; FSI … PDI isolates the token's direction as <bdi> does.
    const text = `\u2068${chars.length > LABEL_CHARS ? `${chars.slice(0, LABEL_CHARS - 1).join('')}…` : label.text}\u2069`;
    const x = (label.x + 6) * scale;
    const y = (label.y - 8) * scale;
    ctx.strokeStyle = hexColour(colours.background);
    ctx.lineWidth = 3 * scale;
    ctx.strokeText(text, x, y);
    ctx.fillStyle = hexColour(colours.foreground);
    ctx.fillText(text, x, y);
  }
  if (caption) {
    ctx.font = `${fontPx}px ${family}`;
    ctx.fillStyle = hexColour(colours.foreground);
    ctx.globalAlpha = 0.8;
    ctx.fillText(caption, 8 * scale, ctx.canvas.height - 10 * scale);
    ctx.globalAlpha = 1;
  }
}

/** The SVG text as a Blob of type image/svg+xml. */
export function svgBlob(svg: string): Blob {
  return new Blob([svg], { type: 'image/svg+xml' });
}

/** A Blob's bytes, to post to the host for saving (webviews cannot download files themselves). */
export async function blobBytes(blob: Blob): Promise<Uint8Array> {
  return new Uint8Array(await blob.arrayBuffer());
}
