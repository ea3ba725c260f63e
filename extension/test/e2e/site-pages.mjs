// SPDX-License-Identifier: MIT
// A small web site on 127.0.0.1 for the save / update / generator / frame / Basic auth
// tests: each sign-in kind a real site has. It answers on every name of loopback, so
// http://127.0.0.1:<port> and http://localhost:<port> are two origins of one server.
//   /login        a form posted with a navigation (the next page says "Signed in as …")
//   /spa-login    a button whose click signs in with fetch(); the form then goes away
//   /signup       username, new password, confirmation (autocomplete=new-password)
//   /change       current, new and confirmation
//   /basic        HTTP Basic auth: 401 until the Authorization header holds BASIC_USER
//   /staff/basic  the same in another realm
//   /framed?src=U a page that shows U in an iframe
//   /autofocus    a login form whose username field has focus from the start
//   /late-login   no form at first: the login form of /login is added by script 2 s after load
//   /plain        text, links and a search field: no field PassAgent looks for
import { createServer } from 'node:http';

export const BASIC_USER = { username: 'alice@example.test', password: 'correct horse battery staple' };

const head = (title) => `<!doctype html><meta charset="utf-8"><title>${title}</title>
<style>body{font:15px system-ui,sans-serif;margin:24px;max-width:520px}label{display:block;margin:8px 0}input{font:inherit;padding:4px;width:260px}button{font:inherit;padding:4px 12px}</style>`;

const PAGES = {
  '/login': `${head('Example login')}<h1>Sign in</h1>
<form id="form" action="/signed-in" method="post">
  <label>Email <input id="username" name="username" autocomplete="username"></label>
  <label>Password <input id="password" name="password" type="password" autocomplete="current-password"></label>
  <button id="submit">Sign in</button>
</form>`,
  '/spa-login': `${head('Example app')}<h1>Sign in to the app</h1>
<div id="box">
  <label>Email <input id="username" autocomplete="username"></label>
  <label>Password <input id="password" type="password" autocomplete="current-password"></label>
  <button id="submit" type="button">Sign in</button>
</div>
<p id="result"></p>
<script>
  document.getElementById('submit').addEventListener('click', async () => {
    const user = document.getElementById('username').value;
    const answer = await fetch('/api/login', { method: 'POST', body: JSON.stringify({ user }) }).then((r) => r.json());
    document.getElementById('box').remove();
    document.getElementById('result').textContent = 'Welcome, ' + answer.user;
  });
</script>`,
  '/signup': `${head('Create an account')}<h1>Create an account</h1>
<form id="form" action="/created" method="post">
  <label>Email <input id="username" name="username" autocomplete="username"></label>
  <label>Password <input id="new" name="password" type="password" autocomplete="new-password"></label>
  <label>Confirm password <input id="confirm" name="confirm" type="password" autocomplete="new-password"></label>
  <button id="submit">Create account</button>
</form>`,
  '/change': `${head('Change your password')}<h1>Change your password</h1>
<form id="form" action="/changed" method="post">
  <input type="hidden" name="username" value="alice@example.test">
  <label>Current password <input id="current" name="current" type="password" autocomplete="current-password"></label>
  <label>New password <input id="new" name="password" type="password" autocomplete="new-password"></label>
  <label>Confirm <input id="confirm" name="confirm" type="password" autocomplete="new-password"></label>
  <button id="submit">Change password</button>
</form>`,
  '/late-login': `${head('Example news')}<h1>News of the day</h1><p id="note">The sign-in form comes in a moment.</p>
<div id="slot"></div>
<script>
  addEventListener('load', () => setTimeout(() => {
    document.getElementById('slot').innerHTML = '<form id="form" action="/signed-in" method="post">'
      + '<label>Email <input id="username" name="username" autocomplete="username"></label>'
      + '<label>Password <input id="password" name="password" type="password" autocomplete="current-password"></label>'
      + '<button id="submit">Sign in</button></form>';
    document.getElementById('note').textContent = 'Sign in to comment.';
  }, 2000));
</script>`,
  '/plain': `${head('Example news')}<h1>News of the day</h1><p>Nothing to sign in to here.</p>
<form role="search" action="/search"><input type="search" name="q" placeholder="Search"></form>
<p><a href="/login">Sign in</a></p>`,
  '/autofocus': `${head('Autofocus login')}<h1>Sign in</h1>
<form id="form" action="/signed-in" method="post">
  <label>Email <input id="username" name="username" autocomplete="username" autofocus></label>
  <label>Password <input id="password" name="password" type="password" autocomplete="current-password"></label>
  <button id="submit">Sign in</button>
</form>`,
};

