import type { Checkpoint } from '../core/checkpoint';
import type { Metric } from '../core/neighbors';
import { neighborsOfToken, type NeighborSpace } from '../core/token-neighbors';

/** `neighbors --json` document (schema 1). */
export interface NeighborsResult {
  readonly schema: 1;
  readonly token: string;
  /** input: among U; output: among V; cross: V's rows scored by the token's U row. */
  readonly matrix: NeighborSpace;
  readonly metric: Metric;
  readonly neighbors: { token: string; score: number }[];
}

/** Exact top-k neighbours of a token in U or V as the CLI's schema-1 document. */
export async function neighborsOf(
  checkpoint: Checkpoint,
  token: string,
  k: number,
  space: NeighborSpace,
  metric: Metric,
): Promise<NeighborsResult> {
  const { neighbors } = await neighborsOfToken(checkpoint, token, k, space, metric);
  return { schema: 1, token, matrix: space, metric, neighbors };
}

const SPACE_NAMES: Record<NeighborSpace, string> = { input: 'U (input)', output: 'V (output)', cross: 'V scored by its U row (cross)' };

/** The neighbour list as aligned text. */
export function neighborsText(result: NeighborsResult): string {
  const shown = result.neighbors.map((n) => terminalSafe(n.token));
  const width = Math.max(5, ...shown.map((token) => token.length));
  return [
    `${result.neighbors.length} nearest to "${terminalSafe(result.token)}" in ${SPACE_NAMES[result.matrix]} by ${result.metric}:`,
    ...result.neighbors.map((n, i) => `${String(i + 1).padStart(3)}. ${(shown[i] as string).padEnd(width)}  ${n.score.toFixed(4)}`),
  ].join('\n');
}

/** Longest token printed in a table row; longer ones are cut (the JSON output keeps them whole). */
const MAX_TOKEN_CHARS = 60;

/**
 * Tokens are untrusted text: control characters (terminal escape sequences) and bidi controls (which reorder the
 * rest of the line) are shown as \u{…} escapes, and long tokens are cut.
 */
export function terminalSafe(token: string): string {
  const escaped = token.replace(
    // eslint-disable-next-line no-control-regex -- matching control characters is the point
    /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/gu,
    (c) => `\\u{${c.codePointAt(0)?.toString(16)}}`,
  );
  const chars = Array.from(escaped);
  return chars.length > MAX_TOKEN_CHARS ? `${chars.slice(0, MAX_TOKEN_CHARS - 1).join('')}…` : escaped;
}
