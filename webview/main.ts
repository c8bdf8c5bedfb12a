import '@vscode-elements/elements/dist/vscode-button/index.js';
import '@vscode-elements/elements/dist/vscode-checkbox/index.js';
import '@vscode-elements/elements/dist/vscode-progress-ring/index.js';
import '@vscode-elements/elements/dist/vscode-textfield/index.js';
import { unpackTokens } from '../src/core/view/token-table';
import { Endpoint } from '../src/protocol/endpoint';
import { PANEL_PROTOCOL_VERSION, type HostPanelSide, type PanelSnapshot, type WebviewPanelSide } from '../src/protocol/panel';
import { el } from './dom';
import { renderHeader } from './header-view';
import { MapView } from './map-view';
import { readViewState, VIEW_STATE_VERSION, type TabId, type ViewState } from './persisted-state';
import { tabStrip, type Tab } from './tab-strip';
import { DEFAULT_CHOICE } from './projection-choice';
import { hostTransport } from './transport';
import { UvTab } from './uv-view';
import { CompareTab } from './compare-view';
import { TrainingView } from './training/training-view';

/** Neighbours shown per list. */
const NEIGHBORS_K = 10;

const vscode = acquireVsCodeApi<ViewState>();
const rpc = new Endpoint<WebviewPanelSide, HostPanelSide>(hostTransport(vscode));
const app = document.getElementById('app') as HTMLElement;

/** The loaded checkpoint's view; rebuilt on every ready snapshot. */
interface Loaded {
  readonly snapshot: Extract<PanelSnapshot, { state: 'ready' }>;
  readonly tokens: string[];
  readonly map: MapView;
  /** The U-vs-V tab, when the checkpoint has V (or is tied). */
  readonly uv: UvTab | undefined;
  /** The Compare tab (this checkpoint against another). */
  readonly compare: CompareTab;
  selected: number;
  /** Guards against a slow neighbour reply overwriting a newer selection. */
  request: number;
  tab: TabId;
}

let loaded: Loaded | undefined;
/** The training shown, while the panel shows one. */
let training: TrainingView | undefined;
// Wall-clock marks (epoch ms) for the benchmark's breakdown of "command → first picture"; cheap, always on.
document.body.dataset['tScript'] = String(Date.now());

rpc.on('panel/snapshot', (snapshot) => render(snapshot));
rpc.on('panel/progress', ({ message }) => {
  const line = document.querySelector('[data-testid="progress"]');
  if (line) line.textContent = message;
});
rpc.on('panel/training', ({ phase, progress, point }) => training?.update(phase, progress, point));
rpc.on('panel/compare-with', (target) => {
  if (!loaded) return;
  document.querySelector<HTMLElement>('[data-testid="tab-compare"]')?.click();
  loaded.compare.compareWith(target);
});
rpc.emit('webview/ready', { protocol: PANEL_PROTOCOL_VERSION });

function render(snapshot: PanelSnapshot): void {
  loaded?.map.dispose();
  loaded?.uv?.dispose();
  loaded?.compare.dispose();
  loaded = undefined;
  training = undefined;
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
  } else if (snapshot.state === 'training') {
    training = new TrainingView(snapshot, () => void rpc.request('panel/cancel-training', {}).catch(() => undefined));
    app.replaceChildren(training.element);
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
      el('div', { class: 'actions' }, snapshot.retry === false ? [log] : [retry, log]),
    ]),
  );
}

function renderReady(snapshot: Extract<PanelSnapshot, { state: 'ready' }>): void {
  document.body.dataset['tSnapshot'] = String(Date.now());
  const tokens = unpackTokens(new Uint8Array(snapshot.tokens.utf8), new Uint32Array(snapshot.tokens.ends));
  const state = readViewState(vscode.getState());
  const restored = state && state.path === snapshot.header.path ? state : undefined;
  const map = new MapView(snapshot, tokens, rpc, restored?.projection ?? DEFAULT_CHOICE, {
    select: (row, center) => select(row, center),
    changed: () => saveState(),
  });
  const summary = snapshot.header.description.summary;
  const uv =
    summary.tied || summary.matrices.some((m) => m.role === 'output') ? new UvTab(rpc, tokens, (row) => select(row, true)) : undefined;
  const compare = new CompareTab(
    rpc,
    tokens,
    (row) => select(row, true),
    () => saveState(),
  );
  const tabList: Tab<TabId>[] = [{ id: 'map', label: 'Map', body: map.element }];
  if (uv) tabList.push({ id: 'uv', label: 'U vs V', body: uv.element });
  tabList.push({ id: 'compare', label: 'Compare', body: compare.element });
  const initialTab = tabList.some((tab) => tab.id === restored?.tab) ? (restored?.tab ?? 'map') : 'map';
  const tabs = tabStrip(tabList, initialTab, (id) => {
    if (id === 'uv') uv?.show();
    if (id === 'compare') compare.show();
    if (loaded) loaded.tab = id;
    saveState();
  });
  app.replaceChildren(
    renderHeader(snapshot.header, () => void rpc.request('panel/retrain', {}).catch(() => undefined)),
    tabs,
  );
  requestAnimationFrame(() => requestAnimationFrame(() => (document.body.dataset['tDrawn'] = String(Date.now()))));
  app.dataset.renderer = map.renderer;
  loaded = { snapshot, tokens, map, uv, compare, selected: -1, request: 0, tab: initialTab };
  if (loaded.tab === 'uv') uv?.show();
  if (restored?.against) compare.restore(restored.against);
  if (loaded.tab === 'compare') compare.show();
  if (restored) {
    map.search.restore(restored.query, restored.regex);
    const row = restored.selectedToken === null ? -1 : tokens.indexOf(restored.selectedToken);
    if (row >= 0) select(row, true);
    map.restoreProjection();
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
    view.map.showSelection(-1, false, null);
    view.uv?.setSelection(-1, null);
    view.compare.setSelection(-1);
    rpc.emit('webview/selected', { row: -1 });
    return;
  }
  const token = view.tokens[row] ?? `#${row}`;
  view.map.showSelection(row, center, 'loading');
  view.uv?.setSelection(row, null);
  view.compare.setSelection(row);
  rpc.emit('webview/selected', { row, token });
  rpc.request('panel/neighbors', { row, k: NEIGHBORS_K }).then(
    (found) => {
      if (loaded !== view || view.request !== ticket) return;
      view.map.showSelection(row, false, found);
      view.uv?.setSelection(row, found);
    },
    (error: Error) => {
      if (loaded === view && view.request === ticket) view.map.showSelection(row, false, error);
    },
  );
}

function saveState(): void {
  const view = loaded;
  if (!view) return;
  vscode.setState({
    version: VIEW_STATE_VERSION,
    path: view.snapshot.header.path,
    query: view.map.search.query,
    regex: view.map.search.regex,
    selectedToken: view.selected >= 0 ? (view.tokens[view.selected] ?? null) : null,
    projection: view.map.bar.choice,
    tab: view.tab,
    against: view.compare.against ?? null,
  });
}
