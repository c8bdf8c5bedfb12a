import { el } from '../dom';
import { TIED_EXPLANATION, type MetricCard } from './metric-text';

/** What the cards show. `tied`: a banner explains that U and V are one matrix (pair it with tiedMetricCards). */
export interface MetricCardsData {
  readonly cards: readonly MetricCard[];
  readonly tied?: boolean;
}

const STATUS_TEXT = { good: 'as expected', warn: 'worth a look', neutral: '' } as const;

/** A grid of metric cards: title, value, optional detail, and a one-line explanation of what the number means. */
export class MetricCardsView {
  readonly element = el('section', { class: 'metric-cards', attrs: { 'data-testid': 'metric-cards', 'aria-label': 'U vs V metrics' } });

  constructor(parent: HTMLElement, data: MetricCardsData) {
    parent.append(this.element);
    this.update(data);
  }

  /** Shows new cards (a snapshot: everything is redrawn). */
  update(data: MetricCardsData): void {
    const children: HTMLElement[] = [];
    if (data.tied) children.push(el('p', { class: 'metric-tied', text: TIED_EXPLANATION, attrs: { 'data-testid': 'metric-tied' } }));
    children.push(
      el(
        'ul',
        { class: 'metric-grid' },
        data.cards.map((card) => this.card(card)),
      ),
    );
    this.element.classList.toggle('tied', data.tied === true);
    this.element.replaceChildren(...children);
  }

  /** Removes the cards from the page. */
  dispose(): void {
    this.element.remove();
  }

  private card(card: MetricCard): HTMLElement {
    const status = card.status ?? 'neutral';
    const value = el('div', { class: 'metric-value', text: card.value });
    // Status is also spelled out for screen readers: colour alone says nothing to them.
    if (STATUS_TEXT[status]) value.append(el('span', { class: 'visually-hidden', text: ` (${STATUS_TEXT[status]})` }));
    const children: HTMLElement[] = [el('div', { class: 'metric-title', text: card.title }), value];
    if (card.detail) children.push(el('div', { class: 'metric-detail', text: card.detail }));
    children.push(el('p', { class: 'metric-explanation', text: card.explanation }));
    return el('li', { class: 'metric-card', attrs: { 'data-status': status, 'data-metric': card.id } }, children);
  }
}
