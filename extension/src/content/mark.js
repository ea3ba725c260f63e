// SPDX-License-Identifier: MIT
// The PassAgent mark at the end of a login field: shown as soon as the vault is unlocked
// and has logins for the page, before the person reaches the form, so they see where
// PassAgent can fill without trying each field. It shows no name and no username, only
// how many logins there are (in its label, inside a closed shadow root), and it fills
// nothing: a click on it does what a click in its field does, it opens the chooser
// (whose pick guard.js checks). It is not in the top layer and the page may cover it;
// it never lies over the field's centre, where guard.js hit-tests the field.
// A classic script (content scripts cannot be modules).
(function registerMark(root) {
  'use strict';
  const ns = (root.PassAgent = root.PassAgent || {});
  if (ns.mark) {
    return;
  }

  // A field narrower or lower than this gets no mark: it would cover what the person types.
  const MIN_WIDTH = 96;
  const MIN_HEIGHT = 16;
  const MAX_SIZE = 22;

  const STYLE = `
    :host { all: initial; }
    button { all: initial; box-sizing: border-box; display: block; width: 100%; height: 100%; cursor: pointer;
      border-radius: 4px; background: #1a73e8; color: #fff; position: relative; }
    button:hover { background: #0b57d0; }
    button:focus-visible { outline: 2px solid #0b57d0; outline-offset: 1px; }
    svg { display: block; width: 100%; height: 100%; }
    .count { position: absolute; right: -5px; top: -5px; min-width: 12px; height: 12px; padding: 0 2px; box-sizing: border-box;
      border-radius: 6px; background: #fff; color: #0b57d0; border: 1px solid #0b57d0; font: 700 9px/10px system-ui, sans-serif;
      text-align: center; }
  `;
  // Inline and !important, so that only a script can change it.
  const HOST_STYLE = 'position: fixed !important; margin: 0 !important; padding: 0 !important; border: 0 !important;'
    + ' background: transparent !important; overflow: visible !important; opacity: 1 !important; display: block !important;'
    + ' z-index: 2147483646 !important; transform: none !important; filter: none !important; pointer-events: auto !important;';
  const HIDDEN_STYLE = 'display: none !important;';
  // A padlock, open: the toolbar icon's picture.
  const LOCK_PATHS = ['M7 11V8a5 5 0 0 1 9.6-2', 'M5.5 11h13v9h-13z', 'M12 14.5v2.5'];

  const marks = new Map(); // field → {host, button, counter, count, label, onOpen}
  const hosts = new WeakSet(); // The marks' host elements, for owns().
  let frame = 0;
  let listening = null; // The document whose scrolls and resizes move the marks.

  function svg(doc) {
    const NS = 'http://www.w3.org/2000/svg';
    const el = doc.createElementNS(NS, 'svg');
    el.setAttribute('viewBox', '0 0 24 24');
    el.setAttribute('aria-hidden', 'true');
    for (const d of LOCK_PATHS) {
      const path = doc.createElementNS(NS, 'path');
      path.setAttribute('d', d);
      path.setAttribute('fill', 'none');
      path.setAttribute('stroke', 'currentColor');
      path.setAttribute('stroke-width', '2');
      path.setAttribute('stroke-linecap', 'round');
      path.setAttribute('stroke-linejoin', 'round');
      el.append(path);
    }
    return el;
  }

  /**
   * Where the mark goes: inside the field's right end, vertically centred, or null when
   * the field is too small, not drawn, out of the view, or not what is seen at its
   * centre (a dialog or banner of the page over it, a scrolled box that cut it off:
   * the mark must not float over them).
   */
  function spot(field) {
    if (!field.isConnected) return null;
    const rect = field.getBoundingClientRect();
    if (rect.width < MIN_WIDTH || rect.height < MIN_HEIGHT) return null;
    const doc = field.ownerDocument;
    const view = doc.defaultView;
    if (rect.bottom <= 0 || rect.top >= view.innerHeight || rect.right <= 0 || rect.left >= view.innerWidth) return null;
    const seen = doc.elementFromPoint?.(rect.left + rect.width / 2, rect.top + rect.height / 2);
    if (seen && seen !== field && !field.contains(seen)) return null;
    const size = Math.min(MAX_SIZE, Math.round(rect.height - 6));
    const inset = Math.max(4, Math.round((rect.height - size) / 2));
    return { left: Math.round(rect.right - inset - size), top: Math.round(rect.top + (rect.height - size) / 2), size };
  }

  function place(field, mark) {
    const at = spot(field);
    const style = at
      ? `${HOST_STYLE} left: ${at.left}px !important; top: ${at.top}px !important; width: ${at.size}px !important; height: ${at.size}px !important;`
      : HIDDEN_STYLE;
    if (mark.host.getAttribute('style') !== style) mark.host.setAttribute('style', style);
  }

  function placeAll() {
    frame = 0;
    for (const [field, mark] of marks) {
      if (field.isConnected) place(field, mark);
      else remove(field);
    }
  }

  function schedule() {
    if (!frame && listening) frame = listening.defaultView.requestAnimationFrame(placeAll);
  }

  // What moves a field without a change to the DOM (main.js places the marks again after
  // those): scrolling, the window's size, an image or font loaded above it, an animation.
  const MOVERS = ['scroll', 'load', 'transitionend', 'animationend'];

  function listen(doc) {
    if (listening) return;
    listening = doc;
    for (const type of MOVERS) doc.addEventListener(type, schedule, { capture: true, passive: true });
    doc.defaultView.addEventListener('resize', schedule, { passive: true });
  }

  function unlisten() {
    if (!listening) return;
    for (const type of MOVERS) listening.removeEventListener(type, schedule, { capture: true });
    listening.defaultView.removeEventListener('resize', schedule);
    if (frame) listening.defaultView.cancelAnimationFrame(frame);
    frame = 0;
    listening = null;
  }

  /** What the mark says: its label, and the number of logins from two on. */
  function say(mark, count, label) {
    mark.count = count;
    mark.label = label;
    mark.button.setAttribute('aria-label', label);
    mark.button.title = label;
    mark.counter.textContent = count > 1 ? String(Math.min(count, 99)) : '';
    mark.counter.hidden = count <= 1;
  }

  /**
   * Shows the mark on `field` (or updates what it says).
   * @param {HTMLElement} field
   * @param {{count: number, label: string, onOpen: (field: HTMLElement) => void}} spec
   *   onOpen: a trusted click on the mark; the field keeps its focus meanwhile
   */
  function show(field, { count, label, onOpen }) {
    const known = marks.get(field);
    if (known) {
      known.onOpen = onOpen;
      if (known.count !== count || known.label !== label) say(known, count, label);
      place(field, known);
      return;
    }
    const doc = field.ownerDocument;
    const host = doc.createElement('passagent-mark');
    host.setAttribute('data-passagent-state', 'ready');
    const shadow = host.attachShadow({ mode: 'closed' });
    const style = doc.createElement('style');
    style.textContent = STYLE;
    const button = doc.createElement('button');
    button.type = 'button';
    button.tabIndex = -1; // The field itself is where the keyboard goes (ArrowDown opens the list).
    const counter = doc.createElement('span');
    counter.className = 'count';
    button.append(svg(doc), counter);
    shadow.append(style, button);
    const mark = { host, button, counter, onOpen };
    say(mark, count, label);
    // The field keeps its focus: a press on the mark is not a press outside the field.
    button.addEventListener('mousedown', (event) => event.preventDefault());
    button.addEventListener('click', (event) => {
      event.preventDefault();
      event.stopPropagation();
      if (event.isTrusted && field.isConnected) mark.onOpen(field);
    });
    marks.set(field, mark);
    hosts.add(host);
    place(field, mark);
    doc.documentElement.append(host);
    listen(doc);
  }

  function remove(field) {
    const mark = marks.get(field);
    if (!mark) return;
    marks.delete(field);
    hosts.delete(mark.host);
    mark.host.remove();
    if (!marks.size) unlisten();
  }

  /** Removes every mark but those on `keep`'s fields. */
  function keepOnly(keep = []) {
    for (const field of [...marks.keys()]) {
      if (!keep.includes(field)) remove(field);
    }
  }

  /** Whether a node is one of the marks (their own changes are not the page's). */
  function owns(node) {
    return hosts.has(node);
  }

  ns.mark = { show, remove, keepOnly, refresh: schedule, owns, has: (field) => marks.has(field), MIN_WIDTH };
})(globalThis);
