// SPDX-License-Identifier: MIT
// The toolbar popup: sign in, unlock, the logins for the current tab, copy, lock.
// Passwords typed here go straight to the background and on to the host; copied
// passwords go from the host to the clipboard without passing through this page.
import { api } from '../shared/browser-api.js';
import { loadSettings } from '../shared/settings.js';
import { siteLabel } from '../shared/url.js';
import { showTotp } from './totp-view.js';

const $ = (id) => document.getElementById(id);
const views = ['view-wait', 'view-host', 'view-login', 'view-unlock', 'view-main'];
let stopTotps = [];
let shownView = null;

function send(message) {
  return api.runtime.sendMessage(message).then(
    (reply) => reply ?? { error: { message: 'PassAgent did not answer. Close this window and open it again.' } },
    (error) => ({ error: { message: String(error?.message ?? error) } }),
  );
}

function say(text, { ok = false } = {}) {
  const box = $('message');
  box.textContent = text ?? '';
  box.hidden = !text;
  box.classList.toggle('ok', ok);
}

function show(view) {
  for (const id of views) $(id).hidden = id !== view;
  if (view !== 'view-main') {
    stopTotps.forEach((stop) => stop());
    stopTotps = [];
  }
  const first = { 'view-login': 'login-email', 'view-unlock': 'unlock-password' }[view];
  if (first && shownView !== view) {
    const field = view === 'view-login' && !$('login-server').value ? $('login-server') : $(first);
    field.focus();
  }
  shownView = view;
  document.body.dataset.view = view.replace('view-', '');
}

const BACKEND_LOOK = {
  passagent: { user: 'Email', userType: 'email', placeholder: 'https://passagent.ai', secret: 'Master password' },
  passman: { user: 'Nextcloud user name', userType: 'text', placeholder: 'https://cloud.example.com', secret: 'Vault key' },
  passwork: { user: 'Email', userType: 'email', placeholder: 'https://passwork.example.com', secret: 'Master password' },
};

/** The sign-in form follows the chosen password manager: its user field and example address. */
function lookForBackend(backend) {
  const look = BACKEND_LOOK[backend] ?? BACKEND_LOOK.passagent;
  $('login-email-label').textContent = look.user;
  $('login-email').type = look.userType;
  $('login-server').placeholder = look.placeholder;
}

async function render(state) {
  const account = state.accounts?.find((a) => a.loggedIn);
  const look = BACKEND_LOOK[account?.backend] ?? BACKEND_LOOK.passagent;
  $('unlock-vault-row').hidden = account?.backend !== 'passman';
  $('unlock-password-label').textContent = look.secret;
  $('who').textContent = account?.user?.email ?? account?.user ?? '';
  if (!state.connected) {
    $('host-problem').textContent = state.hostError?.message && state.hostError.code !== 'HOST_DISCONNECTED'
      ? `${state.hostError.message}`
      : 'The PassAgent helper program (passagent-host) is not running. Check that it is installed, then try again.';
    show('view-host');
    return;
  }
  if (!state.loggedIn) {
    show('view-login');
    return;
  }
  if (!state.unlocked) {
    $('unlock-password').value = '';
    show('view-unlock');
    return;
  }
  show('view-main');
  await renderMatches();
}

async function renderMatches() {
  stopTotps.forEach((stop) => stop());
  stopTotps = [];
  const reply = await send({ type: 'tab.matches' });
  if (reply.error) {
    say(reply.error.message);
    return;
  }
  $('site').textContent = reply.tab?.url ? siteLabel(reply.tab.url) : 'This page';
  const list = $('matches');
  list.replaceChildren();
  $('no-matches').hidden = reply.matches.length > 0;
  for (const match of reply.matches) {
    const item = $('match-template').content.firstElementChild.cloneNode(true);
    item.querySelector('.name').textContent = match.name || siteLabel(match.website);
    item.querySelector('.user').textContent = match.username ?? '';
    item.querySelector('.badge').hidden = !match.shared;
    item.dataset.id = match.id;
    const totpButton = item.querySelector('[data-copy="totp"]');
    totpButton.hidden = !match.hasTotp;
    for (const button of item.querySelectorAll('[data-copy]')) {
      button.addEventListener('click', () => copy(button.dataset.copy, match, reply.tab?.id));
    }
    if (match.hasTotp) {
      stopTotps.push(showTotp(item.querySelector('.totp'), () => send({ type: 'totp', id: match.id, account: match.account, background: true })));
    }
    list.append(item);
  }
}

