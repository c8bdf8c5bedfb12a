import type { AxisWords } from './projection-types';

/** An axis written back as text, e.g. `king + woman − man` ("quotes" around a token with spaces or signs). */
export function axisTitle(axis: AxisWords): string {
  const quote = (word: string): string => (/[\s+\-\u2212"]/.test(word) || word === '' ? `"${word}"` : word);
  const plus = axis.positive.map(quote).join(' + ');
  const minus = axis.negative.map((word) => `\u2212 ${quote(word)}`).join(' ');
  return [plus, minus].filter(Boolean).join(' ');
}
