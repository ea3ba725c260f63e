// SPDX-License-Identifier: MIT
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRouter, publicMatch, popupMatch } from '../../src/background/router.js';
import { HostError } from '../../src/background/native-client.js';
import { setCatalog } from '../../src/shared/i18n.js';
import { CATALOG } from './popup-harness.js';

setCatalog(CATALOG);

const EXT = 'chrome-extension://hipcecicbflniiemihoangdnijnmcbnf/';
const MATCH = { account: 'a1', id: 'e1', name: 'Bank', username: 'alice', website: 'https://bank.example', score: 90, hasTotp: true, share: { id: 's1', permission: 'read', sharedBy: 'owner@bank.example' } };

function setup({ unlocked = true, matches = [MATCH], rules, clock } = {}) {
  const calls = [];
  const client = {
    async request(action, params) {
      calls.push({ action, params });
      if (action === 'credentials.match') return { matches: new URL(params.url).origin === 'https://bank.example' ? matches : [] };
      if (action === 'credentials.get') return { username: 'alice', password: 'pw', notes: 'secret notes' };
      if (action === 'totp.code') return { code: '012345', remaining: 10, period: 30, digits: 6 };
      if (action === 'session.login') throw new HostError({ code: 'BAD_CREDENTIALS', message: 'Enter your code.', otpRequired: true });
      return {};
    },
  };
  const copied = [];
  const router = createRouter({
    client,
    getState: () => ({ loggedIn: true, unlocked }),
    refreshState: async () => ({ loggedIn: true, unlocked }),
    extensionBase: EXT,
    clipboard: { copy: async (text) => { copied.push(text); return { clearAfterSeconds: 30 }; } },
    tabs: { resolve: async () => ({ id: 7, url: 'https://bank.example/login' }) },
    saveSettings: async () => {},
    ...(rules ? { getRules: async () => rules } : {}),
    ...(clock ? { now: () => clock.at } : {}),
  });
  return { router, calls, copied };
}

const frame = (url, { tabUrl = 'https://bank.example/login', frameId = 0 } = {}) => ({ url, frameId, tab: { id: 7, url: tabUrl } });

test('matches for a page carry no password and no share internals', async () => {
  const { router } = setup();
  const reply = await router.handle({ type: 'page.matches' }, frame('https://bank.example/login'));
  assert.deepEqual(reply.matches, [publicMatch(MATCH)]);
  assert.equal(JSON.stringify(reply).includes('pw'), false);
  assert.equal(reply.matches[0].shared, true);
});

test('the popup\'s matches for its tab say who shared an entry, still without the share id', async () => {
  const { router } = setup();
  const reply = await router.handle({ type: 'tab.matches', tabId: 7 }, { url: `${EXT}src/popup/popup.html` });
  assert.deepEqual(reply.matches, [popupMatch(MATCH)]);
  assert.deepEqual(reply.matches[0].share, { permission: 'read', sharedBy: 'owner@bank.example' });
  assert.equal(JSON.stringify(reply).includes('s1'), false);
});

test('fill asks the host with the URL the browser reports, not one in the message', async () => {
  const { router, calls } = setup();
  const reply = await router.handle({ type: 'page.fill', id: 'e1', account: 'a1', fields: ['username', 'password'], url: 'https://evil.test/' }, frame('https://bank.example/login'));
  assert.deepEqual(reply, { username: 'alice', password: 'pw' });
  const get = calls.find((c) => c.action === 'credentials.get');
  assert.deepEqual(get.params, { id: 'e1', account: 'a1', purpose: 'fill', url: 'https://bank.example/login' });
});

test('the username step of an identifier-first sign-in reads no secret', async () => {
  const { router, calls } = setup();
  const reply = await router.handle({ type: 'page.fill', id: 'e1', account: 'a1', fields: ['username'] }, frame('https://bank.example/login'));
  assert.deepEqual(reply, { username: 'alice' });
  assert.equal(calls.some((c) => c.action === 'credentials.get'), false);
  const next = await router.handle({ type: 'page.matches' }, frame('https://bank.example/password'));
  assert.deepEqual(next.remembered, { id: 'e1', account: 'a1' });
});

