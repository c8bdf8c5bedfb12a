import type { PanelHeader } from '../src/protocol/panel';
import type { ProjectionFacts } from '../src/core/analysis/projection-types';
import type { ProjectionInfo } from '../src/protocol/view-data';
import { el } from './dom';

const ROLE_NAMES = { input: 'U · input', output: 'V · output', other: 'other' } as const;

/** The header: file, format, vocabulary, matrices with roles and shapes, tied or not, and the worker's backend. */
export function renderHeader(header: PanelHeader, onRetrain?: () => void): HTMLElement {
  const { summary, vocabSource, hasCounts, details, notes } = header.description;
  const matrices = el(
    'ul',
    { class: 'matrices', attrs: { 'data-testid': 'matrices' } },
    summary.matrices.map((matrix, index) => {
      const extra = details[index]?.extraRows ?? 0;
      return el('li', { attrs: { 'data-role': matrix.role } }, [
        el('span', { class: `role role-${matrix.role}`, text: ROLE_NAMES[matrix.role] }),
        el('code', { text: matrix.name }),
        el('span', {
          class: 'shape',
          text: `${matrix.rows.toLocaleString('en-US')} × ${matrix.cols}${extra > 0 ? ` (+${extra.toLocaleString('en-US')} subword rows)` : ''}`,
        }),
        el('span', { class: 'dtype', text: matrix.dtype }),
      ]);
    }),
  );
  const facts = el('dl', { class: 'facts' }, [
    ...fact('Format', summary.format, 'format'),
    ...fact(
      'Vocabulary',
      `${summary.vocabSize.toLocaleString('en-US')} tokens from ${baseName(vocabSource)}${hasCounts ? ', with counts' : ''}`,
      'vocab',
    ),
    ...fact('U and V', tiedText(header), 'tied'),
    ...fact('Compute', header.backend, 'backend'),
    ...(header.run ? fact('Trained', `${header.run.trainer}${header.run.tied ? ' tied' : ''}: ${header.run.summary}`, 'run') : []),
  ]);
  const title = el('h1', { text: header.fileName, title: header.path, attrs: { 'data-testid': 'file-name' } });
  const children: HTMLElement[] = [title, facts, matrices];
  if (header.run && onRetrain) {
    const retrain = el('vscode-button', { text: 'Retrain…', attrs: { secondary: '', 'data-testid': 'retrain' } });
    retrain.addEventListener('click', onRetrain);
    children.splice(1, 0, el('div', { class: 'header-actions' }, [retrain]));
  }
  if (notes.length > 0) {
    const details = el('details', { class: 'notes' }, [
      el('summary', { text: `${notes.length} note${notes.length > 1 ? 's' : ''} from the reader` }),
    ]);
    details.append(
      el(
        'ul',
        {},
        notes.map((note) => el('li', { text: note })),
      ),
    );
    children.push(details);
  }
  return el('header', { class: 'header', attrs: { 'data-testid': 'header' } }, children);
}

/** One line under the plot saying how it was made. */
export function projectionCaption(projection: ProjectionInfo): string {
  const explained = projection.explainedVarianceRatio.map((r) => `${(r * 100).toFixed(1)}%`).join(' + ');
  const fitted =
    projection.fittedRows < projection.rows ? `, basis fitted on ${projection.fittedRows.toLocaleString('en-US')} sampled rows` : '';
  return (
    `PCA of ${projection.matrix}: ${projection.rows.toLocaleString('en-US')} rows, axes explain ${explained} of the variance${fitted}` +
    ` · load ${projection.loadMs} ms, PCA ${projection.projectMs} ms`
  );
}

const METHOD_NAMES = { pca: 'PCA', umap: 'UMAP', axes: 'Custom axes' } as const;

/** One line under the plot for a projection the user ran: what, how many points, quality and time. */
export function factsCaption(facts: ProjectionFacts): string {
  const what = facts.space === 'joint' ? `U and V together (${facts.matrices.join(', ')}, unit length)` : facts.matrices.join(', ');
  const parts = [`${METHOD_NAMES[facts.method]} of ${what}: ${facts.points.toLocaleString('en-US')} points`];
  if (facts.axisTitles.length > 0) parts.push(`axes ${facts.axisTitles.map((t) => `“${t}”`).join(' × ')}`);
  if (facts.missingWords.length > 0) parts.push(`not in the vocabulary: ${facts.missingWords.join(', ')}`);
  if (facts.explainedVarianceRatio.length > 0)
    parts.push(`axes explain ${facts.explainedVarianceRatio.map((r) => `${(r * 100).toFixed(1)}%`).join(' + ')} of the variance`);
  if (facts.method === 'umap') parts.push(`${facts.epochs} epochs, seed ${facts.seed}`);
  if (facts.preservation)
    parts.push(
      `neighbours kept: ${(facts.preservation.recall * 100).toFixed(1)}% of each point's ${facts.preservation.k} nearest` +
        (facts.preservation.measuredRows < facts.points
          ? ` (on ${facts.preservation.measuredRows.toLocaleString('en-US')} sampled points)`
          : ''),
    );
  const ms = [
    facts.knnMs > 0 ? `kNN ${facts.knnMs} ms` : '',
    `layout ${facts.layoutMs} ms`,
    facts.preservationMs > 0 ? `quality ${facts.preservationMs} ms` : '',
  ]
    .filter(Boolean)
    .join(', ');
  return `${parts.join(' · ')} · ${ms}`;
}

function tiedText(header: PanelHeader): string {
  const { summary } = header.description;
  const hasOutput = summary.matrices.some((m) => m.role === 'output');
  if (summary.tied) return 'tied: one matrix is both input and output';
  return hasOutput ? 'untied: separate input and output matrices' : 'input matrix only (no output matrix in the file)';
}

function fact(term: string, value: string, id: string): HTMLElement[] {
  return [el('dt', { text: term }), el('dd', { text: value, attrs: { 'data-testid': id } })];
}

/** A vocabulary source that is a path is shown by its file name (the full path is on the title). */
function baseName(source: string): string {
  return source.split(/[\\/]/).filter(Boolean).pop() ?? source;
}