function done(title, text) {
  return `${head(title)}<h1 id="result">${text}</h1><p>You can close this page.</p>`;
}

function form(req) {
  return new Promise((resolve) => {
    let body = '';
    req.on('data', (c) => { body += c; });
    req.on('end', () => resolve(new URLSearchParams(body)));
  });
}

const escape = (s) => String(s).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

async function answer(req, res) {
  const url = new URL(req.url, 'http://x');
  const html = (status, body, headers = {}) => {
    res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', ...headers });
    res.end(body);
  };
  if (PAGES[url.pathname]) return html(200, PAGES[url.pathname]);
  if (req.method === 'POST' && url.pathname === '/signed-in') return html(200, done('Signed in', `Signed in as ${escape((await form(req)).get('username'))}`));
  if (req.method === 'POST' && url.pathname === '/created') return html(200, done('Welcome', `Account created for ${escape((await form(req)).get('username'))}`));
  if (req.method === 'POST' && url.pathname === '/changed') return html(200, done('Changed', 'Password changed'));
  if (req.method === 'POST' && url.pathname === '/api/login') {
    const body = JSON.parse(await new Promise((r) => { let b = ''; req.on('data', (c) => { b += c; }); req.on('end', () => r(b)); }));
    res.writeHead(200, { 'content-type': 'application/json' });
    return res.end(JSON.stringify({ user: body.user }));
  }
  if (url.pathname === '/basic' || url.pathname === '/staff/basic') {
    const expected = `Basic ${Buffer.from(`${BASIC_USER.username}:${BASIC_USER.password}`).toString('base64')}`;
    if (req.headers.authorization === expected) return html(200, done('Members', `Hello ${escape(BASIC_USER.username)}, you are in`));
    const realm = url.pathname === '/basic' ? 'members' : 'staff'; // Another realm: the browser's cache of the first does not answer.
    return html(401, done('Unauthorized', 'Not signed in'), { 'www-authenticate': `Basic realm="${realm}"` });
  }
  if (url.pathname === '/framed') {
    const src = url.searchParams.get('src') ?? '';
    return html(200, `${head('A page with a frame')}<h1>News of the day</h1><p>The sign-in below comes from another site.</p>
<iframe id="frame" src="${escape(src)}" style="width:480px;height:300px;border:1px solid #888"></iframe>`);
  }
  return html(404, 'not found');
}

/**
 * requests: every request seen, {method, path, host, authorization} (the Authorization
 * header as sent, or null), so a test can tell what the browser sent to which origin.
 * @returns {Promise<{port: number, origin: string, other: string, requests: object[], close: () => Promise<void>}>}
 */
export function serveSite() {
  const requests = [];
  const server = createServer((req, res) => {
    requests.push({ method: req.method, path: req.url, host: req.headers.host, authorization: req.headers.authorization ?? null });
    answer(req, res).catch(() => {
      res.writeHead(500);
      res.end();
    });
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      resolve({
        port,
        origin: `http://127.0.0.1:${port}`,
        other: `http://localhost:${port}`,
        requests,
        close: () => new Promise((r) => {
          server.closeAllConnections?.();
          server.close(() => r());
        }),
      });
    });
  });
}
