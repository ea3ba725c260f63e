// SPDX-License-Identifier: MIT
// The port a frame's page scripts open to the background while their chooser lists
// logins (`pa-pick`, background/router.js), for the pick's request: runtime.sendMessage
// opens a message channel for every request, which the pick then waits for (2 ms in
// Chromium). It is closed after the pick; without it, requests go by sendMessage.
(function registerPickPort(root) {
  'use strict';
  const ns = (root.PassAgent = root.PassAgent || {});
  if (ns.pickPort) {
    return;
  }
  const api = root.browser ?? root.chrome;
  const PICK_PORT = 'pa-pick';
  const t = (key) => api.i18n.getMessage(key) || key;

  let port = null;
  let next = 0;
  const waiting = new Map(); // id → {message, resolve}

  /** One request by sendMessage, its failure as an error reply. */
  function sendMessage(message) {
    return api.runtime.sendMessage(message).then(
      (reply) => reply ?? { error: { message: t('pageNoAnswer') } },
      (error) => ({ error: { message: String(error?.message ?? error) } }),
    );
  }

  function open() {
    if (port) return;
    const opened = api.runtime.connect({ name: PICK_PORT });
    opened.onMessage.addListener((m) => {
      const entry = waiting.get(m?.id);
      if (!entry) return;
      waiting.delete(m.id);
      entry.resolve(m.reply ?? { error: { message: t('pageNoAnswer') } });
    });
    // The background went (a service worker stopped): what waits is asked again the usual way.
    opened.onDisconnect.addListener(() => {
      if (port === opened) port = null;
      for (const { message, resolve } of waiting.values()) resolve(sendMessage(message));
      waiting.clear();
    });
    port = opened;
  }

  function close() {
    const closing = port;
    port = null;
    try {
      closing?.disconnect();
    } catch {
      // Already gone.
    }
  }

  /** A page.* request on the port when it is open, else by sendMessage; resolves with the reply. */
  function send(message) {
    if (!port) return sendMessage(message);
    const current = port;
    return new Promise((resolve) => {
      const id = ++next;
      waiting.set(id, { message, resolve });
      try {
        current.postMessage({ id, message });
      } catch {
        waiting.delete(id);
        resolve(sendMessage(message));
      }
    });
  }

  ns.pickPort = { open, send, close };
})(globalThis);
