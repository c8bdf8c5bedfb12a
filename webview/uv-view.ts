import type { Endpoint } from '../src/protocol/endpoint';
import type { UvView } from '../src/protocol/analysis';
import type { HostPanelSide, WebviewPanelSide } from '../src/protocol/panel';
import type { RowNeighbors } from '../src/protocol/worker';
import { HistogramView } from './analysis/histogram';
import { inBin } from './analysis/histogram-bins';
import { MetricCardsView } from './analysis/metric-cards';
import { formatCount, formatFixed } from './analysis/metric-text';
import { NeighborColumnsView } from './analysis/neighbor-columns';
import { TokenTableView, type TableColumn } from './analysis/token-table-view';
import { el } from './dom';
import { JobRunner } from './job-runner';
import { uvCards } from './uv-cards';

/** Neighbours per list in Jaccard@k; the same k as the neighbour lists. */
const UV_K = 10;
/** Bars of the cos(uᵢ, vᵢ) histogram: 0.05 wide over [−1, 1]. */
const COS_BINS = 40;

/**
 * The U-vs-V tab: metric cards, the cos(uᵢ, vᵢ) histogram (a bar filters the table), a sortable per-token table,
 * and the selected token's three neighbour lists. Computed in the worker the first time the tab is shown.
 */
export class UvTab {
  readonly element = el('div', { class: 'uv', attrs: { 'data-testid': 'uv' } });
  private readonly status = el('p', { class: 'job-status', attrs: { 'data-testid': 'uv-status', 'aria-live': 'polite' } });
  private started = false;
  private view: UvView | undefined;
  private cos: Float32Array = new Float32Array(0);
  private histogram: HistogramView | undefined;
  private table: TokenTableView | undefined;
  private columns: NeighborColumnsView | undefined;
  private selected = -1;
  private found: RowNeighbors | null = null;
  private readonly runner: JobRunner;

  constructor(
    private readonly rpc: Endpoint<WebviewPanelSide, HostPanelSide>,
    private readonly tokens: readonly string[],
    private readonly select: (row: number) => void,
  ) {
    this.element.append(this.status);
    this.runner = new JobRunner(rpc);
  }

  /** Starts the comparison the first time the tab is shown. */
  show(): void {
    if (this.started) return;
    this.started = true;
    void this.load();
  }

  /** The selected token changed: its lists, its mark on the histogram, its row in the table. */
  setSelection(row: number, found: RowNeighbors | null): void {
    this.selected = row;
    this.found = found;
    if (!this.view) return;
    this.table?.select(row);
    this.histogram?.update(this.histogramData());
    this.renderColumns();
  }

  dispose(): void {
    this.runner.dispose();
    this.histogram?.dispose();
    this.table?.dispose();
    this.columns?.dispose();
  }

  private async load(): Promise<void> {
    this.status.textContent = 'Comparing U and V…';
    const cancel = el('vscode-button', { text: 'Cancel', attrs: { secondary: '', 'data-testid': 'uv-cancel' } });
    cancel.addEventListener('click', () => this.runner.cancel());
    this.element.append(cancel);
    try {
      const view = await this.runner.run((ticket) => this.rpc.request('panel/compare-uv', { ticket, k: UV_K }), {
        onProgress: (message, fraction) =>
          (this.status.textContent = `${message}${fraction === undefined ? '' : ` ${Math.round(fraction * 100)}%`}`),
      });
      cancel.remove();
      this.render(view);
    } catch (error) {
      cancel.remove();
      // 'superseded': the comparison finished just as Cancel was pressed; the user asked to stop, so it stops.
      const code = (error as { code?: string }).code;
      const cancelled = code === 'cancelled' || code === 'superseded';
      this.status.textContent = cancelled ? 'Cancelled.' : `U vs V unavailable: ${(error as Error).message}`;
      const retry = el('vscode-button', {
        text: cancelled ? 'Compare U and V' : 'Try again',
        attrs: { 'data-testid': 'uv-retry' },
      });
      retry.addEventListener('click', () => {
        retry.remove();
        void this.load();
      });
      this.element.append(retry);
    }
  }

