// SPDX-License-Identifier: MIT
// Step-up: PassAgent asks for a recent sign-in before sharing (seed 000). On
// STEP_UP_REQUIRED the popup asks for the account password (and the 2FA code when the
// account has 2FA), signs in again (session.login), and retries the action once.
// Signing in again replaces the host's session for that account; if that closed the
// vault, the master password is asked for too before the retry.
import { t } from '../shared/i18n.js';
import { h } from '../ui/h.js';
import { UiError } from '../ui/host.js';
import { accountUser, describeError } from '../ui/format.js';

export const isStepUp = (error) => error?.code === 'STEP_UP_REQUIRED';

/**
 * Runs `work()`; on STEP_UP_REQUIRED asks the person to confirm and runs it once more.
 * @param {object} scope the view's scope (host, account, accounts, onCleanup)
 * @param {string} accountId the account the action is for
 * @param {() => Promise<any>} work
 */
export async function withStepUp(scope, accountId, work) {
  try {
    return await work();
  } catch (error) {
    if (!isStepUp(error)) throw error;
    const confirmed = await askStepUp(scope, accountId);
    if (!confirmed) throw new UiError({ code: 'CANCELLED', message: t('stepUpCancelled') });
    return work();
  }
}

/** The sign-in sheet. Resolves true once signed in (and unlocked) again, false on Cancel. */
export function askStepUp(scope, accountId, { document = globalThis.document } = {}) {
  const account = scope.account(accountId);
  return new Promise((resolve) => {
    let phase = 'password'; // then 'master' when the new sign-in left the vault locked
    const error = h('p', { class: 'notice error', id: 'stepup-error', role: 'alert', hidden: true });
    const lead = h('p', { class: 'lead', id: 'stepup-lead' }, t('stepUpLead', accountUser(account)));
    const password = h('input', { id: 'stepup-password', type: 'password', autocomplete: 'current-password', required: true });
    const otp = h('input', { id: 'stepup-otp', inputmode: 'numeric', autocomplete: 'one-time-code', pattern: '[0-9 ]{6,10}' });
    const master = h('input', { id: 'stepup-master', type: 'password', autocomplete: 'off' });
    const passwordRow = h('div', { class: 'field' }, h('label', { for: 'stepup-password' }, t('stepUpPassword')), password);
    const otpRow = h('div', { class: 'field', hidden: true }, h('label', { for: 'stepup-otp' }, t('stepUpOtp')), otp);
    const masterRow = h('div', { class: 'field', hidden: true }, h('label', { for: 'stepup-master' }, t('unlockMasterPassword')), master);
    const submit = h('button', { id: 'stepup-submit', type: 'submit', class: 'primary' }, t('stepUpContinue'));
    const cancel = h('button', { id: 'stepup-cancel', type: 'button', class: 'ghost', onclick: () => close(false) }, t('cancel'));
    const form = h('form', { class: 'sheet-body', autocomplete: 'off', onsubmit: (event) => { event.preventDefault(); next(); } },
      h('h2', {}, t('stepUpTitle')), lead, error, passwordRow, otpRow, masterRow, h('div', { class: 'view-foot' }, cancel, submit));
    const sheet = h('div', { class: 'sheet', id: 'stepup', role: 'dialog', 'aria-modal': 'true', 'aria-labelledby': 'stepup-title' }, form);
    form.querySelector('h2').id = 'stepup-title';
    sheet.addEventListener('keydown', (event) => {
      if (event.key === 'Escape') {
        event.preventDefault();
        event.stopPropagation();
        close(false);
      }
    });
    document.body.append(sheet);
    document.body.dataset.sheet = 'stepup';
    password.focus();
    scope.onCleanup?.(() => close(false));

    // A 2FA account needs its code with the password: ask at once when the status says so.
    const askCode = () => {
      otpRow.hidden = false;
      otp.required = true;
      lead.textContent = `${t('stepUpLead', accountUser(account))} ${t('stepUpNeedsOtp')}`;
    };
    scope.host.call('twoFactor.status', { account: accountId }).then((status) => {
      if (status?.enrolled && phase === 'password' && otpRow.hidden) askCode();
    }, () => {});

    let done = false;
    function close(result) {
      if (done) return;
      done = true;
      password.value = '';
      otp.value = '';
      master.value = '';
      sheet.remove();
      delete document.body.dataset.sheet;
      resolve(result);
    }

    function showError(e) {
      error.textContent = describeError(e, account);
      error.hidden = false;
    }

    async function next() {
      submit.disabled = true;
      error.hidden = true;
      try {
        if (phase === 'password') {
          let reply;
          try {
            reply = await scope.host.send('login', {
              backend: account?.backend ?? 'passagent',
              server: account?.server,
              email: accountUser(account),
              password: password.value,
              otp: otpRow.hidden ? undefined : otp.value,
            });
          } catch (e) {
            if (e.otpRequired && otpRow.hidden) {
              askCode();
              otp.focus();
              return;
            }
            throw e;
          }
          password.value = '';
          otp.value = '';
          const now = reply.state?.accounts?.find((a) => a.account === accountId);
          if (now && !now.unlocked) {
            phase = 'master';
            passwordRow.hidden = true;
            otpRow.hidden = true;
            otp.required = false;
            masterRow.hidden = false;
            master.required = true;
            password.required = false;
            lead.textContent = t('stepUpVaultClosed');
            master.focus();
            return;
          }
          close(true);
        } else {
          const masterPassword = master.value;
          master.value = '';
          await scope.host.send('unlock', { account: accountId, masterPassword });
          close(true);
        }
      } catch (e) {
        showError(e);
      } finally {
        submit.disabled = false;
      }
    }
  });
}
