import { el } from './dom';

/** One tab: its id, its label, and the element it shows. */
export interface Tab<Id extends string> {
  readonly id: Id;
  readonly label: string;
  readonly body: HTMLElement;
}

/**
 * Tabs as plain buttons over panels (WAI-ARIA tabs pattern: arrow keys move between tabs). Hidden panels stay in the
 * page, so a scatter keeps its state while another tab is shown.
 */
export function tabStrip<Id extends string>(tabs: readonly Tab<Id>[], initial: Id, onShow: (id: Id) => void): HTMLElement {
  const list = el('div', { class: 'tab-list', attrs: { role: 'tablist' } });
  const buttons = tabs.map((tab) =>
    el('button', {
      class: 'tab',
      text: tab.label,
      attrs: { type: 'button', role: 'tab', 'data-testid': `tab-${tab.id}`, id: `tab-${tab.id}` },
    }),
  );
  const panels = tabs.map((tab) =>
    el('div', { class: 'tab-panel', attrs: { role: 'tabpanel', 'aria-labelledby': `tab-${tab.id}` } }, [tab.body]),
  );
  const show = (index: number, focus: boolean): void => {
    buttons.forEach((button, i) => {
      button.setAttribute('aria-selected', String(i === index));
      button.tabIndex = i === index ? 0 : -1;
      (panels[i] as HTMLElement).hidden = i !== index;
    });
    if (focus) buttons[index]?.focus();
    onShow((tabs[index] as Tab<Id>).id);
  };
  buttons.forEach((button, index) => {
    button.addEventListener('click', () => show(index, false));
    button.addEventListener('keydown', (event) => {
      const step = event.key === 'ArrowRight' ? 1 : event.key === 'ArrowLeft' ? -1 : 0;
      if (step !== 0) show((index + step + tabs.length) % tabs.length, true);
    });
  });
  list.append(...buttons);
  show(
    Math.max(
      0,
      tabs.findIndex((tab) => tab.id === initial),
    ),
    false,
  );
  return el('div', { class: 'tabs' }, [list, ...panels]);
}
