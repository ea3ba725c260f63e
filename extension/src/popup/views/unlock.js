// SPDX-License-Identifier: MIT
// Unlock one account's vault: the master password (Passman: the vault and its key). A
// remembered account (signed in on an earlier run, its token in the desktop keyring)
// lands here directly, asking only for this.
import { t } from '../../shared/i18n.js';
import { accountUser, backendName, accountAvatar } from '../../ui/format.js';
import { siteLabel } from '../../shared/url.js';

/** The account to unlock: the one asked for, else the first signed in and locked. */
export function accountToUnlock(accounts, wanted) {
  return accounts.find((a) => a.account === wanted) ?? accounts.find((a) => a.loggedIn && !a.unlocked) ?? accounts.find((a) => a.loggedIn);
}

export default {
  name: 'unlock',
  needs: 'loggedIn',
  gate: true,
  title: () => t('unlockTitle'),
  render(scope, params) {
    const { h, host, busy, router, accounts } = scope;
    const account = accountToUnlock(accounts(), params.account);
    const passman = account?.backend === 'passman';
    const vault = h('input', { id: 'unlock-vault', name: 'vault', autocomplete: 'off', placeholder: t('unlockVaultPlaceholder') });
    const password = h('input', { id: 'unlock-password', name: 'masterPassword', type: 'password', required: true, autocomplete: 'current-password', autofocus: true });
    const submit = h('button', { id: 'unlock-submit', type: 'submit', class: 'primary' }, t('unlock'));
    const logout = h('button', { id: 'logout', type: 'button', class: 'link', onclick: () => busy(logout, async () => {
      const reply = await host.send('logout', { account: account?.account });
      scope.applyState(reply.state);
      if (scope.alive() && router.canGoBack()) router.back();
    }, account) }, t('signOut'));
    const others = accounts().filter((a) => a.loggedIn && a.account !== account?.account);

    return h('form', { class: 'view-body', id: 'view-unlock', autocomplete: 'off', onsubmit: (event) => {
      event.preventDefault();
      busy(submit, async () => {
        const masterPassword = password.value;
        password.value = '';
        try {
          const reply = await host.send('unlock', { account: account?.account, masterPassword, vault: passman ? vault.value : undefined });
          if (router.depth() > 1 && scope.alive()) router.back();
          scope.applyState(reply.state);
        } catch (error) {
          if (scope.alive()) password.focus();
          throw error;
        }
      }, account);
    } },
      account ? h('div', { class: 'card account-card', id: 'unlock-account' },
        accountAvatar(h, account),
        h('span', { class: 'text' },
          h('span', { class: 'primary-line ellipsis' }, accountUser(account) || siteLabel(account.server ?? '')),
          h('span', { class: 'muted small ellipsis' }, `${backendName(account.backend)} · ${siteLabel(account.server ?? '')}`))) : null,
      account?.remembered ? h('p', { class: 'lead' }, t('unlockRemembered')) : null,
      h('div', { class: 'field', id: 'unlock-vault-row', hidden: !passman }, h('label', { for: 'unlock-vault' }, t('unlockVault')), vault),
      h('div', { class: 'field' }, h('label', { for: 'unlock-password', id: 'unlock-password-label' }, t(passman ? 'unlockVaultKey' : 'unlockMasterPassword')), password),
      h('div', { class: 'view-foot' },
        logout,
        h('span', { class: 'spacer' }),
        others.length ? h('button', { type: 'button', class: 'ghost', onclick: () => router.go('accounts') }, t('unlockOtherAccounts', others.length)) : null,
        submit));
  },
};
