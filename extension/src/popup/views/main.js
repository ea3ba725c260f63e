// SPDX-License-Identifier: MIT
// The vault: type to search every entry of every unlocked account; with nothing typed,
// the logins for the current tab first, then every entry. Keyboard first: the search
// box has focus, arrows move, Enter fills the tab when the entry is for it, else copies
// its password. While a vault syncs (its first sync lists it page by page after the
// unlock) it says so and lists again as entries arrive.
import { t } from '../../shared/i18n.js';
import { siteLabel } from '../../shared/url.js';
import { entryRow, copyField } from '../entry-row.js';
import { listKeys } from '../list-keys.js';

const PAGE = 50;

export default {
  name: 'main',
  needs: 'unlocked',
  title: () => t('vaultTitle'),
  render(scope) {
    const { h, icon, ICONS, host, router, store, busy, setActions, accounts } = scope;
    const openAccounts = () => accounts().filter((a) => a.unlocked);
    const showAccount = openAccounts().length > 1;
    let tab = null;
    let tabMatches = [];
    const search = h('input', {
      id: 'search', type: 'search', autofocus: true, autocomplete: 'off', spellcheck: 'false',
      placeholder: t('searchPlaceholder'), 'aria-label': t('searchPlaceholder'), 'aria-controls': 'results',
      value: store.get().query ?? '',
    });
    const siteTitle = h('h3', { class: 'section-title', id: 'site' });
    const siteList = h('ul', { class: 'list matches', id: 'matches', role: 'listbox' });
    const noMatches = h('p', { class: 'muted small section-note', id: 'no-matches', hidden: true }, t('noMatchesForSite'));
    const siteSection = h('section', { id: 'site-section', hidden: true }, siteTitle, siteList, noMatches);
    const allTitle = h('h3', { class: 'section-title' }, t('allEntries'));
    const results = h('ul', { class: 'list', id: 'results', role: 'listbox' });
    const empty = h('p', { class: 'empty', hidden: true });
    const syncNote = h('p', { class: 'muted small section-note', id: 'sync-note', role: 'status', hidden: true });
    const syncing = () => openAccounts().filter((a) => a.syncing);
    const more = h('button', { type: 'button', class: 'link', hidden: true }, t('showMore'));
    let cursor = null;

    const isForTab = (entry) => tabMatches.some((m) => m.id === entry.id && m.account === entry.account);
    const open = (entry) => router.go('details', { id: entry.id, account: entry.account, entry });
    const rowFor = (entry, totp = false) => entryRow(scope, entry, { tabId: tab?.id, showAccount, totp, onOpen: () => open(entry) });
    const keys = listKeys(search, () => [...(siteSection.hidden ? [] : siteList.children), ...results.children], (row, event) => {
      const entry = row.entry;
      if (!entry) return;
      if (event.shiftKey) {
        open(entry);
      } else if (isForTab(entry) && tab) {
        busy(null, async () => {
          await host.send('tab.fill', { tabId: tab.id, id: entry.id, account: entry.account });
          globalThis.close?.();
        }, entry.account);
      } else {
        busy(null, () => copyField(scope, 'password', entry, tab?.id), entry.account);
      }
    });

    function put(list, entries, totp) {
      for (const entry of entries) {
        const row = rowFor(entry, totp);
        row.entry = entry;
        row.id = `row-${list.id}-${list.childElementCount}`;
        list.append(row);
      }
    }

    async function loadTab() {
      const early = await scope.takeEarlyTabMatches();
      const reply = early ?? (await host.send('tab.matches'));
      if (!scope.alive()) return;
      tab = reply.tab;
      tabMatches = reply.matches ?? [];
      siteTitle.textContent = tab?.url ? t('forSite', siteLabel(tab.url)) : t('forThisPage');
      siteSection.hidden = !tab?.url || Boolean(search.value.trim()); // A search shows results only.
      noMatches.hidden = tabMatches.length > 0;
      siteList.replaceChildren();
      put(siteList, tabMatches, true);
      if (!search.value.trim()) keys.reset();
    }

    let generation = 0;
    async function runSearch({ append = false } = {}) {
      const query = search.value.trim();
      store.set({ query });
      const mine = ++generation;
      siteSection.hidden = Boolean(query) || !tab?.url;
      allTitle.textContent = query ? t('searchResults') : t('allEntries');
      try {
        const reply = await host.call('credentials.list', { ...(query ? { query } : {}), limit: PAGE, ...(append && cursor ? { cursor } : {}) });
        if (!scope.alive() || mine !== generation) return;
        if (!append) results.replaceChildren();
        // The site's matches are already listed above when nothing is typed.
        const items = (reply.items ?? []).filter((item) => query || !isForTab(item));
        put(results, items, false);
        cursor = reply.cursor ?? null;
        more.hidden = !cursor;
        empty.hidden = results.childElementCount > 0 || (!query && siteList.childElementCount > 0) || (!query && syncing().length > 0);
        empty.textContent = query ? t('noSearchResults', query) : t('vaultEmpty');
        if (!append) keys.reset();
      } catch (error) {
        if (!scope.alive() || mine !== generation) return;
        results.replaceChildren();
        empty.hidden = false;
        empty.textContent = error.code === 'UNKNOWN_ACTION' ? t('listNeedsNewerHost') : '';
        if (error.code !== 'UNKNOWN_ACTION') scope.fail(error);
      }
    }

    let timer = null;
    search.addEventListener('input', () => {
      clearTimeout(timer);
      timer = setTimeout(() => runSearch(), 120);
    });
    scope.onCleanup(() => clearTimeout(timer));
    more.addEventListener('click', () => runSearch({ append: true }));

    const lock = h('button', { id: 'lock', type: 'button', class: 'ghost icon-only', title: t('lockAll'), 'aria-label': t('lockAll'), onclick: () => busy(lock, async () => {
      for (const account of openAccounts()) await host.send('lock', { account: account.account });
      await scope.refreshState();
    }) }, icon(ICONS.lock, { size: 18 }));
    setActions(
      h('button', { id: 'new-entry', type: 'button', class: 'ghost icon-only', title: t('newEntry'), 'aria-label': t('newEntry'), onclick: () => router.go('edit', { url: tab?.url }) }, icon(ICONS.plus, { size: 18 })),
      lock,
      h('button', { id: 'open-options', type: 'button', class: 'ghost icon-only', title: t('options'), 'aria-label': t('options'), onclick: () => scope.openOptions() }, icon(ICONS.settings, { size: 18 })));

    // The entries the open vaults show: a sync or a write changes it, and the lists follow.
    const shown = () => openAccounts().map((a) => `${a.account}:${a.items}:${a.syncing}`).join('|');
    let lastShown = shown();
    function showSync() {
      const now = syncing();
      syncNote.hidden = now.length === 0;
      syncNote.textContent = now.length ? t('syncingEntries', String(now.reduce((n, a) => n + (a.items ?? 0), 0))) : '';
    }
    showSync();
    scope.onCleanup(store.subscribe((next, previous) => {
      if (next.hostState === previous.hostState || !scope.alive()) return;
      showSync();
      if (shown() === lastShown) return;
      lastShown = shown();
      loadTab().then(() => runSearch()).catch((error) => scope.alive() && scope.fail(error));
    }));

    loadTab().then(() => runSearch()).catch((error) => scope.alive() && scope.fail(error));
    return h('section', { class: 'vault' },
      h('div', { class: 'search' }, icon(ICONS.search), search, h('p', { class: 'keys-hint', id: 'keys-hint' }, t('searchKeysHint'))),
      h('div', { class: 'view-body flush' }, syncNote, siteSection, allTitle, results, empty, h('div', { class: 'row end' }, more)));
  },
};
