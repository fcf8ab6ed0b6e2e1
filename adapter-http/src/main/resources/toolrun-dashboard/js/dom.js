// Builds elements from data: text is always set as text, never parsed as HTML, so nothing a tool
// or an instance carries can inject markup into the page.

/** An element: h('a', {href: '#/x', class: 'c'}, 'text', child, [more]). */
export function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith('on')) element.addEventListener(name.slice(2), value);
    else if (value === true) element.setAttribute(name, '');
    else element.setAttribute(name, String(value));
  }
  append(element, children);
  return element;
}

function append(element, children) {
  for (const child of children) {
    if (child === undefined || child === null || child === false) continue;
    if (Array.isArray(child)) append(element, child);
    else element.append(child instanceof Node ? child : String(child));
  }
}

/** A time as the reader's locale writes it, with the ISO form as its machine-readable value. */
export function time(iso) {
  if (!iso) return '';
  return h('time', {datetime: iso}, new Date(iso).toLocaleString());
}

/** JSON, indented, in a preformatted block. */
export function json(value, attributes = {}) {
  return h('pre', {class: 'json', ...attributes}, JSON.stringify(value, null, 2));
}

/** The states after which an instance never changes again. */
export const TERMINAL = new Set(['SUCCEEDED', 'FAILED', 'TIMED_OUT', 'CANCELLED', 'STOPPED']);

/** An instance's state as a badge, coloured by what it means. */
export function stateBadge(state) {
  return h('span', {class: `state state-${state.toLowerCase()}`}, state);
}
