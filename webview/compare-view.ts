import type { CheckpointView, NeighborPair } from '../src/protocol/analysis';
import type { Endpoint } from '../src/protocol/endpoint';
import type { HostPanelSide, WebviewPanelSide } from '../src/protocol/panel';
import { HistogramView, type HistogramData } from './analysis/histogram';
import { inBin } from './analysis/histogram-bins';
import { MetricCardsView } from './analysis/metric-cards';
import { formatCount, formatFixed } from './analysis/metric-text';
import { NeighborColumnsView } from './analysis/neighbor-columns';
import { TokenTableView, type TableColumn } from './analysis/token-table-view';
import { compareCards } from './compare-cards';
import { el } from './dom';
import { JobRunner } from './job-runner';

/** Neighbours per list and k of Jaccard@k: the same k as the other tabs. */
const COMPARE_K = 10;
/** Bars of the drift histogram: 0.05 wide over [0, 2]. */
const DRIFT_BINS = 40;

/** The other checkpoint: its path for the worker and a short name for people. */
export interface CompareTarget {
  readonly path: string;
  readonly name: string;
}

/**
 * The Compare tab: this checkpoint's U against another checkpoint's (before/after a retrain, or two models), aligned on
 * their shared tokens — metric cards, the drift histogram, a table of tokens by drift, and the selected token's
 * neighbours here and there side by side.
 */
export class CompareTab {
  readonly element = el('div', { class: 'uv compare', attrs: { 'data-testid': 'compare' } });
  private readonly status = el('p', { class: 'job-status', attrs: { 'data-testid': 'compare-status', 'aria-live': 'polite' } });
  private readonly actions = el('div', { class: 'actions' });
  private readonly body = el('div');
  private readonly runner: JobRunner;
  private target: CompareTarget | undefined;
  private view: CheckpointView | undefined;
  /** This checkpoint's vocabulary row of each shared token (the table's rows are shared tokens), and back (−1: not shared). */
  private rows = new Int32Array(0);
  private sharedOf = new Int32Array(0);
  /** Drift per shared token. */
  private drift = new Float32Array(0);
  private histogram: HistogramView | undefined;
  private table: TokenTableView | undefined;
  private columns: NeighborColumnsView | undefined;
  private selected = -1;
  private pair: NeighborPair | null = null;
  private request = 0;
  /** A restored target not compared yet. */
  private pending = false;

  constructor(
    private readonly rpc: Endpoint<WebviewPanelSide, HostPanelSide>,
    private readonly tokens: readonly string[],
    private readonly select: (row: number) => void,
    private readonly changed: (target: CompareTarget | undefined) => void,
  ) {
    this.runner = new JobRunner(rpc);
    this.element.append(this.status, this.actions, this.body);
    this.idle();
  }

  /** The checkpoint compared with, if any (persisted by the panel). */
  get against(): CompareTarget | undefined {
    return this.target;
  }

  /** Compares with `target` (a restored panel, or "Compare with previous" after a retrain). */
  compareWith(target: CompareTarget): void {
    this.target = target;
    this.pending = false;
    this.changed(target);
    void this.load();
  }

  /** Remembers `target` from a restored panel; the comparison runs again when the tab is shown. */
  restore(target: CompareTarget): void {
    this.target = target;
    this.pending = true;
  }

  /** The tab is shown: runs a restored comparison (the worker keeps finished ones, so it is quick when it still has it). */
  show(): void {
    if (!this.pending) return;
    this.pending = false;
    void this.load();
  }

  /** The selected token changed: its row in the table, its mark on the histogram, its two neighbour lists. */
  setSelection(row: number): void {
    this.selected = row;
    this.pair = null;
    if (!this.view) return;
    this.table?.select(this.shared(row));
    this.histogram?.update(this.histogramData());
    this.renderColumns();
    if (this.shared(row) < 0) return;
    const ticket = ++this.request;
    const view = this.view;
    this.rpc.request('panel/compare-neighbors', { against: view.against, k: COMPARE_K, row }).then(
      (pair) => {
        if (ticket !== this.request || this.view !== view) return;
        this.pair = pair;
        this.renderColumns();
      },
      () => undefined,
    );
  }

  dispose(): void {
    this.runner.dispose();
    this.clear();
  }

  private idle(): void {
    this.status.textContent =
      "Compare this checkpoint's U with another checkpoint's — before and after a retrain, or two models — on the tokens they share.";
    this.actions.replaceChildren(this.pickButton('Choose checkpoint…'));
  }

  private pickButton(text: string): HTMLElement {
    const button = el('vscode-button', { text, attrs: { 'data-testid': 'compare-pick' } });
    button.addEventListener('click', () => {
      void this.rpc.request('panel/pick-checkpoint', {}).then(
        (picked) => picked && this.compareWith(picked),
        () => undefined,
      );
    });
    return button;
  }

  private async load(): Promise<void> {
    const target = this.target;
    if (!target) return;
    this.clear();
    this.status.textContent = `Comparing with ${target.name}…`;
    const cancel = el('vscode-button', { text: 'Cancel', attrs: { secondary: '', 'data-testid': 'compare-cancel' } });
    cancel.addEventListener('click', () => this.runner.cancel());
    this.actions.replaceChildren(cancel);
    try {
      const view = await this.runner.run(
        (ticket) => this.rpc.request('panel/compare-checkpoints', { ticket, against: target.path, k: COMPARE_K }),
        {
          onProgress: (message, fraction) =>
            (this.status.textContent = `${message}${fraction === undefined ? '' : ` ${Math.round(fraction * 100)}%`}`),
        },
      );
      this.render(view, target);
    } catch (error) {
      const code = (error as { code?: string }).code;
      const cancelled = code === 'cancelled' || code === 'superseded';
      this.status.textContent = cancelled ? 'Cancelled.' : `Comparison unavailable: ${(error as Error).message}`;
      const retry = el('vscode-button', {
        text: cancelled ? `Compare with ${target.name}` : 'Try again',
        attrs: { 'data-testid': 'compare-retry' },
      });
      retry.addEventListener('click', () => void this.load());
      this.actions.replaceChildren(retry, this.pickButton('Choose another…'));
    }
  }

