// SPDX-License-Identifier: MIT
import { test, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { popupDom, fakeRuntime, unlockedState, ACCOUNT, until } from './popup-harness.js';
import { createApp, gateView } from '../../src/popup/app.js';

const MATCH = { account: 'pa-1', id: 'e1', name: 'Bank', username: 'alice', website: 'https://bank.example', hasTotp: false, shared: false };

let running = null;
afterEach(() => running?.stop());

function start({ state = unlockedState(), handlers = {}, actions = {} } = {}) {
  const dom = popupDom();
  const runtime = fakeRuntime({
    handlers: {
      state: async () => ({ state }),
      'tab.matches': async () => ({ tab: { id: 7, url: 'https://bank.example/login', title: 'Bank' }, matches: [MATCH] }),
      ...handlers,
    },
    actions: { 'credentials.list': async () => ({ items: [] }), ...actions },
  });
  const app = createApp({ document: dom.window.document, runtime, loadSettings: async () => ({ backend: 'passagent', serverUrl: 'https://vault.example', email: '' }) });
  running = app;
  return { dom, runtime, app, doc: dom.window.document };
}

test('the gate sends a person to the host problem, sign-in, unlock or the vault', () => {
  assert.equal(gateView({ connected: false }), 'host');
  assert.equal(gateView({ connected: true, accounts: [] }), 'login');
  assert.equal(gateView({ connected: true, accounts: [{ ...ACCOUNT, unlocked: false }] }), 'unlock');
  assert.equal(gateView(unlockedState()), 'main');
});

test('an unlocked vault opens on the search box and the current site\'s logins', async () => {
  const { app, doc } = start();
  await app.start();
  assert.equal(doc.body.dataset.view, 'main');
  await until(() => doc.querySelector('#matches .match'), 'a match row');
  assert.equal(doc.querySelector('#matches .match .name').textContent, 'Bank');
  assert.equal(doc.activeElement.id, 'search');
  assert.equal(doc.getElementById('nav').hidden, false);
});

test('a state broadcast that locks every account moves the popup to unlock, with no back step', async () => {
  const { app, doc, runtime } = start();
  await app.start();
  runtime.broadcast(unlockedState([{ ...ACCOUNT, unlocked: false }]));
  assert.equal(doc.body.dataset.view, 'unlock');
  assert.equal(doc.getElementById('back').hidden, true);
  assert.equal(doc.getElementById('nav').hidden, true);
});

test('back returns to the view before and runs the left view\'s cleanups', async () => {
  const { app, doc } = start();
  await app.start();
  app.router.go('accounts');
  assert.equal(doc.body.dataset.view, 'accounts');
  assert.equal(doc.getElementById('back').hidden, false);
  doc.getElementById('back').click();
  assert.equal(doc.body.dataset.view, 'main');
});

test('a host error names the backend it came from', async () => {
  const { app, doc } = start();
  await app.start();
  app.context.fail({ code: 'NETWORK', message: 'The server cannot be reached.' }, 'pa-1');
  assert.equal(doc.getElementById('message').textContent, 'PassAgent: The server cannot be reached.');
  app.context.fail({ code: 'UNSUPPORTED', message: 'Not supported.' }, { backend: 'passwork' });
  assert.match(doc.getElementById('message').textContent, /Passwork's API is read-only/);
});

test('no host: the popup leaves "connecting" for the host problem, in words', async () => {
  const { app, doc } = start({ state: { connected: false, hostError: { code: 'HOST_NOT_INSTALLED', message: 'The PassAgent helper program (passagent-host) is not installed for this browser.' }, loggedIn: false, unlocked: false, accounts: [] } });
  await app.start();
  assert.equal(doc.body.dataset.view, 'host');
  assert.match(doc.getElementById('host-problem').textContent, /not installed/);
});

test('a click on a row opens its details with what the list knew (no name lost)', async () => {
  const { app, doc } = start();
  await app.start();
  await until(() => doc.querySelector('#matches .match'), 'a match row');
  doc.querySelector('#matches .match .name').click();
  assert.equal(doc.body.dataset.view, 'details');
  assert.equal(doc.getElementById('details-name').textContent, 'Bank');
});
