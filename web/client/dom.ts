// Building DOM from data. Text always goes in as text nodes, never as HTML, so nothing
// the API returns can inject markup.

/** Something that can be a child of an element; falsy values are skipped. */
export type Child = Node | string | number | null | undefined | false;

type Handler = (event: Event) => void;
type AttrValue = string | number | boolean | null | undefined | Handler;

/** An element with attributes (`on…` keys take handlers) and children. */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, AttrValue> = {}, ...children: (Child | Child[])[]): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (typeof value === 'function') element.addEventListener(key.slice(2), value);
    else if (value === true) element.setAttribute(key, '');
    else if (value !== false && value !== null && value !== undefined) element.setAttribute(key, String(value));
  }
  append(element, ...children);
  return element;
}

/** Append children, skipping falsy ones. */
export function append(parent: Node, ...children: (Child | Child[])[]): void {
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    parent.appendChild(typeof child === 'string' || typeof child === 'number' ? document.createTextNode(String(child)) : child);
  }
}

/** Replace an element's children. */
export function replace(parent: Element, ...children: (Child | Child[])[]): void {
  parent.replaceChildren();
  append(parent, ...children);
}

/** The element with this id, which the page's HTML is known to have. */
export function byId(id: string): HTMLElement {
  const element = document.getElementById(id);
  if (!element) throw new Error(`the page has no #${id}`);
  return element;
}

let nextId = 0;

/** A document-unique id for label/control pairs. */
export function uid(prefix: string): string {
  nextId += 1;
  return `${prefix}-${nextId}`;
}

/** A labelled control in a `.field`, with an optional hint tied to it by aria-describedby. */
export function field(label: string, control: HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement, hint?: string): HTMLElement {
  control.id ||= uid('f');
  const hintEl = hint ? h('p', { class: 'hint', id: `${control.id}-hint` }, hint) : null;
  if (hintEl) control.setAttribute('aria-describedby', hintEl.id);
  return h('div', { class: 'field' }, h('label', { for: control.id }, label), control, hintEl);
}

/** A checkbox with its label after it. */
export function checkbox(label: string, attrs: Record<string, AttrValue> = {}): { row: HTMLElement; input: HTMLInputElement } {
  const input = h('input', { type: 'checkbox', id: uid('c'), ...attrs });
  return { row: h('div', { class: 'check' }, input, h('label', { for: input.id }, label)), input };
}

/** A definition list of facts. */
export function facts(rows: readonly [string, Child | Child[]][]): HTMLDListElement {
  return h('dl', { class: 'facts' }, ...rows.flatMap(([term, value]) => [h('dt', {}, term), h('dd', {}, ...[value].flat())]));
}

/** A table with a caption, column headers and rows. */
export function table(caption: string, headers: readonly string[], rows: readonly (Child | Child[])[][]): HTMLTableElement {
  return h(
    'table',
    {},
    h('caption', {}, caption),
    h('thead', {}, h('tr', {}, ...headers.map((title) => h('th', { scope: 'col' }, title)))),
    h('tbody', {}, ...rows.map((cells) => h('tr', {}, ...cells.map((cell) => h('td', {}, ...[cell].flat()))))),
  );
}

/**
 * For renders that overlap (a sign-in finishing while the address changes, two quick
 * clicks): each render calls the returned function as it starts, and gets back a check
 * that says whether a later render has started since. Only the render started last may
 * show its view, whichever finishes last.
 */
export function renderOrder(): () => () => boolean {
  let latest = 0;
  return () => {
    const mine = ++latest;
    return () => mine !== latest;
  };
}
