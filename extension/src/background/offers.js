// SPDX-License-Identifier: MIT
// Save and update on submit, and the generator's memory. A content script reports a
// sign-in, sign-up or password change (content/capture.js); this module decides whether
// to offer Save (a username and password no entry of the site holds) or Update (a known
// username with another password, or a password-change form), keeps the offer in
// storage.session (in memory, out of the page's reach, and it outlives a restart of the
// service worker), and has the extension's prompt page (src/prompt/) shown in an iframe
// the page cannot script; its answers are prompt-answers.js. A generated password is kept
// for its tab until it is saved or ten minutes pass, so a failed submit never loses it.
// Nothing of this outlives a lock: wipe() removes every offer, candidate and generated
// password, and sweep() (an alarm, every minute) what is older than ten minutes.
// Only the prompt frame the extension placed in the tab may answer (prompt-claims.js).
import { errorReply } from './router.js';
import { siteLabel, webOrigin } from '../shared/url.js';
import { loadRules, neverSaves } from '../shared/site-rules.js';
import { createPromptClaims } from './prompt-claims.js';
import { createPromptAnswers } from './prompt-answers.js';

export const KEEP_MS = 10 * 60 * 1000; // Offers and generated passwords.
const CANDIDATE_MS = 60 * 1000; // A click whose navigation has not come yet.
const GENERATE = { preset: 'strong', length: 20 };

// What storage.session holds per tab here, by key prefix: all of it goes on a lock.
const TAB_KEYS = ['offer', 'gen', 'cand', 'user', 'frame', 'nonce'];

/**
 * Whether going from one state to the next locked or signed out any account (one of
 * several, or all; by the person, the idle timer or the host): then offers are wiped.
 */
export function anyAccountLocked(before, after) {
  const open = (state) => new Set((state?.accounts ?? []).filter((a) => a.unlocked).map((a) => a.account));
  const next = open(after);
  return [...open(before)].some((account) => !next.has(account)) || (Boolean(before?.unlocked) && !after?.unlocked);
}

function sameUser(a, b) {
  return String(a ?? '').trim().toLowerCase() === String(b ?? '').trim().toLowerCase();
}

/**
 * A store in storage.session with an in-memory fallback (tests, old browsers).
 * @param {object|undefined} area api.storage.session
 */
export function sessionStore(area) {
  const memory = new Map();
  return {
    /** Every key held (storage.session is shared with the clipboard's clear job). */
    async keys() {
      if (!area) return [...memory.keys()];
      return Object.keys(await area.get(null));
    },
    async get(key) {
      if (!area) return memory.get(key);
      return (await area.get(key))[key];
    },
    async set(key, value) {
      if (!area) memory.set(key, value);
      else await area.set({ [key]: value });
    },
    async remove(key) {
      if (!area) memory.delete(key);
      else await area.remove(key);
    },
  };
}

/**
 * @param {object} deps
 * @param {{request: Function}} deps.client
 * @param {() => object} deps.getState
 * @param {{contentFrame: Function, isExtensionPage: Function, rememberedFor: Function}} deps.router
 * @param {ReturnType<typeof sessionStore>} deps.session
 * @param {object} deps.storage api.storage (site rules in storage.local)
 * @param {(tabId: number, message: object, options?: {frameId?: number}) => Promise<void>} deps.tell sends to a tab's frames (or one)
 * @param {(tabId: number, message: object, options?: {frameId?: number}) => Promise<any>} [deps.ask] the same, with the frame's reply (null when none)
 * @param {() => number} [deps.now]
 */
