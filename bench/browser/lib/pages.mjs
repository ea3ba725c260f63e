// SPDX-License-Identifier: MIT
// The pages the benchmark loads, served from 127.0.0.1 on a free port. Each page times
// itself with performance.now() (milliseconds since its navigation started) and keeps
// the marks in window.__bench, so the same page measures any extension from outside:
//   ready:  the first time `offer` (a CSS selector given in the query) matches, i.e. the
//           extension shows that it has this page's logins;
//   listed: the first time `list` (a CSS selector given in the query) matches: the list
//           to pick from, for an extension whose `offer` is a mark shown before it;
//   click:  the last trusted mousedown on the username field (clicks: how many there were);
//   enter:  the keydown of Enter that picks a login;
//   filled: the first time both fields hold a value;
//   loaded: the window's load event (what the benchmark waits for before its click);
//   parsed: DOMContentLoaded (the form is there: a floor for any offer on it).
// /plain has no form at all: it measures what an extension costs on every other page.
import { createServer } from 'node:http';

const MARKS = `<script>
(() => {
  const bench = (window.__bench = { ready: null, readyWhat: null, listed: null, click: null, clicks: 0, enter: null, filled: null, busy: null, loaded: null, parsed: null });
  addEventListener('load', () => { bench.loaded = performance.now(); });
  document.addEventListener('DOMContentLoaded', () => { bench.parsed = performance.now(); });
  const offer = new URLSearchParams(location.search).get('offer');
  const list = new URLSearchParams(location.search).get('list');
  const check = () => {
    if (list && bench.listed === null && document.querySelector(list)) bench.listed = performance.now();
    if (bench.ready !== null || !offer) return;
    const el = document.querySelector(offer);
    if (el) {
      bench.ready = performance.now();
      bench.readyWhat = el.localName + (el.className ? '.' + String(el.className).split(' ').join('.') : '');
    }
  };
  new MutationObserver(check).observe(document.documentElement, { childList: true, subtree: true, attributes: true });
  addEventListener('mousedown', (e) => { if (e.isTrusted && e.target.id === 'username') { bench.click = performance.now(); bench.clicks += 1; } }, true);
  addEventListener('keydown', (e) => { if (e.key === 'Enter' && bench.enter === null) bench.enter = performance.now(); }, true);
  const both = () => {
    const u = document.getElementById('username');
    const p = document.getElementById('password');
    if (bench.filled === null && u && p && u.value && p.value) bench.filled = performance.now();
  };
  addEventListener('input', both, true);
  addEventListener('change', both, true);
})();
</script>`;

// With ?busy=1: main-thread time the page did not get, seen from the page. A
// MessageChannel loop from the start of parsing to 1.5 s after navigation sums every gap
// longer than 2 ms. Script an extension runs in the page's process (content scripts)
// shows up here in any browser. (The loop is script itself: never on with CDP metrics.)
const BUSY = `<script>
(() => {
  const bench = window.__bench;
  if (!new URLSearchParams(location.search).has('busy')) return;
  const channel = new MessageChannel();
  let last = performance.now();
  let busy = 0;
  channel.port1.onmessage = () => {
    const now = performance.now();
    if (now - last > 2) busy += now - last;
    last = now;
    if (now < 1500) channel.port2.postMessage(0);
    else bench.busy = busy;
  };
  channel.port2.postMessage(0);
})();
</script>`;

export const LOGIN_PAGE = `<!doctype html><html><head><meta charset="utf-8"><title>Bench login</title>${MARKS}</head>
<body>
<h1>Sign in</h1>
<form id="login" action="/done" method="post" onsubmit="return false">
  <p><label>Email <input id="username" name="username" type="text" autocomplete="username" autofocus></label></p>
  <p><label>Password <input id="password" name="password" type="password" autocomplete="current-password"></label></p>
  <p><button id="submit" type="submit">Sign in</button></p>
</form>
</body></html>`;

const ARTICLE = Array.from({ length: 40 }, (_, i) => `<p>Paragraph ${i + 1}: some text, a <a href="#p${i}">link</a>, and a <button type="button">button</button> that is not a login.</p>`).join('\n');

export const PLAIN_PAGE = `<!doctype html><html><head><meta charset="utf-8"><title>Bench article</title>${MARKS}${BUSY}</head>
<body><h1>An article</h1>
<form action="/search" role="search"><input name="q" type="search" placeholder="Search"></form>
${ARTICLE}
</body></html>`;

/** @returns {Promise<{origin: string, port: number, close: () => Promise<void>}>} */
export function servePages() {
  const pages = { '/login': LOGIN_PAGE, '/plain': PLAIN_PAGE };
  const server = createServer((req, res) => {
    const body = pages[new URL(req.url, 'http://x').pathname];
    res.writeHead(body ? 200 : 404, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
    res.end(body ?? 'not found');
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      resolve({ origin: `http://127.0.0.1:${port}`, port, close: () => new Promise((r) => server.close(() => r())) });
    });
  });
}
