// SPDX-License-Identifier: MIT
// Every account at once: PassAgent, Passman and Passwork side by side, each signed in,
// unlocked or locked (remembered ones are locked and need only the master password).
// Unlock or lock one, lock all, sign out, add another.
import { t } from '../../shared/i18n.js';
import { siteLabel } from '../../shared/url.js';
import { accountUser, backendName, accountAvatar } from '../../ui/format.js';
import { ACCOUNT_ACTIONS } from './index.js';

export function accountStatus(account) {
  if (!account.loggedIn) return 'signedOut';
  if (account.unlocked) return 'unlocked';
  return account.remembered ? 'remembered' : 'locked';
}

export default {
  name: 'accounts',
  needs: 'host',
  title: () => t('accountsTitle'),
  render(scope) {
    const { h, icon, ICONS, host, router, busy, store, setActions, accounts } = scope;
    const list = h('ul', { class: 'list', id: 'accounts' });

    function draw() {
      list.replaceChildren();
      for (const account of accounts()) {
        const status = accountStatus(account);
        const act = (label, iconPath, run, cls = 'ghost small') => {
          const b = h('button', { type: 'button', class: [cls, 'lock-toggle'], dataset: { act: label }, onclick: (event) => { event.stopPropagation(); busy(b, run, account); } }, icon(iconPath), t(label));
          return b;
        };
        list.append(h('li', { class: 'list-item account-row', dataset: { account: account.account, status } },
          accountAvatar(h, account),
          h('span', { class: 'text' },
            h('span', { class: 'primary-line ellipsis' }, accountUser(account) || siteLabel(account.server ?? '')),
            h('span', { class: 'secondary-line ellipsis' }, `${backendName(account.backend)} · ${siteLabel(account.server ?? '')}`),
            h('span', { class: 'row' },
              h('span', { class: ['badge', status === 'unlocked' ? 'ok' : status === 'signedOut' ? '' : 'warn'], dataset: { status } }, t(`status_${status}`)),
              account.unlocked && Number.isFinite(account.items) ? h('span', { class: 'muted small' }, t('itemsCount', account.items)) : null)),
          h('span', { class: 'actions' },
            status === 'unlocked'
              ? act('lock', ICONS.lock, async () => { await host.send('lock', { account: account.account }); await scope.refreshState(); })
              : status === 'signedOut' ? null
                : act('unlock', ICONS.unlock, async () => router.go('unlock', { account: account.account }), 'primary small'),
            // An action an account does not have (2FA is PassAgent's) keeps its place empty,
            // so Lock and Unlock stay in one column down the list.
            ...ACCOUNT_ACTIONS.map((a) => ((a.when?.(account) ?? true) ? h('button', {
              type: 'button', class: 'ghost small icon-only', title: t(a.label), 'aria-label': t(a.label), dataset: { act: a.id },
              onclick: (event) => { event.stopPropagation(); a.open(scope, account); },
            }, icon(a.icon)) : h('span', { class: 'icon-slot', 'aria-hidden': 'true' }))),
            account.loggedIn ? h('button', { type: 'button', class: 'ghost small icon-only', title: t('signOut'), 'aria-label': t('signOut'), dataset: { act: 'signOut' }, onclick: (event) => {
              event.stopPropagation();
              busy(event.currentTarget, async () => { await host.send('logout', { account: account.account }); await scope.refreshState(); }, account);
            } }, icon(ICONS.logout)) : h('span', { class: 'icon-slot', 'aria-hidden': 'true' }))));
      }
      if (!list.childElementCount) list.append(h('li', { class: 'empty' }, t('noAccounts')));
    }

    const lockAll = h('button', { id: 'lock-all', type: 'button', class: 'ghost icon-only', title: t('lockAll'), 'aria-label': t('lockAll'), onclick: () => busy(lockAll, async () => {
      for (const account of accounts().filter((a) => a.unlocked)) await host.send('lock', { account: account.account });
      await scope.refreshState();
    }) }, icon(ICONS.lock, { size: 18 }));
    setActions(lockAll);
    scope.onCleanup(store.subscribe((next, previous) => {
      if (next.hostState !== previous.hostState && scope.alive()) draw();
    }));
    draw();
    return h('section', { class: 'view-body flush' },
      list,
      h('div', { class: 'row end view-foot' },
        h('button', { id: 'add-account', type: 'button', onclick: () => router.go('login') }, icon(ICONS.plus), t('addAccount'))));
  },
};
