import { DEFAULT_CHOICE, type ProjectionChoice } from './projection-choice';

/** Bumped when the shape below changes; older state is thrown away. */
export const VIEW_STATE_VERSION = 2;

/** What the panel remembers across hide/show and window reloads (via the webview's getState/setState). */
export interface ViewState {
  readonly version: typeof VIEW_STATE_VERSION;
  /** The checkpoint's path: the host uses it to revive the panel after a reload. */
  readonly path: string;
  readonly query: string;
  readonly regex: boolean;
  /** The selected token, by text: rows may move if the file changed. */
  readonly selectedToken: string | null;
  /** The projection chosen last; a restored panel runs it again (the worker keeps finished layouts). */
  readonly projection: ProjectionChoice;
  /** The tab shown. */
  readonly tab: TabId;
  /** The checkpoint the Compare tab compares with, if any; a restored panel compares again. */
  readonly against: { readonly path: string; readonly name: string } | null;
}

/** The panel's tabs. */
export type TabId = 'map' | 'uv' | 'compare';

/** The stored state if it is ours and current, else undefined. */
export function readViewState(stored: unknown): ViewState | undefined {
  if (typeof stored !== 'object' || stored === null) return undefined;
  const state = stored as Partial<ViewState>;
  if (state.version !== VIEW_STATE_VERSION || typeof state.path !== 'string') return undefined;
  return {
    version: VIEW_STATE_VERSION,
    path: state.path,
    query: typeof state.query === 'string' ? state.query : '',
    regex: state.regex === true,
    selectedToken: typeof state.selectedToken === 'string' ? state.selectedToken : null,
    projection: readChoice(state.projection),
    tab: state.tab === 'uv' || state.tab === 'compare' ? state.tab : 'map',
    against: readTarget(state.against),
  };
}

function readChoice(stored: unknown): ProjectionChoice {
  if (typeof stored !== 'object' || stored === null) return DEFAULT_CHOICE;
  const choice = stored as Partial<Record<keyof ProjectionChoice, unknown>>;
  const text = (value: unknown): string => (typeof value === 'string' ? value : '');
  return {
    method: choice.method === 'umap' || choice.method === 'axes' ? choice.method : 'pca',
    space: choice.space === 'output' || choice.space === 'joint' ? choice.space : 'input',
    limit: text(choice.limit),
    axisX: text(choice.axisX),
    axisY: text(choice.axisY),
    // Written only when they say something: state saved before 3-D existed reads back exactly as it was (2-D).
    ...(choice.dims === 3 ? { dims: 3 as const } : {}),
    ...(text(choice.axisZ) !== '' ? { axisZ: text(choice.axisZ) } : {}),
  };
}

function readTarget(stored: unknown): ViewState['against'] {
  if (typeof stored !== 'object' || stored === null) return null;
  const { path, name } = stored as { path?: unknown; name?: unknown };
  return typeof path === 'string' && typeof name === 'string' ? { path, name } : null;
}
