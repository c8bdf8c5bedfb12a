// Scatter colours from VS Code's theme CSS variables (read from document.body), with fallbacks per theme kind.
import { parseCssColour } from './colour';
import type { Rgba } from './colour';

/** Which kind of theme VS Code has applied (from the body's class). */
export type ThemeKind = 'light' | 'dark' | 'high-contrast' | 'high-contrast-light';

/** Every colour the scatter draws with. */
export interface ScatterTheme {
  readonly kind: ThemeKind;
  /** Canvas background. */
  readonly background: Rgba;
  /** Points when no shade is given. */
  readonly point: Rgba;
  /** Points whose shade is NaN (no value). */
  readonly noValue: Rgba;
  /** Shade 0 and shade 1 ends of the ramp. */
  readonly rampFrom: Rgba;
  readonly rampTo: Rgba;
  /** Search hits. */
  readonly highlight: Rgba;
  /** Neighbours of the selection. */
  readonly neighbor: Rgba;
  /** Ring around the selected point. */
  readonly selection: Rgba;
  /** Outline that separates emphasised points from the cloud (the background colour, opaque). */
  readonly halo: Rgba;
}

interface Source {
  readonly variable: string;
  readonly dark: string;
  readonly light: string;
}

// Fallbacks are VS Code's own defaults for these variables (Dark Modern / Light Modern), used when a variable is
// missing: outside VS Code (tests, the benchmark page) or with a theme that leaves it unset.
const SOURCES = {
  background: { variable: '--vscode-editor-background', dark: '#1f1f1f', light: '#ffffff' },
  point: { variable: '--vscode-charts-blue', dark: '#3794ff', light: '#1a85ff' },
  rampFrom: { variable: '--vscode-charts-blue', dark: '#3794ff', light: '#1a85ff' },
  rampTo: { variable: '--vscode-charts-orange', dark: '#d18616', light: '#d18616' },
  noValue: { variable: '--vscode-disabledForeground', dark: '#cccccc80', light: '#61616180' },
  highlight: { variable: '--vscode-charts-red', dark: '#f14c4c', light: '#e51400' },
  neighbor: { variable: '--vscode-charts-green', dark: '#89d185', light: '#388a34' },
  selection: { variable: '--vscode-focusBorder', dark: '#0078d4', light: '#005fb8' },
  foreground: { variable: '--vscode-editor-foreground', dark: '#cccccc', light: '#3b3b3b' },
} as const satisfies Record<string, Source>;

/** The theme kind from VS Code's body classes (`vscode-light`, `vscode-dark`, `vscode-high-contrast`, `vscode-high-contrast-light`). */
export function themeKindOf(body: Element): ThemeKind {
  const classes = body.classList;
  if (classes.contains('vscode-high-contrast-light')) return 'high-contrast-light';
  if (classes.contains('vscode-high-contrast')) return 'high-contrast';
  if (classes.contains('vscode-light')) return 'light';
  return 'dark';
}

/** Reads the scatter's colours from the computed style of `body`. */
export function readTheme(body: HTMLElement): ScatterTheme {
  const kind = themeKindOf(body);
  const style = getComputedStyle(body);
  const light = kind === 'light' || kind === 'high-contrast-light';
  const read = (source: Source): Rgba =>
    resolveColour(style.getPropertyValue(source.variable)) ?? parseCssColour(light ? source.light : source.dark)!;
  const background = { ...read(SOURCES.background), a: 1 };
  const highContrast = kind === 'high-contrast' || kind === 'high-contrast-light';
  return {
    kind,
    background,
    point: read(SOURCES.point),
    noValue: read(SOURCES.noValue),
    rampFrom: read(SOURCES.rampFrom),
    rampTo: read(SOURCES.rampTo),
    highlight: read(SOURCES.highlight),
    neighbor: read(SOURCES.neighbor),
    // High-contrast themes make the focus border the contrast colour; elsewhere the foreground reads better on a cloud.
    selection: highContrast ? read(SOURCES.selection) : read(SOURCES.foreground),
    halo: background,
  };
}

let probe: CanvasRenderingContext2D | null | undefined;

/** Parses a CSS colour, letting the browser normalise forms the parser does not know (named colours, hsl(), …). */
function resolveColour(text: string): Rgba | undefined {
  if (text.trim() === '') return undefined;
  const direct = parseCssColour(text);
  if (direct) return direct;
  probe ??= document.createElement('canvas').getContext('2d');
  if (!probe) return undefined;
  probe.fillStyle = '#000000';
  probe.fillStyle = text.trim();
  return parseCssColour(probe.fillStyle);
}
