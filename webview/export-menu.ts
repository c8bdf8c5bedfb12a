import { el } from './dom';

/** One export: its label, whether it can run now (and why not), and what it does (resolves with a status line). */
export interface ExportItem {
  readonly id: string;
  readonly label: string;
  /** Why the item is unavailable right now (shown as its tooltip), or undefined when it can run. */
  unavailable?(): string | undefined;
  run(): Promise<string>;
}

/**
 * The "Export" button and its menu (a disclosure list of buttons, so it works with the keyboard and screen readers
 * without a custom widget). The item's result — where the file went, or why it did not — shows beside the button.
 */
export class ExportMenu {
  readonly element: HTMLElement;
  private readonly list = el('div', { class: 'export-list', attrs: { role: 'menu', 'data-testid': 'export-menu' } });
  private readonly status = el('span', { class: 'export-status', attrs: { 'aria-live': 'polite', 'data-testid': 'export-status' } });
  private readonly toggle = el('button', {
    class: 'export-toggle',
    text: 'Export ▾',
    attrs: { type: 'button', 'aria-haspopup': 'menu', 'aria-expanded': 'false', 'data-testid': 'export' },
  });

  constructor(private readonly items: readonly ExportItem[]) {
    this.list.hidden = true;
    this.element = el('div', { class: 'export' }, [this.toggle, this.list, this.status]);
    this.toggle.addEventListener('click', () => this.setOpen(this.list.hidden));
    this.element.addEventListener('keydown', (event) => {
      if (event.key === 'Escape' && !this.list.hidden) {
        this.setOpen(false);
        this.toggle.focus();
      }
    });
    document.addEventListener('click', this.onOutside);
  }

  dispose(): void {
    document.removeEventListener('click', this.onOutside);
  }

  private readonly onOutside = (event: MouseEvent): void => {
    if (!this.list.hidden && !this.element.contains(event.target as Node)) this.setOpen(false);
  };

  private setOpen(open: boolean): void {
    this.toggle.setAttribute('aria-expanded', String(open));
    this.list.hidden = !open;
    if (!open) return;
    this.list.replaceChildren(
      ...this.items.map((item) => {
        const why = item.unavailable?.();
        const button = el('button', {
          class: 'export-item',
          text: item.label,
          attrs: { type: 'button', role: 'menuitem', 'data-testid': `export-${item.id}`, ...(why ? { disabled: '', title: why } : {}) },
        });
        button.addEventListener('click', () => void this.run(item));
        return button;
      }),
    );
    (this.list.querySelector('button:not([disabled])') as HTMLButtonElement | null)?.focus();
  }

  private async run(item: ExportItem): Promise<void> {
    this.setOpen(false);
    this.status.classList.remove('error');
    this.status.textContent = `${item.label}…`;
    try {
      this.status.textContent = await item.run();
    } catch (error) {
      this.status.classList.add('error');
      this.status.textContent = `${item.label} failed: ${(error as Error).message}`;
    }
  }
}
