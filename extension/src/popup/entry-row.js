// SPDX-License-Identifier: MIT
// One entry in a list (the site's matches, search results): avatar, name, username,
// its account when several are open, "shared" (and by whom, when the host says) when it
// came through a share, and quick copy buttons. Copies go through the background (the
// host's credentials.get with purpose "copy", so a received share's copy is logged).
import { t } from '../shared/i18n.js';
import { siteLabel } from '../shared/url.js';
import { h, icon } from '../ui/h.js';
import { ICONS } from '../ui/icons.js';
import { initial, hueOf, accountLabel } from '../ui/format.js';
import { totpElement, showTotp } from '../ui/totp-view.js';

/** An entry (Match or Summary) as the list shows it. */
export function entryName(entry) {
  return entry.name || siteLabel(entry.website ?? '') || t('untitled');
}

/** Who shared a received entry (the host's `share.sharedBy`), or '' when it does not say. */
export function sharedBy(share) {
  return share?.sharedBy ?? '';
}

/** Copies `field` ('username' | 'password' | 'totp') of `entry`; says so in the message line. */
export async function copyField(scope, field, entry, tabId) {
  const reply = await scope.host.send('copy', { field, id: entry.id, account: entry.account, tabId, text: field === 'username' ? entry.username ?? '' : undefined });
  const what = t(`copied_${field}`);
  scope.say(reply.clearAfterSeconds > 0 ? `${what} ${t('clipboardClearsIn', reply.clearAfterSeconds)}` : what, 'ok');
  globalThis.document.body.dataset.copied = field; // e2e tests wait on it
  return reply;
}

/**
 * @param {object} scope the view's scope
 * @param {object} entry Match or Summary
 * @param {{tabId?: number, showAccount?: boolean, totp?: boolean, onOpen: () => void}} options
 *   totp: a row for the current tab's logins (class `match`, with the code ring)
 */
export function entryRow(scope, entry, { tabId, showAccount = false, totp = false, onOpen }) {
  const shared = Boolean(entry.shared ?? entry.share);
  const owner = sharedBy(entry.share);
  const quick = (field, iconPath, label) => h('button', {
    type: 'button', class: 'ghost small icon-only', title: label, 'aria-label': label, dataset: { copy: field }, tabindex: -1,
    onclick: (event) => {
      event.stopPropagation();
      scope.busy(event.currentTarget, () => copyField(scope, field, entry, tabId), entry.account);
    },
  }, icon(iconPath));
  const account = showAccount ? scope.account(entry.account) : null;
  const code = totp && entry.hasTotp ? totpElement() : null;
  const row = h('li', {
    // `match`: a login for the current tab; `entry`: any other (search results, all logins).
    class: ['list-item', totp ? 'match' : 'entry'], role: 'option', 'aria-selected': 'false', dataset: { id: entry.id, account: entry.account },
    onclick: onOpen,
  },
  h('span', { class: 'avatar', style: { background: `hsl(${hueOf(entryName(entry))} 55% 45%)` }, 'aria-hidden': 'true' }, initial(entryName(entry))),
  h('span', { class: 'text' },
    h('span', { class: 'row' },
      h('span', { class: 'name primary-line ellipsis' }, entryName(entry)),
      h('span', { class: 'badge accent', hidden: !shared, title: owner ? t('sharedByWho', owner) : t('sharedWithYou') }, t('shared'))),
    h('span', { class: 'user secondary-line ellipsis' }, entry.username ?? ''),
    owner ? h('span', { class: 'shared-by secondary-line ellipsis', title: t('sharedByWho', owner) }, t('sharedByRow', owner)) : null,
    account ? h('span', { class: 'account secondary-line ellipsis' }, accountLabel(account)) : null,
    code),
  h('span', { class: 'match-actions' },
    quick('username', ICONS.user, t('copyUsername')),
    quick('password', ICONS.key, t('copyPassword')),
    entry.hasTotp ? quick('totp', ICONS.clock, t('copyCode')) : null));
  if (code) {
    scope.onCleanup(showTotp(code, () => scope.host.send('totp', { id: entry.id, account: entry.account, background: true }), { describe: (e) => e.message }));
  }
  return row;
}
