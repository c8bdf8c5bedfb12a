/** Bumped when the shape below changes; older state is thrown away. */
export const VIEW_STATE_VERSION = 1;

/** What the panel remembers across hide/show and window reloads (via the webview's getState/setState). */
export interface ViewState {
  readonly version: typeof VIEW_STATE_VERSION;
  /** The checkpoint's path: the host uses it to revive the panel after a reload. */
  readonly path: string;
  readonly query: string;
  readonly regex: boolean;
  /** The selected token, by text: rows may move if the file changed. */
  readonly selectedToken: string | null;
}

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
  };
}
