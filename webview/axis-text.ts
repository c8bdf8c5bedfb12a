import type { AxisWords } from '../src/core/analysis/projection-types';

export { axisTitle } from '../src/core/analysis/axis-title';

/** A custom axis as typed: words joined by + and −, e.g. `king + woman - man`; "quoted text" for tokens with spaces or signs. */
export type AxisParse = { ok: true; axis: AxisWords } | { ok: false; error: string };

/**
 * Reads an axis expression. Each term adds (+, the default) or subtracts (-, −) a token's vector; the axis runs from
 * the mean of the subtracted to the mean of the added. A lone word `w` is the axis from the origin towards w.
 */
export function parseAxis(text: string): AxisParse {
  const positive: string[] = [];
  const negative: string[] = [];
  let sign = 1;
  let i = 0;
  while (i < text.length) {
    const ch = text[i] as string;
    if (/\s/.test(ch)) {
      i++;
    } else if (ch === '+') {
      sign = 1;
      i++;
    } else if (ch === '-' || ch === '\u2212') {
      sign = -1;
      i++;
    } else {
      let word: string;
      if (ch === '"') {
        const end = text.indexOf('"', i + 1);
        if (end < 0) return { ok: false, error: `unclosed quote at ${i + 1}` };
        word = text.slice(i + 1, end);
        i = end + 1;
      } else {
        const match = /^[^\s+\-\u2212"]+/.exec(text.slice(i));
        word = match ? match[0] : ch;
        i += word.length;
      }
      if (word.length === 0) return { ok: false, error: 'empty quoted token' };
      (sign > 0 ? positive : negative).push(word);
      sign = 1;
    }
  }
  if (positive.length === 0 && negative.length === 0) return { ok: false, error: 'type words, e.g. king - queen' };
  return { ok: true, axis: { positive, negative } };
}
