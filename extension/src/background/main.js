// SPDX-License-Identifier: MIT
// The background: one port to passagent-host, the message router, the clipboard, the
// idle lock, and the state every open view shows. It holds no secret: passwords and
// codes pass through on their way to one frame or the clipboard and are not kept.
import { api } from '../shared/browser-api.js';
import { loadSettings, saveSettings } from '../shared/settings.js';
import { isWebUrl } from '../shared/url.js';
import { NativeClient } from './native-client.js';
import { createRouter } from './router.js';
import { createClipboard } from './clipboard.js';
import { createAutoLock } from './auto-lock.js';
import { createBadge } from './badge.js';
import { createSessionShares } from './session-shares.js';
import { createOffers, sessionStore, anyAccountLocked } from './offers.js';
import { createCommands } from './commands.js';
import { createBasicAuth } from './basic-auth.js';
import { createContentLoader } from './content-loader.js';
import { loadRules } from '../shared/site-rules.js';

export const HOST_NAME = 'ai.passagent.host';

let state = { connected: false, hostError: null, loggedIn: false, unlocked: false, accounts: [] };

function stateFromAccounts(accounts, extra = {}) {
  const list = Array.isArray(accounts) ? accounts : [];
  return {
    ...state,
    ...extra,
    accounts: list.map(({ account, backend, server, user, loggedIn, unlocked, items, remembered, syncing, lastSync }) => ({ account, backend, server, user, loggedIn, unlocked, items, remembered: Boolean(remembered), syncing: Boolean(syncing), lastSync: lastSync ?? null })),
    loggedIn: list.some((a) => a.loggedIn),
    unlocked: list.some((a) => a.unlocked),
  };
}

async function broadcast() {
  const message = { type: 'pa-state', state };
  api.runtime.sendMessage(message).catch(() => {}); // No view open: nobody listens.
  const tabs = await api.tabs.query({}).catch(() => []);
  for (const tab of tabs) {
    if (tab.id !== undefined && tab.id >= 0) api.tabs.sendMessage(tab.id, message).catch(() => {});
  }
}

function setState(next) {
  // Any account's change counts: with several accounts one may unlock while another stays locked.
  const changed = next.connected !== state.connected || next.loggedIn !== state.loggedIn || next.unlocked !== state.unlocked
    || JSON.stringify(next.hostError) !== JSON.stringify(state.hostError) || JSON.stringify(next.accounts) !== JSON.stringify(state.accounts);
  const locking = state.unlocked && !next.unlocked;
  // Any account locked or signed out (by the person, the idle timer, the host): the
  // offers waiting in storage.session (with their passwords) go, and so do generated ones.
  const wipe = anyAccountLocked(state, next) || (!next.unlocked && changed);
  state = next;
  if (!state.unlocked) router?.forget();
  if (wipe) offers?.wipe().catch(() => {});
  if (locking) clipboard.clearNow().catch(() => {}); // Locked by any route: no copied secret outlives it.
  if (changed) {
    broadcast();
    badge.showState();
    countActiveTab();
  }
  return state;
}

async function refreshState() {
  try {
    const { accounts } = await client.request('status');
    return setState(stateFromAccounts(accounts, { connected: true, hostError: null }));
  } catch (error) {
    return setState({ ...state, connected: false, loggedIn: false, unlocked: false, hostError: { code: error.code, message: error.message } });
  }
}

const client = new NativeClient({
  connect: () => api.runtime.connectNative(HOST_NAME),
  onStatus: (status) => {
    if (status.connected) {
      setState(stateFromAccounts(status.hello?.accounts, { connected: true, hostError: null }));
    } else {
      setState({ ...state, connected: false, loggedIn: false, unlocked: false, hostError: status.error });
    }
  },
  onPush: ({ event }) => {
    if (event === 'locked' || event === 'session-expired') {
      // Answer at once, then ask for the details.
      setState({ ...state, unlocked: false, ...(event === 'session-expired' ? { loggedIn: false } : {}) });
      clipboard.clearNow().catch(() => {});
    }
    refreshState();
  },
});

const badge = createBadge({ action: api.action, client, getState: () => state });

async function countActiveTab() {
  const tabs = await api.tabs.query({ active: true }).catch(() => []);
  for (const tab of tabs) badge.countFor(tab);
}

const clipboard = createClipboard({ getClearSeconds: async () => (await loadSettings(api.storage)).clipboardClearSeconds });

async function lockVault() {
  if (!state.unlocked) return;
  await client.request('vault.lock', {});
  await refreshState();
}

const autoLock = createAutoLock({ lock: lockVault });

/** The tab the popup speaks about: the active web tab, or, when the popup itself is open as a tab, the last one used. */
async function resolveTab(tabId) {
  if (Number.isInteger(tabId)) return api.tabs.get(tabId).catch(() => null);
  const [active] = await api.tabs.query({ active: true, lastFocusedWindow: true });
  if (active && isWebUrl(active.url)) return active;
  const inWindow = await api.tabs.query({ windowId: active?.windowId ?? api.windows?.WINDOW_ID_CURRENT });
  return inWindow.filter((t) => isWebUrl(t.url)).sort((a, b) => (b.lastAccessed ?? 0) - (a.lastAccessed ?? 0))[0] ?? active ?? null;
}

