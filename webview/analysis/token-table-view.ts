import { tokenLookup, type TokenSource } from '../../src/core/export/token-source';
import { el, tokenNode } from '../dom';
import { formatCount } from './metric-text';
import { filterOrder, identityOrder, positionsOf, sortByText, sortByValues, type ColumnValues, type SortDirection } from './table-order';
import { isNavigationKey, nextPosition, revealScrollTop, rowWindow } from './virtual-window';

/** A numeric column of the per-token table. */
export interface TableColumn {
  readonly id: string;
  readonly label: string;
  /** One value per row (NaN: no value, sorted last). */
  readonly values: ColumnValues;
  format(value: number): string;
  /** What the column means (the header's tooltip). */
  readonly description: string;
  /** First direction when the header is clicked (default: descending, largest first). */
  readonly firstDirection?: SortDirection;
}

/** What the table shows. */
export interface TokenTableData {
  readonly columns: readonly TableColumn[];
  readonly tokens: TokenSource;
  readonly rowCount: number;
}

/** What the table reports. */
export interface TokenTableEvents {
  /** A row was clicked or reached with the keyboard. */
  onSelect(row: number): void;
  /** The user cleared the filter with the table's own button. */
  onFilterCleared?(): void;
}

/** The column sorted by: a column id, or 'token', with its direction. No sort (null) is row order. */
export interface TableSort {
  readonly column: string;
  readonly direction: SortDirection;
}

/** Longest token shown in a cell; the full token is in the tooltip. */
const CELL_TOKEN_CHARS = 48;
/** Rows rendered beyond each edge of the viewport, so a fast scroll does not show blank space for a frame. */
const OVERSCAN_ROWS = 8;
/** Row height relative to the font size (line height plus padding). */
const ROW_EM = 1.75;
const TOKEN_COLUMN = 'token';

/** A sortable, filterable, virtualised table of tokens (only the rows in view are in the DOM). */
export class TokenTableView {
  readonly element: HTMLElement;
  private readonly status = el('div', { class: 'tt-status', attrs: { 'aria-live': 'polite' } });
  private readonly header = el('div', { class: 'tt-header', attrs: { role: 'row' } });
  private readonly body = el('div', { class: 'tt-body', attrs: { tabindex: '0', role: 'rowgroup' } });
  private readonly spacer = el('div', { class: 'tt-spacer' });
  private readonly rowsBox = el('div', { class: 'tt-rows' });
  private readonly resizeObserver: ResizeObserver;
  private data: TokenTableData;
  private tokenAt: (row: number) => string;
  private sort: TableSort | null = null;
  private sorted: Uint32Array;
  private visible: Uint32Array;
  private positions: Int32Array;
  private filter: ((row: number) => boolean) | null = null;
  private filterText = '';
  private selected = -1;
  private rowPx = 22;
  private viewportPx = 0;
  private raf = 0;

  constructor(
    parent: HTMLElement,
    data: TokenTableData,
    private readonly events: TokenTableEvents,
  ) {
    this.data = data;
    this.tokenAt = tokenLookup(data.tokens);
    this.sorted = identityOrder(data.rowCount);
    this.visible = this.sorted;
    this.positions = positionsOf(this.visible, data.rowCount);
    this.spacer.append(this.rowsBox);
    this.body.append(this.spacer);
    this.element = el('div', { class: 'token-table', attrs: { role: 'grid', 'data-testid': 'token-table' } }, [
      this.status,
      this.header,
      this.body,
    ]);
    this.body.addEventListener('scroll', this.schedule, { passive: true });
    this.body.addEventListener('keydown', this.onKeyDown);
    this.body.addEventListener('click', this.onClick);
    parent.append(this.element);
    this.measure();
    this.resizeObserver = new ResizeObserver(() => {
      this.measure();
      this.schedule();
    });
    this.resizeObserver.observe(this.body);
    this.renderHeader();
    this.renderStatus();
    this.renderRows();
  }

  /** The rows shown, in display order (sorted and filtered): what an export of "the table" should write. */
  get order(): Uint32Array {
    return this.visible;
  }

  /** The current sort; null is row order (the vocabulary's own order, usually by frequency). */
  get sorting(): TableSort | null {
    return this.sort;
  }

