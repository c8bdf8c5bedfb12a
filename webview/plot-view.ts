import { plotColours, plotPng, type PlotLabel } from './analysis/plot-export';
import { plotLegend, plotViewSvg } from './analysis/plot-view-svg';
import type { PlotLegend } from './analysis/svg-plot';
import { el, svgEl } from './dom';
import { shortToken } from './token-text';
import { Scatter } from './scatter/scatter';
import { PointIndex } from './point-index';

/** Longest token shown in a hover tooltip or a point label. */
const LABEL_CHARS = 40;

/** Points to draw: the vocabulary row of each, and their coordinates. */
export interface Layout {
  /** int32 vocabulary row per point; a joint layout lists the rows for U, then the same rows for V. */
  readonly rows: Int32Array;
  /** float32 coordinates, `dims` per point: x,y pairs or x,y,z triples. */
  readonly coords: Float32Array;
  readonly dims: 2 | 3;
  /** U and V rows in one picture: the two halves of `rows`. */
  readonly joint: boolean;
}

const LABEL_2D = 'Scatter plot of the vocabulary';
const LABEL_3D =
  '3-D scatter plot of the vocabulary: drag to turn, shift-drag or right-drag to pan, wheel to zoom, arrow keys turn, 0 resets';

/**
 * The scatter with its hover tooltip and the labels of the selected token and its neighbours. Callers speak in
 * vocabulary rows; the view maps them to points (a limited layout shows fewer, a joint one shows each row twice).
 * A 3-D layout gets a "Reset view" button and a hint on how to turn it. exportPng and exportSvg give the plot as shown.
 */
export class PlotView {
  readonly element: HTMLElement;
  private readonly canvas = el('canvas', {
    attrs: { 'data-testid': 'scatter', tabindex: '0', 'aria-label': LABEL_2D },
  });
  private readonly tooltip = el('div', { class: 'tooltip', attrs: { role: 'tooltip' } });
  private readonly labels = el('div', { class: 'labels' });
  private readonly link = svgEl('svg', { class: 'links', 'aria-hidden': 'true' });
  private readonly controls: HTMLElement;
  private readonly scatter: Scatter;
  private tokens: readonly string[] = [];
  private points = new PointIndex(new Int32Array(0), false);
  /** Points labelled now: the selection first. */
  private labelled: number[] = [];
  /** Emphasised points (the selection's neighbours, search hits), kept for the SVG export. */
  private neighborPoints: number[] = [];
  private highlightedPoints: number[] = [];
  private legend: { joint: boolean; shaded: boolean } = { joint: false, shaded: false };
  private caption = '';
  private hovered = -1;

  constructor(select: (row: number) => void) {
    this.tooltip.hidden = true;
    const reset = el('vscode-button', {
      text: 'Reset view',
      title: 'Show every point from the starting direction (key 0)',
      attrs: { secondary: '', 'data-testid': 'reset-view' },
    });
    reset.addEventListener('click', () => this.resetView());
    this.controls = el('div', { class: 'plot-controls' }, [
      el('span', { class: 'plot-hint', text: 'drag: turn · shift-drag: pan · wheel: zoom' }),
      reset,
    ]);
    this.controls.hidden = true;
    this.element = el('div', { class: 'plot' }, [this.canvas, this.link, this.labels, this.tooltip, this.controls]);
    this.scatter = new Scatter(this.canvas, {
      onHover: (index, clientX, clientY) => this.hover(index, clientX, clientY),
      onSelect: (index) => select(index < 0 ? -1 : this.points.rowOf(index)),
      onViewChange: () => this.placeOverlays(),
    });
  }

  /**
   * New points. `shadeByRow`: float32 per vocabulary row in [0, 1] (frequency rank); a joint layout is coloured by
   * matrix instead (U one colour, V the other).
   */
  setLayout(tokens: readonly string[], layout: Layout, shadeByRow: Float32Array | undefined): void {
    this.tokens = tokens;
    this.points = new PointIndex(layout.rows, layout.joint);
    const n = layout.rows.length;
    let shade: Float32Array | undefined;
    if (layout.joint) shade = Float32Array.from({ length: n }, (_, p) => (p < n / 2 ? 0 : 1));
    else if (shadeByRow) shade = Float32Array.from(layout.rows, (row) => shadeByRow[row] ?? Number.NaN);
    this.scatter.setPoints(layout.coords, shade, layout.dims);
    this.legend = { joint: layout.joint, shaded: shade !== undefined };
    this.controls.hidden = layout.dims !== 3;
    this.canvas.setAttribute('aria-label', layout.dims === 3 ? LABEL_3D : LABEL_2D);
    this.neighborPoints = [];
    this.highlightedPoints = [];
    this.setLabelled([]);
  }

  /** The same points moved (a layout being optimised; as many values per point as the layout). */
  moveLayout(coords: Float32Array): void {
    this.scatter.movePoints(coords);
  }

  /** How the picture was made, one line: drawn along the bottom of an exported PNG or SVG. */
  setCaption(text: string): void {
    this.caption = text;
  }

  /** Shows every point again: pan and zoom, and in 3-D the starting direction. */
  resetView(): void {
    this.scatter.fit();
  }

  /** 2 or 3: the layout's dimensions. */
  get dims(): 2 | 3 {
    return this.scatter.dims;
  }

