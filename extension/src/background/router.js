// SPDX-License-Identifier: MIT
// Answers messages from the extension's own pages (popup, options) and from content
// scripts. Web pages get only what they need to offer and fill: matches without
// secrets, and a password only for the frame that asked, with the URL the browser
// reports for that frame (never one a content script claims).
import { HostError } from './native-client.js';
import { LOCAL_CODES, plainMessage } from '../shared/errors.js';
import { frameMayFill, isWebUrl, webOrigin, normalizeServer } from '../shared/url.js';
import { BACKENDS } from '../shared/settings.js';

const REMEMBER_MS = 10 * 60 * 1000;

/** What a content script may learn of a match: no password, no share internals. */
export function publicMatch(m) {
  return {
    account: m.account,
    id: m.id,
    name: m.name,
    username: m.username,
    website: m.website,
    hasTotp: Boolean(m.hasTotp),
    shared: Boolean(m.share),
  };
}

export function wantsOtp(error) {
  return error?.otpRequired === true || error?.code === 'OTP_REQUIRED';
}

/** An error as the views show it: the code, words for a person, and whether a 2FA code is wanted. */
export function errorReply(error) {
  const wire = error instanceof HostError ? error.toJSON() : { code: error?.code ?? 'INTERNAL', message: String(error?.message ?? error) };
  return { error: { code: wire.code, message: plainMessage(wire), otpRequired: wantsOtp(wire), retryAfter: wire.retryAfter } };
}

/**
 * @param {object} deps
 * @param {{request: Function}} deps.client the NativeClient
 * @param {() => object} deps.getState
 * @param {() => Promise<object>} deps.refreshState
 * @param {string} deps.extensionBase runtime.getURL('')
 * @param {{copy: (text: string) => Promise<object>}} deps.clipboard
 * @param {{get: Function, set: Function}} deps.tabs tab lookups (resolveTab, get)
 * @param {(partial: object) => Promise<void>} deps.saveSettings
 * @param {() => number} [deps.now]
 */
