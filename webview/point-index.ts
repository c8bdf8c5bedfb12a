/**
 * Maps between a layout's points and vocabulary rows. A layout may show only some rows (the N most frequent) and
 * a joint layout shows each row twice: U's point in the first half, V's in the second.
 */
export class PointIndex {
  /** First point of each row, by row; -1 when the row is not shown. */
  private readonly firstPoint: Int32Array;

  constructor(
    private readonly rows: Int32Array,
    private readonly joint: boolean,
  ) {
    let max = -1;
    for (const row of rows) if (row > max) max = row;
    this.firstPoint = new Int32Array(max + 1).fill(-1);
    const shown = joint ? rows.length / 2 : rows.length;
    for (let point = shown - 1; point >= 0; point--) this.firstPoint[rows[point] as number] = point;
  }

  /** The vocabulary row a point stands for. */
  rowOf(point: number): number {
    return this.rows[point] ?? -1;
  }

  /** The row's point (U's, in a joint layout), or -1. */
  pointOf(row: number): number {
    return row >= 0 && row < this.firstPoint.length ? (this.firstPoint[row] as number) : -1;
  }

  /** Points of the rows that are shown, both halves in a joint layout. */
  pointsOf(rows: ArrayLike<number>): number[] {
    const points: number[] = [];
    for (let i = 0; i < rows.length; i++) {
      const point = this.pointOf(rows[i] as number);
      if (point < 0) continue;
      points.push(point);
      if (this.joint) points.push(point + this.rows.length / 2);
    }
    return points;
  }

  /** In a joint layout, the same row's point in the other matrix; else -1. */
  twinOf(point: number): number {
    if (!this.joint || point < 0 || point >= this.rows.length) return -1;
    const half = this.rows.length / 2;
    return point < half ? point + half : point - half;
  }

  /** 'U' or 'V' for a point of a joint layout; '' otherwise. */
  matrixOf(point: number): '' | 'U' | 'V' {
    if (!this.joint) return '';
    return point < this.rows.length / 2 ? 'U' : 'V';
  }
}
