import { shortToken } from './token-text';

/** Builds elements with text set through `textContent` only: tokens are untrusted and never parsed as HTML. */
export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  options: { class?: string; text?: string; title?: string; attrs?: Record<string, string> } = {},
  children: (Node | string)[] = [],
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (options.class) node.className = options.class;
  if (options.text !== undefined) node.textContent = options.text;
  if (options.title !== undefined) node.title = options.title;
  for (const [name, value] of Object.entries(options.attrs ?? {})) node.setAttribute(name, value);
  for (const child of children) node.append(child);
  return node;
}

/** A token as display text: isolated from the surrounding text direction (<bdi>) and cut to a readable length. */
export function tokenNode(token: string, maxChars: number): HTMLElement {
  const node = el('bdi', { class: 'token', text: shortToken(token, maxChars) });
  if (token.length > maxChars) node.title = token.length > 4000 ? `${token.slice(0, 4000)}…` : token;
  return node;
}

/** Builds an SVG element with attributes (never from markup). */
export function svgEl<K extends keyof SVGElementTagNameMap>(tag: K, attrs: Record<string, string> = {}): SVGElementTagNameMap[K] {
  const node = document.createElementNS('http://www.w3.org/2000/svg', tag);
  for (const [name, value] of Object.entries(attrs)) node.setAttribute(name, value);
  return node;
}
