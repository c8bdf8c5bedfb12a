import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CURVE_BOX, curveGeometry } from '../../../webview/training/loss-curve';

/** The path's points as numbers. */
function pathPoints(path: string): [number, number][] {
  return [...path.matchAll(/[ML]([\d.]+) ([\d.]+)/g)].map((m) => [Number(m[1]), Number(m[2])]);
}

describe('the live loss curve', () => {
  it('places the training fraction across the whole width, so the curve grows to the right as the run goes', () => {
    const { path } = curveGeometry(
      [
        { fraction: 0, loss: 4 },
        { fraction: 0.5, loss: 3 },
        { fraction: 1, loss: 2 },
      ],
      2,
    );
    const points = pathPoints(path);
    assert.deepEqual(
      points.map(([x]) => x),
      [CURVE_BOX.left, CURVE_BOX.left + (CURVE_BOX.width - CURVE_BOX.left) / 2, CURVE_BOX.width],
    );
    const ys = points.map(([, y]) => y);
    assert.ok((ys[0] as number) < (ys[1] as number) && (ys[1] as number) < (ys[2] as number), 'a falling loss goes down the page');
    const plotHeight = CURVE_BOX.height - CURVE_BOX.bottom;
    assert.ok(
      ys.every((y) => y > 0 && y < plotHeight),
      'the padded loss axis keeps every point inside the plot',
    );
  });

  it('marks the epoch boundaries and labels the loss axis with ticks inside the range seen', () => {
    const geometry = curveGeometry(
      [
        { fraction: 0.1, loss: 2.5 },
        { fraction: 0.4, loss: 2.1 },
      ],
      5,
    );
    assert.deepEqual(
      geometry.epochs.map((mark) => mark.label),
      ['2', '3', '4', '5'],
    );
    const values = geometry.ticks.map((tick) => Number(tick.label));
    assert.equal(values.length, 4);
    assert.ok(
      values.every((value) => value > 2 && value < 2.6),
      values.join(', '),
    );
    assert.deepEqual(
      values,
      [...values].sort((a, b) => a - b),
      'ticks rise with the loss',
    );
  });

  it('draws nothing before the first loss, skips non-finite losses, and keeps a flat curve in the middle', () => {
    assert.equal(curveGeometry([], 3).path, '');
    const flat = curveGeometry(
      [
        { fraction: 0.2, loss: 1 },
        { fraction: 0.3, loss: Number.NaN },
        { fraction: 0.4, loss: 1 },
      ],
      1,
    );
    const points = pathPoints(flat.path);
    assert.equal(points.length, 2);
    assert.equal(points[0]?.[1], (CURVE_BOX.height - CURVE_BOX.bottom) / 2);
  });
});