const FIELD_NAMES = { username: 'Username', password: 'Password', totp: 'Code' };

async function copy(field, match, tabId) {
  const reply = await send({ type: 'copy', field, id: match.id, account: match.account, tabId, text: field === 'username' ? match.username : undefined });
  if (reply.error) {
    say(reply.error.message);
    return;
  }
  const clear = reply.clearAfterSeconds > 0 ? ` It will be cleared from the clipboard in ${reply.clearAfterSeconds} seconds.` : '';
  say(`${FIELD_NAMES[field]} copied.${clear}`, { ok: true });
  document.body.dataset.copied = field;
}

async function busy(button, work) {
  button.disabled = true;
  say('');
  try {
    return await work();
  } finally {
    button.disabled = false;
  }
}

$('view-login').addEventListener('submit', (event) => {
  event.preventDefault();
  busy($('login-submit'), async () => {
    const otpShown = !$('login-otp-row').hidden;
    const reply = await send({
      type: 'login',
      backend: $('login-backend').value,
      server: $('login-server').value,
      email: $('login-email').value,
      password: $('login-password').value,
      otp: otpShown ? $('login-otp').value : undefined,
    });
    if (reply.error) {
      if (reply.error.otpRequired) {
        $('login-otp-row').hidden = false;
        $('login-otp').focus();
        say(otpShown ? reply.error.message : 'Enter the six-digit code from your authenticator app.');
      } else {
        say(reply.error.message);
      }
      return;
    }
    $('login-password').value = '';
    $('login-otp').value = '';
    $('login-otp-row').hidden = true;
    await render(reply.state);
  });
});

$('view-unlock').addEventListener('submit', (event) => {
  event.preventDefault();
  busy($('unlock-submit'), async () => {
    const vaultShown = !$('unlock-vault-row').hidden;
    const reply = await send({ type: 'unlock', masterPassword: $('unlock-password').value, vault: vaultShown ? $('unlock-vault').value : undefined });
    $('unlock-password').value = '';
    if (reply.error) {
      say(reply.error.message);
      $('unlock-password').focus();
      return;
    }
    await render(reply.state);
  });
});

$('lock').addEventListener('click', () => busy($('lock'), async () => {
  const reply = await send({ type: 'lock' });
  if (reply.error) say(reply.error.message);
  else await render(reply.state);
}));

$('logout').addEventListener('click', () => busy($('logout'), async () => {
  const reply = await send({ type: 'logout' });
  if (reply.error) say(reply.error.message);
  else await render(reply.state);
}));

$('retry').addEventListener('click', () => busy($('retry'), refresh));
$('open-options').addEventListener('click', () => api.runtime.openOptionsPage());

async function refresh() {
  const reply = await send({ type: 'state' });
  if (reply.error) {
    say(reply.error.message);
    return;
  }
  await render(reply.state);
}

api.runtime.onMessage.addListener((message) => {
  if (message?.type === 'pa-state') {
    const wasMain = shownView === 'view-main';
    const goesMain = message.state.connected && message.state.loggedIn && message.state.unlocked;
    if (!(wasMain && goesMain)) render(message.state);
  }
});

$('login-backend').addEventListener('change', () => lookForBackend($('login-backend').value));

loadSettings(api.storage).then((settings) => {
  $('login-backend').value = settings.backend;
  lookForBackend(settings.backend);
  if (!$('login-server').value) $('login-server').value = settings.serverUrl;
  if (!$('login-email').value) $('login-email').value = settings.email;
});
show('view-wait');
refresh();
