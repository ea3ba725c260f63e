// Demo login pages for the e2e tests and the demo: a plain form, an
// identifier-first flow (one page, two steps, like Google's) and a one-time-code page.
import { DEMO_OTP_SECRET, DEMO_SITE_USERS } from '../fixtures.mjs';
import { totpVerify } from '../crypto.mjs';
import { html } from '../app.mjs';

const esc = (s) => String(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);
const page = (title, body) => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${esc(title)}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>body{font-family:system-ui,sans-serif;max-width:28rem;margin:3rem auto;padding:0 1rem}
label{display:block;margin:.8rem 0 .2rem}input{width:100%;padding:.4rem;font-size:1rem}
button{margin-top:1rem;padding:.5rem 1.2rem;font-size:1rem}.msg{padding:.6rem;background:#eef}</style>
</head><body><h1>${esc(title)}</h1>
${body}
</body></html>`;

const loginForm = (msg = '') => `${msg ? `<p class="msg" id="message">${esc(msg)}</p>` : ''}
<form id="login-form" method="post" action="/demo/login" autocomplete="on">
  <label for="username">Username</label>
  <input id="username" name="username" type="text" autocomplete="username" required>
  <label for="password">Password</label>
  <input id="password" name="password" type="password" autocomplete="current-password" required>
  <button id="submit" type="submit">Sign in</button>
</form>`;

export function register(app) {
  const opts = { auth: false, csrf: false };
  app.route('GET', '/demo/login', () => html(page('Demo login', loginForm())), opts);

  app.route(
    'POST',
    '/demo/login',
    ({ body }) => {
      const user = String(body.username ?? '');
      if (DEMO_SITE_USERS[user] !== undefined && DEMO_SITE_USERS[user] === body.password) {
        return html(page('Demo login', `<p class="msg" id="result">Signed in as ${esc(user)}</p>`));
      }
      return html(page('Demo login', loginForm('Invalid username or password')), 401);
    },
    { ...opts, body: 'any' },
  );

  app.route(
    'GET',
    '/demo/identifier-first',
    () =>
      html(
        page(
          'Demo identifier-first',
          `<form id="login-form" method="post" action="/demo/login">
  <div id="step-identifier">
    <label for="identifier">Email or username</label>
    <input id="identifier" name="username" type="text" autocomplete="username" required>
    <button id="next" type="button">Next</button>
  </div>
  <div id="step-password" hidden>
    <p id="who"></p>
    <label for="password">Password</label>
    <input id="password" name="password" type="password" autocomplete="current-password">
    <button id="submit" type="submit">Sign in</button>
  </div>
</form>
<script>
  const id = document.getElementById('identifier');
  document.getElementById('next').addEventListener('click', () => {
    if (!id.value) return;
    document.getElementById('who').textContent = id.value;
    document.getElementById('step-identifier').hidden = true;
    document.getElementById('step-password').hidden = false;
    document.getElementById('password').required = true;
    document.getElementById('password').focus();
  });
</script>`,
        ),
      ),
    opts,
  );

  const otpForm = (msg = '') => `${msg ? `<p class="msg" id="message">${esc(msg)}</p>` : ''}
<form id="otp-form" method="post" action="/demo/otp">
  <label for="otp">One-time code</label>
  <input id="otp" name="otp" type="text" inputmode="numeric" autocomplete="one-time-code" pattern="[0-9]*" maxlength="8" required>
  <button id="submit" type="submit">Verify</button>
</form>`;
  app.route('GET', '/demo/otp', () => html(page('Demo one-time code', otpForm())), opts);
  app.route(
    'POST',
    '/demo/otp',
    ({ body }) => {
      if (totpVerify(DEMO_OTP_SECRET, String(body.otp ?? ''), { timeMs: app.now() })) {
        return html(page('Demo one-time code', '<p class="msg" id="result">Code accepted</p>'));
      }
      return html(page('Demo one-time code', otpForm('Invalid code')), 401);
    },
    { ...opts, body: 'any' },
  );
}
