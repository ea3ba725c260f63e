// SPDX-License-Identifier: MIT
// Share one login with someone: their email, read or write, an optional last day. The
// host wraps the entry's key to the recipient's public key, or, for someone without an
// account, makes an invite whose token is shown here once, to pass on by hand.
import { t } from '../../shared/i18n.js';
import { accountUser } from '../../ui/format.js';
import { withStepUp } from '../step-up.js';
import { shareError, endOfDay } from '../sharing/words.js';
import { copyText } from '../sharing/copy.js';

/** Tomorrow as a date input's value: a share ends at the end of a day after today. */
function tomorrow(now = new Date()) {
  const d = new Date(now.getFullYear(), now.getMonth(), now.getDate() + 1);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

export default {
  name: 'share',
  // Not 'unlocked': a step-up sign-in may close the vault for a moment (it asks for the
  // master password then), and the gate must not take the person away meanwhile.
  needs: 'loggedIn',
  title: () => t('shareTitle'),
  render(scope, params) {
    const { h, icon, ICONS, host, router, say } = scope;
    const account = scope.account(params.account);
    const self = accountUser(account);
    const email = h('input', { id: 'share-email', type: 'email', required: true, autocomplete: 'off', autofocus: true, placeholder: t('shareEmailPlaceholder') });
    const permission = h('select', { id: 'share-permission' },
      h('option', { value: 'read' }, t('sharePermission_read')),
      h('option', { value: 'write' }, t('sharePermission_write')));
    const expires = h('input', { id: 'share-expires', type: 'date', min: tomorrow() });
    const submit = h('button', { id: 'share-submit', type: 'submit', class: 'primary' }, icon(ICONS.share), t('shareSubmit'));
    const result = h('div', { id: 'share-result' });

    function showShared(recipient, reply) {
      if (reply.invite && reply.inviteToken) {
        const token = reply.inviteToken;
        result.replaceChildren(h('div', { class: 'card once', id: 'invite' },
          h('h2', {}, t('inviteTitle', recipient)),
          h('p', { class: 'small' }, t('inviteHow', recipient)),
          h('div', { class: 'secret-box mono', id: 'invite-token' }, token),
          h('div', { class: 'row end' },
            h('button', { id: 'invite-copy', type: 'button', class: 'primary small', onclick: (event) => scope.busy(event.currentTarget, () => copyText(scope, token, t('inviteCode'))) }, icon(ICONS.copy), t('copyAction'))),
          h('p', { class: 'muted small' }, t('shownOnce'))));
      } else {
        result.replaceChildren(h('p', { class: 'notice ok', id: 'share-done' }, t('sharedWith', recipient)));
      }
      result.append(h('div', { class: 'row end view-foot' },
        h('button', { type: 'button', id: 'share-another', onclick: () => { result.replaceChildren(); form.hidden = false; email.value = ''; email.focus(); } }, t('shareAnother')),
        h('button', { type: 'button', id: 'share-see-all', onclick: () => router.go('shares', { tab: 'owned' }) }, t('sharesSeeAll'))));
      form.hidden = true;
    }

    const form = h('form', { id: 'share-form', autocomplete: 'off', onsubmit: (event) => {
      event.preventDefault();
      const recipient = email.value.trim();
      const body = { id: params.id, account: params.account, recipientEmail: recipient, permission: permission.value };
      const last = endOfDay(expires.value);
      if (last) body.expiresAt = last;
      submit.disabled = true;
      say('');
      withStepUp(scope, params.account, () => host.call('shares.create', body))
        .then((reply) => { if (scope.alive()) showShared(recipient, reply); })
        .catch((error) => { if (scope.alive() && error.code !== 'CANCELLED') say(shareError(error, { recipient, self, account }), 'error'); })
        .finally(() => { submit.disabled = false; });
    } },
      h('div', { class: 'field' }, h('label', { for: 'share-email' }, t('shareEmail')), email),
      h('div', { class: 'field' }, h('label', { for: 'share-permission' }, t('sharePermission')), permission),
      h('div', { class: 'field' }, h('label', { for: 'share-expires' }, t('shareExpires')), expires, h('span', { class: 'hint' }, t('shareExpiresHint'))),
      h('div', { class: 'view-foot' }, submit));

    return h('section', { class: 'view-body', id: 'view-share' },
      h('p', { class: 'lead' }, t('shareLead', params.name ?? '')),
      form, result);
  },
};