test('a frame of another origin than its tab gets no login, only how many there would be', async () => {
  const { router, calls } = setup();
  const frameOfBank = frame('https://bank.example/frame', { frameId: 3, tabUrl: 'https://news.example/' });
  const reply = await router.handle({ type: 'page.matches' }, frameOfBank);
  assert.deepEqual(reply.matches, []);
  assert.deepEqual(reply.frame, { blocked: true, frameSite: 'bank.example', topSite: 'news.example', matches: 1 });
  assert.equal((await router.handle({ type: 'page.fill', id: 'e1', fields: ['password'] }, frameOfBank)).error.code, 'FRAME_NOT_ALLOWED');
  assert.equal((await router.handle({ type: 'page.fillTotp', id: 'e1' }, frameOfBank)).error.code, 'FRAME_NOT_ALLOWED');
  assert.equal(calls.some((c) => c.action === 'credentials.get' || c.action === 'totp.code'), false);
});

test('a frame of another origin is filled once the person allowed that pair of sites, and only that pair', async () => {
  const rules = { neverSave: [], basicAuth: false, frames: [{ frame: 'https://bank.example', top: 'https://news.example' }] };
  const { router, calls } = setup({ rules });
  const allowed = frame('https://bank.example/frame', { frameId: 3, tabUrl: 'https://news.example/' });
  assert.deepEqual(await router.handle({ type: 'page.fill', id: 'e1', account: 'a1', fields: ['password'] }, allowed), { username: undefined, password: 'pw' });
  assert.equal(calls.find((c) => c.action === 'credentials.get').params.url, 'https://bank.example/frame');
  const otherTop = frame('https://bank.example/frame', { frameId: 3, tabUrl: 'https://evil.example/' });
  assert.equal((await router.handle({ type: 'page.fill', id: 'e1', fields: ['password'] }, otherTop)).error.code, 'FRAME_NOT_ALLOWED');
});

test('an entry that does not match the page is not filled, nor its code given', async () => {
  const { router } = setup();
  const other = frame('https://other.example/login', { tabUrl: 'https://other.example/login' });
  assert.equal((await router.handle({ type: 'page.fill', id: 'e1', fields: ['password'] }, other)).error.code, 'URL_MISMATCH');
  assert.equal((await router.handle({ type: 'page.fillTotp', id: 'e1' }, other)).error.code, 'URL_MISMATCH');
});

test('locked: a page gets no matches and the host is not asked', async () => {
  const { router, calls } = setup({ unlocked: false });
  const reply = await router.handle({ type: 'page.matches' }, frame('https://bank.example/login'));
  assert.deepEqual(reply.matches, []);
  assert.equal(reply.state.unlocked, false);
  assert.equal(calls.length, 0);
});

test('popup-only requests are refused to content scripts', async () => {
  const { router, copied } = setup();
  for (const type of ['login', 'unlock', 'lock', 'copy', 'totp', 'tab.matches']) {
    const reply = await router.handle({ type, field: 'password', id: 'e1' }, frame('https://bank.example/login'));
    assert.equal(reply.error.code, 'NOT_ALLOWED_HERE', type);
  }
  assert.deepEqual(copied, []);
});

test('copying a password asks the host with purpose copy, so a share view is logged', async () => {
  const { router, calls, copied } = setup();
  const reply = await router.handle({ type: 'copy', field: 'password', id: 'e1', account: 'a1' }, { url: `${EXT}src/popup/popup.html` });
  assert.equal(reply.clearAfterSeconds, 30);
  assert.deepEqual(copied, ['pw']);
  assert.equal(calls.find((c) => c.action === 'credentials.get').params.purpose, 'copy');
});

