import type { ProjectionRequest } from '../src/core/analysis/projection-types';
import type { Endpoint } from '../src/protocol/endpoint';
import type { Projection } from '../src/protocol/analysis';
import type { HostPanelSide, PanelSnapshot, WebviewPanelSide } from '../src/protocol/panel';
import type { RowNeighbors } from '../src/protocol/worker';
import { el } from './dom';
import { factsCaption, projectionCaption } from './header-view';
import { NeighborsView } from './neighbors-view';
import { PlotView } from './plot-view';
import { ProjectionBar } from './projection-bar';
import type { ProjectionChoice } from './projection-choice';
import { JobRunner } from './job-runner';
import { SearchBox } from './search-box';

type Ready = Extract<PanelSnapshot, { state: 'ready' }>;

/** What the map tells the app. */
export interface MapEvents {
  /** A point, search hit or neighbour was chosen; `center` pans to it. */
  select(row: number, center: boolean): void;
  /** Search text or projection choice changed (for the saved state). */
  changed(): void;
}

/**
 * The map tab: search, projection controls, the scatter, the selected token's neighbour lists and a caption
 * saying how the picture was made.
 */
export class MapView {
  readonly element: HTMLElement;
  readonly search: SearchBox;
  readonly bar: ProjectionBar;
  private readonly plot: PlotView;
  private readonly neighbors: NeighborsView;
  private readonly caption = el('p', { class: 'caption', attrs: { 'data-testid': 'caption' } });
  private readonly legend: HTMLElement;
  private readonly runner: JobRunner;
  private readonly shade: Float32Array | undefined;
  /** The selection shown, re-applied when the layout changes. */
  private selection: { row: number; found: RowNeighbors | null } = { row: -1, found: null };

  constructor(
    private readonly snapshot: Ready,
    private readonly tokens: readonly string[],
    private readonly rpc: Endpoint<WebviewPanelSide, HostPanelSide>,
    choice: ProjectionChoice,
    private readonly events: MapEvents,
  ) {
    this.shade = snapshot.shade ? new Float32Array(snapshot.shade) : undefined;
    this.runner = new JobRunner(rpc);
    this.plot = new PlotView((row) => events.select(row, false));
    this.neighbors = new NeighborsView((row) => events.select(row, true));
    this.search = new SearchBox(tokens, {
      onHits: (rows) => this.plot.setHighlighted(rows),
      onPick: (row) => events.select(row, true),
      onChange: () => events.changed(),
    });
    const hasOutput = snapshot.header.description.summary.matrices.some((m) => m.role === 'output');
    this.bar = new ProjectionBar(hasOutput, choice, {
      onRun: (request) => {
        events.changed();
        void this.project(request);
      },
      onCancel: () => this.runner.cancel(),
    });
    this.legend = el('p', { class: 'legend', attrs: { 'data-testid': 'legend' } });
    this.element = el('div', { class: 'map' }, [
      el('div', { class: 'toolbar' }, [this.search.element, this.legend]),
      this.bar.element,
      el('div', { class: 'body' }, [this.plot.element, this.neighbors.element]),
      this.caption,
    ]);
    this.showOpeningLayout();
  }

  get renderer(): string {
    return this.plot.renderer;
  }

  /** Shows a selection: the mark and labels on the plot, and the neighbour lists (or a message). */
  showSelection(row: number, center: boolean, found: RowNeighbors | 'loading' | Error | null): void {
    this.selection = { row, found: found === 'loading' || found instanceof Error ? null : found };
    if (row < 0 || found === null) {
      this.plot.setSelection(-1, []);
      this.neighbors.clear('Click a point or search for a token to see its nearest neighbours.');
      return;
    }
    if (found === 'loading') {
      this.plot.setSelection(row, []);
      if (center) this.plot.centerOn(row);
      this.neighbors.clear('Finding neighbours…');
    } else if (found instanceof Error) {
      this.neighbors.clear(`Neighbours unavailable: ${found.message}`);
    } else {
      this.plot.setSelection(
        row,
        found.input.map((hit) => hit.row),
      );
      this.neighbors.show(this.tokens[row] ?? `#${row}`, this.tokens, found, this.snapshot.header.description.summary.tied);
    }
  }

  /** Runs the bar's current choice when it is not the opening PCA (a restored panel gets its layout back). */
  restoreProjection(): void {
    const made = this.bar.request();
    if (made.ok && (made.request.method !== 'pca' || made.request.space !== 'input' || made.request.limit !== undefined)) {
      void this.project(made.request);
    }
  }

  dispose(): void {
    this.runner.dispose();
    this.plot.dispose();
  }

  /** The PCA that came with the snapshot: every row, U. */
  private showOpeningLayout(): void {
    const xy = new Float32Array(this.snapshot.xy);
    this.setLayout(
      Int32Array.from({ length: xy.length / 2 }, (_, row) => row),
      xy,
      false,
    );
    this.caption.textContent = projectionCaption(this.snapshot.projection);
    this.showLegend(false);
  }

  private async project(request: ProjectionRequest): Promise<void> {
    this.bar.setBusy(true, 'Starting…');
    let stepped = false;
    const joint = request.space === 'joint';
    try {
      const projection = await this.runner.run((ticket) => this.rpc.request('panel/project', { ticket, request }), {
        onStep: (epoch, epochs, coords, rows) => {
          if (rows) this.setLayout(rows, coords, joint);
          else if (stepped) this.plot.moveLayout(coords);
          stepped ||= rows !== undefined;
          this.bar.setBusy(true, `Optimising layout: epoch ${epoch} of ${epochs}`);
        },
        onProgress: (message, fraction) =>
          this.bar.setBusy(true, fraction === undefined ? message : `${message} ${Math.round(fraction * 100)}%`),
      });
      this.showProjection(projection, stepped);
      this.bar.setBusy(false, '');
    } catch (error) {
      const code = (error as { code?: string }).code;
      if (code === 'superseded') return;
      this.bar.setBusy(false, code === 'cancelled' ? 'Cancelled' : `Failed: ${(error as Error).message}`);
    }
  }

  private showProjection(projection: Projection, stepped: boolean): void {
    const xy = new Float32Array(projection.coords);
    const rows = new Int32Array(projection.rows);
    const joint = projection.facts.space === 'joint';
    if (stepped) this.plot.moveLayout(xy);
    else this.setLayout(rows, xy, joint);
    this.caption.textContent = factsCaption(projection.facts);
    this.showLegend(joint);
    this.events.changed();
  }

  /** New points, keeping the selection's mark and labels. */
  private setLayout(rows: Int32Array, xy: Float32Array, joint: boolean): void {
    this.plot.setLayout(this.tokens, { rows, xy, joint }, this.shade);
    const { row, found } = this.selection;
    if (row >= 0) this.plot.setSelection(row, found ? found.input.map((hit) => hit.row) : []);
  }

  private showLegend(joint: boolean): void {
    if (joint) {
      this.legend.replaceChildren(
        el('span', { class: 'swatch u' }),
        el('span', { text: 'U' }),
        el('span', { class: 'swatch v' }),
        el('span', { text: 'V' }),
      );
    } else if (this.shade) {
      this.legend.replaceChildren(el('span', { class: 'ramp' }), el('span', { text: 'frequent → rare' }));
    } else {
      this.legend.replaceChildren(el('span', { text: 'no counts in this file: one colour' }));
    }
  }
}
