import { el } from './dom';
import { shortToken } from './token-text';
import { Scatter } from './scatter/scatter';

/** Longest token shown in a hover tooltip or a point label. */
const LABEL_CHARS = 40;

/** The scatter with its hover tooltip and the labels of the selected token and its neighbours. */
export class PlotView {
  readonly element: HTMLElement;
  private readonly canvas = el('canvas', {
    attrs: { 'data-testid': 'scatter', tabindex: '0', 'aria-label': 'Scatter plot of the vocabulary' },
  });
  private readonly tooltip = el('div', { class: 'tooltip', attrs: { role: 'tooltip' } });
  private readonly labels = el('div', { class: 'labels' });
  private readonly scatter: Scatter;
  private tokens: readonly string[] = [];
  private labelled: number[] = [];

  constructor(select: (row: number) => void) {
    this.tooltip.hidden = true;
    this.element = el('div', { class: 'plot' }, [this.canvas, this.labels, this.tooltip]);
    this.scatter = new Scatter(this.canvas, {
      onHover: (index, clientX, clientY) => this.hover(index, clientX, clientY),
      onSelect: (index) => select(index),
      onViewChange: () => this.placeLabels(),
    });
  }

  /** New points: x,y pairs and an optional shade per point. */
  setPoints(tokens: readonly string[], xy: Float32Array, shade: Float32Array | undefined): void {
    this.tokens = tokens;
    this.scatter.setPoints(xy, shade);
    this.setLabelled([]);
  }

  /** Marks the selection (and labels it and its neighbours). */
  setSelection(row: number, neighbors: readonly number[]): void {
    this.scatter.setSelected(row);
    this.scatter.setNeighbors(Uint32Array.from(neighbors));
    this.setLabelled(row < 0 ? [] : [row, ...neighbors]);
  }

  /** Emphasises search hits. */
  setHighlighted(rows: Uint32Array): void {
    this.scatter.setHighlighted(rows);
  }

  /** Pans so the row is in view. */
  centerOn(row: number): void {
    this.scatter.centerOn(row);
    this.placeLabels();
  }

  get renderer(): string {
    return this.scatter.renderer;
  }

  dispose(): void {
    this.scatter.dispose();
  }

  private hover(index: number, clientX: number, clientY: number): void {
    if (index < 0) {
      this.tooltip.hidden = true;
      return;
    }
    const bounds = this.element.getBoundingClientRect();
    this.tooltip.replaceChildren(el('bdi', { text: shortToken(this.tokens[index] ?? `#${index}`, LABEL_CHARS) }));
    this.tooltip.hidden = false;
    this.tooltip.style.left = `${clientX - bounds.left + 12}px`;
    this.tooltip.style.top = `${clientY - bounds.top + 12}px`;
  }

  private setLabelled(rows: number[]): void {
    this.labelled = rows;
    this.labels.replaceChildren(
      ...rows.map((row, i) =>
        el('span', { class: i === 0 ? 'label selected' : 'label' }, [
          el('bdi', { text: shortToken(this.tokens[row] ?? `#${row}`, LABEL_CHARS) }),
        ]),
      ),
    );
    this.placeLabels();
  }

  private placeLabels(): void {
    this.labelled.forEach((row, i) => {
      const label = this.labels.children[i] as HTMLElement | undefined;
      const at = this.scatter.toClient(row);
      if (!label) return;
      label.hidden = at === undefined;
      if (at) label.style.transform = `translate(${Math.round(at.x + 6)}px, ${Math.round(at.y - 8)}px)`;
    });
  }
}
