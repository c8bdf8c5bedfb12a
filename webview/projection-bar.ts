import '@vscode-elements/elements/dist/vscode-option/index.js';
import '@vscode-elements/elements/dist/vscode-single-select/index.js';
import type { AxisWords, ProjectionMethod, ProjectionRequest, ProjectionSpace } from '../src/core/analysis/projection-types';
import { choiceDims, type ProjectionChoice } from './projection-choice';
import { parseAxis } from './axis-text';
import { el } from './dom';

const METHODS: [ProjectionMethod, string][] = [
  ['pca', 'PCA'],
  ['umap', 'UMAP'],
  ['axes', 'Custom axes'],
];
const DIMS: ['2' | '3', string][] = [
  ['2', '2-D'],
  ['3', '3-D'],
];
const SPACES: [ProjectionSpace, string][] = [
  ['input', 'U (input)'],
  ['output', 'V (output)'],
  ['joint', 'U and V together'],
];

type Field = HTMLElement & { value: string };

/** Projection controls: method, 2-D or 3-D, matrix, top-N rows, custom axes, Run and Cancel, and the job's progress. */
export class ProjectionBar {
  readonly element: HTMLElement;
  private readonly method = select('projection-method', 'Projection method', METHODS);
  private readonly dims = select('projection-dims', 'Two or three dimensions', DIMS);
  private readonly space: Field;
  private readonly limit = field('projection-limit', 'all rows', 'Top N most frequent tokens (empty: all)');
  private readonly axisX = field('axis-x', 'x: e.g. good - bad', 'Custom x axis: words joined by + and -');
  private readonly axisY = field('axis-y', 'y: e.g. man - woman', 'Custom y axis: words joined by + and -');
  private readonly axisZ = field('axis-z', 'z: e.g. big - small', 'Custom z axis (3-D): words joined by + and -');
  private readonly run = el('vscode-button', { text: 'Project', attrs: { 'data-testid': 'project' } });
  private readonly cancel = el('vscode-button', { text: 'Cancel', attrs: { secondary: '', 'data-testid': 'cancel-projection' } });
  private readonly status = el('span', { class: 'job-status', attrs: { 'data-testid': 'projection-status', 'aria-live': 'polite' } });
  private readonly axes: HTMLElement;
  /**
   * The selects' values, kept here from their change events: a vscode-single-select reads '' until it has rendered
   * its options, and a panel saves its state before that.
   */
  private method_: ProjectionMethod;
  private dims_: 2 | 3;
  private space_: ProjectionSpace;

  constructor(
    hasOutput: boolean,
    choice: ProjectionChoice,
    private readonly events: { onRun(request: ProjectionRequest, choice: ProjectionChoice): void; onCancel(): void },
  ) {
    this.space = select('projection-space', 'Matrix to project', hasOutput ? SPACES : SPACES.slice(0, 1));
    this.method_ = choice.method;
    this.dims_ = choiceDims(choice);
    this.space_ = hasOutput ? choice.space : 'input';
    this.method.value = this.method_;
    this.dims.value = String(this.dims_);
    this.space.value = this.space_;
    this.limit.value = choice.limit;
    this.axisX.value = choice.axisX;
    this.axisY.value = choice.axisY;
    this.axisZ.value = choice.axisZ ?? '';
    this.axes = el('div', { class: 'axes' }, [this.axisX, this.axisY, this.axisZ]);
    this.cancel.hidden = true;
    this.element = el('div', { class: 'projection-bar' }, [
      this.method,
      this.dims,
      this.space,
      this.limit,
      this.axes,
      this.run,
      this.cancel,
      this.status,
    ]);
    this.method.addEventListener('change', () => {
      this.method_ = oneOf(this.method.value, METHODS, this.method_);
      this.showAxes();
    });
    this.dims.addEventListener('change', () => {
      this.dims_ = oneOf(this.dims.value, DIMS, this.dims_ === 3 ? '3' : '2') === '3' ? 3 : 2;
      this.showAxes();
    });
    this.space.addEventListener('change', () => (this.space_ = oneOf(this.space.value, SPACES, this.space_)));
    this.run.addEventListener('click', () => this.submit());
    for (const input of [this.limit, this.axisX, this.axisY, this.axisZ])
      input.addEventListener('keydown', (event) => event.key === 'Enter' && this.submit());
    this.cancel.addEventListener('click', () => this.events.onCancel());
    this.showAxes();
  }

  /** The current choice, for the saved view state. */
  get choice(): ProjectionChoice {
    return {
      method: this.method_,
      space: this.space_,
      limit: this.limit.value,
      axisX: this.axisX.value,
      axisY: this.axisY.value,
      dims: this.dims_,
      axisZ: this.axisZ.value,
    };
  }

  /** Shows a job running (Cancel visible, Project disabled) or finished, with a status line. */
  setBusy(busy: boolean, status: string): void {
    this.cancel.hidden = !busy;
    this.run.toggleAttribute('disabled', busy);
    this.status.textContent = status;
    this.status.classList.remove('invalid');
  }

  /** The request the current choice describes, or a one-line reason it is not valid. */
  request(): { ok: true; request: ProjectionRequest } | { ok: false; error: string } {
    const choice = this.choice;
    const limitText = choice.limit.trim().replace(/[,_\s]/g, '');
    const limit = limitText === '' ? undefined : Number(limitText);
    if (limit !== undefined && (!Number.isInteger(limit) || limit < 3))
      return { ok: false, error: `top N expects a whole number ≥ 3, got "${choice.limit}"` };
    const dims = choiceDims(choice);
    const base = { method: choice.method, dims, space: choice.space, ...(limit === undefined ? {} : { limit }) };
    if (choice.method !== 'axes') return { ok: true, request: base };
    const axes: AxisWords[] = [];
    const named: [string, string][] = [
      ['x', choice.axisX],
      ['y', choice.axisY],
    ];
    if (dims === 3) named.push(['z', choice.axisZ ?? '']);
    for (const [name, text] of named) {
      const parsed = parseAxis(text);
      if (!parsed.ok) return { ok: false, error: `${name} axis: ${parsed.error}` };
      axes.push(parsed.axis);
    }
    return { ok: true, request: { ...base, axes } };
  }

  private submit(): void {
    const made = this.request();
    if (!made.ok) {
      this.status.textContent = made.error;
      this.status.classList.add('invalid');
      return;
    }
    this.events.onRun(made.request, this.choice);
  }

  private showAxes(): void {
    this.axes.hidden = this.method_ !== 'axes';
    this.axisZ.hidden = this.dims_ !== 3;
  }
}

/** `value` when it is one of the options, else `fallback`. */
function oneOf<T extends string>(value: string, options: [T, string][], fallback: T): T {
  return options.find(([option]) => option === value)?.[0] ?? fallback;
}

function select(testId: string, label: string, options: [string, string][]): Field {
  const node = el('vscode-single-select', { attrs: { 'data-testid': testId, 'aria-label': label } });
  for (const [value, text] of options) node.append(el('vscode-option', { text, attrs: { value } }));
  return node as unknown as Field;
}

function field(testId: string, placeholder: string, label: string): Field {
  return el('vscode-textfield', { attrs: { 'data-testid': testId, placeholder, 'aria-label': label, title: label } }) as unknown as Field;
}