  private render(view: UvView): void {
    this.view = view;
    this.cos = new Float32Array(view.cos);
    const s = view.summary;
    this.status.textContent =
      `U (${view.matrices[0]}) vs V (${view.matrices[1]}): ${formatCount(s.rows)} tokens × ${view.cols}` +
      `${s.sampled === null ? '' : `; self rank and Jaccard on a seeded sample of ${formatCount(s.sampled)}`} · ${view.ms} ms`;
    new MetricCardsView(this.element, { cards: uvCards(view), tied: s.tied });
    const charts = el('div', { class: 'uv-grid' });
    this.element.append(charts);
    const left = el('div', { class: 'uv-left' });
    const right = el('div', { class: 'uv-right' });
    charts.append(left, right);
    this.histogram = new HistogramView(left, this.histogramData(), {
      onBinClick: (range) => {
        const hist = this.histogram?.current;
        if (!range || !hist) this.table?.setFilter(null);
        else {
          const keep = inBin(hist, range.index);
          this.table?.setFilter((row) => keep(this.cos[row] as number), `cos(u,v) in ${binText(range.lo, range.hi)}`);
        }
      },
    });
    this.table = new TokenTableView(
      left,
      { columns: this.tableColumns(view), tokens: this.tokens, rowCount: s.rows },
      {
        onSelect: (row) => this.select(row),
        onFilterCleared: () => this.histogram?.update({ ...this.histogramData(), selectedBin: null }),
      },
    );
    this.columns = new NeighborColumnsView(right, { columns: [], tokens: this.tokens }, (row) => this.select(row));
    this.renderColumns();
    if (this.selected >= 0) this.table.select(this.selected);
  }

  private histogramData() {
    const marked = this.selected >= 0 && this.selected < this.cos.length ? (this.cos[this.selected] as number) : null;
    return {
      values: this.cos,
      bins: COS_BINS,
      axisLabel: 'cos(uᵢ, vᵢ) per token',
      range: [-1, 1] as const,
      marked,
      ...(marked === null ? {} : { markedLabel: this.tokens[this.selected] ?? '' }),
    };
  }

  private tableColumns(view: UvView): TableColumn[] {
    const columns: TableColumn[] = [];
    if (view.counts) {
      columns.push({
        id: 'count',
        label: 'Count',
        values: new Float64Array(view.counts),
        format: formatCount,
        description: 'How often the token occurred in training',
      });
    }
    columns.push(
      {
        id: 'cos',
        label: 'cos(u,v)',
        values: this.cos,
        format: (v) => formatFixed(v, 3),
        description: "cos(uᵢ, vᵢ): how alike the token's input and output vectors are",
      },
      {
        id: 'jaccard',
        label: `Jaccard@${view.summary.k}`,
        values: new Float32Array(view.jaccard),
        format: (v) => formatFixed(v, 2),
        description: `Overlap of the token's ${view.summary.k} nearest neighbours in U and in V (blank: not in the sample)`,
      },
      {
        id: 'self-rank',
        label: 'Self rank',
        // 0 marks rows outside the sample: shown blank and sorted last.
        values: Float64Array.from(new Int32Array(view.selfRank), (rank) => (rank > 0 ? rank : Number.NaN)),
        format: formatCount,
        description: 'Rank of vᵢ among all of V scored by uᵢ·v (1 = first; blank: not in the sample)',
        firstDirection: 'asc',
      },
    );
    return columns;
  }

  private renderColumns(): void {
    const found = this.found;
    const tied = this.view?.summary.tied ?? false;
    const heading = this.selected >= 0 ? (this.tokens[this.selected] ?? `#${this.selected}`) : undefined;
    this.columns?.update({
      tokens: this.tokens,
      ...(heading === undefined ? {} : { heading }),
      columns: [
        {
          title: 'Nearest in U',
          subtitle: 'input vectors · cosine',
          items: found?.input ?? null,
          emptyText: heading === undefined ? 'Select a token in the table.' : 'Finding neighbours…',
        },
        {
          title: 'Nearest in V',
          subtitle: 'output vectors · cosine',
          items: tied ? (found?.input ?? null) : (found?.output ?? null),
          emptyText: heading === undefined ? '' : 'Finding neighbours…',
        },
        {
          title: 'Predicted contexts',
          subtitle: 'V by uᵢ·v (dot product)',
          items: found?.cross ?? null,
          emptyText: heading === undefined ? '' : 'Finding neighbours…',
          scale: 'relative',
        },
      ],
    });
  }
}

function binText(lo: number, hi: number): string {
  return `[${formatFixed(lo, 2)}, ${formatFixed(hi, 2)})`;
}
