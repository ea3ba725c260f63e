// SPDX-License-Identifier: MIT
// Answers messages from the extension's own pages (popup, options) and from content
// scripts. Web pages get only what they need to offer and fill: matches without
// secrets, and a password only for the frame that asked, with the URL the browser
// reports for that frame (never one a content script claims).
import { HostError } from './native-client.js';
import { LOCAL_CODES, plainMessage } from '../shared/errors.js';
import { frameMayFill, isWebUrl, webOrigin, normalizeServer, siteLabel } from '../shared/url.js';
import { frameAllowed, DEFAULT_RULES } from '../shared/site-rules.js';
import { BACKENDS } from '../shared/settings.js';
import { HOST_PORT } from '../shared/messages.js';
import { t } from '../shared/i18n.js';

const REMEMBER_MS = 10 * 60 * 1000;
// How long the matches asked as a tab starts loading a page wait for that page to ask.
const AHEAD_MS = 10 * 1000;
const withoutHash = (url) => String(url).split('#')[0];
// The port a content script opens for a pick (content/pick-port.js).
const PICK_PORT = 'pa-pick';
// A host action's name: `status`, `credentials.list`, `sessionShares.create`…
const ACTION_NAME = /^[a-z][A-Za-z]*(\.[a-z][A-Za-z]*)*$/;
// After these the accounts' state (signed in, unlocked, item counts) may have changed.
const CHANGES_STATE = /^(session|vault)\.|^credentials\.(create|update|delete)$|^shares\.accept/;

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

/** What the popup shows of a match: a page's view, plus a received share's permission and
 * who shared it (the popup's rows and details say so). Still no share id. */
export function popupMatch(m) {
  const out = publicMatch(m);
  if (m.share) {
    out.share = { permission: m.share.permission, ...(m.share.sharedBy ? { sharedBy: m.share.sharedBy } : {}) };
  }
  return out;
}

export function wantsOtp(error) {
  return error?.otpRequired === true || error?.code === 'OTP_REQUIRED';
}

/**
 * An error as the views show it: the code, words for a person (the backend's own when
 * the account it came from is known), and whether a 2FA code is wanted.
 */
