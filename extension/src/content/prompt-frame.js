// SPDX-License-Identifier: MIT
// Shows the extension's own prompt page (src/prompt/prompt.html: save or update a login,
// allow a frame) in an iframe at the top right of the page. The iframe's document
// belongs to the extension: the page can remove the frame but can neither read nor
// script what it shows, and what the person answers goes from it to the background
// directly. This script only places and removes the frame.
(function registerPromptFrame(root) {
  'use strict';
  const ns = (root.PassAgent = root.PassAgent || {});
  if (ns.promptFrame) {
    return;
  }
  const api = root.browser ?? root.chrome;
  let host = null;

  function close() {
    host?.remove();
    host = null;
  }

  /** @param {string} kind which question the prompt page asks (it reads the details from the background) */
  function show(kind) {
    const doc = root.document;
    close();
    host = doc.createElement('passagent-prompt');
    host.setAttribute('data-passagent-kind', kind);
    const shadow = host.attachShadow({ mode: 'closed' });
    const frame = doc.createElement('iframe');
    frame.src = api.runtime.getURL(`src/prompt/prompt.html#${encodeURIComponent(kind)}`);
    frame.title = 'PassAgent';
    frame.setAttribute('allowtransparency', 'true');
    frame.style.cssText = 'all: initial; position: fixed; top: 12px; right: 12px; width: 380px; height: 300px; border: 0; '
      + 'z-index: 2147483647; border-radius: 8px; box-shadow: 0 6px 24px rgba(0,0,0,.25); background: #fff; color-scheme: light;';
    shadow.append(frame);
    (doc.body || doc.documentElement).append(host);
  }

  ns.promptFrame = { show, close, isOpen: () => host !== null && host.isConnected };
})(globalThis);