export function createRouter({ client, getState, refreshState, extensionBase, clipboard, tabs, saveSettings, now = () => Date.now() }) {
  const remembered = new Map(); // tabId → {origin, id, account, at}: the login chosen on an earlier step
  const lastMatches = new Map(); // `${tabId}:${frameId}` → matches for that frame (no secrets)

  function isExtensionPage(sender) {
    return typeof sender?.url === 'string' && sender.url.startsWith(extensionBase);
  }

  function contentFrame(sender) {
    const frameUrl = sender?.url;
    const tabUrl = sender?.tab?.url;
    if (!sender?.tab || !isWebUrl(frameUrl)) {
      throw new HostError({ code: LOCAL_CODES.NOT_ALLOWED_HERE });
    }
    // With no tab URL (no host access to the tab) only the top frame is trusted.
    if (!(tabUrl ? frameMayFill({ frameUrl, tabUrl }) : sender.frameId === 0)) {
      throw new HostError({ code: LOCAL_CODES.FRAME_NOT_ALLOWED });
    }
    return { url: frameUrl, tabId: sender.tab.id, frameId: sender.frameId ?? 0, key: `${sender.tab.id}:${sender.frameId ?? 0}` };
  }

  async function matchFor(url, key) {
    const { matches = [] } = await client.request('credentials.match', { url });
    lastMatches.set(key, matches);
    return matches;
  }

  async function findMatch(frame, { id, account }) {
    const known = (lastMatches.get(frame.key) ?? []).find((m) => m.id === id && (account === undefined || m.account === account));
    if (known) return known;
    return (await matchFor(frame.url, frame.key)).find((m) => m.id === id && (account === undefined || m.account === account));
  }

  const pageHandlers = {
    async 'page.matches'(_message, sender) {
      const frame = contentFrame(sender);
      const state = getState();
      if (!state.unlocked) {
        return { state: { loggedIn: state.loggedIn, unlocked: false }, matches: [] };
      }
      const matches = await matchFor(frame.url, frame.key);
      const memory = remembered.get(frame.tabId);
      const fresh = memory && memory.origin === webOrigin(frame.url) && now() - memory.at < REMEMBER_MS;
      return {
        state: { loggedIn: true, unlocked: true },
        matches: matches.map(publicMatch),
        remembered: fresh ? { id: memory.id, account: memory.account } : null,
      };
    },

    async 'page.fill'(message, sender) {
      const frame = contentFrame(sender);
      const fields = Array.isArray(message.fields) ? message.fields : [];
      const match = await findMatch(frame, message);
      if (!match) {
        throw new HostError({ code: 'URL_MISMATCH' });
      }
      remembered.set(frame.tabId, { origin: webOrigin(frame.url), id: match.id, account: match.account, at: now() });
      if (!fields.includes('password')) {
        // The username step of an identifier-first sign-in: nothing secret is read, so
        // no share view is logged until the password is filled.
        return { username: match.username };
      }
      const secret = await client.request('credentials.get', { id: match.id, account: match.account, purpose: 'fill', url: frame.url });
      // Only what the form asked for; the rest of the entry stays in the host.
      return { username: fields.includes('username') ? secret.username : undefined, password: secret.password };
    },

    async 'page.fillTotp'(message, sender) {
      const frame = contentFrame(sender);
      const match = await findMatch(frame, message);
      if (!match) {
        throw new HostError({ code: 'URL_MISMATCH' });
      }
      const totp = await client.request('totp.code', { id: match.id, account: match.account });
      return { code: totp.code };
    },
  };

  const extensionHandlers = {
    async state() {
      return { state: await refreshState() };
    },

    async login({ backend = 'passagent', server, email, password, otp }) {
      if (!BACKENDS.includes(backend)) {
        return { error: { code: 'VALIDATION', message: `Choose PassAgent, Passman or Passwork, not "${String(backend)}".` } };
      }
      // PassAgent's API lives at the origin; Passman and Passwork may sit under a path.
      const checked = normalizeServer(server, { keepPath: backend !== 'passagent' });
      if (!checked.ok) {
        return { error: { code: 'VALIDATION', message: checked.message } };
      }
      const who = String(email ?? '').trim();
      const params = {
        backend,
        server: backend === 'passagent' ? checked.origin : checked.base,
        // Passman signs in with a Nextcloud user name; PassAgent and Passwork with an email.
        ...(backend === 'passman' ? { username: who } : { email: who }),
        password: String(password ?? ''),
      };
      if (otp) params.otp = String(otp).replace(/\s+/g, '');
      await saveSettings({ backend, serverUrl: params.server, email: who });
      const result = await client.request('session.login', params);
      return { result: { account: result.account, user: result.user }, state: await refreshState() };
    },

    async unlock({ masterPassword, account, vault }) {
      const params = { masterPassword: String(masterPassword ?? ''), ...(account ? { account } : {}) };
      // Passman: which vault (a name or guid; the host picks the only one when left out).
      const vaultName = String(vault ?? '').trim();
      if (vaultName) params.vault = vaultName;
      const result = await client.request('vault.unlock', params);
      return { result, state: await refreshState() };
    },

    async lock({ account } = {}) {
      await client.request('vault.lock', account ? { account } : {});
      remembered.clear();
      return { state: await refreshState() };
    },

    async logout({ account } = {}) {
      await client.request('session.logout', account ? { account } : {});
      remembered.clear();
      return { state: await refreshState() };
    },

    async 'tab.matches'({ tabId }) {
      const tab = await tabs.resolve(tabId);
      if (!tab || !isWebUrl(tab.url)) {
        return { tab: tab ? { id: tab.id, title: tab.title ?? '' } : null, matches: [] };
      }
      const matches = await matchFor(tab.url, `${tab.id}:popup`);
      return { tab: { id: tab.id, url: tab.url, title: tab.title ?? '' }, matches: matches.map(publicMatch) };
    },

    async totp({ id, account, background }) {
      // The popup's code ring refreshes by itself: that is not the person acting, so it
      // must not keep the vault from locking when idle.
      const r = await client.request('totp.code', { id, account, ...(background ? { background: true } : {}) });
      return { code: r.code, remaining: r.remaining, period: r.period, digits: r.digits };
    },

    async copy({ field, id, account, tabId, text }) {
      let value;
      if (field === 'username') {
        value = String(text ?? '');
      } else if (field === 'password') {
        const tab = await tabs.resolve(tabId);
        const params = { id, account, purpose: 'copy' };
        if (tab && isWebUrl(tab.url)) params.url = tab.url;
        value = (await client.request('credentials.get', params)).password;
      } else if (field === 'totp') {
        value = (await client.request('totp.code', { id, account })).code;
      } else {
        return { error: { code: 'BAD_REQUEST', message: 'Nothing to copy.' } };
      }
      const outcome = await clipboard.copy(value);
      value = null;
      return { copied: field, ...outcome };
    },
  };

  /** Forgets per-tab memory when a tab closes or the vault locks. */
  function forget(tabId) {
    if (tabId === undefined) {
      remembered.clear();
      lastMatches.clear();
      return;
    }
    remembered.delete(tabId);
    for (const key of lastMatches.keys()) {
      if (key.startsWith(`${tabId}:`)) lastMatches.delete(key);
    }
  }

  /** Returns a promise of the reply, or undefined when the message is not for us. */
  function handle(message, sender) {
    const type = message?.type;
    if (typeof type !== 'string' || message.target === 'offscreen') {
      return undefined;
    }
    let handler = null;
    if (Object.hasOwn(pageHandlers, type)) {
      handler = pageHandlers[type];
    } else if (Object.hasOwn(extensionHandlers, type)) {
      handler = isExtensionPage(sender) ? extensionHandlers[type] : async () => { throw new HostError({ code: LOCAL_CODES.NOT_ALLOWED_HERE }); };
    } else {
      return undefined;
    }
    return Promise.resolve()
      .then(() => handler(message, sender))
      .catch((error) => errorReply(error));
  }

  return { handle, forget, isExtensionPage };
}
