import type { Checkpoint } from './checkpoint';
import { inspectSummary } from './summary';

/** `inspect`: the JSON contract, or a table for people. */
export function inspectOutput(checkpoint: Checkpoint, json: boolean): string {
  const summary = inspectSummary(checkpoint);
  if (json) return JSON.stringify(summary, null, 2);
  const lines = [
    `${summary.path}`,
    `  format      ${summary.format}`,
    `  vocabulary  ${summary.vocabSize} tokens (from ${checkpoint.vocab.source})${checkpoint.vocab.counts ? ', with counts' : ''}`,
    `  tied        ${summary.tied ? 'yes (U and V are one matrix)' : 'no'}`,
    '',
    table(
      ['role', 'name', 'rows', 'cols', 'dtype'],
      checkpoint.matrices.map((m) => [
        m.role === 'input' ? 'U (input)' : m.role === 'output' ? 'V (output)' : 'other',
        m.name,
        `${m.rows}${m.extraRows ? ` + ${m.extraRows} subword` : ''}`,
        String(m.cols),
        m.dtype + (m.transposed ? ' (stored transposed)' : ''),
      ]),
    ),
  ];
  if (checkpoint.provenance.notes.length > 0) lines.push('', ...checkpoint.provenance.notes.map((note) => `  · ${note}`));
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