  /**
   * PNG bytes of the plot as shown (2-D view or current 3-D rotation) with the visible labels, the legend and the
   * caption, at `scale` device px per CSS px (default: the screen's devicePixelRatio). The scatter is redrawn and
   * copied in one task, so a WebGL canvas is never read blank. Rejects when the plot has not been shown yet.
   */
  async exportPng(scale: number = window.devicePixelRatio || 1): Promise<Uint8Array> {
    const shot = this.scatter.snapshot(scale > 0 && Number.isFinite(scale) ? scale : 1);
    const labels: PlotLabel[] = [];
    this.labelled.forEach((point, i) => {
      const at = this.scatter.toClient(point);
      if (!at) return;
      const row = this.points.rowOf(point);
      const side = this.points.matrixOf(point);
      labels.push({ x: at.x, y: at.y, text: this.tokens[row] ?? `#${row}`, ...(side ? { suffix: ` ${side}` } : {}), selected: i === 0 });
    });
    const legend = this.currentLegend();
    return plotPng(shot.canvas, shot.scale, {
      labels,
      ...(this.caption ? { caption: this.caption } : {}),
      ...(legend ? { legend } : {}),
    });
  }

  /**
   * The plot as shown (2-D view or current 3-D rotation) as an SVG document: points in the theme's colours, the
   * selection, neighbours and search hits, labels (tokens escaped as XML text), legend and caption.
   */
  exportSvg(): string {
    return plotViewSvg({
      picture: this.scatter.picture(),
      tokens: this.tokens,
      points: this.points,
      labelled: this.labelled,
      neighbors: this.neighborPoints,
      highlighted: this.highlightedPoints,
      caption: this.caption,
      legend: this.currentLegend(),
      foreground: plotColours().foreground,
    });
  }

  /** Marks the selected row and labels it and its neighbours (rows not in the layout are skipped). */
  setSelection(row: number, neighbors: readonly number[]): void {
    const selected = row < 0 ? -1 : this.points.pointOf(row);
    this.scatter.setSelected(selected);
    const around = this.points.pointsOf(neighbors);
    this.neighborPoints = around;
    this.scatter.setNeighbors(Uint32Array.from(around));
    this.setLabelled(selected < 0 ? around : [selected, ...around]);
  }

  /** Emphasises search hits (vocabulary rows). */
  setHighlighted(rows: Uint32Array): void {
    this.highlightedPoints = this.points.pointsOf(rows);
    this.scatter.setHighlighted(Uint32Array.from(this.highlightedPoints));
  }

  /** Pans so the row is in view. */
  centerOn(row: number): void {
    const point = this.points.pointOf(row);
    if (point < 0) return;
    this.scatter.centerOn(point);
    this.placeOverlays();
  }

  /** Whether the row has a point in the current layout. */
  shows(row: number): boolean {
    return this.points.pointOf(row) >= 0;
  }

  get renderer(): string {
    return this.scatter.renderer;
  }

  dispose(): void {
    this.scatter.dispose();
  }

  private currentLegend(): PlotLegend | undefined {
    return plotLegend(this.legend.joint, this.legend.shaded, plotColours());
  }

  private hover(index: number, clientX: number, clientY: number): void {
    this.hovered = index;
    this.placeLink();
    if (index < 0) {
      this.tooltip.hidden = true;
      return;
    }
    const bounds = this.element.getBoundingClientRect();
    const token = shortToken(this.tokens[this.points.rowOf(index)] ?? `#${this.points.rowOf(index)}`, LABEL_CHARS);
    const side = this.points.matrixOf(index);
    this.tooltip.replaceChildren(el('bdi', { text: token }), ...(side ? [el('span', { class: 'side', text: ` (${side})` })] : []));
    this.tooltip.hidden = false;
    this.tooltip.style.left = `${clientX - bounds.left + 12}px`;
    this.tooltip.style.top = `${clientY - bounds.top + 12}px`;
  }

  private setLabelled(points: number[]): void {
    this.labelled = points;
    this.labels.replaceChildren(
      ...points.map((point, i) => {
        const row = this.points.rowOf(point);
        const side = this.points.matrixOf(point);
        return el('span', { class: i === 0 ? 'label selected' : 'label' }, [
          el('bdi', { text: shortToken(this.tokens[row] ?? `#${row}`, LABEL_CHARS) }),
          ...(side ? [el('span', { class: 'side', text: ` ${side}` })] : []),
        ]);
      }),
    );
    this.placeOverlays();
  }

  private placeOverlays(): void {
    this.labelled.forEach((point, i) => {
      const label = this.labels.children[i] as HTMLElement | undefined;
      const at = this.scatter.toClient(point);
      if (!label) return;
      label.hidden = at === undefined;
      if (at) label.style.transform = `translate(${Math.round(at.x + 6)}px, ${Math.round(at.y - 8)}px)`;
    });
    this.placeLink();
  }

  /** In a joint layout, a line from the hovered point to the same token's point in the other matrix. */
  private placeLink(): void {
    const twin = this.hovered < 0 ? -1 : this.points.twinOf(this.hovered);
    const from = twin < 0 ? undefined : this.scatter.toClient(this.hovered);
    const to = twin < 0 ? undefined : this.scatter.toClient(twin);
    if (!from || !to) {
      this.link.replaceChildren();
      return;
    }
    this.link.replaceChildren(
      svgEl('line', { x1: String(from.x), y1: String(from.y), x2: String(to.x), y2: String(to.y), class: 'link' }),
      svgEl('circle', { cx: String(to.x), cy: String(to.y), r: '5', class: 'link-end' }),
    );
  }
}