  /** New data; the sort is kept when its column still exists, the filter is kept, and the selection if its row does. */
  update(data: TokenTableData): void {
    this.data = data;
    this.tokenAt = tokenLookup(data.tokens);
    const column = this.sort?.column;
    if (column !== undefined && column !== TOKEN_COLUMN && !data.columns.some((c) => c.id === column)) this.sort = null;
    if (this.selected >= data.rowCount) this.selected = -1;
    this.resort();
    this.renderHeader();
  }

  /** Sorts by a column id (or 'token'); stable from row order, NaN last. Null: back to row order. */
  sortBy(sort: TableSort | null): void {
    this.sort = sort;
    this.resort();
    this.renderHeader();
  }

  /** Shows only rows passing `keep` (null: all); `description` says what the filter is, e.g. "cos in [0.1, 0.2)". */
  setFilter(keep: ((row: number) => boolean) | null, description = ''): void {
    this.filter = keep;
    this.filterText = keep ? description : '';
    this.refilter();
  }

  /** Marks `row` as selected and scrolls it into view; does not call onSelect. False when the row is filtered out. */
  select(row: number): boolean {
    this.selected = row;
    const position = row >= 0 && row < this.positions.length ? (this.positions[row] as number) : -1;
    if (position >= 0) this.reveal(position);
    this.renderRows();
    return position >= 0;
  }

  /** Stops listening and removes the table. */
  dispose(): void {
    if (this.raf) cancelAnimationFrame(this.raf);
    this.resizeObserver.disconnect();
    this.element.remove();
  }

  private resort(): void {
    const base = identityOrder(this.data.rowCount);
    const sort = this.sort;
    const values = sort && this.data.columns.find((c) => c.id === sort.column)?.values;
    this.sorted = values
      ? sortByValues(base, values, sort.direction)
      : sort?.column === TOKEN_COLUMN
        ? sortByText(base, this.tokenAt, sort.direction)
        : base;
    this.refilter();
  }

  private refilter(): void {
    this.visible = this.filter ? filterOrder(this.sorted, this.filter) : this.sorted;
    this.positions = positionsOf(this.visible, this.data.rowCount);
    this.renderStatus();
    const position = this.selected >= 0 ? (this.positions[this.selected] ?? -1) : -1;
    if (position >= 0) this.reveal(position);
    else this.body.scrollTop = 0;
    this.renderRows();
  }

  private measure(): void {
    const fontPx = parseFloat(getComputedStyle(this.element).fontSize) || 13;
    this.rowPx = Math.round(fontPx * ROW_EM);
    this.element.style.setProperty('--tt-row-px', `${this.rowPx}px`);
    this.viewportPx = this.body.clientHeight;
    // The header sits outside the scroller: pad it by the scrollbar's width so its columns line up with the rows'.
    this.header.style.paddingInlineEnd = `${this.body.offsetWidth - this.body.clientWidth}px`;
  }

  private renderHeader(): void {
    const columns = this.data.columns;
    this.element.style.setProperty('--tt-columns', `minmax(6em, 1.2fr) repeat(${columns.length}, minmax(5em, 1fr))`);
    this.element.setAttribute('aria-colcount', String(columns.length + 1));
    const heads = [{ id: TOKEN_COLUMN, label: 'Token', description: 'The token (click to sort A→Z)', numeric: false }].concat(
      columns.map((c) => ({ id: c.id, label: c.label, description: c.description, numeric: true })),
    );
    this.header.replaceChildren(
      ...heads.map((head) => {
        const direction = this.sort?.column === head.id ? this.sort.direction : undefined;
        const active = direction !== undefined;
        const arrow = direction === 'asc' ? '\u00a0▲' : direction === 'desc' ? '\u00a0▼' : '';
        const button = el('button', {
          class: `tt-head${head.numeric ? ' numeric' : ''}${active ? ' active' : ''}`,
          text: `${head.label}${arrow}`,
          title: head.description,
          attrs: {
            type: 'button',
            role: 'columnheader',
            'aria-sort': direction === 'asc' ? 'ascending' : direction === 'desc' ? 'descending' : 'none',
            'data-column': head.id,
          },
        });
        button.addEventListener('click', () => this.onHeaderClick(head.id));
        return button;
      }),
    );
  }

