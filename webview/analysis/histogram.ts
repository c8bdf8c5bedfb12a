import { el, svgEl as svgElement } from '../dom';
import { binRange, histogram, niceTicks, rangeText, type BinRange, type Histogram } from './histogram-bins';
import { formatCount, formatTick } from './metric-text';

/** What the histogram shows. */
export interface HistogramData {
  /** One value per token (e.g. cos(uᵢ, vᵢ)); NaN and ±Infinity are counted apart and listed under the chart. */
  readonly values: ArrayLike<number>;
  readonly bins: number;
  /** What the x axis measures, e.g. "cos(uᵢ, vᵢ)". */
  readonly axisLabel: string;
  /** Fixed x range (e.g. [-1, 1] for cosines); default: the data's range. */
  readonly range?: readonly [number, number];
  /** A value to mark with a line (the selected token's), and the text beside it (a token: shown as text only). */
  readonly marked?: number | null;
  readonly markedLabel?: string;
  /** The bin shown as chosen (the table filter), or null. */
  readonly selectedBin?: number | null;
}

/** What the histogram reports. */
export interface HistogramEvents {
  /** A bar was clicked (or chosen with Enter): its range; null when the chosen bar was clicked again (or Escape). */
  onBinClick?(range: BinRange | null): void;
}

/** Chart height and the room kept for axis text (CSS px). */
const HEIGHT = 132;
const MARGIN = { left: 44, right: 10, top: 14, bottom: 20 };
/** About one x tick per this many px. */
const TICK_SPACING = 64;
/** Longest marked-value label. */
const MARK_LABEL_CHARS = 24;

/** Histograms made so far: gives each tooltip a unique id for aria-describedby. */
let histogramCount = 0;

/** A histogram as inline SVG with hover tooltips, click-to-filter bars and keyboard access. */
export class HistogramView {
  readonly element: HTMLElement;
  private readonly svg = svgEl('svg', { class: 'histogram-chart', height: HEIGHT, tabindex: 0, role: 'group' });
  private readonly caption = el('figcaption', { class: 'histogram-caption' });
  private readonly tooltip = el('div', { class: 'tooltip histogram-tooltip', attrs: { role: 'tooltip' } });
  private readonly live = el('span', { class: 'visually-hidden', attrs: { 'aria-live': 'polite' } });
  private readonly resizeObserver: ResizeObserver;
  private data: HistogramData;
  private hist: Histogram;
  private width = 0;
  private selected: number | null = null;
  private active = -1;

  constructor(
    parent: HTMLElement,
    data: HistogramData,
    private readonly events: HistogramEvents = {},
  ) {
    this.tooltip.hidden = true;
    this.tooltip.id = `histogram-tip-${++histogramCount}`;
    this.svg.setAttribute('aria-describedby', this.tooltip.id);
    this.element = el('figure', { class: 'histogram', attrs: { 'data-testid': 'histogram' } }, [
      this.svg,
      this.caption,
      this.tooltip,
      this.live,
    ]);
    this.data = data;
    this.hist = histogram(data.values, { bins: data.bins, ...(data.range ? { range: data.range } : {}) });
    this.selected = data.selectedBin ?? null;
    this.svg.addEventListener('pointermove', this.onPointerMove);
    this.svg.addEventListener('pointerleave', this.onPointerLeave);
    this.svg.addEventListener('click', this.onClick);
    this.svg.addEventListener('keydown', this.onKeyDown);
    this.svg.addEventListener('blur', this.onPointerLeave);
    parent.append(this.element);
    this.resizeObserver = new ResizeObserver(() => this.resize());
    this.resizeObserver.observe(this.element);
    this.resize();
  }

  /** The binned data currently shown. */
  get current(): Histogram {
    return this.hist;
  }

  /** Shows new data (rebins). */
  update(data: HistogramData): void {
    this.data = data;
    this.hist = histogram(data.values, { bins: data.bins, ...(data.range ? { range: data.range } : {}) });
    this.selected = data.selectedBin ?? null;
    if (this.selected !== null && this.selected >= this.hist.bins) this.selected = null;
    this.active = -1;
    this.tooltip.hidden = true;
    this.render();
  }

  /** Stops observing and removes the chart. */
  dispose(): void {
    this.resizeObserver.disconnect();
    this.element.remove();
  }

  private resize(): void {
    const width = Math.floor(this.element.clientWidth);
    if (width <= 0 || width === this.width) return;
    this.width = width;
    this.render();
  }

