// SPDX-License-Identifier: MIT
// A site to sign in to, served by the Passman and Passwork test servers at /demo/login
// for the browser tests: the vault entry whose URL is that page holds its login.
// GET shows the form (#username, #password, #submit); POST checks it and shows #result.
// Not part of either product's API: no auth, and the servers keep it out of their logs.

const escapeHtml = (text) => String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

const page = (title, result) => `<!doctype html><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<h1>${escapeHtml(title)}</h1>
<form method="post" action="/demo/login">
  <label>User name <input id="username" name="username" autocomplete="username"></label>
  <label>Password <input id="password" name="password" type="password" autocomplete="current-password"></label>
  <button id="submit">Sign in</button>
</form>
<p id="result">${escapeHtml(result)}</p>`;

/**
 * Answers GET and POST /demo/login.
 * @param {{title: string, login: {username: string, password: string}, readBody: (req) => Promise<string>}} site
 */
export async function serveDemoLogin(req, res, { title, login, readBody }) {
  let result = '';
  if (req.method === 'POST') {
    const form = new URLSearchParams(await readBody(req));
    const ok = form.get('username') === login.username && form.get('password') === login.password;
    result = ok ? `Signed in as ${login.username}` : 'Wrong user name or password';
  } else if (req.method !== 'GET') {
    res.writeHead(405, { Allow: 'GET, POST' }).end();
    return;
  }
  const html = page(title, result);
  res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Content-Length': Buffer.byteLength(html) });
  res.end(html);
}
