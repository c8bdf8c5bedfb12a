import type { TrainProgress } from '../../src/core/train/train-types';
import type { LossPoint, TrainingState } from '../../src/protocol/panel';
import { el, svgEl } from '../dom';
import { CURVE_BOX, curveGeometry } from './loss-curve';

/** The panel while a training runs: what it does, how far it is, its throughput, and the loss curve so far. */
export class TrainingView {
  readonly element: HTMLElement;
  private readonly phase = el('p', { class: 'training-phase', attrs: { 'data-testid': 'training-phase', 'aria-live': 'polite' } });
  private readonly bar = el('progress', { attrs: { max: '1', value: '0', 'data-testid': 'training-progress' } });
  private readonly stats = el('dl', { class: 'facts training-stats', attrs: { 'data-testid': 'training-stats' } });
  private readonly svg = svgEl('svg', {
    class: 'loss-curve',
    viewBox: `0 0 ${CURVE_BOX.width} ${CURVE_BOX.height}`,
    role: 'img',
    'aria-label': 'Training loss',
    'data-testid': 'loss-curve',
  });
  private readonly curve: LossPoint[];
  private progress: TrainProgress | null;

  constructor(
    private readonly state: TrainingState & { readonly fileName: string },
    onCancel: () => void,
  ) {
    this.curve = [...state.curve];
    this.progress = state.progress;
    const cancel = el('vscode-button', { text: 'Cancel training', attrs: { secondary: '', 'data-testid': 'training-cancel' } });
    cancel.addEventListener('click', () => {
      cancel.setAttribute('disabled', '');
      this.phase.textContent = 'Cancelling…';
      onCancel();
    });
    const overrides = state.overrides.filter((o) => !o.startsWith('eval='));
    this.element = el('div', { class: 'training', attrs: { 'data-testid': 'training' } }, [
      el('header', { class: 'header' }, [
        el('h1', { text: `Training ${state.trainer}`, title: state.configPath }),
        el('p', {
          class: 'training-config',
          text: `${baseName(state.configPath)}${overrides.length ? ` with ${overrides.join(', ')}` : ''}`,
        }),
      ]),
      this.phase,
      this.bar,
      this.stats,
      el('figure', { class: 'loss-figure' }, [
        this.svg,
        el('figcaption', { text: 'Training loss (mean since the last point) against epochs' }),
      ]),
      el('div', { class: 'actions' }, [cancel]),
    ]);
    this.update(state.phase, state.progress, null);
  }

  /** A new phase or progress, and the curve's next point. */
  update(phase: string, progress: TrainProgress | null, point: LossPoint | null): void {
    this.phase.textContent = phase;
    this.progress = progress ?? this.progress;
    if (point) this.curve.push(point);
    const p = this.progress;
    this.bar.value = p?.fraction ?? 0;
    this.stats.replaceChildren(
      ...fact('Epoch', p ? `${p.epoch} of ${p.epochs}` : '—', 'epoch'),
      ...fact('Done', p ? `${(p.fraction * 100).toFixed(1)}%` : '—', 'fraction'),
      ...fact('Throughput', p ? `${Math.round(p.tokensPerSecond).toLocaleString('en-US')} tokens/s` : '—', 'throughput'),
      ...fact('Loss', p?.loss === null || p?.loss === undefined ? '—' : p.loss.toFixed(4), 'loss'),
      ...fact('Learning rate', p?.learningRate === undefined ? '—' : p.learningRate.toPrecision(3), 'learning-rate'),
    );
    this.drawCurve(p?.epochs ?? 1);
  }

  private drawCurve(epochs: number): void {
    const geometry = curveGeometry(this.curve, epochs);
    const { width, height, left, bottom } = CURVE_BOX;
    const children: SVGElement[] = [
      svgEl('line', { class: 'axis', x1: String(left), y1: String(height - bottom), x2: String(width), y2: String(height - bottom) }),
      svgEl('line', { class: 'axis', x1: String(left), y1: '0', x2: String(left), y2: String(height - bottom) }),
    ];
    for (const tick of geometry.ticks) {
      const label = svgEl('text', { class: 'tick', x: String(left - 6), y: String(tick.y + 4), 'text-anchor': 'end' });
      label.textContent = tick.label;
      children.push(label, svgEl('line', { class: 'grid', x1: String(left), y1: String(tick.y), x2: String(width), y2: String(tick.y) }));
    }
    for (const mark of geometry.epochs) {
      const label = svgEl('text', { class: 'tick', x: String(mark.x), y: String(height - 6), 'text-anchor': 'middle' });
      label.textContent = `epoch ${mark.label}`;
      children.push(svgEl('line', { class: 'epoch', x1: String(mark.x), y1: '0', x2: String(mark.x), y2: String(height - bottom) }), label);
    }
    children.push(svgEl('path', { class: 'curve', d: geometry.path, 'data-points': String(this.curve.length) }));
    this.svg.replaceChildren(...children);
  }
}

function fact(term: string, value: string, id: string): HTMLElement[] {
  return [el('dt', { text: term }), el('dd', { text: value, attrs: { 'data-testid': `training-${id}` } })];
}

function baseName(path: string): string {
  return path.split(/[\\/]/).pop() ?? path;
}
