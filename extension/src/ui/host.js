// SPDX-License-Identifier: MIT
// The one message client of an extension page. Two ways to the background:
//   call(action, params, {onProgress})  any host action, passed through by the
//       background on a runtime port named "pa-host" (the background accepts that port
//       from the extension's own pages only; content scripts are refused); progress
//       events of the request arrive in onProgress.
//   send(type, fields)  a message the background answers itself (state, login, unlock,
//       lock, logout, copy, tab.matches, totp): where it adds what a page must not do
//       alone (the clipboard, the tab's URL, saved settings).
// Both resolve with the result or reject with a UiError {code, message, …}: message is
// already written for a person (see shared/errors.js).

import { HOST_PORT } from '../shared/messages.js';
import { t } from '../shared/i18n.js';

export { HOST_PORT };

export class UiError extends Error {
  constructor({ code = 'INTERNAL', message = '', ...rest } = {}) {
    super(message || code);
    this.code = code;
    Object.assign(this, rest);
  }
}

/**
 * @param {{runtime: object}} deps runtime: browser.runtime (or a fake in tests)
 */
export function createHostClient({ runtime }) {
  let port = null;
  let nextId = 1;
  const pending = new Map(); // id → {resolve, reject, onProgress}
  const stateListeners = new Set();

  function openPort() {
    port = runtime.connect({ name: HOST_PORT });
    port.onMessage.addListener((message) => {
      const entry = pending.get(message?.id);
      if (!entry) return;
      if (typeof message.event === 'string') {
        entry.onProgress?.(message.event, message.data ?? {});
        return;
      }
      pending.delete(message.id);
      if (message.error) entry.reject(new UiError(message.error));
      else entry.resolve(message.result ?? {});
    });
    port.onDisconnect.addListener(() => {
      port = null;
      // The background went away (a restarted service worker): nothing in flight will
      // be answered on this port; the next call opens a new one.
      for (const [id, entry] of pending) {
        pending.delete(id);
        entry.reject(new UiError({ code: 'HOST_DISCONNECTED', message: t('pageConnectionLost') }));
      }
    });
    return port;
  }

  runtime.onMessage?.addListener?.((message) => {
    if (message?.type === 'pa-state') for (const fn of stateListeners) fn(message.state);
  });

  return {
    call(action, params = {}, { onProgress } = {}) {
      return new Promise((resolve, reject) => {
        const id = nextId++;
        pending.set(id, { resolve, reject, onProgress });
        try {
          (port ?? openPort()).postMessage({ id, action, params });
        } catch (error) {
          pending.delete(id);
          reject(new UiError({ code: 'HOST_DISCONNECTED', message: String(error?.message ?? error) }));
        }
      });
    },

    async send(type, fields = {}) {
      let reply;
      try {
        reply = await runtime.sendMessage({ ...fields, type });
      } catch (error) {
        throw new UiError({ code: 'HOST_DISCONNECTED', message: String(error?.message ?? error) });
      }
      if (!reply) throw new UiError({ code: 'HOST_DISCONNECTED', message: t('pageNoReply') });
      if (reply.error) throw new UiError(reply.error);
      return reply;
    },

    /** fn(state) on every state the background broadcasts; returns the unsubscribe function. */
    onState(fn) {
      stateListeners.add(fn);
      return () => stateListeners.delete(fn);
    },
  };
}