test('a login that needs a 2FA code says so', async () => {
  const { router } = setup();
  const reply = await router.handle({ type: 'login', server: 'https://passagent.ai', email: 'a@b', password: 'x' }, { url: `${EXT}src/popup/popup.html` });
  assert.equal(reply.error.otpRequired, true);
  assert.equal(reply.error.message, 'Enter your code.');
});

test('messages that are not ours are left alone', () => {
  const { router } = setup();
  assert.equal(router.handle({ type: 'clipboard.write', target: 'offscreen' }, {}), undefined);
  assert.equal(router.handle({ type: 'nope' }, {}), undefined);
  assert.equal(router.handle(null, {}), undefined);
});

test('each password manager signs in with its own user field and server form', async () => {
  const { router, calls } = setup();
  const popup = { url: `${EXT}src/popup/popup.html` };
  await router.handle({ type: 'login', server: 'https://passagent.ai/api/', email: ' a@b ', password: 'x' }, popup);
  await router.handle({ type: 'login', backend: 'passman', server: 'cloud.example/nextcloud/', email: 'alice', password: 'y' }, popup);
  await router.handle({ type: 'login', backend: 'passwork', server: 'https://pw.example', email: 'c@d', password: 'z' }, popup);
  const logins = calls.filter((c) => c.action === 'session.login').map((c) => c.params);
  assert.deepEqual(logins, [
    { backend: 'passagent', server: 'https://passagent.ai', email: 'a@b', password: 'x' },
    { backend: 'passman', server: 'https://cloud.example/nextcloud', username: 'alice', password: 'y' },
    { backend: 'passwork', server: 'https://pw.example', email: 'c@d', password: 'z' },
  ]);
});

test('an unknown password manager is refused before the host is asked', async () => {
  const { router, calls } = setup();
  const reply = await router.handle({ type: 'login', backend: 'keepass', server: 'https://x.example', email: 'a', password: 'b' }, { url: `${EXT}src/popup/popup.html` });
  assert.equal(reply.error.code, 'VALIDATION');
  assert.equal(calls.length, 0);
});

test("unlock passes Passman's vault name only when one was typed", async () => {
  const { router, calls } = setup();
  const popup = { url: `${EXT}src/popup/popup.html` };
  await router.handle({ type: 'unlock', masterPassword: 'k', vault: '  Work ' }, popup);
  await router.handle({ type: 'unlock', masterPassword: 'k', vault: '' }, popup);
  const unlocks = calls.filter((c) => c.action === 'vault.unlock').map((c) => c.params);
  assert.deepEqual(unlocks, [{ masterPassword: 'k', vault: 'Work' }, { masterPassword: 'k' }]);
});

function fakePort(url, name = 'pa-host') {
  const posted = [];
  const listeners = [];
  let disconnected = false;
  return {
    name,
    sender: { url },
    posted,
    get disconnected() { return disconnected; },
    disconnect() { disconnected = true; },
    onMessage: { addListener: (fn) => listeners.push(fn) },
    onDisconnect: { addListener: () => {} },
    postMessage: (m) => posted.push(m),
    send: (m) => Promise.all(listeners.map((fn) => fn(m))),
  };
}

test('the pa-host port passes any host action through for extension pages, with its progress', async () => {
  const calls = [];
  const router = createRouter({
    client: { async request(action, params, { onProgress }) { calls.push({ action, params }); onProgress('sync', { done: 1, total: 2 }); return { items: [] }; } },
    getState: () => ({}), refreshState: async () => ({}), extensionBase: EXT, clipboard: {}, tabs: {}, saveSettings: async () => {},
  });
  const port = fakePort(`${EXT}src/popup/popup.html`);
  assert.equal(router.connect(port), true);
  await port.send({ id: 3, action: 'credentials.list', params: { query: 'bank' } });
  assert.deepEqual(calls, [{ action: 'credentials.list', params: { query: 'bank' } }]);
  assert.deepEqual(port.posted, [{ id: 3, event: 'sync', data: { done: 1, total: 2 } }, { id: 3, result: { items: [] } }]);
  await port.send({ id: 4, action: 'bad name!', params: {} });
  assert.equal(port.posted.at(-1).error.code, 'BAD_REQUEST');
});

