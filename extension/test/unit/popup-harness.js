// SPDX-License-Identifier: MIT
// Runs the popup (src/popup/app.js) in jsdom against a scripted background: `handlers`
// answer runtime.sendMessage by type, `actions` answer host actions on the pa-host port.
// A handler or action that throws {code, message} becomes an error reply.
import { readFileSync } from 'node:fs';
import { JSDOM } from 'jsdom';
import { setCatalog } from '../../src/shared/i18n.js';

export const CATALOG = JSON.parse(readFileSync(new URL('../../_locales/en/messages.json', import.meta.url), 'utf8'));
const HTML = readFileSync(new URL('../../src/popup/popup.html', import.meta.url), 'utf8');

export const ACCOUNT = { account: 'pa-1', backend: 'passagent', server: 'https://vault.example', user: { email: 'alice@example.test' }, loggedIn: true, unlocked: true, items: 3 };
export const unlockedState = (accounts = [ACCOUNT]) => ({ connected: true, hostError: null, loggedIn: accounts.some((a) => a.loggedIn), unlocked: accounts.some((a) => a.unlocked), accounts });

function errorOf(error) {
  return { error: { code: error?.code ?? 'INTERNAL', message: error?.message ?? String(error), ...(error?.otpRequired ? { otpRequired: true } : {}), ...(Number.isFinite(error?.retryAfter) ? { retryAfter: error.retryAfter } : {}) } };
}

export function fakeRuntime({ handlers = {}, actions = {} } = {}) {
  const sent = [];
  const calls = [];
  const listeners = new Set();
  return {
    sent,
    calls,
    handlers,
    actions,
    async sendMessage(message) {
      sent.push(message);
      const fn = handlers[message.type];
      if (!fn) return errorOf({ code: 'BAD_REQUEST', message: `no handler for ${message.type}` });
      try {
        return await fn(message);
      } catch (error) {
        return errorOf(error);
      }
    },
    connect({ name }) {
      const onMessage = new Set();
      return {
        name,
        onMessage: { addListener: (fn) => onMessage.add(fn) },
        onDisconnect: { addListener: () => {} },
        postMessage({ id, action, params }) {
          calls.push({ action, params });
          Promise.resolve().then(async () => {
            const fn = actions[action];
            let reply;
            try {
              if (!fn) throw { code: 'UNKNOWN_ACTION', message: `No action ${action}.` };
              reply = { id, result: await fn(params, (event, data) => onMessage.forEach((l) => l({ id, event, data }))) };
            } catch (error) {
              reply = { id, ...errorOf(error) };
            }
            onMessage.forEach((l) => l(reply));
          });
        },
      };
    },
    onMessage: { addListener: (fn) => listeners.add(fn) },
    /** As the background does when its state changes. */
    broadcast(state) {
      for (const fn of listeners) fn({ type: 'pa-state', state });
    },
  };
}

/** A popup document in jsdom, installed as the global document (h() builds there). */
export function popupDom() {
  const dom = new JSDOM(HTML, { url: 'chrome-extension://test/src/popup/popup.html', pretendToBeVisual: true });
  globalThis.document = dom.window.document;
  globalThis.window = dom.window;
  setCatalog(CATALOG);
  return dom;
}

/** Resolves once fn() is truthy (the popup's async work is promise-driven). */
export async function until(fn, what = 'condition') {
  for (let i = 0; i < 200; i += 1) {
    const value = fn();
    if (value) return value;
    await new Promise((r) => setTimeout(r, 5));
  }
  throw new Error(`never happened: ${what}`);
}