  private get plotWidth(): number {
    return Math.max(1, this.width - MARGIN.left - MARGIN.right);
  }

  private render(): void {
    const h = this.hist;
    const svg = this.svg;
    const width = Math.max(this.width, MARGIN.left + MARGIN.right + 1);
    svg.setAttribute('width', String(width));
    svg.setAttribute('viewBox', `0 0 ${width} ${HEIGHT}`);
    svg.setAttribute('aria-label', `Histogram of ${this.data.axisLabel}: arrow keys choose a bar, Enter filters by it, Escape clears`);
    const plotH = HEIGHT - MARGIN.top - MARGIN.bottom;
    const baseline = MARGIN.top + plotH;
    const children: SVGElement[] = [];
    if (h.bins === 0) {
      children.push(text(width / 2, HEIGHT / 2, 'No finite values to show', 'middle', 'histogram-empty'));
      svg.replaceChildren(...children);
      this.renderCaption();
      return;
    }
    const barW = this.plotWidth / h.bins;
    // Bars: a gap only when bars are wide enough to spare one; 1 px minimum height so a count of 1 is visible.
    const gap = barW >= 4 ? 1 : 0;
    for (let b = 0; b < h.bins; b++) {
      const count = h.counts[b] as number;
      const barH = count === 0 ? 0 : Math.max(1, (count / h.maxCount) * plotH);
      const cls = `histogram-bar${b === this.selected ? ' selected' : ''}${b === this.active ? ' active' : ''}`;
      children.push(
        svgEl('rect', {
          class: cls,
          x: MARGIN.left + b * barW + gap / 2,
          y: baseline - barH,
          width: Math.max(0.5, barW - gap),
          height: barH,
        }),
      );
    }
    children.push(
      svgEl('line', { class: 'histogram-axis', x1: MARGIN.left, x2: MARGIN.left + this.plotWidth, y1: baseline + 0.5, y2: baseline + 0.5 }),
    );
    // y: the tallest bar's count at its top, 0 at the baseline.
    children.push(text(MARGIN.left - 6, MARGIN.top + 4, formatCount(h.maxCount), 'end', 'histogram-tick'));
    children.push(text(MARGIN.left - 6, baseline, '0', 'end', 'histogram-tick'));
    for (const tick of this.ticks()) {
      const x = this.xOf(tick);
      children.push(svgEl('line', { class: 'histogram-axis', x1: x, x2: x, y1: baseline, y2: baseline + 4 }));
      const anchor = x - MARGIN.left < 12 ? 'start' : MARGIN.left + this.plotWidth - x < 12 ? 'end' : 'middle';
      children.push(text(x, baseline + 15, formatTick(tick), anchor, 'histogram-tick'));
    }
    const marked = this.data.marked;
    if (marked !== undefined && marked !== null && Number.isFinite(marked) && marked >= h.lo && marked <= h.hi) {
      const x = this.xOf(marked);
      children.push(svgEl('line', { class: 'histogram-mark', x1: x, x2: x, y1: MARGIN.top - 4, y2: baseline }));
      const token = this.data.markedLabel ? `\u2068${shorten(this.data.markedLabel, MARK_LABEL_CHARS)}\u2069 ` : '';
      // FSI … PDI isolates the token's direction, as <bdi> does in HTML.
      const label = `${token}${formatTick(marked)}`;
      const right = x < MARGIN.left + this.plotWidth / 2;
      children.push(text(x + (right ? 4 : -4), MARGIN.top - 4, label, right ? 'start' : 'end', 'histogram-mark-label'));
    }
    svg.replaceChildren(...children);
    this.renderCaption();
  }

  private renderCaption(): void {
    const h = this.hist;
    const apart: string[] = [];
    if (h.nan > 0) apart.push(`${formatCount(h.nan)} NaN`);
    if (h.posInf > 0) apart.push(`${formatCount(h.posInf)} +∞`);
    if (h.negInf > 0) apart.push(`${formatCount(h.negInf)} −∞`);
    if (h.below > 0) apart.push(`${formatCount(h.below)} below ${formatTick(h.lo)}`);
    if (h.above > 0) apart.push(`${formatCount(h.above)} above ${formatTick(h.hi)}`);
    const parts = [el('span', { class: 'histogram-axis-label', text: this.data.axisLabel })];
    parts.push(el('span', { class: 'histogram-total', text: `${formatCount(h.binned)} tokens` }));
    if (h.degenerate) parts.push(el('span', { class: 'histogram-note', text: `all equal to ${formatTick(h.lo)}` }));
    if (apart.length > 0) parts.push(el('span', { class: 'histogram-note', text: `not shown: ${apart.join(', ')}` }));
    this.caption.replaceChildren(...parts);
  }

