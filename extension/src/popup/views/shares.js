// SPDX-License-Identifier: MIT
// Sharing: the logins I shared (recipient, status, permission, last day; change the
// permission, revoke, delete), the ones shared with me (accept a pending one; accepted
// ones are in the vault, marked "shared"), and my session shares with their live status.
import { t } from '../../shared/i18n.js';
import { accountLabel } from '../../ui/format.js';
import { statusBadge, dateWords } from '../sharing/words.js';
import { sessionCard } from '../sharing/session-card.js';

const TABS = ['owned', 'received', 'sessions'];
const LIVE = new Set(['pending', 'active']);
const POLL_MS = 1000;

export default {
  name: 'shares',
  needs: 'loggedIn',
  title: () => t('sharesTitle'),
  render(scope, params) {
    const { h, icon, ICONS, host, busy, setActions, accounts } = scope;
    let tab = TABS.includes(params.tab) ? params.tab : 'owned';
    const passagent = () => accounts().filter((a) => a.backend === 'passagent' && a.loggedIn);
    const body = h('div', { id: 'shares-body' });
    const tabs = h('div', { class: 'segmented', role: 'tablist' }, TABS.map((name) => h('button', {
      type: 'button', role: 'tab', id: `tab-${name}`, dataset: { tab: name },
      onclick: () => { tab = name; show(); },
    }, t(`sharesTab_${name}`))));
    let poll = null;
    scope.onCleanup(() => clearInterval(poll));

    function item(share, kind, account, several) {
      const badge = statusBadge(share.status);
      const name = share.account?.name ?? share.account_id;
      const who = kind === 'owned' ? share.recipient_email : t('sharedBy', share.owner_email ?? '');
      const details = [t(`sharePermission_${share.permission}`), share.expires_at ? t('shareUntil', dateWords(share.expires_at)) : null].filter(Boolean).join(' · ');
      const act = (label, run, cls = 'ghost small') => h('button', {
        type: 'button', class: cls, dataset: { act: label },
        onclick: (event) => busy(event.currentTarget, async () => { await run(); await load(); }, account),
      }, t(`shareAct_${label}`));
      const actions = [];
      if (kind === 'owned') {
        if (LIVE.has(share.status)) {
          actions.push(act(share.permission === 'write' ? 'readOnly' : 'allowWrite',
            () => host.call('shares.update', { shareId: share.id, permission: share.permission === 'write' ? 'read' : 'write', account: account.account })));
          actions.push(act('revoke', () => host.call('shares.update', { shareId: share.id, status: 'revoked', account: account.account }), 'ghost small danger'));
        }
        actions.push(act('delete', () => host.call('shares.delete', { shareId: share.id, account: account.account }), 'ghost small danger'));
      } else if (share.status === 'pending') {
        actions.push(act('accept', async () => {
          await host.call('shares.accept', { shareId: share.id, account: account.account });
          // The vault lists it from the next sync on.
          await host.call('vault.sync', { account: account.account }).catch(() => {});
        }, 'primary small'));
      }
      return h('li', { class: 'list-item share', dataset: { shareId: share.id, status: share.status, permission: share.permission ?? '', kind } },
        h('span', { class: 'text' },
          h('span', { class: 'row' }, h('span', { class: 'primary-line ellipsis name' }, name), h('span', { class: ['badge', badge.tone] }, badge.label)),
          h('span', { class: 'secondary-line ellipsis who' }, who),
          h('span', { class: 'secondary-line ellipsis' }, details),
          several ? h('span', { class: 'secondary-line ellipsis' }, accountLabel(account)) : null,
          kind === 'received' && share.status === 'active' ? h('span', { class: 'secondary-line' }, t('shareInVault')) : null,
          actions.length ? h('span', { class: 'row actions' }, actions) : null));
    }

    async function loadShares(kind) {
      const list = h('ul', { class: 'list', id: `shares-${kind}` });
      const mine = passagent();
      for (const account of mine) {
        const reply = await host.call('shares.list', { type: kind, account: account.account });
        if (reply.setupRequired) list.append(h('li', { class: 'notice info' }, t('sharesSetupRequired')));
        for (const share of reply.shares ?? []) list.append(item(share, kind, account, mine.length > 1));
      }
      if (!scope.alive() || tab !== kind) return;
      if (!list.childElementCount) list.append(h('li', { class: 'empty' }, t(`sharesEmpty_${kind}`)));
      body.replaceChildren(list);
    }

    async function loadSessions() {
      const { shares = [] } = await host.send('sessionShares.list');
      if (!scope.alive() || tab !== 'sessions') return;
      const list = h('ul', { class: 'list cards', id: 'shares-sessions' });
      for (const share of shares) list.append(sessionCard(scope, share, { reload: load }));
      if (!list.childElementCount) list.append(h('li', { class: 'empty' }, t('sharesEmpty_sessions')));
      // Redraw only on a change, so a button under the pointer is not replaced every second.
      const signature = JSON.stringify(shares.map(({ updatedAt, ...rest }) => rest));
      if (body.dataset.signature !== signature || !body.firstChild) {
        body.dataset.signature = signature;
        body.replaceChildren(list);
      }
    }

    function load() {
      return tab === 'sessions' ? loadSessions() : loadShares(tab);
    }

    function show() {
      for (const b of tabs.children) b.setAttribute('aria-selected', String(b.dataset.tab === tab));
      globalThis.document.body.dataset.sharesTab = tab;
      delete body.dataset.signature;
      body.replaceChildren(h('p', { class: 'empty' }, t('loading')));
      clearInterval(poll);
      poll = null;
      busy(null, load);
      if (tab === 'sessions') poll = setInterval(() => { loadSessions().catch(() => {}); }, POLL_MS);
    }

    const reload = h('button', { id: 'shares-reload', type: 'button', class: 'ghost icon-only', title: t('refresh'), 'aria-label': t('refresh'), onclick: () => busy(reload, load) }, icon(ICONS.refresh, { size: 18 }));
    setActions(reload);
    show();
    return h('section', { class: 'view-body flush', id: 'view-shares' }, tabs, body);
  },
};
