// SPDX-License-Identifier: MIT
// A tiny HTTP server on 127.0.0.1 for the harness self-test: a login page, an
// identifier-first flow, and the same login page again (a look-alike) for a second origin.
import { createServer } from 'node:http';

export const LOGIN_PAGE = `<!doctype html><meta charset="utf-8"><title>Demo login</title>
<form id="login" action="/done" method="post" onsubmit="return false">
  <label>Email <input id="username" name="username" autocomplete="username"></label>
  <label>Password <input id="password" name="password" type="password" autocomplete="current-password"></label>
  <input id="trap" name="password2" type="password" style="display:none">
  <button>Sign in</button>
</form>
<p id="events"></p>
<script>
  for (const id of ['username', 'password']) {
    document.getElementById(id).addEventListener('input', () => { document.getElementById('events').textContent += id + ' '; });
  }
</script>`;

export const TEXT_PAGE = `<!doctype html><meta charset="utf-8"><title>Paste here</title><textarea id="paste"></textarea>`;

/** @returns {Promise<{origin: string, close: () => Promise<void>}>} */
export function servePages(pages = { '/login': LOGIN_PAGE, '/paste': TEXT_PAGE }, host = '127.0.0.1') {
  const server = createServer((req, res) => {
    const body = pages[new URL(req.url, 'http://x').pathname];
    res.writeHead(body ? 200 : 404, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
    res.end(body ?? 'not found');
  });
  return new Promise((resolve) => {
    server.listen(0, host, () => {
      const { port } = server.address();
      resolve({ origin: `http://${host}:${port}`, port, close: () => new Promise((r) => server.close(() => r())) });
    });
  });
}
