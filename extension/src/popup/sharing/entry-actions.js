// SPDX-License-Identifier: MIT
// The PassAgent account features of one entry, as buttons for its details view: share
// it, make a session share, set up its one-time code. Only for the owner's own entries
// of a PassAgent account (a received share cannot be shared on, and Passman and
// Passwork have none of these).
import { t } from '../../shared/i18n.js';
import { h, icon } from '../../ui/h.js';
import { ICONS } from '../../ui/icons.js';

/**
 * @param {object} scope the view's scope (router, account)
 * @param {{id: string, account: string, name?: string, hasTotp?: boolean, share?: object, shared?: boolean}} entry
 * @returns {HTMLElement|null}
 */
export function entryAccountActions(scope, entry) {
  const account = scope.account(entry.account);
  if (account?.backend !== 'passagent' || entry.share || entry.shared) return null;
  const params = { id: entry.id, account: entry.account, name: entry.name ?? '' };
  const go = (id, view, iconPath, label, extra = {}) => h('button', {
    type: 'button', id, class: 'small', onclick: () => scope.router.go(view, { ...params, ...extra }),
  }, icon(iconPath), label);
  return h('div', { class: 'row wrap entry-actions', id: 'entry-account-actions' },
    go('entry-share', 'share', ICONS.share, t('entryShare')),
    go('entry-session-share', 'session-share', ICONS.link, t('entrySessionShare')),
    go('entry-totp', 'entry-totp', ICONS.clock, t('entryOneTimeCode'), { hasTotp: Boolean(entry.hasTotp) }));
}
