// SPDX-License-Identifier: MIT
// The PassAgent account's own two-factor sign-in (seed 002): its status; turning it on
// shows the QR code (drawn here from qrCodeUri, nothing fetched), the secret, and the
// recovery codes once (copy, or save as a text file), then asks for a code to confirm;
// turning it off asks for a code.
import { t } from '../../shared/i18n.js';
import { accountUser } from '../../ui/format.js';
import { qrSvg } from '../../shared/qr-svg.js';
import { dateWords } from '../sharing/words.js';
import { copyText, saveTextFile } from '../sharing/copy.js';


export default {
  name: 'two-factor',
  needs: 'loggedIn',
  title: () => t('twoFactorTitle'),
  render(scope, params) {
    const { h, icon, ICONS, host, busy, accounts } = scope;
    const account = scope.account(params.account) ?? accounts().find((a) => a.backend === 'passagent' && a.loggedIn);
    const target = account ? { account: account.account } : {};
    const body = h('div', { id: 'twofa-body' });

    const code = (id) => h('input', { id, inputmode: 'numeric', autocomplete: 'one-time-code', pattern: '[0-9 ]{6,8}', required: true, placeholder: '123456' });

    function showStatus(status) {
      globalThis.document.body.dataset.twofa = status.enrolled ? 'on' : 'off';
      if (status.enrolled) {
        const input = code('twofa-disable-code');
        const off = h('button', { id: 'twofa-disable', type: 'submit', class: 'danger' }, t('twoFactorTurnOff'));
        body.replaceChildren(
          h('p', { class: 'notice ok', id: 'twofa-status' }, status.enrolledAt ? t('twoFactorOnSince', dateWords(status.enrolledAt)) : t('twoFactorOn')),
          h('form', { autocomplete: 'off', onsubmit: (event) => {
            event.preventDefault();
            busy(off, async () => {
              await host.call('twoFactor.disable', { ...target, code: input.value.replace(/\s+/g, '') });
              input.value = '';
              await load(); // The status line says it is off now.
            }, account);
          } },
          h('div', { class: 'field' }, h('label', { for: 'twofa-disable-code' }, t('twoFactorDisableCode')), input),
          h('div', { class: 'view-foot' }, off)));
        return;
      }
      const on = h('button', { id: 'twofa-enroll', type: 'button', class: 'primary', onclick: () => busy(on, enroll, account) }, icon(ICONS.shield), t('twoFactorTurnOn'));
      body.replaceChildren(
        h('p', { class: 'notice warn', id: 'twofa-status' }, t('twoFactorOff')),
        h('p', {}, t('twoFactorWhy')),
        h('div', { class: 'view-foot' }, on));
    }

    async function enroll() {
      const reply = await host.call('twoFactor.enroll', target);
      if (!scope.alive()) return;
      const codes = Array.isArray(reply.recoveryCodes) ? reply.recoveryCodes.map(String) : [];
      const codesText = `${t('recoveryFileHeader', accountUser(account))}\n\n${codes.join('\n')}\n`;
      const input = code('twofa-code');
      const verify = h('button', { id: 'twofa-verify', type: 'submit', class: 'primary' }, t('twoFactorVerify'));
      body.replaceChildren(
        h('ol', { class: 'steps' },
          h('li', {},
            h('p', {}, t('twoFactorStepScan')),
            h('div', { class: 'qr-frame', id: 'twofa-qr' }, qrSvg(globalThis.document, reply.qrCodeUri ?? '', { label: t('twoFactorQrLabel') })),
            h('p', { class: 'small muted' }, t('twoFactorCantScan')),
            h('div', { class: 'input-row' },
              h('div', { class: 'secret-box mono', id: 'twofa-secret' }, reply.secret ?? ''),
              h('button', { type: 'button', class: 'ghost small icon-only', id: 'twofa-secret-copy', title: t('copyAction'), 'aria-label': t('copyAction'), onclick: (e) => busy(e.currentTarget, () => copyText(scope, reply.secret, t('twoFactorSecret'))) }, icon(ICONS.copy)))),
          h('li', {},
            h('p', {}, t('twoFactorStepCodes')),
            h('ul', { class: 'codes mono', id: 'twofa-recovery' }, codes.map((c) => h('li', {}, c))),
            h('div', { class: 'row' },
              h('button', { type: 'button', class: 'small', id: 'twofa-codes-copy', onclick: (e) => busy(e.currentTarget, () => copyText(scope, codes.join('\n'), t('recoveryCodes'))) }, icon(ICONS.copy), t('copyAction')),
              h('button', { type: 'button', class: 'small', id: 'twofa-codes-save', onclick: () => saveTextFile(globalThis.document, 'passagent-recovery-codes.txt', codesText) }, t('saveTxt'))),
            h('p', { class: 'muted small' }, t('shownOnce'))),
          h('li', {},
            h('form', { autocomplete: 'off', onsubmit: (event) => {
              event.preventDefault();
              busy(verify, async () => {
                await host.call('twoFactor.verify', { ...target, code: input.value.replace(/\s+/g, '') });
                input.value = '';
                await load(); // The status line says it is on; the secret and codes leave the page.
              }, account);
            } },
            h('div', { class: 'field' }, h('label', { for: 'twofa-code' }, t('twoFactorStepVerify')), input),
            h('div', { class: 'view-foot' }, verify)))));
      globalThis.document.body.dataset.twofa = 'enrolling';
      // Step 1 first: the QR code stays in view (focusing the code field would scroll it away).
      body.closest('main')?.scrollTo?.(0, 0);
    }

    async function load() {
      const status = await host.call('twoFactor.status', target);
      if (scope.alive()) showStatus(status);
    }

    busy(null, load, account);
    return h('section', { class: 'view-body', id: 'view-two-factor' },
      account ? h('p', { class: 'lead' }, t('twoFactorLead', accountUser(account))) : h('p', { class: 'empty' }, t('twoFactorNoAccount')),
      body);
  },
};
