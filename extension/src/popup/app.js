// SPDX-License-Identifier: MIT
// The popup's shell: header (back, title, per-view actions), one message line, the
// view, the bottom bar. It decides which view the host's state allows (the "gate"):
// no host → host; nobody signed in → login; nothing unlocked → unlock; else any view.
// Kept free of `browser.*` so unit tests drive it with a fake runtime under jsdom.
import { t } from '../shared/i18n.js';
import { generateParams, loadGenerator, saveGenerator, cleanGenerator } from '../shared/generator-options.js';
import { h, icon, fill } from '../ui/h.js';
import { ICONS } from '../ui/icons.js';
import { createStore } from '../ui/store.js';
import { createRouter } from '../ui/router.js';
import { createHostClient } from '../ui/host.js';
import { describeError } from '../ui/format.js';
import { VIEWS, NAV } from './views/index.js';

/** How far the host's state goes: 0 no host, 1 host, 2 someone signed in, 3 a vault unlocked. */
export function stateLevel(state) {
  if (!state?.connected) return 0;
  if (!state.accounts?.some((a) => a.loggedIn)) return 1;
  if (!state.accounts.some((a) => a.unlocked)) return 2;
  return 3;
}

const NEEDS = { none: 0, host: 1, loggedIn: 2, unlocked: 3 };

/** The view a state sends a person to when the current one is not allowed. */
export function gateView(state) {
  return ['host', 'login', 'unlock', 'main'][stateLevel(state)];
}

/** Storage for tests and contexts without browser.storage: one object in memory. */
export function memoryStorage() {
  const data = {};
  return { local: { get: async (key) => (key in data ? { [key]: data[key] } : {}), set: async (items) => Object.assign(data, items) } };
}

export function createApp({ document, runtime, storage = memoryStorage(), openOptions = () => {}, loadSettings = async () => ({}) }) {
  const $ = (id) => document.getElementById(id);
  const store = createStore({ hostState: null, message: null });
  const host = createHostClient({ runtime });

  /** A notice over the view; `detail` (technical words) only as its tooltip, not in the text. */
  function say(text, kind = 'ok', detail = '') {
    store.set({ message: text ? { text: String(text), kind, detail: String(detail ?? '') } : null });
  }

  let earlyTabMatches = null; // A promise of the first tab.matches reply (or of null).
  const context = {
    store,
    host,
    t,
    h,
    icon,
    ICONS,
    say,
    clearMessage: () => say(''),
    /** Shows an error, naming the backend of `account` (an AccountState or its id) when known. */
    fail(error, account) {
      const state = typeof account === 'string' ? context.account(account) : account;
      say(describeError(error, state), 'error');
    },
    /** The AccountState of an account id. */
    account: (id) => store.get().hostState?.accounts?.find((a) => a.account === id),
    accounts: () => store.get().hostState?.accounts ?? [],
    /** Runs `work` with `button` disabled; a thrown UiError is shown (with `account`'s backend). */
    async busy(button, work, account) {
      if (button) button.disabled = true;
      say('');
      try {
        return await work();
      } catch (error) {
        context.fail(error, typeof account === 'function' ? account() : account);
        return undefined;
      } finally {
        if (button) button.disabled = false;
      }
    },
    /** Puts buttons in the header for the current view (cleared on navigation). */
    setActions: (...nodes) => fill($('header-actions'), ...nodes),
    /** Puts buttons in a bar under the view that never scrolls away (cleared on navigation). */
    setFooter: (...nodes) => {
      fill($('view-foot'), ...nodes);
      $('view-foot').hidden = !$('view-foot').childElementCount;
    },
    /**
     * The tab's logins as asked for when the popup opened, beside the state (one round
     * trip less before the vault view's first list): given once, then null.
     */
    takeEarlyTabMatches() {
      const early = earlyTabMatches;
      earlyTabMatches = null;
      return early;
    },
    /** Asks the background for its state again and shows it. */
    async refreshState() {
      const { state } = await host.send('state');
      applyState(state);
      return state;
    },
    openOptions,
    loadSettings,
    /** The generator's saved choices (raw) and as passwords.generate params. */
    loadGenerator: () => loadGenerator(storage),
    saveGenerator: (options) => saveGenerator(storage, options),
    loadGeneratorOptions: async () => generateParams(await loadGenerator(storage)),
    cleanGenerator,
    applyState: (state) => applyState(state),
  };

  const router = createRouter({
    root: $('view'),
    context,
    document,
    // Each view's header actions and message belong to it alone.
    beforeShow: () => {
      $('header-actions').replaceChildren();
      $('view-foot').replaceChildren();
      $('view-foot').hidden = true;
      say('');
    },
    onChange: ({ name, title, canGoBack }) => {
      $('title').textContent = title || t('extName');
      $('back').hidden = !canGoBack;
      for (const b of $('nav').querySelectorAll('button')) b.setAttribute('aria-current', b.dataset.view === name ? 'page' : 'false');
    },
  });
  context.router = router;
  for (const view of VIEWS) router.register(view);

  function renderNav(level) {
    const nav = $('nav');
    nav.hidden = level < 3;
    if (nav.hidden || nav.childElementCount) return;
    for (const item of NAV) {
      nav.append(h('button', { type: 'button', dataset: { view: item.view }, onclick: () => router.reset(item.view) },
        icon(item.icon, { size: 18 }), t(item.label)));
    }
    const current = router.current()?.name;
    for (const b of nav.querySelectorAll('button')) b.setAttribute('aria-current', b.dataset.view === current ? 'page' : 'false');
  }

  function applyState(state) {
    const previous = store.get().hostState;
    store.set({ hostState: state });
    const level = stateLevel(state);
    renderNav(level);
    // The header's padlock shows what the toolbar button shows.
    document.querySelector('.bar .logo')?.setAttribute('src', `../../icons/${level === 3 ? 'unlocked' : 'locked'}-32.png`);
    const current = router.current();
    const view = current && router.view(current.name);
    const needs = NEEDS[view?.needs ?? 'unlocked'];
    if (!current || current.name === 'wait' || needs > level) {
      router.reset(gateView(state));
    } else if (view.gate && router.depth() === 1 && level > stateLevel(previous ?? {}) && gateView(state) !== current.name) {
      // A gate view shown by the gate (not picked by the person) moves on when the state does.
      router.reset(gateView(state));
    }
  }

  store.subscribe((next, previous) => {
    if (next.message === previous.message) return;
    const box = $('message');
    box.textContent = next.message?.text ?? '';
    box.hidden = !next.message;
    box.className = `notice ${next.message?.kind ?? ''}`;
    if (next.message?.detail) box.title = next.message.detail;
    else box.removeAttribute('title');
  });

  $('back').append(icon(ICONS.back, { size: 18 }));
  $('back').addEventListener('click', () => router.back());
  document.addEventListener('keydown', (event) => {
    // Escape goes back (a popup closes itself on Escape when there is nowhere to go).
    if (event.key === 'Escape' && router.canGoBack()) {
      event.preventDefault();
      router.back();
    }
  });

  return {
    store,
    router,
    context,
    applyState,
    /** Stops every view's timers (tests; a page that closes stops anyway). */
    stop: () => router.close(),
    async start() {
      router.reset('wait');
      host.onState((state) => applyState(state));
      // Locked, signed out or no host: it fails, and the vault view asks again when shown.
      earlyTabMatches = host.send('tab.matches').catch(() => null);
      try {
        await context.refreshState();
      } catch (error) {
        applyState({ connected: false, hostError: { code: error.code, message: error.message }, accounts: [] });
      }
    },
  };
}
