import type { CheckpointDescription } from './summary';

/** `inspect` for people: the facts of the JSON contract as a table, then how roles and ties were decided. */
export function inspectText(description: CheckpointDescription): string {
  const { summary } = description;
  const lines = [
    `${summary.path}`,
    `  format      ${summary.format}`,
    `  vocabulary  ${summary.vocabSize} tokens (from ${description.vocabSource})${description.hasCounts ? ', with counts' : ''}`,
    `  tied        ${summary.tied ? 'yes (U and V are one matrix)' : 'no'}`,
    '',
    table(
      ['role', 'name', 'rows', 'cols', 'dtype'],
      summary.matrices.map((m, i) => {
        const detail = description.details[i];
        return [
          m.role === 'input' ? 'U (input)' : m.role === 'output' ? 'V (output)' : 'other',
          m.name,
          `${m.rows}${detail?.extraRows ? ` + ${detail.extraRows} subword` : ''}`,
          String(m.cols),
          m.dtype + (detail?.transposed ? ' (stored transposed)' : ''),
        ];
      }),
    ),
  ];
  if (description.notes.length > 0) lines.push('', ...description.notes.map((note) => `  · ${note}`));
  return lines.join('\n');
}

function table(header: string[], rows: string[][]): string {
  const widths = header.map((title, col) => Math.max(title.length, ...rows.map((row) => (row[col] ?? '').length)));
  const format = (row: string[]) =>
    '  ' +
    row
      .map((cell, col) => cell.padEnd(widths[col] as number))
      .join('  ')
      .trimEnd();
  return [format(header), format(widths.map((width) => '-'.repeat(width))), ...rows.map(format)].join('\n');
}
