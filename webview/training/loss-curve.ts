// The live loss curve's geometry, pure (no DOM) so tests can check it: points → an SVG path in a fixed viewBox,
// with the loss axis fitted to the points and epoch boundaries along the training axis.
import type { LossPoint } from '../../src/protocol/panel';

/** The curve's drawing box (SVG user units; the element scales it to the panel's width). */
export interface CurveBox {
  readonly width: number;
  readonly height: number;
  /** Left margin for the loss ticks, bottom margin for the epoch labels. */
  readonly left: number;
  readonly bottom: number;
}

export const CURVE_BOX: CurveBox = { width: 600, height: 220, left: 48, bottom: 22 };

/** What to draw: the path, the loss ticks and the epoch boundaries, all in the box's units. */
export interface CurveGeometry {
  /** SVG path data ("M x y L x y …"), empty without points. */
  readonly path: string;
  readonly ticks: readonly { readonly y: number; readonly label: string }[];
  readonly epochs: readonly { readonly x: number; readonly label: string }[];
}

/** Loss ticks drawn on the left axis. */
const TICKS = 4;

/**
 * Fits the points (training fraction 0–1 across, loss up) into the box: the x axis spans the whole training so the
 * curve grows to the right as it runs; the loss axis spans the finite losses seen, padded by 5 %.
 */
export function curveGeometry(points: readonly LossPoint[], epochs: number, box: CurveBox = CURVE_BOX): CurveGeometry {
  const finite = points.filter((p) => Number.isFinite(p.loss) && Number.isFinite(p.fraction));
  const plotWidth = box.width - box.left;
  const plotHeight = box.height - box.bottom;
  const x = (fraction: number): number => box.left + Math.min(1, Math.max(0, fraction)) * plotWidth;
  const epochMarks = Array.from({ length: Math.max(0, epochs - 1) }, (_, i) => ({ x: x((i + 1) / epochs), label: String(i + 2) }));
  if (finite.length === 0) return { path: '', ticks: [], epochs: epochMarks };
  let low = Math.min(...finite.map((p) => p.loss));
  let high = Math.max(...finite.map((p) => p.loss));
  if (high - low < 1e-9) {
    low -= 0.5;
    high += 0.5;
  }
  const pad = (high - low) * 0.05;
  low -= pad;
  high += pad;
  const y = (loss: number): number => plotHeight - ((loss - low) / (high - low)) * plotHeight;
  const path = finite.map((p, i) => `${i === 0 ? 'M' : 'L'}${x(p.fraction).toFixed(1)} ${y(p.loss).toFixed(1)}`).join(' ');
  const ticks = Array.from({ length: TICKS }, (_, i) => {
    const loss = low + ((i + 0.5) / TICKS) * (high - low);
    return { y: y(loss), label: formatLoss(loss, high - low) };
  });
  return { path, ticks, epochs: epochMarks };
}

/** Enough digits to tell the ticks apart. */
function formatLoss(loss: number, span: number): string {
  const digits = Math.min(6, Math.max(0, 2 - Math.floor(Math.log10(span))));
  return loss.toFixed(digits);
}
