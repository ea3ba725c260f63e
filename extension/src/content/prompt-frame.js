// SPDX-License-Identifier: MIT
// Shows the extension's own prompt page (src/prompt/prompt.html: save or update a login,
// allow a frame) in an iframe at the top right of the page. The iframe's document
// belongs to the extension: the page can remove the frame but can neither read nor
// script what it shows, and what the person answers goes from it to the background
// directly. This script places and removes the frame, hands it the background's one-time
// nonce (so a frame the page made itself is told nothing), and answers the background's
// check before a click in it counts: the frame has been on screen, unmoved, for 500 ms,
// no style above it hides it, and nothing covers it where the person clicked (guard.js).
(function registerPromptFrame(root) {
  'use strict';
  const ns = (root.PassAgent = root.PassAgent || {});
  if (ns.promptFrame) {
    return;
  }
  const api = root.browser ?? root.chrome;
  const WIDTH = 380;
  // Tall enough for a save or update offer with its rows; the frame question has only a
  // line and a hint, and a taller frame would leave a gap above its buttons.
  const HEIGHTS = { frame: 184 };
  const HEIGHT = 300;
  let current = null; // {host, shadow, frame, shown}

  function close() {
    current?.shown.stop();
    current?.host.remove();
    current = null;
  }

  /**
   * @param {string} kind which question the prompt page asks (it reads the details from the background)
   * @param {string} nonce the background's one-time proof that it asked for this prompt
   */
  function show(kind, nonce) {
    const doc = root.document;
    close();
    const host = doc.createElement('passagent-prompt');
    const height = HEIGHTS[kind] ?? HEIGHT;
    host.setAttribute('data-passagent-kind', kind);
    host.setAttribute('data-passagent-height', String(height));
    const shadow = host.attachShadow({ mode: 'closed' });
    const frame = doc.createElement('iframe');
    const hash = new URLSearchParams({ kind: String(kind ?? ''), nonce: String(nonce ?? '') });
    frame.src = api.runtime.getURL(`src/prompt/prompt.html#${hash}`);
    frame.title = 'PassAgent';
    frame.setAttribute('allowtransparency', 'true');
    frame.style.cssText = `all: initial; position: fixed; top: 12px; right: 12px; width: ${WIDTH}px; height: ${height}px; border: 0; `
      + 'z-index: 2147483647; border-radius: 8px; box-shadow: 0 6px 24px rgba(0,0,0,.25); background: #fff; color-scheme: light;';
    shadow.append(frame);
    (doc.body || doc.documentElement).append(host);
    current = { host, shadow, frame, shown: ns.guard.watchShown(host) };
  }

  /**
   * Null when a click at (x, y) of the prompt page was made on a prompt in full view,
   * else why not. (x, y) are in the prompt page's coordinates.
   */
  function refused(x, y) {
    if (!current || !current.host.isConnected) return 'gone';
    const { host, shadow, frame, shown } = current;
    const guard = ns.guard;
    if (shown.shownFor() < guard.MIN_SHOWN_MS) return 'too-soon';
    const hidden = guard.hiddenByStyle(frame, { transforms: true });
    if (hidden) return hidden;
    const doc = host.ownerDocument;
    const rect = frame.getBoundingClientRect();
    if (!guard.inViewport(rect, doc.defaultView)) return 'off-screen';
    if (!(x >= 0 && y >= 0 && x <= rect.width && y <= rect.height)) return 'outside';
    const [outer, inner] = guard.hitsAt(doc, [doc, shadow], rect.left + x, rect.top + y);
    if (outer !== host || inner !== frame) return 'covered';
    return null;
  }

  ns.promptFrame = { show, close, refused, isOpen: () => current !== null && current.host.isConnected };
})(globalThis);
