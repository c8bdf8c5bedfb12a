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
import { ExportMenu, type ExportItem } from './export-menu';
import { coordinatesCsv } from '../src/core/export/coordinates';
import { neighborsCsv, neighborsJson, type ExportedQuery } from '../src/core/export/neighbors';
import type { ExportFormat } from '../src/protocol/panel';

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
  private readonly exports: ExportMenu;
  /** Exports run apart from projections: starting one must not cancel the other. */
  private readonly exportRunner: JobRunner;
  /** The points shown: vocabulary row and coordinates of each (a joint layout lists U's points, then V's). */
  private layout: { rows: Int32Array; coords: Float32Array; dims: 2 | 3; joint: boolean } = {
    rows: new Int32Array(0),
    coords: new Float32Array(0),
    dims: 2,
    joint: false,
  };
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
    this.exportRunner = new JobRunner(rpc);
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
    this.exports = new ExportMenu(this.exportItems(hasOutput));
    this.element = el('div', { class: 'map' }, [
      el('div', { class: 'toolbar' }, [this.search.element, this.legend, this.exports.element]),
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
    if (!made.ok) return;
    const { method, space, limit, dims } = made.request;
    if (method !== 'pca' || space !== 'input' || limit !== undefined || dims !== 2) void this.project(made.request);
  }

  dispose(): void {
    this.runner.dispose();
    this.plot.dispose();
    this.exports.dispose();
    this.exportRunner.dispose();
  }

  /** What the Export menu offers: the coordinates shown, the selection's neighbour lists, the Projector's files. */
  private exportItems(hasOutput: boolean): ExportItem[] {
    const stem = fileStem(this.snapshot.header.fileName);
    const selection = (): RowNeighbors | null => (this.selection.row >= 0 ? this.selection.found : null);
    const noSelection = (): string | undefined => (selection() ? undefined : 'Select a token first: its neighbour lists are exported.');
    const neighbours = (format: 'csv' | 'json'): ExportItem => ({
      id: `neighbors-${format}`,
      label: `Neighbours of the selection (${format.toUpperCase()})`,
      unavailable: noSelection,
      run: async () => {
        const found = selection();
        if (!found) throw new Error('no token is selected');
        const query = exportedQuery(found);
        const text = format === 'csv' ? neighborsCsv([query], this.tokens) : neighborsJson([query], this.tokens);
        const token = this.tokens[found.row] ?? `row${found.row}`;
        return this.save(format, `${stem}-neighbors-${token}.${format}`, new TextEncoder().encode(text));
      },
    });
    const projector = (space: 'input' | 'output'): ExportItem => ({
      id: `projector-${space === 'input' ? 'u' : 'v'}`,
      label: `${space === 'input' ? 'U' : 'V'} for the TensorBoard Projector (TSV + metadata)`,
      run: async () => {
        const written = await this.exportRunner.run(
          (ticket) => this.rpc.request('panel/export-projector', { ticket, space, limit: null }),
          {
            onProgress: () => undefined,
          },
        );
        if (!written) return 'Export cancelled.';
        const zeros = written.nonFinite > 0 ? `; ${written.nonFinite} NaN/∞ values written as 0` : '';
        return `Wrote ${written.rows.toLocaleString('en-US')}×${written.cols} of ${written.matrix} to ${written.path} and labels to ${written.metadataPath}${zeros}`;
      },
    });
    const noPlot = (): string | undefined => (this.layout.rows.length === 0 ? 'No layout yet.' : undefined);
    return [
      {
        id: 'png',
        label: 'Plot as PNG',
        unavailable: noPlot,
        run: async () => this.save('png', `${stem}-plot.png`, await this.plot.exportPng()),
      },
      {
        id: 'svg',
        label: 'Plot as SVG',
        unavailable: noPlot,
        run: async () => this.save('svg', `${stem}-plot.svg`, new TextEncoder().encode(this.plot.exportSvg())),
      },
      {
        id: 'coordinates',
        label: 'Coordinates of the points (CSV)',
        unavailable: () => (this.layout.rows.length === 0 ? 'No layout yet.' : undefined),
        run: async () => {
          const { rows, coords, dims, joint } = this.layout;
          const text = coordinatesCsv({
            tokens: (point) => this.tokens[rows[point] as number] ?? `#${rows[point]}`,
            coords,
            dims,
            ...(joint ? { matrixOf: (point: number) => (point < rows.length / 2 ? 'U' : 'V') } : {}),
          });
          return this.save('csv', `${stem}-coordinates.csv`, new TextEncoder().encode(text));
        },
      },
      neighbours('csv'),
      neighbours('json'),
      projector('input'),
      ...(hasOutput ? [projector('output')] : []),
    ];
  }

  /** Hands bytes to the host, which asks where to save them. */
  private async save(format: ExportFormat, name: string, bytes: Uint8Array): Promise<string> {
    const data = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
    const saved = await this.rpc.request('panel/save', { format, name, data }, [data]);
    return saved ? `Saved ${saved.path}` : 'Export cancelled.';
  }

  /** The PCA that came with the snapshot: every row, U. */
  private showOpeningLayout(): void {
    const xy = new Float32Array(this.snapshot.xy);
    this.setLayout(
      Int32Array.from({ length: xy.length / 2 }, (_, row) => row),
      xy,
      false,
      2,
    );
    this.caption.textContent = projectionCaption(this.snapshot.projection);
    this.plot.setCaption(this.caption.textContent);
    this.showLegend(false);
  }

  private async project(request: ProjectionRequest): Promise<void> {
    this.bar.setBusy(true, 'Starting…');
    let stepped = false;
    const joint = request.space === 'joint';
    try {
      const projection = await this.runner.run((ticket) => this.rpc.request('panel/project', { ticket, request }), {
        onStep: (epoch, epochs, coords, rows) => {
          if (rows) this.setLayout(rows, coords, joint, request.dims);
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
    if (stepped) {
      this.plot.moveLayout(xy);
      this.layout = { ...this.layout, coords: xy };
    } else this.setLayout(rows, xy, joint, projection.facts.dims);
    this.caption.textContent = factsCaption(projection.facts);
    this.plot.setCaption(this.caption.textContent);
    this.showLegend(joint);
    this.events.changed();
  }

  /** New points, keeping the selection's mark and labels. */
  private setLayout(rows: Int32Array, xy: Float32Array, joint: boolean, dims: 2 | 3): void {
    this.layout = { rows, coords: xy, dims, joint };
    this.plot.setLayout(this.tokens, { rows, coords: xy, dims, joint }, this.shade);
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

/** The three lists of a selection as an export query (the lists the panel shows, scored as shown). */
function exportedQuery(found: RowNeighbors): ExportedQuery {
  return {
    row: found.row,
    lists: [
      { matrix: 'input', metric: 'cosine', hits: found.input },
      ...(found.output ? [{ matrix: 'output' as const, metric: 'cosine' as const, hits: found.output }] : []),
      ...(found.cross ? [{ matrix: 'cross' as const, metric: 'dot' as const, hits: found.cross }] : []),
    ],
  };
}

/** "side/word2vec.model" → "word2vec": the start of an export's suggested file name. */
function fileStem(fileName: string): string {
  const last = fileName.split('/').pop() ?? fileName;
  return last.replace(/\.[^.]*$/, '') || 'embedding';
}