export function errorReply(error, backend) {
  const wire = error instanceof HostError ? error.toJSON() : { code: error?.code ?? 'INTERNAL', message: String(error?.message ?? error) };
  return { error: { code: wire.code, message: plainMessage(wire, backend), otpRequired: wantsOtp(wire), retryAfter: wire.retryAfter } };
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
 * @param {() => Promise<object>} [deps.getRules] the site rules (shared/site-rules.js): frame pairs allowed
 */
export function createRouter({ client, getState, refreshState, extensionBase, clipboard, tabs, saveSettings, now = () => Date.now(), getRules = async () => DEFAULT_RULES }) {
  const remembered = new Map(); // tabId → {origin, id, account, at}: the login chosen on an earlier step
  // `${tabId}:${frameId}:${origin}` → matches for that frame while it shows that origin (no
  // secrets). Dropped when the tab navigates (forgetMatches), so an answer for one site is
  // never used for another one the same frame loads later.
  const lastMatches = new Map();
  // tabId → {url, at, reply}: the matches asked as the tab started loading `url`
  // (matchAhead), taken by the first page.matches of its top frame for that URL.
  const ahead = new Map();

  function isExtensionPage(sender) {
    return typeof sender?.url === 'string' && sender.url.startsWith(extensionBase);
  }

  /**
   * The frame a content script speaks for, with the URL the browser reports for it. A
   * frame of another origin than its tab is refused unless the person allowed that pair
   * of sites (options page); with no tab URL (no host access) only the top frame counts.
   */
  async function contentFrame(sender) {
    const frameUrl = sender?.url;
    const tabUrl = sender?.tab?.url;
    if (!sender?.tab || !isWebUrl(frameUrl)) {
      throw new HostError({ code: LOCAL_CODES.NOT_ALLOWED_HERE });
    }
    const allowed = tabUrl ? frameMayFill({ frameUrl, tabUrl }) || frameAllowed(await getRules(), frameUrl, tabUrl) : sender.frameId === 0;
    if (!allowed) {
      throw new HostError({ code: LOCAL_CODES.FRAME_NOT_ALLOWED });
    }
    const frameId = sender.frameId ?? 0;
    return { url: frameUrl, tabUrl, tabId: sender.tab.id, frameId, key: `${sender.tab.id}:${frameId}:${webOrigin(frameUrl)}` };
  }

  /**
   * `byPage`: the request comes from a content script, not from the person; it carries
   * `background: true` so that it does not restart the host's idle lock (a page that keeps
   * asking must not keep an unattended vault open).
   */
  async function matchFor(url, key, { byPage = false } = {}) {
    const { matches = [] } = await client.request('credentials.match', { url, ...(byPage ? { background: true } : {}) });
    lastMatches.set(key, matches);
    return matches;
  }

  /**
   * Asks the host for the matches of the page a tab starts loading, so that its detector
   * finds them on their way or there when it asks at DOMContentLoaded, instead of asking
   * while the browser injects the page scripts (Firefox then answered in ~40 ms, not ~8).
   * A background request, like the page's own. Returns the reply's promise (the toolbar's
   * count uses it too), or null when locked or not a web page.
   */
  function matchAhead(tab) {
    if (!getState().unlocked || !Number.isInteger(tab?.id) || !isWebUrl(tab.url)) {
      ahead.delete(tab?.id);
      return null;
    }
    const url = withoutHash(tab.url);
    const known = ahead.get(tab.id);
    if (known && known.url === url && now() - known.at < AHEAD_MS) return known.reply;
    const entry = { url, at: now(), reply: client.request('credentials.match', { url: tab.url, background: true }) };
    ahead.set(tab.id, entry);
    entry.reply.catch(() => {
      if (ahead.get(tab.id) === entry) ahead.delete(tab.id);
    });
    return entry.reply;
  }

  /** The matches asked ahead for this frame's page, once (the top frame, its URL, in time), or null. */
  function takeAhead(frame) {
    const known = ahead.get(frame.tabId);
    if (!known || frame.frameId !== 0 || known.url !== withoutHash(frame.url) || now() - known.at >= AHEAD_MS) return null;
    ahead.delete(frame.tabId);
    return known.reply.then(({ matches = [] }) => {
      lastMatches.set(frame.key, matches);
      return matches;
    }, () => matchFor(frame.url, frame.key, { byPage: true }));
  }

  async function findMatch(frame, { id, account }) {
    const known = (lastMatches.get(frame.key) ?? []).find((m) => m.id === id && (account === undefined || m.account === account));
    if (known) return known;
    return (await matchFor(frame.url, frame.key, { byPage: true })).find((m) => m.id === id && (account === undefined || m.account === account));
  }

  const pageHandlers = {
    async 'page.matches'(_message, sender) {
      const state = getState();
      let frame;
      try {
        frame = await contentFrame(sender);
      } catch (error) {
        if (error.code !== LOCAL_CODES.FRAME_NOT_ALLOWED || !state.unlocked) throw error;
        // A frame of another site: say so (and offer to allow the pair) only when the
        // vault has logins for it; the count is all the frame learns.
        const { matches = [] } = await client.request('credentials.match', { url: sender.url, background: true });
        return { state: { loggedIn: true, unlocked: true }, matches: [], frame: { blocked: true, frameSite: siteLabel(sender.url), topSite: siteLabel(sender.tab.url), matches: matches.length } };
      }
      if (!state.unlocked) {
        return { state: { loggedIn: state.loggedIn, unlocked: false }, matches: [] };
      }
      const matches = await (takeAhead(frame) ?? matchFor(frame.url, frame.key, { byPage: true }));
      const memory = remembered.get(frame.tabId);
      const fresh = memory && memory.origin === webOrigin(frame.url) && now() - memory.at < REMEMBER_MS;
      return {
        state: { loggedIn: true, unlocked: true },
        matches: matches.map(publicMatch),
        remembered: fresh ? { id: memory.id, account: memory.account } : null,
      };
    },

    async 'page.fill'(message, sender) {
      const frame = await contentFrame(sender);
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
      const frame = await contentFrame(sender);
      const match = await findMatch(frame, message);
      if (!match) {
        throw new HostError({ code: 'URL_MISMATCH' });
      }
      // Bound to the page like a password: the host checks that the entry matches the URL
      // the browser reports for this frame.
      const totp = await client.request('totp.code', { id: match.id, account: match.account, purpose: 'fill', url: frame.url });
      return { code: totp.code };
    },
  };

  const extensionHandlers = {
    async state() {
      return { state: await refreshState() };
    },

    async login({ backend = 'passagent', server, email, password, otp, remember }) {
      if (!BACKENDS.includes(backend)) {
        return { error: { code: 'VALIDATION', message: t('loginChooseBackend', String(backend)) } };
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
      // Kept in the desktop's Secret Service by the host, never here; Passwork sessions are never remembered.
      if (remember === true && backend !== 'passwork') params.remember = true;
      await saveSettings({ backend, serverUrl: params.server, email: who });
      const result = await client.request('session.login', params);
      const { account, user, remembered, rememberError } = result;
      return { result: { account, user, remembered, rememberError }, state: await refreshState() };
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
      return { tab: { id: tab.id, url: tab.url, title: tab.title ?? '' }, matches: matches.map(popupMatch) };
    },

    async 'tab.fill'({ tabId, id, account }) {
      // The popup's Enter on a login for this tab: the top frame's content script asks
      // for the fill itself (page.fill), so its URL is checked as for any fill.
      const tab = await tabs.resolve(tabId);
      if (!tab || !isWebUrl(tab.url)) return { error: { code: 'URL_MISMATCH', message: t('fillNoPage') } };
      const matches = await matchFor(tab.url, `${tab.id}:popup`);
      if (!matches.some((m) => m.id === id && m.account === account)) throw new HostError({ code: 'URL_MISMATCH' });
      await tabs.tell(tab.id, { type: 'pa-command', command: 'fill-login', id, account }, { frameId: 0 });
      return { filled: true };
    },

    async totp({ id, account, background }) {
      // The popup's code ring refreshes by itself: that is not the person acting, so it
      // must not keep the vault from locking when idle.
      const r = await client.request('totp.code', { id, account, ...(background ? { background: true } : {}) });
      return { code: r.code, remaining: r.remaining, period: r.period, digits: r.digits };
    },

    async copy({ field, id, account, tabId, text, name }) {
      let value;
      if (field === 'username' || field === 'text') {
        // Text the page already shows (a username, an invite token, recovery codes).
        value = String(text ?? '');
      } else if (field === 'password') {
        const tab = await tabs.resolve(tabId);
        const params = { id, account, purpose: 'copy' };
        if (tab && isWebUrl(tab.url)) params.url = tab.url;
        value = (await client.request('credentials.get', params)).password;
      } else if (field === 'totp') {
        value = (await client.request('totp.code', { id, account })).code;
      } else if (field === 'field') {
        // A custom field: read through credentials.get so a received share's copy is logged.
        const entry = await client.request('credentials.get', { id, account, purpose: 'copy' });
        const found = (Array.isArray(entry.fields) ? entry.fields : []).find((f) => f?.name === name);
        if (!found) return { error: { code: 'NOT_FOUND', message: t('copyFieldGone') } };
        value = String(found.value ?? '');
      } else if (field === 'text') {
        // Something the page already shows (a generated password, a username).
        value = String(text ?? '');
      } else {
        return { error: { code: 'BAD_REQUEST', message: t('copyNothing') } };
      }
      const outcome = await clipboard.copy(value);
      value = null;
      return { copied: field, ...outcome };
    },
  };

  /** The backend of an account, or of the only one when none is named. */
  function backendOf(account) {
    const accounts = getState().accounts ?? [];
    const found = account ? accounts.find((a) => a.account === account) : accounts.length === 1 ? accounts[0] : null;
    return found?.backend;
  }

  /**
   * A port from one of the extension's own pages (popup, options): any host action,
   * passed through with its progress events. Content scripts and web pages are refused:
   * they get only the page.* handlers above, and on the pick's port (connectPick) only
   * those. Returns true when the port was ours.
   */
  function connect(port) {
    if (port?.name === PICK_PORT) return connectPick(port);
    if (port?.name !== HOST_PORT) return false;
    if (!isExtensionPage(port.sender)) {
      port.disconnect();
      return true;
    }
    let open = true;
    port.onDisconnect.addListener(() => { open = false; });
    const post = (message) => {
      if (open) port.postMessage(message);
    };
    port.onMessage.addListener(async (message) => {
      const id = message?.id;
      const { action, params = {} } = message ?? {};
      try {
        if (typeof action !== 'string' || !ACTION_NAME.test(action) || typeof params !== 'object' || params === null || Array.isArray(params)) {
          throw new HostError({ code: 'BAD_REQUEST', message: t('hostActionMalformed') });
        }
        const result = await client.request(action, params, { onProgress: (event, data) => post({ id, event, data }) });
        if (CHANGES_STATE.test(action)) await refreshState();
        if (action === 'vault.lock' || action === 'session.logout') remembered.clear();
        post({ id, result });
      } catch (error) {
        post({ id, ...errorReply(error, backendOf(params?.account)) });
      }
    });
    return true;
  }

  /**
   * A content script's port for a pick (content/pick-port.js): page.* requests only, each
   * answered as by sendMessage, for the frame the browser says opened the port.
   */
  function connectPick(port) {
    if (!port.sender?.tab) {
      port.disconnect();
      return true;
    }
    let open = true;
    port.onDisconnect.addListener(() => { open = false; });
    port.onMessage.addListener(async (envelope) => {
      const message = envelope?.message;
      const type = message?.type;
      const reply = Object.hasOwn(pageHandlers, type)
        ? await Promise.resolve().then(() => pageHandlers[type](message, port.sender)).catch((error) => errorReply(error))
        : errorReply(new HostError({ code: LOCAL_CODES.NOT_ALLOWED_HERE }));
      if (open) port.postMessage({ id: envelope?.id, reply });
    });
    return true;
  }

  /** Forgets per-tab memory when a tab closes or the vault locks. */
  function forget(tabId) {
    if (tabId === undefined) {
      remembered.clear();
      lastMatches.clear();
      ahead.clear();
      return;
    }
    remembered.delete(tabId);
    ahead.delete(tabId);
    forgetMatches(tabId);
  }

  /** A tab navigated: the matches its frames had are for the page it left. */
  function forgetMatches(tabId) {
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

  /** The login filled last in this tab (for a sign-in whose form had no username), if recent. */
  function rememberedFor(tabId, url) {
    const memory = remembered.get(tabId);
    return memory && memory.origin === webOrigin(url) && now() - memory.at < REMEMBER_MS ? { id: memory.id, account: memory.account } : null;
  }

  return { handle, connect, forget, forgetMatches, matchAhead, isExtensionPage, contentFrame, rememberedFor };
}
