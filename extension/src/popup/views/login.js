// SPDX-License-Identifier: MIT
// Sign in to PassAgent, Passman or Passwork. Several accounts may be signed in at once;
// this view adds one. The password goes to the background and the host, and the field
// is emptied.
import { BACKENDS } from '../../shared/settings.js';
import { t } from '../../shared/i18n.js';

const LOOK = {
  passagent: { user: 'loginEmail', type: 'email', placeholder: 'https://passagent.ai', remember: true },
  passman: { user: 'loginNextcloudUser', type: 'text', placeholder: 'https://cloud.example.com', remember: true },
  passwork: { user: 'loginEmail', type: 'email', placeholder: 'https://passwork.example.com', remember: false },
};

export default {
  name: 'login',
  needs: 'host',
  gate: true,
  title: () => t('loginTitle'),
  render(scope) {
    const { h, host, busy, router, loadSettings, say, accounts } = scope;
    let userLabel;
    let otpRow;
    let rememberRow;
    // Once the person has typed or picked anything, the saved settings (read a moment
    // later) no longer fill fields or move the focus: that would mix the two.
    let touched = false;
    const backend = h('select', { id: 'login-backend', name: 'backend', onchange: () => look(backend.value) },
      BACKENDS.map((b) => h('option', { value: b }, t(`backendLong_${b}`))));
    const server = h('input', { id: 'login-server', name: 'server', type: 'url', required: true, autocomplete: 'off' });
    const email = h('input', { id: 'login-email', name: 'email', type: 'email', required: true, autocomplete: 'username' });
    const password = h('input', { id: 'login-password', name: 'password', type: 'password', required: true, autocomplete: 'current-password' });
    const otp = h('input', { id: 'login-otp', name: 'otp', inputmode: 'numeric', autocomplete: 'one-time-code', pattern: '[0-9 ]{6,10}' });
    const remember = h('input', { id: 'login-remember', type: 'checkbox', checked: true });
    const submit = h('button', { id: 'login-submit', type: 'submit', class: 'primary' }, t('signIn'));

    function look(name) {
      const l = LOOK[name] ?? LOOK.passagent;
      userLabel.textContent = t(l.user);
      email.type = l.type;
      server.placeholder = l.placeholder;
      rememberRow.hidden = !l.remember;
    }

    const form = h('form', { class: 'view-body', id: 'view-login', autocomplete: 'off', oninput: () => { touched = true; }, onchange: () => { touched = true; }, onsubmit: (event) => {
      event.preventDefault();
      busy(submit, async () => {
        const otpShown = !otpRow.hidden;
        let reply;
        try {
          reply = await host.send('login', {
            backend: backend.value,
            server: server.value,
            email: email.value,
            password: password.value,
            otp: otpShown ? otp.value : undefined,
            remember: !rememberRow.hidden && remember.checked,
          });
        } catch (error) {
          if (error.otpRequired) {
            otpRow.hidden = false;
            otp.focus();
            if (!otpShown) {
              say(t('loginNeedsOtp'), 'info');
              return;
            }
          }
          throw error;
        }
        password.value = '';
        otp.value = '';
        if (reply.result?.rememberError) say(t('loginNotRemembered'), 'warn', reply.result.rememberError.message);
        scope.applyState(reply.state);
        const account = reply.state?.accounts?.find((a) => a.account === reply.result?.account);
        if (scope.alive() && account && !account.unlocked) router.replace('unlock', { account: account.account });
      }, { backend: backend.value });
    } },
      accounts().some((a) => a.loggedIn) ? h('p', { class: 'lead' }, t('loginAnother')) : h('p', { class: 'lead' }, t('loginLead')),
      h('div', { class: 'field' }, h('label', { for: 'login-backend' }, t('loginBackend')), backend),
      h('div', { class: 'field' }, h('label', { for: 'login-server' }, t('loginServer')), server),
      h('div', { class: 'field' }, h('label', { for: 'login-email', id: 'login-email-label', ref: (el) => { userLabel = el; } }, t('loginEmail')), email),
      h('div', { class: 'field' }, h('label', { for: 'login-password' }, t('loginPassword')), password),
      h('div', { class: 'field', id: 'login-otp-row', hidden: true, ref: (el) => { otpRow = el; } }, h('label', { for: 'login-otp' }, t('loginOtp')), otp),
      h('label', { class: 'check remember', ref: (el) => { rememberRow = el; } }, remember, t('loginRemember')),
      h('div', { class: 'view-foot' }, submit));

    look('passagent');
    loadSettings().catch(() => ({})).then((settings) => {
      if (!scope.alive()) return;
      if (!touched) {
        if (settings.backend) backend.value = settings.backend;
        look(backend.value);
        if (!server.value) server.value = settings.serverUrl ?? '';
        if (!email.value) email.value = settings.email ?? '';
        (server.value ? (email.value ? password : email) : server).focus();
      }
      // The form is settled: what is typed from now on stays as typed.
      form.dataset.ready = 'true';
    });
    return form;
  },
};
