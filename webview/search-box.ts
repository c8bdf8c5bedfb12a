import { el } from './dom';
import { bestHit, searchTokens } from './search';

/** Waits this long after the last keystroke before searching 100k tokens again. */
const SEARCH_DEBOUNCE_MS = 120;

/** The search field: substring or regex; highlights hits as you type and selects the best one on Enter. */
export class SearchBox {
  readonly element: HTMLElement;
  private readonly field = el('vscode-textfield', {
    attrs: { placeholder: 'Search tokens (substring, or regex)', 'data-testid': 'search', 'aria-label': 'Search tokens' },
  });
  private readonly regexBox = el('vscode-checkbox', { attrs: { label: 'Regex', 'data-testid': 'regex' } });
  private readonly count = el('span', { class: 'count', attrs: { 'data-testid': 'search-count', 'aria-live': 'polite' } });
  private timer: ReturnType<typeof setTimeout> | undefined;
  private hits: Uint32Array = new Uint32Array(0);

  constructor(
    private readonly tokens: readonly string[],
    private readonly events: { onHits(rows: Uint32Array): void; onPick(row: number): void; onChange(): void },
  ) {
    this.element = el('div', { class: 'search' }, [this.field, this.regexBox, this.count]);
    this.field.addEventListener('input', () => this.schedule());
    this.regexBox.addEventListener('change', () => this.run());
    this.field.addEventListener('keydown', (event) => {
      if (event.key !== 'Enter') return;
      this.run();
      const row = bestHit(this.tokens, this.query, { rows: this.hits, total: this.hits.length });
      if (row >= 0) this.events.onPick(row);
    });
  }

  get query(): string {
    return (this.field as HTMLElement & { value: string }).value ?? '';
  }

  get regex(): boolean {
    return (this.regexBox as HTMLElement & { checked: boolean }).checked === true;
  }

  /** Puts back a remembered query. */
  restore(query: string, regex: boolean): void {
    (this.field as HTMLElement & { value: string }).value = query;
    (this.regexBox as HTMLElement & { checked: boolean }).checked = regex;
    this.run();
  }

  private schedule(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.run(), SEARCH_DEBOUNCE_MS);
  }

  private run(): void {
    clearTimeout(this.timer);
    const result = searchTokens(this.tokens, this.query, this.regex);
    this.hits = result.rows;
    this.count.textContent = result.error
      ? `invalid regex: ${result.error}`
      : this.query === ''
        ? ''
        : `${result.total.toLocaleString('en-US')} match${result.total === 1 ? '' : 'es'}`;
    this.count.classList.toggle('invalid', result.error !== undefined);
    this.events.onHits(result.rows);
    this.events.onChange();
  }
}