  private render(view: CheckpointView, target: CompareTarget): void {
    this.view = view;
    this.rows = new Int32Array(view.rows);
    this.drift = new Float32Array(view.drift);
    this.sharedOf = new Int32Array(this.tokens.length).fill(-1);
    this.rows.forEach((row, shared) => (this.sharedOf[row] = shared));
    const s = view.summary;
    this.status.textContent =
      `U here (${view.matrices[0]}) vs U′ in ${target.name} (${view.matrices[1]}): ${formatCount(s.sharedRows)} shared tokens × ${view.cols}` +
      `${s.sampled === null ? '' : `; Jaccard on a seeded sample of ${formatCount(s.sampled)}`} · ${view.ms} ms`;
    this.status.title = target.path;
    this.actions.replaceChildren(this.pickButton('Compare with another…'));
    new MetricCardsView(this.body, { cards: compareCards(view), tied: false });
    const grid = el('div', { class: 'uv-grid' });
    const left = el('div', { class: 'uv-left' });
    const right = el('div', { class: 'uv-right' });
    grid.append(left, right);
    this.body.append(grid);
    this.histogram = new HistogramView(left, this.histogramData(), {
      onBinClick: (range) => {
        const hist = this.histogram?.current;
        if (!range || !hist) this.table?.setFilter(null);
        else {
          const keep = inBin(hist, range.index);
          this.table?.setFilter(
            (shared) => keep(this.drift[shared] ?? Number.NaN),
            `drift in [${formatFixed(range.lo, 2)}, ${formatFixed(range.hi, 2)})`,
          );
        }
      },
    });
    this.table = new TokenTableView(
      left,
      {
        columns: this.tableColumns(view),
        tokens: (shared) => this.tokens[this.rows[shared] as number] ?? `#${this.rows[shared]}`,
        rowCount: this.rows.length,
      },
      {
        onSelect: (shared) => this.select(this.rows[shared] as number),
        onFilterCleared: () => this.histogram?.update({ ...this.histogramData(), selectedBin: null }),
      },
    );
    this.table.sortBy({ column: 'drift', direction: 'desc' });
    this.columns = new NeighborColumnsView(right, { columns: [], tokens: this.tokens }, (row) => this.select(row));
    this.setSelection(this.selected);
  }

  /** The shared index of a vocabulary row, −1 when the other checkpoint lacks its token. */
  private shared(row: number): number {
    return row >= 0 ? (this.sharedOf[row] ?? -1) : -1;
  }

  private histogramData(): HistogramData {
    const shared = this.shared(this.selected);
    const marked = shared >= 0 ? (this.drift[shared] as number) : null;
    return {
      values: this.drift,
      bins: DRIFT_BINS,
      axisLabel: 'drift = 1 − cos(uᵢ, u′ᵢ) after alignment, per shared token',
      range: [0, 2],
      marked,
      ...(marked === null ? {} : { markedLabel: this.tokens[this.selected] ?? '' }),
    };
  }

  private tableColumns(view: CheckpointView): TableColumn[] {
    const k = view.summary.k;
    const counts = view.counts ? new Float64Array(view.counts) : null;
    return [
      ...(counts
        ? [
            {
              id: 'count',
              label: 'Count',
              values: Float64Array.from(this.rows, (row) => counts[row] ?? Number.NaN),
              format: formatCount,
              description: 'How often the token occurred in training (this checkpoint)',
            },
          ]
        : []),
      {
        id: 'drift',
        label: 'Drift',
        values: this.drift,
        format: (v: number) => formatFixed(v, 3),
        description: 'Drift = 1 − cos(uᵢ, u′ᵢ) after rotating the other checkpoint onto this one (0 = unmoved)',
      },
      {
        id: 'jaccard',
        label: `Jaccard@${k}`,
        values: new Float32Array(view.jaccard),
        format: (v: number) => formatFixed(v, 2),
        description: `Overlap of the token's ${k} nearest neighbours here and there (blank: not in the sample)`,
      },
    ];
  }

  private renderColumns(): void {
    const target = this.target;
    const shared = this.shared(this.selected) >= 0;
    const heading = this.selected >= 0 ? (this.tokens[this.selected] ?? `#${this.selected}`) : undefined;
    const waiting =
      heading === undefined ? 'Select a token in the table.' : shared ? 'Finding neighbours…' : 'Not in the other checkpoint.';
    this.columns?.update({
      tokens: this.tokens,
      ...(heading === undefined ? {} : { heading }),
      columns: [
        { title: 'Nearest here', subtitle: 'U · cosine · shared tokens', items: this.pair?.here ?? null, emptyText: waiting },
        {
          title: `Nearest in ${target?.name ?? 'the other'}`,
          subtitle: 'U′ · cosine · shared tokens',
          items: this.pair?.there ?? null,
          emptyText: heading === undefined ? '' : waiting,
        },
      ],
    });
  }

  private clear(): void {
    this.histogram?.dispose();
    this.table?.dispose();
    this.columns?.dispose();
    this.histogram = undefined;
    this.table = undefined;
    this.columns = undefined;
    this.view = undefined;
    this.body.replaceChildren();
  }
}
