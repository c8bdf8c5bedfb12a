import type { RowScore } from '../src/protocol/view-data';
import type { RowNeighbors } from '../src/protocol/worker';
import { el, tokenNode } from './dom';

/** Longest token shown in full in a list; longer ones are cut with their full text in the tooltip. */
const LIST_TOKEN_CHARS = 60;

/** Neighbour lists of the selected token in U, in V, and across (V's rows by uᵢ·v); clicking a neighbour selects it. */
export class NeighborsView {
  readonly element = el('section', { class: 'neighbors', attrs: { 'data-testid': 'neighbors' } });

  constructor(private readonly select: (row: number) => void) {
    this.clear('Click a point or search for a token to see its nearest neighbours.');
  }

  /** Shows a message instead of lists. */
  clear(message: string): void {
    this.element.replaceChildren(el('p', { class: 'hint', text: message }));
  }

  /** Shows the lists for `token`. `output` and `cross` are null when the checkpoint has no V; `tied` says V is U. */
  show(token: string, tokens: readonly string[], found: RowNeighbors, tied: boolean): void {
    const title = el('h2', { attrs: { 'data-testid': 'selected-token' } }, [tokenNode(token, LIST_TOKEN_CHARS)]);
    const lists = el('div', { class: 'lists' }, [this.list('Nearest in U (input)', 'input', found.input, tokens, 'cosine')]);
    if (tied) lists.append(el('p', { class: 'hint', text: 'V is tied to U: the same matrix, so the same neighbours.' }));
    else if (found.output) lists.append(this.list('Nearest in V (output)', 'output', found.output, tokens, 'cosine'));
    if (found.cross && !tied) lists.append(this.list('Predicted contexts: V by uᵢ·v', 'cross', found.cross, tokens, 'dot'));
    this.element.replaceChildren(title, lists);
  }

  private list(caption: string, id: string, hits: RowScore[], tokens: readonly string[], score: 'cosine' | 'dot'): HTMLElement {
    const items = hits.map((hit, rank) => {
      const button = el('button', { class: 'neighbor', attrs: { type: 'button', 'data-row': String(hit.row) } }, [
        el('span', { class: 'rank', text: String(rank + 1) }),
        tokenNode(tokens[hit.row] ?? `#${hit.row}`, LIST_TOKEN_CHARS),
        el('span', { class: 'score', text: hit.score.toFixed(3) }),
      ]);
      // The bar behind a neighbour shows its cosine; a dot product has no fixed scale, so it is scaled by the best.
      const top = Math.abs(hits[0]?.score ?? 1) || 1;
      const bar = score === 'cosine' ? hit.score : hit.score / top;
      button.style.setProperty('--score', String(Math.max(0, Math.min(1, bar))));
      button.addEventListener('click', () => this.select(hit.row));
      return el('li', {}, [button]);
    });
    return el('div', { class: 'list' }, [
      el('h3', { text: caption, title: `${caption}, by ${score}` }),
      el('ol', { attrs: { 'data-testid': `neighbors-${id}` } }, items),
    ]);
  }
}
