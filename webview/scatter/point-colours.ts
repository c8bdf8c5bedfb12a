import { RAMP_SIZE, buildRamp, writeRgba8 } from './colour';
import type { ScatterTheme } from './theme';

/**
 * Writes RGBA8 colours for `n` points into `out`: from the theme's ramp by `shade` (float32 in [0, 1], NaN = the
 * theme's no-value colour), or the theme's point colour for all when there is no shade.
 */
export function pointColours(out: Uint8Array, n: number, shade: Float32Array | undefined, theme: ScatterTheme): void {
  if (shade) {
    const ramp = buildRamp(theme.rampFrom, theme.rampTo);
    writeRgba8(out, 0, theme.noValue);
    const nr = out[0]!;
    const ng = out[1]!;
    const nb = out[2]!;
    const na = out[3]!;
    for (let i = 0; i < n; i++) {
      const s = shade[i]!;
      if (Number.isNaN(s)) {
        out[4 * i] = nr;
        out[4 * i + 1] = ng;
        out[4 * i + 2] = nb;
        out[4 * i + 3] = na;
        continue;
      }
      const k = 4 * Math.round(Math.min(1, Math.max(0, s)) * (RAMP_SIZE - 1));
      out[4 * i] = ramp[k]!;
      out[4 * i + 1] = ramp[k + 1]!;
      out[4 * i + 2] = ramp[k + 2]!;
      out[4 * i + 3] = ramp[k + 3]!;
    }
  } else if (n > 0) {
    writeRgba8(out, 0, theme.point);
    for (let k = 4; k < out.length; k += 4) out.copyWithin(k, 0, 4);
  }
}