test('an error on the pa-host port names what the account\'s backend cannot do (Passwork is read-only)', async () => {
  const accounts = [{ account: 'w1', backend: 'passwork' }, { account: 'p1', backend: 'passagent' }];
  const router = createRouter({
    client: { async request() { throw new HostError({ code: 'UNSUPPORTED', message: 'The helper program cannot do that. Update passagent-host.' }); } },
    getState: () => ({ accounts }), refreshState: async () => ({}), extensionBase: EXT, clipboard: {}, tabs: {}, saveSettings: async () => {},
  });
  const port = fakePort(`${EXT}src/popup/popup.html`);
  router.connect(port);
  await port.send({ id: 1, action: 'credentials.update', params: { account: 'w1', id: 'e1' } });
  assert.equal(port.posted.at(-1).error.code, 'UNSUPPORTED');
  assert.match(port.posted.at(-1).error.message, /Passwork's API is read-only/);
  await port.send({ id: 2, action: 'credentials.update', params: { account: 'p1', id: 'e1' } });
  assert.equal(port.posted.at(-1).error.message, 'The helper program cannot do that. Update passagent-host.', 'the host\'s words for the others');
});

test('a content script (a web page URL) cannot open the pa-host port', () => {
  const { router, calls } = setup();
  const port = fakePort('https://bank.example/login');
  assert.equal(router.connect(port), true);
  assert.equal(port.disconnected, true);
  assert.equal(calls.length, 0);
  assert.equal(router.connect(fakePort(`${EXT}x`, 'other')), false, 'other ports are not ours');
});

test('the popup\'s Enter fills the tab only with a login that matches it, through the top frame', async () => {
  const told = [];
  const calls = [];
  const router = createRouter({
    client: { async request(action, params) { calls.push({ action, params }); return { matches: new URL(params.url).origin === 'https://bank.example' ? [MATCH] : [] }; } },
    getState: () => ({ unlocked: true }), refreshState: async () => ({}), extensionBase: EXT, clipboard: {}, saveSettings: async () => {},
    tabs: { resolve: async () => ({ id: 7, url: 'https://bank.example/login' }), tell: async (tabId, message, options) => told.push({ tabId, message, options }) },
  });
  const popup = { url: `${EXT}src/popup/popup.html` };
  assert.deepEqual(await router.handle({ type: 'tab.fill', tabId: 7, id: 'e1', account: 'a1' }, popup), { filled: true });
  assert.deepEqual(told, [{ tabId: 7, message: { type: 'pa-command', command: 'fill-login', id: 'e1', account: 'a1' }, options: { frameId: 0 } }]);
  const refused = await router.handle({ type: 'tab.fill', tabId: 7, id: 'other', account: 'a1' }, popup);
  assert.equal(refused.error.code, 'URL_MISMATCH');
  assert.equal(told.length, 1, 'nothing sent for a login of another site');
  const fromPage = await router.handle({ type: 'tab.fill', tabId: 7, id: 'e1', account: 'a1' }, frame('https://bank.example/login'));
  assert.equal(fromPage.error.code, 'NOT_ALLOWED_HERE');
});

test('copy of a custom field reads it through credentials.get purpose copy', async () => {
  const copied = [];
  const calls = [];
  const router = createRouter({
    client: { async request(action, params) { calls.push({ action, params }); return { username: 'u', password: 'p', fields: [{ name: 'PIN', value: '4321', hidden: true }] }; } },
    getState: () => ({ unlocked: true }), refreshState: async () => ({}), extensionBase: EXT, saveSettings: async () => {},
    clipboard: { copy: async (text) => { copied.push(text); return { clearAfterSeconds: 30 }; } },
    tabs: { resolve: async () => null },
  });
  const popup = { url: `${EXT}src/popup/popup.html` };
  const reply = await router.handle({ type: 'copy', field: 'field', name: 'PIN', id: 'e1', account: 'a1' }, popup);
  assert.equal(reply.copied, 'field');
  assert.deepEqual(copied, ['4321']);
  assert.deepEqual(calls, [{ action: 'credentials.get', params: { id: 'e1', account: 'a1', purpose: 'copy' } }]);
  const missing = await router.handle({ type: 'copy', field: 'field', name: 'nope', id: 'e1', account: 'a1' }, popup);
  assert.equal(missing.error.code, 'NOT_FOUND');
});

test('a page one-time code is asked bound to the frame URL the browser reports', async () => {
  const { router, calls } = setup();
  const reply = await router.handle({ type: 'page.fillTotp', id: 'e1', account: 'a1', url: 'https://evil.test/' }, frame('https://bank.example/login'));
  assert.deepEqual(reply, { code: '012345' });
  const totp = calls.find((c) => c.action === 'totp.code');
  assert.deepEqual(totp.params, { id: 'e1', account: 'a1', purpose: 'fill', url: 'https://bank.example/login' });
});

test('matches a page asks for are background requests: they do not keep an idle vault open', async () => {
  const { router, calls } = setup();
  await router.handle({ type: 'page.matches' }, frame('https://bank.example/login'));
  const match = calls.find((c) => c.action === 'credentials.match');
  assert.equal(match.params.background, true);
  await router.handle({ type: 'tab.matches' }, { url: `${EXT}src/popup/popup.html` });
  assert.equal(calls.filter((c) => c.action === 'credentials.match').at(-1).params.background, undefined);
});

test('cached matches are per frame origin and dropped when the tab navigates', async () => {
  const { router, calls } = setup();
  const count = () => calls.filter((c) => c.action === 'credentials.match').length;
  await router.handle({ type: 'page.matches' }, frame('https://bank.example/login'));
  await router.handle({ type: 'page.fill', id: 'e1', account: 'a1', fields: ['password'] }, frame('https://bank.example/login'));
  assert.equal(count(), 1);
  // The same frame now shows another site: the bank's matches are not used for it.
  const other = await router.handle({ type: 'page.fill', id: 'e1', account: 'a1', fields: ['password'] }, frame('https://evil.test/', { tabUrl: 'https://evil.test/' }));
  assert.equal(other.error.code, 'URL_MISMATCH');
  assert.equal(count(), 2);
  router.forgetMatches(7);
  await router.handle({ type: 'page.fill', id: 'e1', account: 'a1', fields: ['password'] }, frame('https://bank.example/login'));
  assert.equal(count(), 3);
});

test('the matches asked as a tab starts loading serve its top frame\'s first ask for that page, once', async () => {
  const clock = { at: 1_000 };
  const { router, calls } = setup({ clock });
  const asked = () => calls.filter((c) => c.action === 'credentials.match');
  const tab = { id: 7, url: 'https://bank.example/login' };
  const reply = router.matchAhead(tab);
  assert.deepEqual(await reply, { matches: [MATCH] }, 'the toolbar count reads the same reply');
  assert.equal(router.matchAhead({ ...tab }), reply, 'a second event of the same load asks nothing more');
  assert.deepEqual(asked().map((c) => c.params), [{ url: tab.url, background: true }]);
  const page = await router.handle({ type: 'page.matches' }, frame('https://bank.example/login#top'));
  assert.deepEqual(page.matches, [publicMatch(MATCH)]);
  assert.equal(asked().length, 1, 'the page\'s ask took the answer on its way');
  const fill = await router.handle({ type: 'page.fill', id: 'e1', account: 'a1', fields: ['password'] }, frame('https://bank.example/login'));
  assert.equal(fill.password, 'pw', 'the pick finds the match among those taken');
  await router.handle({ type: 'page.matches' }, frame('https://bank.example/login'));
  assert.equal(asked().length, 2, 'taken once: the page asking again asks the host');
});

test('matches asked ahead are not used for another page, a frame, a late ask, or after a lock', async () => {
  const clock = { at: 1_000 };
  const { router, calls } = setup({ clock });
  const asked = () => calls.filter((c) => c.action === 'credentials.match').length;
  const tab = { id: 7, url: 'https://bank.example/login' };
  router.matchAhead(tab);
  await router.handle({ type: 'page.matches' }, frame('https://bank.example/other'));
  assert.equal(asked(), 2, 'another URL of the site (a redirect): asked');
  await router.handle({ type: 'page.matches' }, frame('https://bank.example/login', { frameId: 2 }));
  assert.equal(asked(), 3, 'a frame of the tab: asked');
  clock.at += 10_000;
  await router.handle({ type: 'page.matches' }, frame('https://bank.example/login'));
  assert.equal(asked(), 4, 'ten seconds on: asked');
  router.matchAhead(tab);
  router.forget(); // The vault locked.
  await router.handle({ type: 'page.matches' }, frame('https://bank.example/login'));
  assert.equal(asked(), 6, 'after a lock: asked');
  assert.equal(router.matchAhead({ id: 7, url: 'chrome://settings/' }), null, 'not a web page: nothing asked');
  assert.equal(asked(), 6);
});

test('locked: nothing is asked ahead', () => {
  const { router, calls } = setup({ unlocked: false });
  assert.equal(router.matchAhead({ id: 7, url: 'https://bank.example/login' }), null);
  assert.equal(calls.length, 0);
});

test('the pick port answers page requests for the frame the browser says opened it, and reads a password only at the pick', async () => {
  const own = { ...MATCH, share: undefined };
  const { router, calls } = setup({ matches: [own] });
  const gets = () => calls.filter((c) => c.action === 'credentials.get');
  const port = fakePort('https://bank.example/login', 'pa-pick');
  port.sender = frame('https://bank.example/login');
  assert.equal(router.connect(port), true);
  await port.send({ id: 1, message: { type: 'page.matches' } });
  assert.deepEqual(port.posted[0].reply.matches.map((m) => m.id), ['e1']);
  assert.equal('password' in port.posted[0].reply.matches[0], false);
  // The chooser is open and its port too: no password has been asked of the host yet.
  assert.equal(gets().length, 0);
  // The URL in the message is not the one asked for: the port's sender is.
  await port.send({ id: 2, message: { type: 'page.fill', id: 'e1', account: 'a1', fields: ['username', 'password'], url: 'https://evil.test/' } });
  assert.deepEqual(port.posted[1], { id: 2, reply: { username: 'alice', password: 'pw' } });
  assert.deepEqual(gets().map((c) => c.params), [{ id: 'e1', account: 'a1', purpose: 'fill', url: 'https://bank.example/login' }]);
  // Only page.* requests the background knows, nothing the popup may ask.
  await port.send({ id: 3, message: { type: 'lock' } });
  await port.send({ id: 4, message: { type: 'copy', field: 'password', id: 'e1', account: 'a1' } });
  await port.send({ id: 5, message: { type: 'page.offered', logins: [{ id: 'e1', account: 'a1' }] } });
  for (const i of [2, 3, 4]) assert.equal(port.posted[i].reply.error.code, 'NOT_ALLOWED_HERE');
  assert.equal(calls.some((c) => c.action === 'vault.lock'), false);
  assert.equal(gets().length, 1);
});

test('a pick port opened by no tab (an extension page) is closed at once', () => {
  const { router } = setup();
  const port = fakePort(`${EXT}src/popup/popup.html`, 'pa-pick');
  assert.equal(router.connect(port), true);
  assert.equal(port.disconnected, true);
});
