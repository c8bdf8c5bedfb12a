/** One axis of a custom projection: rows (words) at its positive end and, optionally, at its negative end. */
export interface AxisWords {
  /** Row indices whose mean is the positive end (at least one). */
  readonly positive: ArrayLike<number>;
  /** Row indices whose mean is the negative end; none: the axis runs from the origin to the positive mean. */
  readonly negative?: ArrayLike<number>;
}

/** A custom projection ("custom axes" of the Embedding Projector, whatlies' axes). */
export interface CustomAxesOptions {
  readonly x: AxisWords;
  readonly y: AxisWords;
  /** A third axis: a 3-D projection. */
  readonly z?: AxisWords;
  /** Work on unit-length rows (cosine geometry; default true): word vectors' lengths mostly track frequency. */
  readonly normalizeRows?: boolean;
  /**
   * Replace the y direction by its part orthogonal to x, and z by its part orthogonal to both (default false), so the
   * coordinates are independent.
   */
  readonly orthogonalize?: boolean;
}

/** The projected rows and the axes used. */
export interface CustomAxesResult {
  /** rows × axes float32 (2 or 3), row-major: row·d / (d·d) for the x, y (and z) directions d. */
  readonly coords: Float32Array;
  /** The directions used (after orthogonalisation), axes × cols, row-major, as mean(positive) − mean(negative). */
  readonly directions: Float64Array;
  /** Cosine between the x and y directions as the words define them (before any orthogonalisation): near ±1 means the plot is nearly a line. */
  readonly axisCosine: number;
}

/**
 * Projects every row onto two (or, with `z`, three) directions defined by words: d = mean(positive rows) − mean(negative rows), and each
 * coordinate is row·d / (d·d) — whatlies' scalar projection, in units of the axis, so the positive mean sits 1 unit
 * beyond the negative mean. With `normalizeRows` every row (the means' rows included) is first scaled to unit length;
 * zero rows stay zero. Accumulates in float64. Throws a RangeError naming the axis when a word index is out of range,
 * an end has no word, or the direction is zero (for example the same words at both ends).
 */
export function customAxes(data: Float32Array, rows: number, cols: number, options: CustomAxesOptions): CustomAxesResult {
  if (!Number.isSafeInteger(rows) || rows < 0 || !Number.isSafeInteger(cols) || cols < 1 || data.length < rows * cols) {
    throw new RangeError(`customAxes: data must hold rows × cols = ${rows} × ${cols} values, got ${data.length}`);
  }
  const normalize = options.normalizeRows ?? true;
  const scales = new Float64Array(rows);
  for (let r = 0; r < rows; r++) {
    if (!normalize) {
      scales[r] = 1;
      continue;
    }
    let squared = 0;
    for (let c = 0; c < cols; c++) squared += (data[r * cols + c] as number) ** 2;
    scales[r] = squared > 0 ? 1 / Math.sqrt(squared) : 0;
  }
  const x = direction(data, rows, cols, scales, options.x, 'x');
  const y = direction(data, rows, cols, scales, options.y, 'y');
  const z = options.z ? direction(data, rows, cols, scales, options.z, 'z') : undefined;
  const xx = dot(x, x);
  const axisCosine = dot(x, y) / Math.sqrt(xx * dot(y, y));
  if (options.orthogonalize ?? false) {
    removeAlong(y, x);
    // y parallel to x leaves nothing orthogonal: the plane is undefined.
    if (!(Math.sqrt(dot(y, y)) > 1e-12 * Math.sqrt(xx))) {
      throw new RangeError('customAxes: the y direction is parallel to the x direction, nothing is left after orthogonalising');
    }
    if (z) {
      const zz = dot(z, z);
      removeAlong(z, x);
      removeAlong(z, y);
      if (!(Math.sqrt(dot(z, z)) > 1e-12 * Math.sqrt(zz))) {
        throw new RangeError('customAxes: the z direction lies in the plane of x and y, nothing is left after orthogonalising');
      }
    }
  }
  const axes = z ? [x, y, z] : [x, y];
  const count = axes.length;
  const norms = axes.map((d) => dot(d, d));
  const coords = new Float32Array(rows * count);
  for (let r = 0; r < rows; r++) {
    const scale = scales[r] as number;
    for (let a = 0; a < count; a++) {
      const d = axes[a] as Float64Array;
      let p = 0;
      for (let c = 0; c < cols; c++) p += (data[r * cols + c] as number) * (d[c] as number);
      coords[count * r + a] = (p * scale) / (norms[a] as number);
    }
  }
  const directions = new Float64Array(count * cols);
  axes.forEach((d, a) => directions.set(d, a * cols));
  return { coords, directions, axisCosine };
}

/** Replaces `v` by its part orthogonal to `along`. */
function removeAlong(v: Float64Array, along: Float64Array): void {
  const k = dot(v, along) / dot(along, along);
  for (let c = 0; c < v.length; c++) v[c] = (v[c] as number) - k * (along[c] as number);
}

/** mean(positive) − mean(negative) over the (scaled) rows. */
function direction(data: Float32Array, rows: number, cols: number, scales: Float64Array, words: AxisWords, name: string): Float64Array {
  if (words.positive.length === 0) throw new RangeError(`customAxes: the ${name} axis needs at least one positive word, got none`);
  const result = new Float64Array(cols);
  addMean(result, data, rows, cols, scales, words.positive, 1, name);
  if (words.negative && words.negative.length > 0) addMean(result, data, rows, cols, scales, words.negative, -1, name);
  if (!(dot(result, result) > 0)) {
    throw new RangeError(`customAxes: the ${name} axis has zero length (its two ends have the same mean, or its words are zero vectors)`);
  }
  return result;
}

function addMean(
  target: Float64Array,
  data: Float32Array,
  rows: number,
  cols: number,
  scales: Float64Array,
  indices: ArrayLike<number>,
  sign: number,
  name: string,
): void {
  const weight = sign / indices.length;
  for (let i = 0; i < indices.length; i++) {
    const row = indices[i] as number;
    if (!Number.isSafeInteger(row) || row < 0 || row >= rows) {
      throw new RangeError(`customAxes: the ${name} axis names row ${row}, outside 0..${rows - 1}`);
    }
    const factor = weight * (scales[row] as number);
    for (let c = 0; c < cols; c++) target[c] = (target[c] as number) + factor * (data[row * cols + c] as number);
  }
}

function dot(a: Float64Array, b: Float64Array): number {
  let total = 0;
  for (let c = 0; c < a.length; c++) total += (a[c] as number) * (b[c] as number);
  return total;
}