export function createOffers({ client, getState, router, session, storage, tell, ask = async () => null, now = () => Date.now() }) {
  const fresh = (record) => record && now() - record.at < KEEP_MS;
  const deciding = new Map(); // tabId → the decision in flight, which a page.ready waits for.
  const claims = createPromptClaims({ session, ask, keepMs: KEEP_MS, now });
  const promptHandlers = createPromptAnswers({ client, getState, router, session, storage, tell, claims, fresh });

  async function kept(tabId, url) {
    const gen = await session.get(`gen:${tabId}`);
    return fresh(gen) && gen.origin === webOrigin(url) ? gen : null;
  }

  async function updatedAt(entry) {
    try {
      const { items = [] } = await client.request('credentials.list', { account: entry.account, query: entry.username || entry.name });
      return items.find((i) => i.id === entry.id && i.account === entry.account)?.updatedAt;
    } catch {
      return undefined; // Without it the update goes ahead unconditioned; the host still refuses a share.
    }
  }

  /** Decides Save, Update or nothing for a sign-in that went ahead, and shows the prompt. */
  async function decide(tabId, url, attempt) {
    await session.remove(`cand:${tabId}`); // Decided once: a page.ready that comes meanwhile does not decide again.
    const state = getState();
    if (!state.unlocked || !attempt.password || neverSaves(await loadRules(storage), url)) return null;
    let username = attempt.username;
    if (!username) {
      const step = await session.get(`user:${tabId}`);
      if (fresh(step) && step.origin === webOrigin(url)) username = step.username;
    }
    // Asked because the page submitted a form: not the person's activity for the idle lock.
    const { matches = [] } = await client.request('credentials.match', { url, background: true });
    const own = matches.filter((m) => !m.share);
    const remembered = router.rememberedFor(tabId, url);
    const filled = remembered && own.find((m) => m.id === remembered.id && m.account === remembered.account);
    let entries = [];
    if (attempt.kind === 'change') {
      const target = (username && own.find((m) => sameUser(m.username, username))) || filled || (own.length === 1 ? own[0] : null);
      entries = target ? [target] : own;
    } else {
      const same = username ? matches.filter((m) => sameUser(m.username, username)) : filled ? [filled] : [];
      if (same.length) {
        const mine = same.find((m) => !m.share);
        if (!mine) return null; // Only a received share has it: not ours to change.
        const secret = await client.request('credentials.get', { id: mine.id, account: mine.account, purpose: 'fill', url });
        const known = secret.password === attempt.password;
        secret.password = null;
        if (known) return null;
        entries = [mine];
      }
    }
    const gen = await kept(tabId, url);
    const offer = {
      kind: entries.length ? 'update' : 'save',
      url,
      origin: webOrigin(url),
      site: siteLabel(url),
      username: username || (entries.length === 1 ? entries[0].username : ''),
      password: attempt.password,
      generated: Boolean(gen && gen.password === attempt.password),
      changed: attempt.kind === 'change', // A password-change form, not a sign-in: the prompt says so.
      entries: await Promise.all(entries.map(async (m) => ({ id: m.id, account: m.account, name: m.name, username: m.username, updatedAt: await updatedAt(m) }))),
      at: now(),
    };
    await session.set(`offer:${tabId}`, offer);
    const nonce = await claims.open(tabId);
    // Not awaited: while the tab navigates, a message to its old page may never settle.
    // The new page asks by itself (page.ready).
    tell(tabId, { type: 'pa-prompt', kind: offer.kind, nonce }, { frameId: 0 });
    return offer.kind;
  }

  /** The reply to a page that may show the prompt now: its kind, with a new nonce for the frame. */
  async function promptFor(tabId, kind) {
    return kind ? { prompt: kind, nonce: await claims.open(tabId) } : { prompt: null };
  }

  const pageHandlers = {
    async 'page.submitted'({ attempt, confirmed }, sender) {
      const frame = await router.contentFrame(sender);
      if (!attempt || typeof attempt !== 'object') return {};
      const clean = {
        kind: ['login', 'signup', 'change', 'username'].includes(attempt.kind) ? attempt.kind : 'login',
        username: String(attempt.username ?? '').slice(0, 512),
        password: String(attempt.password ?? '').slice(0, 4096),
      };
      if (clean.kind === 'username') {
        if (clean.username) await session.set(`user:${frame.tabId}`, { origin: webOrigin(frame.url), username: clean.username, at: now() });
        return {};
      }
      if (!confirmed) {
        await session.set(`cand:${frame.tabId}`, { url: frame.url, attempt: clean, at: now() });
        return {};
      }
      const decision = decide(frame.tabId, frame.url, clean).finally(() => deciding.delete(frame.tabId));
      deciding.set(frame.tabId, decision.catch(() => null));
      return { offer: await decision };
    },

    /** The top frame of a page that just loaded: a sign-in of the page before may be waiting. */
    async 'page.ready'({ passwordFieldShown }, sender) {
      if (sender?.frameId !== 0 || !sender.tab) return {};
      const tabId = sender.tab.id;
      await deciding.get(tabId);
      const cand = await session.get(`cand:${tabId}`);
      if (cand) {
        await session.remove(`cand:${tabId}`);
        const failed = passwordFieldShown && webOrigin(cand.url) === webOrigin(sender.url) && new URL(cand.url).pathname === new URL(sender.url).pathname;
        if (now() - cand.at < CANDIDATE_MS && !failed) {
          const kind = await decide(tabId, cand.url, cand.attempt).catch(() => null);
          return promptFor(tabId, kind);
        }
      }
      const offer = await session.get(`offer:${tabId}`);
      if (fresh(offer)) return promptFor(tabId, offer.kind);
      const question = await session.get(`frame:${tabId}`);
      return promptFor(tabId, fresh(question) ? 'frame' : null);
    },

    async 'page.generate'({ reuse, preset }, sender) {
      const frame = await router.contentFrame(sender);
      const old = await kept(frame.tabId, frame.url);
      if (reuse && old) return { password: old.password };
      const params = preset === 'memorable' ? { preset: 'memorable' } : GENERATE;
      const { password } = await client.request('passwords.generate', params);
      await session.set(`gen:${frame.tabId}`, { origin: webOrigin(frame.url), password, at: now() });
      return { password };
    },

    async 'page.generated'(_message, sender) {
      const frame = await router.contentFrame(sender);
      const gen = await kept(frame.tabId, frame.url);
      return { kept: gen ? { at: gen.at } : null };
    },

    /** A frame of another site asks to be allowed: the person answers in the prompt, in the top frame. */
    async 'page.askFrame'(_message, sender) {
      const frame = webOrigin(sender?.url);
      const top = webOrigin(sender?.tab?.url);
      if (!frame || !top || frame === top) return {};
      await session.set(`frame:${sender.tab.id}`, { frame, top, at: now() });
      await tell(sender.tab.id, { type: 'pa-prompt', kind: 'frame', nonce: await claims.open(sender.tab.id) }, { frameId: 0 });
      return {};
    },
  };

  /** Returns a promise of the reply, or undefined when the message is not for this module. */
  function handle(message, sender) {
    const type = message?.type;
    const handler = Object.hasOwn(pageHandlers, type) ? pageHandlers[type] : Object.hasOwn(promptHandlers, type) ? promptHandlers[type] : null;
    if (!handler) return undefined;
    return Promise.resolve()
      .then(() => handler(message, sender))
      .catch((error) => errorReply(error));
  }

  /** Whether the tab's next page has something to show: a decision, a candidate, an offer or a frame's question. */
  async function waiting(tabId) {
    if (deciding.has(tabId)) return true;
    for (const key of ['cand', 'offer', 'frame']) {
      if (await session.get(`${key}:${tabId}`)) return true;
    }
    return false;
  }

  async function forget(tabId) {
    for (const key of TAB_KEYS) await session.remove(`${key}:${tabId}`);
  }

  const ours = (key) => TAB_KEYS.some((prefix) => key.startsWith(`${prefix}:`));

  /** A vault locked (by the person, the idle timer or a sign-out): every offer, candidate and generated password goes. */
  async function wipe() {
    deciding.clear();
    for (const key of (await session.keys()).filter(ours)) await session.remove(key);
  }

  /** Removes what is older than its time (ten minutes; a candidate click, one), so no password waits to be read. */
  async function sweep() {
    for (const key of (await session.keys()).filter(ours)) {
      const record = await session.get(key);
      const limit = key.startsWith('cand:') ? CANDIDATE_MS : KEEP_MS;
      if (!record || !(now() - record.at < limit)) await session.remove(key);
    }
  }

  /** Whether a pa-prompt's nonce is still the tab's: one the page asked for meanwhile (page.ready) voids it. */
  const promptCurrent = (tabId, nonce) => claims.current(tabId, nonce);

  return { handle, forget, decide, wipe, sweep, waiting, promptCurrent };
}
