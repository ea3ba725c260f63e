// SPDX-License-Identifier: MIT
// Clickjacking checks for the in-page chooser and the fields it fills (the attacks of
// Marek Tóth's DEF CON 33 talk, 2025): a pick counts only if, when it is made, the
// chooser is what the person sees where they click, has not moved for 500 ms, and no
// style anywhere above it (or above the fields) makes it transparent, filtered, clipped
// or shrunk. A classic script (content scripts cannot be modules).
(function registerGuard(root) {
  'use strict';
  const ns = (root.PassAgent = root.PassAgent || {});
  if (ns.guard) {
    return;
  }

  const MIN_SHOWN_MS = 500;
  const DROP_SHADOWS_ONLY = /^(drop-shadow\([^()]*(\([^()]*\)[^()]*)*\)\s*)+$/;
  // Hit testing skips pass-through layers (pointer-events: none); for the one test at
  // pick time every box is made hit-testable. Layered !important beats the page's
  // unlayered !important.
  const HIT_ALL = '@layer passagent-guard { *, *::before, *::after { pointer-events: auto !important; } }';

  /** The parent in the flat tree: through shadow roots, and out of same-origin frames. */
  function parentOf(node) {
    if (node.parentElement) return node.parentElement;
    const rootNode = node.getRootNode?.();
    if (rootNode && rootNode.host) return rootNode.host;
    try {
      return node.ownerDocument?.defaultView?.frameElement ?? null;
    } catch {
      return null; // A frame of another origin: its parent is out of reach.
    }
  }

  /** Why a style on the element or one above it hides it, or null. */
  function hiddenByStyle(el, { transforms }) {
    const own = el.ownerDocument.defaultView.getComputedStyle(el);
    if (own.visibility !== 'visible' || own.display === 'none') return 'visibility';
    for (let node = el; node && node.nodeType === 1; node = parentOf(node)) {
      const style = node.ownerDocument.defaultView.getComputedStyle(node);
      if (style.display === 'none') return 'display';
      if (Number(style.opacity) < 1) return 'opacity';
      if (style.filter && style.filter !== 'none' && !DROP_SHADOWS_ONLY.test(style.filter)) return 'filter';
      if (style.clipPath && style.clipPath !== 'none') return 'clip-path';
      if (style.clip && style.clip !== 'auto') return 'clip';
      const mask = style.maskImage ?? style.webkitMaskImage;
      if (mask && mask !== 'none') return 'mask';
      if (style.mixBlendMode && style.mixBlendMode !== 'normal') return 'blend';
      if (transforms && style.transform && style.transform !== 'none') return 'transform';
    }
    return null;
  }

  // The document whose every box is hit-testable while hitAll runs (its hit tests share it).
  let hitAllDoc = null;

  /**
   * Runs fn with every box of doc hit-testable (pass-through layers counted), so that all
   * the hit tests fn makes cost one style change: each forces the document's styles to be
   * computed again. fn must not run page script (no events): the page would see it.
   */
  function hitAll(doc, fn) {
    if (hitAllDoc === doc) return fn();
    const view = doc.defaultView;
    let sheet = null;
    let style = null;
    try {
      sheet = new view.CSSStyleSheet();
      sheet.replaceSync(HIT_ALL);
      doc.adoptedStyleSheets = [...doc.adoptedStyleSheets, sheet];
    } catch {
      sheet = null;
      style = doc.createElement('style');
      style.textContent = HIT_ALL;
      doc.documentElement.append(style);
    }
    hitAllDoc = doc;
    try {
      return fn();
    } finally {
      hitAllDoc = null;
      if (sheet) doc.adoptedStyleSheets = doc.adoptedStyleSheets.filter((s) => s !== sheet);
      style?.remove();
    }
  }

  /** The element hit at each probe's (x, y) in its scope (the document or a shadow root of it). */
  function hitsAtPoints(doc, probes) {
    return hitAll(doc, () => probes.map(({ scope, x, y }) => scope.elementFromPoint(x, y)));
  }

  /** The element hit at (x, y) in each scope (the document, a shadow root of it). */
  function hitsAt(doc, scopes, x, y) {
    return hitsAtPoints(doc, scopes.map((scope) => ({ scope, x, y })));
  }

  function inViewport(rect, view) {
    return rect.width >= 2 && rect.height >= 2 && rect.left >= 0 && rect.top >= 0 && rect.right <= view.innerWidth && rect.bottom <= view.innerHeight;
  }

  /** Another top-layer box (popover, modal dialog, full screen) over the rectangle. */
  function topLayerOver(doc, host, rect) {
    let others = [];
    try {
      others = Array.from(doc.querySelectorAll(':popover-open, dialog:modal, :fullscreen'));
    } catch {
      return false;
    }
    return others.some((el) => {
      if (el === host) return false;
      const r = el.getBoundingClientRect();
      return r.width > 0 && r.height > 0 && r.left < rect.right && r.right > rect.left && r.top < rect.bottom && r.bottom > rect.top;
    });
  }

  /**
   * Watches the chooser while it is open: the time it has been on screen unmoved.
   * @returns {{shownFor: () => number, restart: () => void, stop: () => void}}
   */
  function watchShown(host) {
    const view = host.ownerDocument.defaultView;
    let since = view.performance.now();
    let last = '';
    let frame = 0;
    const measure = () => {
      const r = host.getBoundingClientRect();
      const now = `${r.left},${r.top},${r.width},${r.height}`;
      if (now !== last) {
        last = now;
        since = view.performance.now();
      }
    };
    const tick = () => {
      measure();
      frame = view.requestAnimationFrame(tick);
    };
    tick();
    return {
      // Measured again now: a move since the last frame counts too.
      shownFor: () => {
        measure();
        return view.performance.now() - since;
      },
      restart: () => { since = view.performance.now(); },
      stop: () => view.cancelAnimationFrame(frame),
    };
  }

  /**
   * Whether a click on a chooser button is a pick the person saw. Returns null when it
   * is, or a reason (for the chooser's note and the tests).
   */
  function pickRefused({ event, host, shadow, box, button, shown }) {
    if (!event.isTrusted) return 'untrusted';
    const doc = host.ownerDocument;
    const view = doc.defaultView;
    if (shown.shownFor() < MIN_SHOWN_MS) return 'too-soon';
    if (!host.isConnected || (host.matches && !safeMatches(host, ':popover-open'))) return 'not-open';
    const hidden = hiddenByStyle(box, { transforms: true });
    if (hidden) return hidden;
    // The login clicked must be in full view (a frame may cut off the rest of the list).
    const rect = box.getBoundingClientRect();
    if (!inViewport(button.getBoundingClientRect(), view)) return 'off-screen';
    if (topLayerOver(doc, host, rect)) return 'covered';
    // Where the pick was made: the pointer, or for a key (Enter, Space) the button's centre.
    let x = event.clientX;
    let y = event.clientY;
    if (event.detail === 0 || (x === 0 && y === 0)) {
      const b = button.getBoundingClientRect();
      x = b.left + b.width / 2;
      y = b.top + b.height / 2;
    }
    const [outer, inner] = hitsAt(doc, [doc, shadow], x, y);
    if (outer !== host || !inner || !button.contains(inner)) return 'covered';
    return null;
  }

  function safeMatches(el, selector) {
    try {
      return el.matches(selector);
    } catch {
      return true; // A browser without popovers: the other checks still hold.
    }
  }

  /** Why the field's own box cannot be filled (gone, hidden, tiny, off screen), or its centre. */
  function fieldBox(el) {
    if (!el || !el.isConnected) return { why: 'gone' };
    const hidden = hiddenByStyle(el, { transforms: false });
    if (hidden) return { why: hidden };
    const view = el.ownerDocument.defaultView;
    const rect = el.getBoundingClientRect();
    if (rect.width < 8 || rect.height < 8) return { why: 'size' };
    const x = rect.left + rect.width / 2;
    const y = rect.top + rect.height / 2;
    if (x < 0 || y < 0 || x > view.innerWidth || y > view.innerHeight) return { why: 'off-screen' };
    return { x, y };
  }

  /**
   * Fields may be filled only if each is fully there: no transparency or hiding style
   * above it, a real size, inside the viewport, and itself at its centre (or the
   * element `ignore`). Returns null, or the first reason found. All of them are hit
   * tested at once (one style change per document).
   */
  function fieldsRefused(fields, { ignore = null } = {}) {
    const boxes = [];
    for (const el of fields) {
      const box = fieldBox(el);
      if (box.why) return box.why;
      boxes.push({ el, ...box });
    }
    for (const doc of new Set(boxes.map((b) => b.el.ownerDocument))) {
      const mine = boxes.filter((b) => b.el.ownerDocument === doc);
      const hits = hitsAtPoints(doc, mine.map(({ x, y }) => ({ scope: doc, x, y })));
      const covered = mine.some(({ el }, i) => hits[i] !== el && !(ignore && hits[i] === ignore) && !el.contains(hits[i]));
      if (covered) return 'covered';
    }
    return null;
  }

  /** One field: fieldsRefused([el]). */
  function fieldRefused(el, options = {}) {
    return fieldsRefused([el], options);
  }

  ns.guard = { MIN_SHOWN_MS, pickRefused, fieldRefused, fieldsRefused, watchShown, hiddenByStyle, hitAll, hitsAt, inViewport };
})(globalThis);
