// Nearest-point queries in data space over a uniform grid (counting-sorted, CSR layout). Pure: no DOM.
//
// Built once per point set in O(n); a query visits rings of cells around the query's cell and stops as soon as
// no unvisited cell can hold a point nearer than the best so far (or than `maxDist`), so a hover costs a few cells
// whatever n is. Ties go to the lower index, so results are deterministic and agree with a brute-force scan.
import { boundsOf } from './camera';

// About two points per cell on average: few cells to visit, little memory (one uint32 per cell and per point).
const POINTS_PER_CELL = 2;
// Cap each axis so a pathological aspect ratio or n cannot make the cell table huge (4096² cells = 64 MB).
const MAX_CELLS_PER_AXIS = 4096;

/** Uniform-grid spatial index over x,y pairs for nearest-point picking. */
export class PickGrid {
  private readonly xy: Float32Array;
  private readonly minX: number;
  private readonly minY: number;
  private readonly cellW: number;
  private readonly cellH: number;
  private readonly cols: number;
  private readonly rows: number;
  /** cellStart[c]..cellStart[c + 1] indexes `items` for cell c (row-major). */
  private readonly cellStart: Uint32Array;
  /** Point indices grouped by cell. */
  private readonly items: Uint32Array;
  /** Rounding slack for cell-edge distances: a point computed into a cell may sit an ulp beyond its edge. */
  private readonly slack: number;
  /** How many points are indexed (points with a non-finite coordinate are left out). */
  readonly count: number;

  /** Indexes the finite points of `xy` (float32 x,y pairs). The array is kept, not copied: do not mutate it afterwards. */
  constructor(xy: Float32Array) {
    this.xy = xy;
    const n = xy.length >> 1;
    const bounds = boundsOf(xy);
    let { minX, minY, maxX, maxY } = bounds;
    const count = bounds.count;
    this.count = count;
    if (count === 0) {
      minX = minY = 0;
      maxX = maxY = 1;
    }
    // Degenerate extents (all points on a line or one spot) still need a positive cell size.
    const spanX = Math.max(maxX - minX, 1e-12 * Math.max(1, Math.abs(minX)), Number.MIN_VALUE);
    const spanY = Math.max(maxY - minY, 1e-12 * Math.max(1, Math.abs(minY)), Number.MIN_VALUE);
    const cells = Math.max(1, Math.ceil(count / POINTS_PER_CELL));
    // Square-ish cells: cols / rows follows the aspect ratio of the bounds.
    const aspect = spanX / spanY;
    let cols = Math.round(Math.sqrt(cells * aspect));
    cols = Math.min(MAX_CELLS_PER_AXIS, Math.max(1, cols));
    const rows = Math.min(MAX_CELLS_PER_AXIS, Math.max(1, Math.ceil(cells / cols)));
    this.cols = cols;
    this.rows = rows;
    this.minX = minX;
    this.minY = minY;
    this.cellW = spanX / cols;
    this.cellH = spanY / rows;
    // A millionth of a cell: far above float64 rounding at the edges, far below anything that costs a visit.
    this.slack = 1e-6 * Math.min(this.cellW, this.cellH);

    // Counting sort of the points by cell.
    const cellStart = new Uint32Array(cols * rows + 1);
    const cellOf = new Uint32Array(n);
    for (let i = 0; i < n; i++) {
      const x = xy[2 * i]!;
      const y = xy[2 * i + 1]!;
      if (!Number.isFinite(x) || !Number.isFinite(y)) {
        cellOf[i] = 0xffffffff;
        continue;
      }
      const c = this.cellRow(y) * cols + this.cellCol(x);
      cellOf[i] = c;
      cellStart[c + 1]!++;
    }
    for (let c = 0; c < cols * rows; c++) cellStart[c + 1]! += cellStart[c]!;
    const fill = cellStart.slice(0, cols * rows);
    const items = new Uint32Array(count);
    for (let i = 0; i < n; i++) {
      const c = cellOf[i]!;
      if (c !== 0xffffffff) items[fill[c]!++] = i; // ascending i within each cell
    }
    this.cellStart = cellStart;
    this.items = items;
  }

  private cellCol(x: number): number {
    const c = Math.floor((x - this.minX) / this.cellW);
    return c < 0 ? 0 : c >= this.cols ? this.cols - 1 : c;
  }

  private cellRow(y: number): number {
    const r = Math.floor((y - this.minY) / this.cellH);
    return r < 0 ? 0 : r >= this.rows ? this.rows - 1 : r;
  }

