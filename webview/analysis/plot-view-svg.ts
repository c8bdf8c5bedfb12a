// The panel's plot as an SVG document: the scatter's current picture (2-D view or 3-D rotation, as shown) with the
// plot's labels, emphasis, legend and caption. Pure: no DOM, so tests run it with hostile tokens.
import type { PointIndex } from '../point-index';
import type { Rgba } from '../scatter/colour';
import type { ScatterPicture } from '../scatter/geometry';
import { plotSvg, type PlotLegend } from './svg-plot';

/** What the plot shows besides the points: which points are labelled and emphasised, and the words around them. */
export interface PlotSvgState {
  readonly picture: ScatterPicture;
  /** Vocabulary tokens by row (untrusted text). */
  readonly tokens: readonly string[];
  readonly points: PointIndex;
  /** Labelled points, the selection first. */
  readonly labelled: readonly number[];
  readonly neighbors: ArrayLike<number>;
  readonly highlighted: ArrayLike<number>;
  readonly caption: string;
  readonly legend: PlotLegend | undefined;
  /** Label and caption colour. */
  readonly foreground: Rgba;
}

/** The SVG document of the plot as it is shown now. */
export function plotViewSvg(state: PlotSvgState): string {
  const { picture, points, tokens } = state;
  const theme = picture.palette;
  return plotSvg({
    xy: picture.xy,
    pixels: true,
    tokenAt: (point) => {
      const row = points.rowOf(point);
      return tokens[row] ?? `#${row}`;
    },
    labelSuffix: (point) => {
      const side = points.matrixOf(point);
      return side ? ` ${side}` : '';
    },
    width: Math.max(1, Math.round(picture.width)),
    height: Math.max(1, Math.round(picture.height)),
    colours: picture.colours,
    background: theme.background,
    foreground: state.foreground,
    selection: theme.selection,
    neighbor: theme.neighbor,
    highlight: theme.highlight,
    pointDiameter: picture.diameter,
    pointAlpha: picture.alpha,
    ...(picture.order ? { order: picture.order } : {}),
    ...(picture.cue ? { cue: picture.cue } : {}),
    selected: picture.selected,
    neighbors: state.neighbors,
    highlighted: state.highlighted,
    // The selection's label last, so it is drawn over its neighbours' (they crowd around it).
    labels: [...state.labelled.filter((p) => p !== picture.selected), ...state.labelled.filter((p) => p === picture.selected)],
    ...(state.caption ? { caption: state.caption } : {}),
    ...(state.legend ? { legend: state.legend } : {}),
  });
}

/** The legend of a layout: U and V in their two colours (joint), the frequency ramp (shaded), or none (one colour). */
export function plotLegend(
  joint: boolean,
  shaded: boolean,
  theme: { readonly rampFrom: Rgba; readonly rampTo: Rgba },
): PlotLegend | undefined {
  if (joint) {
    return {
      kind: 'swatches',
      items: [
        { label: 'U', colour: theme.rampFrom },
        { label: 'V', colour: theme.rampTo },
      ],
    };
  }
  return shaded ? { kind: 'ramp', from: theme.rampFrom, to: theme.rampTo, label: 'frequent → rare' } : undefined;
}
