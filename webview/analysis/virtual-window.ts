// Arithmetic of a virtualised list: which rows to put in the DOM for a scroll position, where to place them, and
// where to scroll to reveal a row. Pure: no DOM.

/**
 * Tallest scrollable spacer (CSS px). Browsers cap element heights (Chromium ≈ 33.5 million px, Firefox ≈ 17.9
 * million); past this height the scroll position is mapped proportionally onto the rows instead.
 */
export const MAX_SPACER_PX = 8_000_000;

/** A scroll viewport over `rowCount` rows of `rowPx` each. */
export interface Viewport {
  readonly scrollTop: number;
  readonly viewportPx: number;
  readonly rowPx: number;
  readonly rowCount: number;
}

/** The rows to render and where. */
export interface RowWindow {
  /** First row position to render (inclusive) and end (exclusive). */
  readonly first: number;
  readonly end: number;
  /** Offset (px from the spacer's top) at which row `first` is drawn. */
  readonly top: number;
  /** Height to give the scrollable spacer. */
  readonly spacerPx: number;
}

/** Height of the spacer for `rowCount` rows (capped at MAX_SPACER_PX). */
export function spacerHeight(rowCount: number, rowPx: number): number {
  return Math.min(rowCount * rowPx, MAX_SPACER_PX);
}

/** The content offset (px into the full list) shown at the top of the viewport for a scroll position. */
export function contentOffset(v: Viewport): number {
  const content = v.rowCount * v.rowPx;
  const spacerScroll = Math.max(0, spacerHeight(v.rowCount, v.rowPx) - v.viewportPx);
  const contentScroll = Math.max(0, content - v.viewportPx);
  if (spacerScroll <= 0) return 0;
  const top = Math.min(Math.max(0, v.scrollTop), spacerScroll);
  // Identity when the spacer is not capped (spacerScroll === contentScroll).
  return spacerScroll === contentScroll ? top : (top / spacerScroll) * contentScroll;
}

/** Rows covering the viewport plus `overscan` rows each side. */
export function rowWindow(v: Viewport, overscan: number): RowWindow {
  const spacerPx = spacerHeight(v.rowCount, v.rowPx);
  if (v.rowCount === 0 || v.rowPx <= 0) return { first: 0, end: 0, top: 0, spacerPx };
  const offset = contentOffset(v);
  const first = Math.max(0, Math.floor(offset / v.rowPx) - overscan);
  const end = Math.min(v.rowCount, Math.ceil((offset + Math.max(0, v.viewportPx)) / v.rowPx) + overscan);
  const scrollTop = Math.min(Math.max(0, v.scrollTop), Math.max(0, spacerPx - v.viewportPx));
  return { first, end, top: scrollTop + (first * v.rowPx - offset), spacerPx };
}

/** The scrollTop that brings row position `index` fully into view with the least movement (unchanged if it is). */
export function revealScrollTop(v: Viewport, index: number): number {
  const offset = contentOffset(v);
  const rowTop = index * v.rowPx;
  const rowBottom = rowTop + v.rowPx;
  const spacerScroll = Math.max(0, spacerHeight(v.rowCount, v.rowPx) - v.viewportPx);
  let target = offset;
  if (rowTop < offset) target = rowTop;
  else if (rowBottom > offset + v.viewportPx) target = rowBottom - v.viewportPx;
  else return Math.min(Math.max(0, v.scrollTop), spacerScroll);
  const content = v.rowCount * v.rowPx;
  const contentScroll = Math.max(0, content - v.viewportPx);
  if (contentScroll <= 0) return 0;
  target = Math.min(Math.max(0, target), contentScroll);
  return spacerScroll === contentScroll ? target : (target / contentScroll) * spacerScroll;
}

/** Keys that move a list selection. */
export type NavigationKey = 'ArrowUp' | 'ArrowDown' | 'PageUp' | 'PageDown' | 'Home' | 'End';

/** True for the keys nextPosition understands. */
export function isNavigationKey(key: string): key is NavigationKey {
  return key === 'ArrowUp' || key === 'ArrowDown' || key === 'PageUp' || key === 'PageDown' || key === 'Home' || key === 'End';
}

/** The position a key moves a selection at `position` (-1: none) to, in a list of `count` with `pageRows` visible. */
export function nextPosition(position: number, key: NavigationKey, count: number, pageRows: number): number {
  if (count <= 0) return -1;
  const page = Math.max(1, pageRows - 1);
  const at = position < 0 ? (key === 'ArrowUp' || key === 'PageUp' ? count : -1) : position;
  const next =
    key === 'ArrowUp'
      ? at - 1
      : key === 'ArrowDown'
        ? at + 1
        : key === 'PageUp'
          ? at - page
          : key === 'PageDown'
            ? at + page
            : key === 'Home'
              ? 0
              : count - 1;
  return Math.min(count - 1, Math.max(0, next));
}
