import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-checkbox/index.js';
import '@vscode-elements/elements/dist/vscode-progress-ring/index.js';
import '@vscode-elements/elements/dist/vscode-textfield/index.js';
import { unpackTokens } from '../src/core/view/token-table';
import { Endpoint } from '../src/protocol/endpoint';
import { PANEL_PROTOCOL_VERSION, type HostPanelSide, type PanelSnapshot, type WebviewPanelSide } from '../src/protocol/panel';
import { el } from './dom';
import { projectionCaption, renderHeader } from './header-view';
import { NeighborsView } from './neighbors-view';
import { readViewState, VIEW_STATE_VERSION, type ViewState } from './persisted-state';
import { PlotView } from './plot-view';
import { SearchBox } from './search-box';
import { hostTransport } from './transport';

/** Neighbours shown per list. */
const NEIGHBORS_K = 10;

const vscode = acquireVsCodeApi<ViewState>();
const rpc = new Endpoint<WebviewPanelSide, HostPanelSide>(hostTransport(vscode));
const app = document.getElementById('app') as HTMLElement;

/** The loaded checkpoint's view; rebuilt on every ready snapshot. */
interface Loaded {
  readonly snapshot: Extract<PanelSnapshot, { state: 'ready' }>;
  readonly tokens: string[];
  readonly plot: PlotView;
  readonly neighbors: NeighborsView;
  readonly search: SearchBox;
  selected: number;
  /** Guards against a slow neighbour reply overwriting a newer selection. */
  request: number;
}

let loaded: Loaded | undefined;
// Wall-clock marks (epoch ms) for the benchmark's breakdown of "command → first picture"; cheap, always on.
document.body.dataset['tScript'] = String(Date.now());

rpc.on('panel/snapshot', (snapshot) => render(snapshot));
rpc.on('panel/progress', ({ message }) => {
  const line = document.querySelector('[data-testid="progress"]');
  if (line) line.textContent = message;
});
rpc.emit('webview/ready', { protocol: PANEL_PROTOCOL_VERSION });

function render(snapshot: PanelSnapshot): void {
  loaded?.plot.dispose();
  loaded = undefined;
  document.body.dataset.state = snapshot.state;
  if (snapshot.state === 'loading') {
    app.replaceChildren(
      el('div', { class: 'centered' }, [
        el('vscode-progress-ring'),
        el('h1', { text: snapshot.fileName, title: snapshot.path }),
        el('p', { text: snapshot.message, attrs: { 'data-testid': 'progress', 'aria-live': 'polite' } }),
      ]),
    );
  } else if (snapshot.state === 'error') {
    renderError(snapshot);
  } else {
    renderReady(snapshot);
  }
}

function renderError(snapshot: Extract<PanelSnapshot, { state: 'error' }>): void {
  const retry = el('vscode-button', { text: 'Try again' });
  retry.addEventListener('click', () => void rpc.request('panel/reload', {}).catch(() => undefined));
  const log = el('vscode-button', { text: 'Show log', attrs: { secondary: '' } });
  log.addEventListener('click', () => void rpc.request('panel/showLog', {}).catch(() => undefined));
  app.replaceChildren(
    el('div', { class: 'error', attrs: { role: 'alert', 'data-testid': 'error' } }, [
      el('h1', { text: `Cannot open ${snapshot.fileName}`, title: snapshot.path }),
      el('p', { class: 'message', text: snapshot.message, attrs: { 'data-testid': 'error-message' } }),
      el('p', { class: 'code', text: `code: ${snapshot.code}`, attrs: { 'data-testid': 'error-code' } }),
      el('div', { class: 'actions' }, [retry, log]),
    ]),
  );
}

function renderReady(snapshot: Extract<PanelSnapshot, { state: 'ready' }>): void {
  document.body.dataset['tSnapshot'] = String(Date.now());
  const tokens = unpackTokens(new Uint8Array(snapshot.tokens.utf8), new Uint32Array(snapshot.tokens.ends));
  const xy = new Float32Array(snapshot.xy);
  const shade = snapshot.shade ? new Float32Array(snapshot.shade) : undefined;
  const plot = new PlotView((row) => select(row, false));
  const neighbors = new NeighborsView((row) => select(row, true));
  const search = new SearchBox(tokens, {
    onHits: (rows) => plot.setHighlighted(rows),
    onPick: (row) => select(row, true),
    onChange: () => saveState(),
  });
  const caption = el('p', { class: 'caption', text: projectionCaption(snapshot.projection), attrs: { 'data-testid': 'caption' } });
  const legend = shade
    ? el('p', { class: 'legend', attrs: { 'data-testid': 'legend' } }, [
        el('span', { class: 'ramp' }),
        el('span', { text: 'frequent → rare' }),
      ])
    : el('p', { class: 'legend', text: 'no counts in this file: one colour' });
  app.replaceChildren(
    renderHeader(snapshot.header),
    el('div', { class: 'toolbar' }, [search.element, legend]),
    el('div', { class: 'body' }, [plot.element, neighbors.element]),
    caption,
  );
  plot.setPoints(tokens, xy, shade);
  requestAnimationFrame(() => requestAnimationFrame(() => (document.body.dataset['tDrawn'] = String(Date.now()))));
  app.dataset.renderer = plot.renderer;
  loaded = { snapshot, tokens, plot, neighbors, search, selected: -1, request: 0 };
  const state = readViewState(vscode.getState());
  if (state && state.path === snapshot.header.path) {
    search.restore(state.query, state.regex);
    const row = state.selectedToken === null ? -1 : tokens.indexOf(state.selectedToken);
    if (row >= 0) select(row, true);
  }
  saveState();
}

/** Selects a row: marks it, asks the host for its neighbours, and lists them. */
function select(row: number, center: boolean): void {
  const view = loaded;
  if (!view) return;
  view.selected = row;
  const ticket = ++view.request;
  saveState();
  if (row < 0) {
    view.plot.setSelection(-1, []);
    view.neighbors.clear('Click a point or search for a token to see its nearest neighbours.');
    rpc.emit('webview/selected', { row: -1 });
    return;
  }
  const token = view.tokens[row] ?? `#${row}`;
  view.plot.setSelection(row, []);
  if (center) view.plot.centerOn(row);
  rpc.emit('webview/selected', { row, token });
  view.neighbors.clear('Finding neighbours…');
  rpc.request('panel/neighbors', { row, k: NEIGHBORS_K }).then(
    (found) => {
      if (loaded !== view || view.request !== ticket) return;
      view.plot.setSelection(
        row,
        found.input.map((hit) => hit.row),
      );
      view.neighbors.show(token, view.tokens, found.input, found.output, view.snapshot.header.description.summary.tied);
    },
    (error: Error) => {
      if (loaded === view && view.request === ticket) view.neighbors.clear(`Neighbours unavailable: ${error.message}`);
    },
  );
}

function saveState(): void {
  const view = loaded;
  if (!view) return;
  vscode.setState({
    version: VIEW_STATE_VERSION,
    path: view.snapshot.header.path,
    query: view.search.query,
    regex: view.search.regex,
    selectedToken: view.selected >= 0 ? (view.tokens[view.selected] ?? null) : null,
  });
}