  /**
   * Index of the point nearest to (x, y) within `maxDist` (inclusive, Euclidean, data units), or -1.
   * Ties go to the lowest index. `maxDist` may be Infinity.
   */
  nearest(x: number, y: number, maxDist: number): number {
    if (this.count === 0 || !Number.isFinite(x) || !Number.isFinite(y) || !(maxDist >= 0)) return -1;
    const xy = this.xy;
    const items = this.items;
    const cellStart = this.cellStart;
    const cols = this.cols;
    const rows = this.rows;
    let best = -1;
    let bestD2 = maxDist === Infinity ? Infinity : maxDist * maxDist;
    // Far outside the indexed box: nothing can be within maxDist.
    const outX = x < this.minX ? this.minX - x : x - (this.minX + this.cols * this.cellW);
    const outY = y < this.minY ? this.minY - y : y - (this.minY + this.rows * this.cellH);
    if (outX > 0 || outY > 0) {
      const out = Math.hypot(Math.max(0, outX), Math.max(0, outY)) - this.slack;
      if (out * out > bestD2) return -1;
    }
    const qc = this.cellCol(x);
    const qr = this.cellRow(y);
    const maxRing = Math.max(qc, cols - 1 - qc, qr, rows - 1 - qr);
    for (let k = 0; k <= maxRing; k++) {
      // Every cell not yet visited lies outside the block of cells within ring k - 1; if even the nearest edge of
      // that block is farther than the best distance, no unvisited cell can improve on it.
      if (k > 0) {
        const gap = this.distanceOutsideBlock(x, y, qc - (k - 1), qr - (k - 1), qc + (k - 1), qr + (k - 1));
        if (gap * gap > bestD2) break;
      }
      const r0 = qr - k;
      const r1 = qr + k;
      const c0 = qc - k;
      const c1 = qc + k;
      for (let r = r0; r <= r1; r++) {
        if (r < 0 || r >= rows) continue;
        const edgeRow = r === r0 || r === r1;
        // Interior rows of the ring contribute only their two end cells.
        const step = edgeRow ? 1 : c1 - c0;
        for (let c = c0; c <= c1; c += step) {
          if (c < 0 || c >= cols) {
            if (step === 0) break;
            continue;
          }
          const cellD = this.distanceToCell(x, y, c, r);
          if (cellD * cellD <= bestD2) {
            const end = cellStart[r * cols + c + 1]!;
            for (let j = cellStart[r * cols + c]!; j < end; j++) {
              const i = items[j]!;
              const dx = xy[2 * i]! - x;
              const dy = xy[2 * i + 1]! - y;
              const d2 = dx * dx + dy * dy;
              if (d2 < bestD2 || (d2 === bestD2 && (best < 0 || i < best))) {
                bestD2 = d2;
                best = i;
              }
            }
          }
          if (step === 0) break; // k = 0: the single cell
        }
      }
    }
    return best;
  }

  /** Distance from (x, y) to the rectangle of cell (c, r); 0 inside. Boundary cells extend to infinity outward. */
  private distanceToCell(x: number, y: number, c: number, r: number): number {
    const left = c === 0 ? -Infinity : this.minX + c * this.cellW;
    const right = c === this.cols - 1 ? Infinity : this.minX + (c + 1) * this.cellW;
    const bottom = r === 0 ? -Infinity : this.minY + r * this.cellH;
    const top = r === this.rows - 1 ? Infinity : this.minY + (r + 1) * this.cellH;
    const dx = x < left ? left - x : x > right ? x - right : 0;
    const dy = y < bottom ? bottom - y : y > top ? y - top : 0;
    return Math.max(0, Math.hypot(dx, dy) - this.slack);
  }

  /**
   * Lower bound on the distance from (x, y) to any point in a cell outside the block [c0..c1]×[r0..r1]: the distance
   * to the nearest block edge that has cells beyond it (0 when the query is not inside the block's rectangle).
   */
  private distanceOutsideBlock(x: number, y: number, c0: number, r0: number, c1: number, r1: number): number {
    let gap = Infinity;
    if (c0 > 0) gap = Math.min(gap, x - (this.minX + c0 * this.cellW));
    if (c1 < this.cols - 1) gap = Math.min(gap, this.minX + (c1 + 1) * this.cellW - x);
    if (r0 > 0) gap = Math.min(gap, y - (this.minY + r0 * this.cellH));
    if (r1 < this.rows - 1) gap = Math.min(gap, this.minY + (r1 + 1) * this.cellH - y);
    gap -= this.slack;
    return gap < 0 ? 0 : gap;
  }
}
