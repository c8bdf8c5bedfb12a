import type { RowScore } from '../../src/protocol/view-data';
import { tokenLookup, type TokenSource } from '../../src/core/export/token-source';
import { el, tokenNode } from '../dom';
import { formatFixed, scoreBars } from './metric-text';

/** One neighbour list. `items` null: the list does not exist for this checkpoint (say why in `emptyText`). */
export interface NeighborColumn {
  /** e.g. "Nearest in U". */
  readonly title: string;
  /** e.g. "input vectors, cosine". */
  readonly subtitle: string;
  readonly items: readonly RowScore[] | null;
  /** Shown when `items` is null or empty, e.g. "No V in this checkpoint". */
  readonly emptyText: string;
  /** How score bars are scaled: cosines as they are (default), or relative to the list's largest (dot products). */
  readonly scale?: 'cosine' | 'relative';
}

/** What the view shows. */
export interface NeighborColumnsData {
  readonly columns: readonly NeighborColumn[];
  readonly tokens: TokenSource;
  /** The selected token, shown above the lists; omitted: no heading. */
  readonly heading?: string;
}

/** Longest token shown in full in a list; longer ones are cut with their full text in the tooltip. */
const LIST_TOKEN_CHARS = 60;

/**
 * Neighbour lists side by side (U, V, and cross uᵢ·V for the U-vs-V view); clicking a neighbour selects it. A token
 * found in more than one list carries a marker naming the others, which makes the lists' overlap visible.
 */
export class NeighborColumnsView {
  readonly element = el('section', { class: 'neighbor-columns', attrs: { 'data-testid': 'neighbor-columns' } });

  constructor(
    parent: HTMLElement,
    data: NeighborColumnsData,
    private readonly onSelect: (row: number) => void,
  ) {
    this.element.addEventListener('click', this.onClick);
    parent.append(this.element);
    this.update(data);
  }

  /** Shows new lists (a snapshot: everything is redrawn). */
  update(data: NeighborColumnsData): void {
    const tokenAt = tokenLookup(data.tokens);
    const listsOf = new Map<number, number[]>();
    data.columns.forEach((column, index) => {
      for (const item of column.items ?? []) {
        const lists = listsOf.get(item.row);
        if (!lists) listsOf.set(item.row, [index]);
        else if (!lists.includes(index)) lists.push(index);
      }
    });
    const children: HTMLElement[] = [];
    if (data.heading !== undefined)
      children.push(el('h2', { attrs: { 'data-testid': 'neighbor-columns-token' } }, [tokenNode(data.heading, LIST_TOKEN_CHARS)]));
    const grid = el(
      'div',
      { class: 'nc-grid' },
      data.columns.map((column, index) => this.column(column, index, data.columns, tokenAt, listsOf)),
    );
    grid.style.setProperty('--nc-count', String(Math.max(1, data.columns.length)));
    children.push(grid);
    this.element.replaceChildren(...children);
  }

  /** Removes the lists. */
  dispose(): void {
    this.element.removeEventListener('click', this.onClick);
    this.element.remove();
  }

  private column(
    column: NeighborColumn,
    index: number,
    all: readonly NeighborColumn[],
    tokenAt: (row: number) => string,
    listsOf: Map<number, number[]>,
  ): HTMLElement {
    const head = el('header', { class: 'nc-head' }, [
      el('h3', { text: column.title }),
      el('p', { class: 'nc-subtitle', text: column.subtitle }),
    ]);
    const items = column.items ?? [];
    if (items.length === 0) {
      return el('div', { class: 'nc-column', attrs: { 'data-column': String(index) } }, [
        head,
        el('p', { class: 'hint nc-empty', text: column.emptyText }),
      ]);
    }
    const bars = scoreBars(
      items.map((item) => item.score),
      column.scale ?? 'cosine',
    );
    const list = el(
      'ol',
      { attrs: { 'aria-label': column.title } },
      items.map((item, rank) => {
        const others = (listsOf.get(item.row) ?? []).filter((other) => other !== index).map((other) => all[other]?.title ?? '');
        const marker = el('span', { class: 'nc-shared', text: others.length > 0 ? '◆' : '' });
        if (others.length > 0) {
          marker.title = `Also in: ${others.join('; ')}`;
          marker.setAttribute('aria-label', marker.title);
        }
        const button = el('button', { class: 'neighbor', attrs: { type: 'button', 'data-row': String(item.row) } }, [
          el('span', { class: 'rank', text: String(rank + 1) }),
          tokenNode(tokenAt(item.row), LIST_TOKEN_CHARS),
          marker,
          el('span', { class: 'score', text: formatFixed(item.score, 3) }),
        ]);
        button.style.setProperty('--score', String(bars[rank] ?? 0));
        return el('li', {}, [button]);
      }),
    );
    return el('div', { class: 'nc-column', attrs: { 'data-column': String(index) } }, [head, list]);
  }

  private readonly onClick = (event: MouseEvent): void => {
    const button = (event.target as Element | null)?.closest('button.neighbor');
    const row = Number((button as HTMLElement | null)?.dataset['row'] ?? NaN);
    if (Number.isInteger(row)) this.onSelect(row);
  };
}