const contentLoader = createContentLoader({ scripting: api.scripting, isWebUrl });

const router = createRouter({
  client,
  getState: () => state,
  refreshState,
  extensionBase: api.runtime.getURL(''),
  clipboard,
  tabs: { resolve: resolveTab, tell: (tabId, message, options) => tell(tabId, message, options) },
  saveSettings: (partial) => saveSettings(api.storage, partial),
  getRules: () => loadRules(api.storage),
});

// What a frame cannot answer with its detector alone: the page scripts go there first.
const NEEDS_PAGE_SCRIPTS = new Set(['pa-prompt', 'pa-command']);

/** A message to a tab's content scripts (one frame, or all); a tab without them is no error. */
async function tell(tabId, message, options) {
  if (NEEDS_PAGE_SCRIPTS.has(message?.type)) {
    await contentLoader.ensure(tabId, options?.frameId ?? 0);
    // While they loaded, the page may have asked for its prompt itself (page.ready) and
    // shown it with a newer nonce: this older one would replace it with a void prompt.
    if (message.type === 'pa-prompt' && !(await offers.promptCurrent(tabId, message.nonce))) return;
  }
  await api.tabs.sendMessage(tabId, message, options).catch(() => {});
}

/** The same, with the frame's reply (null when there is none). */
function ask(tabId, message, options) {
  return api.tabs.sendMessage(tabId, message, options).then((reply) => reply ?? null, () => null);
}

const offers = createOffers({ client, getState: () => state, router, session: sessionStore(api.storage.session), storage: api.storage, tell, ask });
// Offers and generated passwords live ten minutes: swept every minute, and at start.
const SWEEP_ALARM = 'passagent-offers-sweep';
api.alarms.create(SWEEP_ALARM, { periodInMinutes: 1 });
api.alarms.onAlarm.addListener((alarm) => {
  if (alarm.name === SWEEP_ALARM) offers.sweep().catch(() => {});
});
offers.sweep().catch(() => {});
const commands = createCommands({ client, getState: () => state, clipboard, tell, resolveTab });
commands.install(api);
// Firefox (the one with runtime.getBrowserInfo) takes blocking listeners; Chromium asyncBlocking.
createBasicAuth({ client, getState: () => state, storage: api.storage }).install(api, { firefox: typeof api.runtime.getBrowserInfo === 'function' });

// What a test driver (or a person in the worker's console) may read: no secret in it.
globalThis.passagent = Object.freeze({ status: () => ({ connected: state.connected, loggedIn: state.loggedIn, unlocked: state.unlocked }) });

api.runtime.onMessage.addListener((message, sender, sendResponse) => {
  const reply = contentLoader.handle(message, sender) ?? offers.handle(message, sender) ?? commands.handle(message, sender, router.isExtensionPage) ?? router.handle(message, sender);
  if (!reply) return undefined;
  reply.then(sendResponse, (error) => sendResponse({ error: { code: 'INTERNAL', message: String(error?.message ?? error) } }));
  return true; // Answer asynchronously.
});

api.runtime.onConnect.addListener((port) => router.connect(port));

// Session shares: created and followed here, so their live status outlasts a popup.
const sessionShares = createSessionShares({ client, serverOf: (account) => state.accounts.find((a) => a.account === account)?.server ?? state.accounts.find((a) => a.backend === 'passagent')?.server });
api.runtime.onMessage.addListener((message, sender, sendResponse) => sessionShares.listen(message, sender, sendResponse, router.isExtensionPage));
api.tabs.onRemoved.addListener((tabId) => {
  router.forget(tabId);
  offers.forget(tabId).catch(() => {});
});
api.tabs.onActivated.addListener(({ tabId }) => api.tabs.get(tabId).then((tab) => badge.countFor(tab), () => {}));
// A page starts loading: its matches are asked now, for the toolbar's count and for the
// page's detector, which asks at DOMContentLoaded (router.matchAhead). Firefox reports the
// tab's new URL only about when the page is parsed; the request for the page comes first.
api.webRequest.onBeforeRequest.addListener((details) => {
  if (details.tabId >= 0) router.matchAhead({ id: details.tabId, url: details.url });
}, { urls: ['http://*/*', 'https://*/*'], types: ['main_frame'] });
api.tabs.onUpdated.addListener((tabId, change, tab) => {
  const asked = change.url || change.status === 'loading' ? router.matchAhead(tab) : null;
  if (change.url || change.status === 'complete') badge.countFor(tab, asked);
});

// A navigation (of the tab, or of a frame in it: the frame's origin is in the cache key
// too) ends the page the cached matches were for.
api.tabs.onUpdated.addListener((tabId, change) => {
  if (change.url !== undefined || change.status === 'loading') router.forgetMatches(tabId);
  // A page without a login form has only its detector, which asks nothing: when a Save
  // prompt (or a frame's question) waits for this tab, its page scripts come and ask (page.ready).
  if (change.status === 'complete') {
    offers.waiting(tabId).then((waiting) => waiting && contentLoader.ensure(tabId, 0), () => {});
  }
});

api.storage.onChanged.addListener((changes, area) => {
  if (area === 'local' && changes.settings) {
    autoLock.configure(changes.settings.newValue?.autoLockMinutes ?? 0);
  }
});

loadSettings(api.storage).then((s) => autoLock.configure(s.autoLockMinutes));
client.start();
