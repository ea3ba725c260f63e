// SPDX-License-Identifier: MIT
// The one view helper: builds DOM from plain calls. Text always goes in as text nodes
// (or textContent): nothing from the host or a page is ever parsed as HTML here.
//
//   h('button', { class: 'primary', onclick: save, disabled: busy }, t('save'))
//   h('ul', { class: 'list' }, items.map((item) => h('li', {}, item.name)))
//
// Props: `class` (string or array, falsy parts dropped), `dataset` (object), `style`
// (object), `on<event>` (function), `ref` (called with the element), booleans set or
// drop the attribute, `value` / `checked` / `hidden` set the property. Children: nodes,
// strings, numbers, arrays (flattened); null, undefined and false are skipped.

const PROPERTIES = new Set(['value', 'checked', 'hidden', 'disabled', 'selected', 'indeterminate']);
const SVG_NS = 'http://www.w3.org/2000/svg';
const SVG_TAGS = new Set(['svg', 'path', 'circle', 'rect', 'g', 'line', 'polyline']);

function append(parent, child) {
  if (child === null || child === undefined || child === false || child === true) return;
  if (Array.isArray(child)) {
    for (const c of child) append(parent, c);
    return;
  }
  parent.append(typeof child === 'object' ? child : String(child));
}

export function h(tag, props = {}, ...children) {
  const doc = globalThis.document;
  const el = SVG_TAGS.has(tag) ? doc.createElementNS(SVG_NS, tag) : doc.createElement(tag);
  for (const [key, value] of Object.entries(props ?? {})) {
    if (value === undefined || value === null) continue;
    if (key === 'class') {
      const names = [].concat(value).filter(Boolean).join(' ');
      if (names) el.setAttribute('class', names);
    } else if (key === 'dataset') {
      for (const [k, v] of Object.entries(value)) if (v !== undefined && v !== null) el.dataset[k] = String(v);
    } else if (key === 'style') {
      for (const [k, v] of Object.entries(value)) el.style.setProperty(k, String(v));
    } else if (key === 'ref') {
      value(el);
    } else if (key.startsWith('on') && typeof value === 'function') {
      el.addEventListener(key.slice(2).toLowerCase(), value);
    } else if (PROPERTIES.has(key)) {
      el[key] = value;
    } else if (value === false) {
      // An absent boolean attribute.
    } else {
      el.setAttribute(key, value === true ? '' : String(value));
    }
  }
  append(el, children);
  return el;
}

/** Replaces the children of `el` (same child rules as h()). */
export function fill(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

/** An inline SVG icon from ../ui/icons.js path data. */
export function icon(pathData, { label, size = 16 } = {}) {
  const svg = h('svg', { viewBox: '0 0 24 24', width: size, height: size, class: 'icon', 'aria-hidden': label ? undefined : 'true', role: label ? 'img' : undefined, 'aria-label': label },
    [].concat(pathData).map((d) => h('path', { d })));
  return svg;
}
