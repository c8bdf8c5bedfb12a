import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { seededRandom } from '../../../../src/core/analysis/seeded-random';
import {
  MAX_SPACER_PX,
  contentOffset,
  nextPosition,
  revealScrollTop,
  rowWindow,
  spacerHeight,
  type Viewport,
} from '../../../../webview/analysis/virtual-window';

describe('virtual window', () => {
  it('renders only the rows in view plus the overscan, placed at their own offset', () => {
    const v: Viewport = { scrollTop: 220, viewportPx: 100, rowPx: 20, rowCount: 1000 };
    assert.deepEqual(rowWindow(v, 2), { first: 9, end: 18, top: 180, spacerPx: 20_000 });
  });

  it('clamps the window at both ends and handles an empty list', () => {
    assert.deepEqual(rowWindow({ scrollTop: 0, viewportPx: 100, rowPx: 20, rowCount: 3 }, 5), { first: 0, end: 3, top: 0, spacerPx: 60 });
    const end = rowWindow({ scrollTop: 19_900, viewportPx: 100, rowPx: 20, rowCount: 1000 }, 4);
    assert.equal(end.end, 1000);
    assert.equal(rowWindow({ scrollTop: 0, viewportPx: 100, rowPx: 20, rowCount: 0 }, 4).end, 0);
  });

  it('always covers the viewport, for any seeded scroll position, with and without a capped spacer', () => {
    const random = seededRandom(21);
    for (const rowCount of [10, 5000, 200_000, 2_000_000]) {
      const rowPx = 22;
      const viewportPx = 300;
      const maxScroll = Math.max(0, spacerHeight(rowCount, rowPx) - viewportPx);
      for (let trial = 0; trial < 200; trial++) {
        const scrollTop = random() * maxScroll;
        const w = rowWindow({ scrollTop, viewportPx, rowPx, rowCount }, 0);
        // Row `first` is drawn at w.top; the rows drawn must reach from above the viewport's top to below its bottom.
        assert.ok(w.top <= scrollTop + 1e-6, `${rowCount}: top ${w.top} > ${scrollTop}`);
        const bottom = w.top + (w.end - w.first) * rowPx;
        assert.ok(bottom >= Math.min(scrollTop + viewportPx, w.top + (rowCount - w.first) * rowPx) - 1e-6);
        assert.ok(w.end - w.first <= Math.ceil(viewportPx / rowPx) + 1);
      }
    }
  });

  it('caps the spacer for huge lists and still reaches the first and last rows', () => {
    const v = { viewportPx: 300, rowPx: 22, rowCount: 2_000_000 };
    assert.equal(spacerHeight(v.rowCount, v.rowPx), MAX_SPACER_PX);
    assert.equal(rowWindow({ ...v, scrollTop: 0 }, 0).first, 0);
    const last = rowWindow({ ...v, scrollTop: MAX_SPACER_PX - 300 }, 0);
    assert.equal(last.end, v.rowCount);
    assert.equal(contentOffset({ ...v, scrollTop: MAX_SPACER_PX - 300 }), v.rowCount * v.rowPx - 300);
  });

  it('scrolls the least needed to reveal a row, and not at all when it is in view', () => {
    const v: Viewport = { scrollTop: 200, viewportPx: 100, rowPx: 20, rowCount: 1000 };
    assert.equal(revealScrollTop(v, 11), 200);
    assert.equal(revealScrollTop(v, 5), 100);
    assert.equal(revealScrollTop(v, 20), 320);
    assert.equal(revealScrollTop({ ...v, rowCount: 3 }, 2), 0);
  });

  it('reveals any row of a huge list inside the rendered window', () => {
    const random = seededRandom(4);
    const base = { viewportPx: 300, rowPx: 22, rowCount: 2_000_000 };
    for (let trial = 0; trial < 100; trial++) {
      const index = Math.floor(random() * base.rowCount);
      const scrollTop = revealScrollTop({ ...base, scrollTop: random() * (MAX_SPACER_PX - 300) }, index);
      const w = rowWindow({ ...base, scrollTop }, 0);
      assert.ok(index >= w.first && index < w.end, `row ${index} not in [${w.first}, ${w.end})`);
      const rowTop = w.top + (index - w.first) * base.rowPx;
      assert.ok(rowTop >= scrollTop - 1e-6 && rowTop + base.rowPx <= scrollTop + base.viewportPx + 1e-6);
    }
  });

  it('moves a selection with arrows, pages, Home and End, clamped to the list', () => {
    assert.equal(nextPosition(5, 'ArrowDown', 10, 4), 6);
    assert.equal(nextPosition(9, 'ArrowDown', 10, 4), 9);
    assert.equal(nextPosition(0, 'ArrowUp', 10, 4), 0);
    assert.equal(nextPosition(5, 'PageDown', 10, 4), 8);
    assert.equal(nextPosition(5, 'PageUp', 10, 4), 2);
    assert.equal(nextPosition(5, 'Home', 10, 4), 0);
    assert.equal(nextPosition(5, 'End', 10, 4), 9);
    assert.equal(nextPosition(-1, 'ArrowDown', 10, 4), 0);
    assert.equal(nextPosition(-1, 'ArrowUp', 10, 4), 9);
    assert.equal(nextPosition(3, 'ArrowDown', 0, 4), -1);
  });
});
