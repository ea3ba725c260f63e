// SPDX-License-Identifier: MIT
// One entry: username, password (reveal / copy), one-time code with its countdown,
// URLs, notes, custom fields (hidden ones masked until revealed), its account and,
// for a received share, who shared it.
//
// An own entry is read once on open (credentials.get, purpose "view"). A received
// share is read only when the person asks to see it: that read is what the host logs
// to the owner as one password_viewed; a copy goes through the background
// (purpose "copy", logged as password_copied). Nothing here reads it twice.
import { t } from '../../shared/i18n.js';
import { siteLabel, isWebUrl } from '../../shared/url.js';
import { initial, hueOf, accountLabel, backendName } from '../../ui/format.js';
import { totpElement, showTotp } from '../../ui/totp-view.js';
import { entryName, copyField, sharedBy } from '../entry-row.js';
import { ENTRY_ACTIONS } from './index.js';

const MASK = '••••••••••';

export default {
  name: 'details',
  needs: 'unlocked',
  title: () => t('detailsTitle'),
  render(scope, params) {
    const { h, icon, ICONS, host, router, busy, setActions } = scope;
    const summary = params.entry ?? { id: params.id, account: params.account };
    const account = scope.account(params.account);
    const share = summary.share ?? (summary.shared ? {} : null);
    let secret = null; // the credentials.get answer, once read
    const body = h('div', { class: 'card', id: 'details-props' });
    const notice = h('div', { class: 'notice info', hidden: true });

    const copyButton = (label, run, dataset) => {
      const b = h('button', { type: 'button', class: 'ghost small icon-only', title: label, 'aria-label': label, dataset,
        onclick: () => busy(b, run, account) }, icon(ICONS.copy));
      return b;
    };
    const revealButton = (onToggle, dataset) => {
      let shown = false;
      const b = h('button', { type: 'button', class: 'ghost small icon-only', title: t('reveal'), 'aria-label': t('reveal'), 'aria-pressed': 'false', dataset,
        onclick: () => busy(b, async () => {
          shown = await onToggle(!shown);
          b.setAttribute('aria-pressed', String(shown));
          b.title = shown ? t('hide') : t('reveal');
          b.replaceChildren(icon(shown ? ICONS.eyeOff : ICONS.eye));
        }, account) }, icon(ICONS.eye));
      return b;
    };
    const prop = (label, value, { id, secretValue = false, multiline = false, actions = [] } = {}) => h('div', { class: 'prop', id },
      h('span', { class: 'text' },
        h('span', { class: 'label' }, label),
        h('span', { class: ['value', secretValue && 'secret', multiline && 'multiline'] }, value)),
      ...actions);

    /** Reads the entry (a share: this is the logged view). */
    async function read() {
      if (!secret) {
        secret = await host.call('credentials.get', { id: summary.id, account: summary.account, purpose: 'view' });
        if (shareText && sharedBy(secret.share)) shareText.textContent = t('sharedByWho', sharedBy(secret.share));
      }
      return secret;
    }

    const usernameValue = h('span', { class: 'value' }, summary.username || '—');
    const currentUsername = () => secret?.username ?? summary.username ?? '';
    const passwordValue = h('span', { class: 'value secret', id: 'password-value' }, MASK);
    body.append(
      h('div', { class: 'prop', id: 'prop-username' },
        h('span', { class: 'text' }, h('span', { class: 'label' }, t('username')), usernameValue),
        copyButton(t('copyUsername'), () => copyField(scope, 'username', { ...summary, username: currentUsername() }), { copy: 'username' })),
      h('div', { class: 'prop', id: 'prop-password' },
        h('span', { class: 'text' }, h('span', { class: 'label' }, t('password')), passwordValue),
        revealButton(async (show) => {
          passwordValue.textContent = show ? (await read()).password ?? '' : MASK;
          if (show) draw(); // A share's read brings its notes and fields too.
          return show;
        }, { reveal: 'password' }),
        copyButton(t('copyPassword'), () => copyField(scope, 'password', summary), { copy: 'password' })));
    if (summary.hasTotp) {
      const code = totpElement();
      body.append(h('div', { class: 'prop', id: 'prop-totp' },
        h('span', { class: 'text' }, h('span', { class: 'label' }, t('oneTimeCode')), code),
        copyButton(t('copyCode'), () => copyField(scope, 'totp', summary), { copy: 'totp' })));
      scope.onCleanup(showTotp(code, () => host.send('totp', { id: summary.id, account: summary.account, background: true }), { describe: (e) => e.message }));
    }

    // The parts only a read gives: URLs, notes, custom fields.
    const extra = h('div');
    function draw() {
      usernameValue.textContent = currentUsername() || '—';
      extra.replaceChildren();
      if (!secret) {
        if (share) notice.hidden = false;
        return;
      }
      notice.hidden = true;
      // The entry's URLs; its `website` (often a bare host name) only when it has none.
      const urls = [...new Set(secret.urls?.length ? secret.urls : [summary.website].filter(Boolean))];
      const rows = [];
      for (const url of urls) {
        rows.push(prop(t('website'), isWebUrl(url)
          ? h('a', { href: url, target: '_blank', rel: 'noopener noreferrer', class: 'ellipsis' }, url)
          : url, { actions: [] }));
      }
      for (const [i, field] of (secret.fields ?? []).entries()) {
        const value = h('span', { class: ['value', field.hidden && 'secret'] }, field.hidden ? MASK : field.value ?? '');
        rows.push(h('div', { class: 'prop custom-field', dataset: { field: field.name } },
          h('span', { class: 'text' }, h('span', { class: 'label' }, field.name), value),
          field.hidden ? revealButton(async (show) => {
            value.textContent = show ? field.value ?? '' : MASK;
            return show;
          }, { reveal: `field-${i}` }) : null,
          copyButton(t('copyField', field.name), () => copyFieldValue(field), { copy: `field-${i}` })));
      }
      if (secret.notes) rows.push(prop(t('notes'), secret.notes, { id: 'prop-notes', multiline: true }));
      if (rows.length) extra.append(h('div', { class: 'card details-extra' }, rows));
    }

    async function copyFieldValue(field) {
      const reply = await host.send('copy', { field: 'field', name: field.name, id: summary.id, account: summary.account });
      scope.say(reply.clearAfterSeconds > 0 ? `${t('copied_field')} ${t('clipboardClearsIn', reply.clearAfterSeconds)}` : t('copied_field'), 'ok');
      globalThis.document.body.dataset.copied = 'field';
    }

    const readOnly = Boolean(share) || account?.backend === 'passwork';
    const extraActions = ENTRY_ACTIONS.filter((a) => a.when?.(summary, account) ?? true).map((a) => h('button', {
      type: 'button', class: 'ghost icon-only', id: `entry-action-${a.id}`, title: t(a.label), 'aria-label': t(a.label),
      onclick: () => a.open(scope, summary, account),
    }, icon(a.icon, { size: 18 })));
    setActions(...extraActions, readOnly ? null : h('button', { id: 'edit-entry', type: 'button', class: 'ghost icon-only', title: t('edit'), 'aria-label': t('edit'),
      onclick: () => router.go('edit', { id: summary.id, account: summary.account, entry: summary }) }, icon(ICONS.edit, { size: 18 })));

    const name = h('h2', { class: 'ellipsis', id: 'details-name' }, entryName(summary));
    const head = h('div', { class: 'details-head' },
      h('span', { class: 'avatar large', style: { background: `hsl(${hueOf(entryName(summary))} 55% 45%)` } }, initial(entryName(summary))),
      h('div', { class: 'text' },
        name,
        summary.website ? h('span', { class: 'muted small ellipsis' }, siteLabel(summary.website)) : null,
        h('span', { class: 'row wrap' },
          account ? h('span', { class: 'badge', dataset: { backend: account.backend } }, backendName(account.backend)) : null,
          account ? h('span', { class: 'muted small ellipsis', id: 'details-account' }, accountLabel(account).split(' · ')[0]) : null)));
    const shareText = share ? h('span', {}, sharedBy(share) ? t('sharedByWho', sharedBy(share)) : t('sharedWithYou')) : null;
    const shareLine = share ? h('div', { class: 'notice info small', id: 'shared-by' },
      shareText, share.permission ? ` · ${t(`permission_${share.permission}`)}` : '') : null;
    notice.textContent = t('shareRevealHint');

    draw();
    if (!share) {
      busy(null, async () => {
        await read();
        if (!scope.alive()) return;
        if (secret.name && secret.name !== summary.name) name.textContent = secret.name;
        draw();
      }, account);
    }
    return h('section', { class: 'view-body details' }, head, shareLine, body, extra, share ? notice : null,
      account?.backend === 'passwork' ? h('p', { class: 'muted small read-only' }, t('readOnlyPasswork')) : null);
  },
};
