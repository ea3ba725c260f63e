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
 * @param {{id: string, account: string, name?: string, share?: object, shared?: boolean}
 *   | (() => object)} entry the entry, or a function giving it when a button is pressed
 *   (the details view learns the name only once it has read the entry)
 * @returns {HTMLElement|null}
 */
export function entryAccountActions(scope, entry) {
  const now = () => (typeof entry === 'function' ? entry() : entry);
  const first = now();
  const account = scope.account(first.account);
  if (account?.backend !== 'passagent' || first.share || first.shared) return null;
  const go = (id, view, iconPath, label) => h('button', {
    type: 'button', id, class: 'small',
    onclick: () => {
      const e = now();
      scope.router.go(view, { id: e.id, account: e.account, name: e.name ?? '' });
    },
  }, icon(iconPath), label);
  return h('div', { class: 'row wrap entry-actions', id: 'entry-account-actions' },
    go('entry-share', 'share', ICONS.share, t('entryShare')),
    go('entry-session-share', 'session-share', ICONS.link, t('entrySessionShare')),
    go('entry-totp', 'entry-totp', ICONS.clock, t('entryOneTimeCode')));
}