  private onHeaderClick(column: string): void {
    if (this.sort?.column === column) {
      this.sortBy({ column, direction: this.sort.direction === 'asc' ? 'desc' : 'asc' });
      return;
    }
    const first = column === TOKEN_COLUMN ? 'asc' : (this.data.columns.find((c) => c.id === column)?.firstDirection ?? 'desc');
    this.sortBy({ column, direction: first });
  }

  private renderStatus(): void {
    const total = this.data.rowCount;
    const shown = this.visible.length;
    const parts: (HTMLElement | string)[] = [
      el('span', { text: this.filter ? `${formatCount(shown)} of ${formatCount(total)} tokens` : `${formatCount(total)} tokens` }),
    ];
    this.element.setAttribute('aria-rowcount', String(shown + 1));
    if (this.filter) {
      if (this.filterText) parts.push(el('span', { class: 'tt-filter', text: this.filterText }));
      const clear = el('button', { class: 'tt-clear', text: 'Clear filter', attrs: { type: 'button' } });
      clear.addEventListener('click', () => {
        this.setFilter(null);
        this.events.onFilterCleared?.();
      });
      parts.push(clear);
    }
    this.status.replaceChildren(...parts);
  }

  private readonly schedule = (): void => {
    if (this.raf === 0) {
      this.raf = requestAnimationFrame(() => {
        this.raf = 0;
        this.renderRows();
      });
    }
  };

  private viewport(): { scrollTop: number; viewportPx: number; rowPx: number; rowCount: number } {
    return { scrollTop: this.body.scrollTop, viewportPx: this.viewportPx, rowPx: this.rowPx, rowCount: this.visible.length };
  }

  private renderRows(): void {
    const window = rowWindow(this.viewport(), OVERSCAN_ROWS);
    this.spacer.style.height = `${window.spacerPx}px`;
    this.rowsBox.style.transform = `translateY(${window.top}px)`;
    if (this.visible.length === 0) {
      this.rowsBox.replaceChildren(el('div', { class: 'tt-empty', text: this.filter ? 'No token passes the filter.' : 'No tokens.' }));
      return;
    }
    const rows: HTMLElement[] = [];
    for (let p = window.first; p < window.end; p++) rows.push(this.row(this.visible[p] as number, p));
    this.rowsBox.replaceChildren(...rows);
  }

  private row(row: number, position: number): HTMLElement {
    const selected = row === this.selected;
    const cells: HTMLElement[] = [
      el('span', { class: 'tt-cell tt-token', attrs: { role: 'gridcell' } }, [tokenNode(this.tokenAt(row), CELL_TOKEN_CHARS)]),
    ];
    for (const column of this.data.columns) {
      const value = column.values[row] as number;
      cells.push(el('span', { class: 'tt-cell numeric', text: column.format(value), attrs: { role: 'gridcell' } }));
    }
    return el(
      'div',
      {
        class: `tt-row${selected ? ' selected' : ''}${position % 2 ? ' odd' : ''}`,
        attrs: { role: 'row', 'data-row': String(row), 'aria-rowindex': String(position + 2), 'aria-selected': String(selected) },
      },
      cells,
    );
  }

  private reveal(position: number): void {
    this.measure();
    this.body.scrollTop = revealScrollTop(this.viewport(), position);
  }

  private selectPosition(position: number): void {
    const row = this.visible[position];
    if (row === undefined) return;
    this.selected = row;
    this.reveal(position);
    this.renderRows();
    this.events.onSelect(row);
  }

  private readonly onClick = (event: MouseEvent): void => {
    const target = (event.target as Element | null)?.closest('.tt-row');
    const row = Number((target as HTMLElement | null)?.dataset['row'] ?? NaN);
    if (!Number.isInteger(row)) return;
    const position = this.positions[row] ?? -1;
    if (position >= 0) this.selectPosition(position);
  };

  private readonly onKeyDown = (event: KeyboardEvent): void => {
    if (!isNavigationKey(event.key)) return;
    event.preventDefault();
    const current = this.selected >= 0 ? (this.positions[this.selected] ?? -1) : -1;
    const page = Math.max(1, Math.floor(this.viewportPx / this.rowPx));
    const next = nextPosition(current, event.key, this.visible.length, page);
    if (next >= 0 && next !== current) this.selectPosition(next);
  };
}
