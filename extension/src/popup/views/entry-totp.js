// SPDX-License-Identifier: MIT
// An entry's one-time code (TOTP): set it from a pasted secret or otpauth:// link, or by
// scanning the QR code shown in the current tab; the code shows at once. Delete it.
// The host encrypts the secret under the vault key before it goes to the server.
import { t } from '../../shared/i18n.js';
import { api } from '../../shared/browser-api.js';
import { parseOtpInput } from '../../shared/otp-input.js';
import { totpElement, showTotp } from '../../ui/totp-view.js';
import { scanVisibleTab } from '../scan.js';

export default {
  name: 'entry-totp',
  needs: 'unlocked',
  title: () => t('entryTotpTitle'),
  render(scope, params) {
    const { h, icon, ICONS, host, busy, say, onCleanup } = scope;
    const target = { id: params.id, ...(params.account ? { account: params.account } : {}) };
    const codeBox = totpElement();
    codeBox.id = 'totp-current';
    let stop = null;
    onCleanup(() => stop?.());
    const remove = h('button', { id: 'totp-delete', type: 'button', class: 'ghost small danger', hidden: true, onclick: () => busy(remove, async () => {
      await host.call('totp.delete', target);
      showCode(false);
      say(t('totpDeleted'), 'ok');
    }, params.account) }, icon(ICONS.trash), t('deleteAction'));
    const current = h('div', { class: 'card pad', id: 'totp-current-card', hidden: true },
      h('div', { class: 'row between' }, h('span', { class: 'label' }, t('totpCurrent')), remove), codeBox);

    function showCode(on) {
      stop?.();
      stop = null;
      current.hidden = !on;
      remove.hidden = !on;
      globalThis.document.body.dataset.totp = on ? 'set' : 'none';
      if (on) stop = showTotp(codeBox, () => host.send('totp', { ...target, background: true }));
    }

    const input = h('textarea', { id: 'totp-input', rows: 3, spellcheck: 'false', autocomplete: 'off', placeholder: t('totpInputPlaceholder') });
    const found = h('p', { class: 'muted small', id: 'totp-found', hidden: true });
    const scan = h('button', { id: 'totp-scan', type: 'button', onclick: () => busy(scan, async () => {
      const read = await scanVisibleTab({ tabs: scope.tabs ?? api?.tabs, document: globalThis.document });
      if (!scope.alive()) return;
      if (!read.ok) {
        say(read.message, 'error');
        return;
      }
      const parsed = parseOtpInput(read.text);
      if (!parsed.ok) {
        say(t('scanNotOtp'), 'error');
        return;
      }
      input.value = read.text;
      found.textContent = t('scanFound', parsed.issuer || parsed.label || t('untitled'), read.tab.title || read.tab.url);
      found.hidden = false;
      globalThis.document.body.dataset.scanned = 'yes';
    }, params.account) }, icon(ICONS.search), t('totpScan'));
    const save = h('button', { id: 'totp-save', type: 'submit', class: 'primary' }, t('save'));
    const form = h('form', { id: 'totp-form', autocomplete: 'off', onsubmit: (event) => {
      event.preventDefault();
      const parsed = parseOtpInput(input.value);
      if (!parsed.ok) {
        say(parsed.message, 'error');
        return;
      }
      busy(save, async () => {
        await host.call('totp.set', { ...target, ...parsed.params });
        input.value = '';
        found.hidden = true;
        say(t('totpSaved'), 'ok');
        showCode(true);
      }, params.account);
    } },
      h('div', { class: 'field' }, h('label', { for: 'totp-input' }, t('totpInput')), input, found),
      h('div', { class: 'view-foot' }, scan, h('span', { class: 'spacer' }), save));

    showCode(false);
    // Whether it has a code now: the list may not say (or be out of date), the host knows.
    host.send('totp', { ...target, background: true }).then(() => { if (scope.alive()) showCode(true); }, () => {});
    return h('section', { class: 'view-body', id: 'view-entry-totp' },
      h('p', { class: 'lead' }, t('entryTotpLead', params.name ?? '')),
      current,
      h('h3', { class: 'section-title flush' }, t('totpSetTitle')),
      h('p', { class: 'small muted' }, t('totpScanHint')),
      form);
  },
};