  private ticks(): number[] {
    const h = this.hist;
    if (h.degenerate) return [h.lo];
    return niceTicks(h.lo, h.hi, Math.max(2, Math.floor(this.plotWidth / TICK_SPACING)));
  }

  private xOf(value: number): number {
    const h = this.hist;
    if (h.degenerate) return MARGIN.left + this.plotWidth / 2;
    return MARGIN.left + ((value - h.lo) / (h.hi - h.lo)) * this.plotWidth;
  }

  private binAt(clientX: number): number {
    const bounds = this.svg.getBoundingClientRect();
    const x = clientX - bounds.left - MARGIN.left;
    if (x < 0 || x >= this.plotWidth || this.hist.bins === 0) return -1;
    return Math.min(this.hist.bins - 1, Math.floor(x / (this.plotWidth / this.hist.bins)));
  }

  private setActive(bin: number): void {
    if (bin === this.active) return;
    this.active = bin;
    this.render();
    if (bin < 0) {
      this.tooltip.hidden = true;
      return;
    }
    const range = binRange(this.hist, bin);
    const text = `${rangeText(range, this.hist.degenerate)}: ${formatCount(range.count)} token${range.count === 1 ? '' : 's'}`;
    this.tooltip.textContent = text;
    this.tooltip.hidden = false;
    const barW = this.plotWidth / this.hist.bins;
    const x = MARGIN.left + (bin + 0.5) * barW;
    // Keep the tooltip inside the figure: flip to the left of the bar past the middle.
    const left = x < this.width / 2;
    this.tooltip.style.left = left ? `${Math.round(x + 8)}px` : '';
    this.tooltip.style.right = left ? '' : `${Math.round(this.width - x + 8)}px`;
    this.tooltip.style.top = `${MARGIN.top}px`;
  }

  private choose(bin: number): void {
    if (bin < 0) return;
    this.selected = this.selected === bin ? null : bin;
    this.render();
    const range = this.selected === null ? null : binRange(this.hist, bin);
    this.live.textContent = range ? `Filtered to ${rangeText(range, this.hist.degenerate)}` : 'Filter cleared';
    this.events.onBinClick?.(range);
  }

  private readonly onPointerMove = (event: PointerEvent): void => this.setActive(this.binAt(event.clientX));
  private readonly onPointerLeave = (): void => this.setActive(-1);
  private readonly onClick = (event: MouseEvent): void => this.choose(this.binAt(event.clientX));

  private readonly onKeyDown = (event: KeyboardEvent): void => {
    const bins = this.hist.bins;
    if (bins === 0) return;
    const from = this.active >= 0 ? this.active : (this.selected ?? -1);
    let next = -2;
    if (event.key === 'ArrowRight') next = Math.min(bins - 1, from + 1);
    else if (event.key === 'ArrowLeft') next = from < 0 ? bins - 1 : Math.max(0, from - 1);
    else if (event.key === 'Home') next = 0;
    else if (event.key === 'End') next = bins - 1;
    else if (event.key === 'Enter' || event.key === ' ') {
      event.preventDefault();
      this.choose(from);
      return;
    } else if (event.key === 'Escape' && this.selected !== null) {
      this.selected = null;
      this.render();
      this.events.onBinClick?.(null);
      return;
    }
    if (next === -2) return;
    event.preventDefault();
    this.setActive(next);
  };
}

/** An SVG element with numeric attributes written as text. */
function svgEl<K extends keyof SVGElementTagNameMap>(tag: K, attrs: Record<string, string | number>): SVGElementTagNameMap[K] {
  return svgElement(tag, Object.fromEntries(Object.entries(attrs).map(([name, value]) => [name, String(value)])));
}

function text(x: number, y: number, content: string, anchor: 'start' | 'middle' | 'end', cls: string): SVGTextElement {
  const node = svgEl('text', { x, y, 'text-anchor': anchor, class: cls });
  node.textContent = content;
  return node;
}

function shorten(token: string, max: number): string {
  const chars = Array.from(token);
  return chars.length > max ? `${chars.slice(0, max - 1).join('')}…` : token;
}
