// SPDX-License-Identifier: MIT
// The popup's views under jsdom against a scripted background (popup-harness.js).
import { test, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { popupDom, fakeRuntime, unlockedState, ACCOUNT, until } from './popup-harness.js';
import { createApp } from '../../src/popup/app.js';
import { changedFields, formValues } from '../../src/popup/views/edit.js';
import { accountToUnlock } from '../../src/popup/views/unlock.js';

const OWN = { account: 'pa-1', id: 'e1', name: 'Bank', username: 'alice', website: 'https://bank.example', hasTotp: true, updatedAt: '2026-01-01T00:00:00Z' };
const SHARED = { account: 'pa-1', id: 'e2', name: 'Team wiki', username: 'team', website: 'https://wiki.example', hasTotp: false, share: { id: 's9', permission: 'read' }, updatedAt: '2026-01-02T00:00:00Z' };
const PASSMAN = { account: 'pm-1', backend: 'passman', server: 'https://cloud.example', user: 'bob', loggedIn: true, unlocked: true, items: 1 };
const PM_ENTRY = { account: 'pm-1', id: 'p1', name: 'Bank (Passman)', username: 'bob', website: 'https://bank.example', hasTotp: false, updatedAt: 'x' };

const stops = [];
const after = (fn) => stops.push(fn);
afterEach(() => { while (stops.length) stops.pop()(); });

function start({ accounts = [ACCOUNT], items = [OWN, SHARED], handlers = {}, actions = {} } = {}) {
  const dom = popupDom();
  const gets = [];
  const runtime = fakeRuntime({
    handlers: {
      state: async () => ({ state: unlockedState(accounts) }),
      'tab.matches': async () => ({ tab: { id: 7, url: 'https://bank.example/login', title: 'Bank' }, matches: items.filter((i) => i.website === 'https://bank.example').map((i) => ({ ...i, shared: Boolean(i.share) })) }),
      copy: async () => ({ copied: true, clearAfterSeconds: 30 }),
      totp: async () => ({ code: '012345', remaining: 20, period: 30, digits: 6 }),
      'tab.fill': async () => ({ filled: true }),
      ...handlers,
    },
    actions: {
      'credentials.list': async ({ query = '' }) => ({ items: items.filter((i) => `${i.name} ${i.username} ${i.website}`.toLowerCase().includes(query.toLowerCase())) }),
      'credentials.get': async (p) => {
        gets.push(p);
        const item = items.find((i) => i.id === p.id);
        return { id: item.id, name: item.name, username: item.username, password: `pw-${item.id}`, notes: 'line 1\nline 2', urls: [item.website], fields: [{ name: 'PIN', value: '4321', hidden: true }, { name: 'Customer no', value: 'C-77', hidden: false }] };
      },
      'passwords.generate': async (p) => ({ password: p.preset === 'pin' ? '123456' : 'Xy7#abcdefgh', entropyBits: 80.4 }),
      ...actions,
    },
  });
  const app = createApp({ document: dom.window.document, runtime, loadSettings: async () => ({ backend: 'passagent', serverUrl: 'https://vault.example', email: '' }) });
  after(() => app.stop());
  return { dom, runtime, app, doc: dom.window.document, gets };
}

const text = (doc, sel) => doc.querySelector(sel)?.textContent ?? '';
const key = (doc, el, k) => el.dispatchEvent(new doc.defaultView.KeyboardEvent('keydown', { key: k, bubbles: true }));

test('typing searches every unlocked account; arrows move and Enter copies an entry not for this tab', async () => {
  const { app, doc, runtime } = start({ accounts: [ACCOUNT, PASSMAN], items: [OWN, SHARED, PM_ENTRY] });
  await app.start();
  const search = doc.getElementById('search');
  search.value = 'wiki';
  search.dispatchEvent(new doc.defaultView.Event('input'));
  // e2 is in the list before the search too: wait for the search's own answer.
  await until(() => runtime.calls.some((c) => c.action === 'credentials.list' && c.params.query === 'wiki')
    && doc.querySelector('#results .entry[data-id="e2"]') && !doc.querySelector('#results .entry[data-id="e1"]'), 'the search result');
  assert.equal(doc.getElementById('site-section').hidden, true, 'the site section hides while searching');
  const call = runtime.calls.findLast((c) => c.action === 'credentials.list');
  assert.deepEqual(call.params, { query: 'wiki', limit: 50 }, 'no account: every unlocked one');
  assert.equal(doc.querySelector('#results .entry').getAttribute('aria-selected'), 'true');
  key(doc, search, 'Enter');
  await until(() => runtime.sent.some((m) => m.type === 'copy'), 'a copy');
  assert.deepEqual(runtime.sent.find((m) => m.type === 'copy'), { type: 'copy', field: 'password', id: 'e2', account: 'pa-1', tabId: 7, text: undefined });
});

test('while a first sync runs the vault says so, and lists again as entries arrive', async () => {
  const arrived = [];
  const { app, doc } = start({ accounts: [{ ...ACCOUNT, items: 0, syncing: true }], items: arrived });
  await app.start();
  await until(() => !doc.getElementById('sync-note').hidden, 'the sync note');
  assert.equal(text(doc, '#sync-note'), 'Syncing… 0 entries so far');
  assert.equal(doc.querySelector('.empty').hidden, true, 'no "no logins yet" while entries are on their way');
  arrived.push(OWN);
  app.applyState(unlockedState([{ ...ACCOUNT, items: 1, syncing: true }]));
  await until(() => doc.querySelector('#matches [data-id="e1"]'), 'the first entry, listed again');
  assert.equal(text(doc, '#sync-note'), 'Syncing… 1 entries so far');
  arrived.push(SHARED);
  app.applyState(unlockedState([{ ...ACCOUNT, items: 2, syncing: false }]));
  await until(() => doc.querySelector('#results .entry[data-id="e2"]'), 'the rest');
  assert.equal(doc.getElementById('sync-note').hidden, true, 'the note goes when the sync ends');
});

test('Enter on a login for the current tab fills it; each result names its account when several are open', async () => {
  const { app, doc, runtime } = start({ accounts: [ACCOUNT, PASSMAN], items: [OWN, PM_ENTRY] });
  await app.start();
  await until(() => doc.querySelectorAll('#matches .match').length === 2, 'both accounts\' matches');
  assert.match(text(doc, '#matches .match[data-account="pm-1"] .account'), /Passman/);
  const search = doc.getElementById('search');
  key(doc, search, 'ArrowDown');
  assert.equal(doc.querySelectorAll('#matches .match')[1].getAttribute('aria-selected'), 'true');
  key(doc, search, 'Enter');
  await until(() => runtime.sent.some((m) => m.type === 'tab.fill'), 'a fill');
  assert.deepEqual(runtime.sent.find((m) => m.type === 'tab.fill'), { type: 'tab.fill', tabId: 7, id: 'p1', account: 'pm-1' });
});

test('details of an own entry: password masked until shown, hidden fields masked, notes kept as lines', async () => {
  const { app, doc, gets } = start();
  await app.start();
  app.router.go('details', { id: 'e1', account: 'pa-1', entry: OWN });
  await until(() => doc.querySelector('.custom-field'), 'the custom fields');
  assert.equal(gets.length, 1);
  assert.equal(gets[0].purpose, 'view');
  assert.match(text(doc, '#password-value'), /^•+$/);
  const pin = doc.querySelector('.custom-field[data-field="PIN"] .value');
  assert.match(pin.textContent, /^•+$/);
  assert.equal(text(doc, '.custom-field[data-field="Customer no"] .value'), 'C-77');
  doc.querySelector('[data-reveal="field-0"]').click();
  await until(() => pin.textContent === '4321', 'the PIN shown');
  doc.querySelector('[data-reveal="password"]').click();
  await until(() => text(doc, '#password-value') === 'pw-e1', 'the password shown');
  assert.equal(gets.length, 1, 'shown from the one read');
  assert.equal(text(doc, '#prop-notes .value'), 'line 1\nline 2');
  assert.ok(doc.getElementById('edit-entry'), 'an own entry can be edited');
});

test('details of a received share read nothing until shown, then once; it cannot be edited', async () => {
  const { app, doc, gets, runtime } = start();
  await app.start();
  app.router.go('details', { id: 'e2', account: 'pa-1', entry: SHARED });
  await new Promise((r) => setTimeout(r, 20));
  assert.equal(gets.length, 0, 'opening logs no view');
  assert.ok(doc.getElementById('shared-by'));
  assert.equal(doc.getElementById('edit-entry'), null);
  doc.querySelector('[data-reveal="password"]').click();
  await until(() => text(doc, '#password-value') === 'pw-e2', 'the password shown');
  assert.equal(gets.length, 1);
  doc.querySelector('[data-reveal="password"]').click();
  await until(() => /^•+$/.test(text(doc, '#password-value')), 'hidden again');
  await until(() => !doc.querySelector('[data-reveal="password"]').disabled, 'the button free');
  doc.querySelector('[data-reveal="password"]').click();
  await until(() => text(doc, '#password-value') === 'pw-e2', 'shown again');
  assert.equal(gets.length, 1, 'shown again without a second read (one logged view)');
  doc.querySelector('#prop-password [data-copy="password"]').click();
  await until(() => runtime.sent.some((m) => m.type === 'copy'), 'the copy');
  assert.equal(runtime.sent.find((m) => m.type === 'copy').field, 'password', 'the copy goes through the background (credentials.get purpose copy)');
});

test('an update sends only what changed, with expectedUpdatedAt', () => {
  const before = formValues({ name: 'Bank', username: 'alice', password: 'a', notes: '', urls: ['https://bank.example'], fields: [] });
  assert.deepEqual(changedFields(before, { ...before, password: 'b' }), { password: 'b' });
  assert.deepEqual(changedFields(before, { ...before, fields: [{ name: 'PIN', value: '1', hidden: true }] }), { fields: [{ name: 'PIN', value: '1', hidden: true }] });
  assert.deepEqual(changedFields(before, before), {});
});

test('editing: a CONFLICT is explained, the edits stay, nothing else is written', async () => {
  const updates = [];
  const { app, doc } = start({
    actions: {
      'credentials.update': async (p) => {
        updates.push(p);
        throw { code: 'CONFLICT', message: 'The entry changed on the server.' };
      },
    },
  });
  await app.start();
  app.router.go('details', { id: 'e1', account: 'pa-1', entry: OWN });
  app.router.go('edit', { id: 'e1', account: 'pa-1', entry: OWN });
  await until(() => doc.getElementById('edit-password').value === 'pw-e1', 'the form filled');
  doc.getElementById('edit-password').value = 'new password';
  doc.getElementById('edit-save').click();
  await until(() => !doc.getElementById('edit-conflict').hidden, 'the conflict notice');
  assert.deepEqual(updates, [{ id: 'e1', account: 'pa-1', password: 'new password', expectedUpdatedAt: OWN.updatedAt }]);
  assert.equal(doc.body.dataset.view, 'edit');
  assert.equal(doc.getElementById('edit-password').value, 'new password', 'the edit is kept');
  assert.match(text(doc, '#edit-conflict'), /Nothing was overwritten/);
});

test('editing in the only account: no account row, and nothing stray above the name', async () => {
  const { app, doc } = start({ items: [OWN] });
  await app.start();
  app.router.go('edit', { id: 'e1', account: 'pa-1', entry: OWN });
  await until(() => doc.getElementById('edit-password').value === 'pw-e1', 'the form filled');
  assert.equal(doc.getElementById('edit-account'), null);
  const form = doc.getElementById('edit-form');
  assert.deepEqual([...form.childNodes].filter((n) => n.nodeType === 3 && n.textContent.trim()).map((n) => n.textContent), [], 'no text outside the fields');
});

test('creating in a Passwork account: the read-only API is named in the message', async () => {
  const PW = { account: 'pw-1', backend: 'passwork', server: 'https://pw.example', user: { email: 'c@example.test' }, loggedIn: true, unlocked: true, items: 0 };
  const { app, doc } = start({
    accounts: [PW],
    items: [],
    actions: { 'credentials.create': async () => { throw { code: 'UNSUPPORTED', message: 'Not supported by this backend.' }; } },
  });
  await app.start();
  app.router.go('edit', {});
  doc.getElementById('edit-name').value = 'New';
  doc.getElementById('edit-save').click();
  await until(() => !doc.getElementById('message').hidden, 'the message');
  assert.match(text(doc, '#message'), /Passwork's API is read-only/);
});

test('the generator remembers its preset and asks the host with its params', async () => {
  const { app, doc, runtime } = start();
  await app.start();
  app.router.go('generator');
  await until(() => text(doc, '#generated') === 'Xy7#abcdefgh', 'a password');
  doc.querySelector('[data-preset="pin"]').click();
  await until(() => text(doc, '#generated') === '123456', 'a PIN');
  assert.deepEqual(runtime.calls.findLast((c) => c.action === 'passwords.generate').params, { preset: 'pin', length: 6 });
  app.router.reset('main');
  app.router.go('generator');
  await until(() => doc.querySelector('[data-preset="pin"][aria-checked="true"]'), 'PIN still chosen');
  doc.getElementById('gen-copy').click();
  await until(() => runtime.sent.some((m) => m.type === 'copy'), 'a copy');
  assert.deepEqual(runtime.sent.find((m) => m.type === 'copy'), { type: 'copy', field: 'text', text: '123456' });
});

test('accounts: each with its state; lock one; a remembered one asks only to unlock', async () => {
  const REMEMBERED = { ...PASSMAN, unlocked: false, remembered: true };
  let accounts = [ACCOUNT, REMEMBERED];
  const { app, doc, runtime } = start({
    handlers: {
      state: async () => ({ state: unlockedState(accounts) }),
      lock: async ({ account }) => {
        accounts = accounts.map((a) => (a.account === account ? { ...a, unlocked: false } : a));
        return { state: unlockedState(accounts) };
      },
    },
  });
  await app.start();
  app.router.go('accounts');
  assert.equal(doc.querySelector('[data-account="pm-1"]').dataset.status, 'remembered');
  doc.querySelector('[data-account="pm-1"] [data-act="unlock"]').click();
  await until(() => doc.body.dataset.view === 'unlock', 'the unlock view');
  assert.match(text(doc, '#view-unlock'), /only your master password/);
  assert.equal(doc.getElementById('unlock-vault-row').hidden, false, 'Passman asks for its vault');
  doc.getElementById('back').click();
  doc.querySelector('[data-account="pa-1"] [data-act="lock"]').click();
  await until(() => runtime.sent.some((m) => m.type === 'lock'), 'the lock');
  assert.deepEqual(runtime.sent.find((m) => m.type === 'lock'), { type: 'lock', account: 'pa-1' });
  assert.equal(accountToUnlock([ACCOUNT, REMEMBERED]).account, 'pm-1');
});

test('Shift+Enter opens the chosen entry\'s details', async () => {
  const { app, doc } = start();
  await app.start();
  await until(() => doc.querySelector('#matches .match'), 'a match');
  doc.getElementById('search').dispatchEvent(new doc.defaultView.KeyboardEvent('keydown', { key: 'Enter', shiftKey: true, bubbles: true }));
  assert.equal(doc.body.dataset.view, 'details');
  assert.equal(doc.getElementById('details-name').textContent, 'Bank');
});

test('a feature adds a button to the details header through ENTRY_ACTIONS', async () => {
  const { ENTRY_ACTIONS } = await import('../../src/popup/views/index.js');
  const opened = [];
  ENTRY_ACTIONS.push({ id: 'example', icon: 'M0 0', label: 'shared', when: (entry) => !entry.share, open: (scope, entry) => opened.push(entry.id) });
  try {
    const { app, doc } = start();
    await app.start();
    app.router.go('details', { id: 'e1', account: 'pa-1', entry: OWN });
    doc.getElementById('entry-action-example').click();
    assert.deepEqual(opened, ['e1']);
    app.router.go('details', { id: 'e2', account: 'pa-1', entry: SHARED });
    assert.equal(doc.getElementById('entry-action-example'), null, 'when() hides it for a share');
  } finally {
    ENTRY_ACTIONS.pop();
  }
});

test('sign-in form: saved settings fill an untouched form, and never what the person already typed', async () => {
  for (const typedFirst of [false, true]) {
    const dom = popupDom();
    const doc = dom.window.document;
    let settle;
    const settings = new Promise((resolve) => { settle = resolve; });
    const runtime = fakeRuntime({ handlers: { state: async () => ({ state: { connected: true, accounts: [] } }) } });
    const app = createApp({ document: doc, runtime, loadSettings: () => settings });
    after(() => app.stop());
    await app.start();
    await until(() => doc.querySelector('#view-login'), 'the sign-in form');
    const $ = (s) => doc.querySelector(s);
    assert.equal($('#view-login').dataset.ready, undefined, 'not ready before the settings are read');
    if (typedFirst) {
      $('#login-backend').value = 'passman';
      $('#login-backend').dispatchEvent(new dom.window.Event('change', { bubbles: true }));
      $('#login-server').value = 'https://typed.example';
      $('#login-server').dispatchEvent(new dom.window.Event('input', { bubbles: true }));
      $('#login-server').focus();
    }
    settle({ backend: 'passagent', serverUrl: 'https://saved.example', email: 'saved@example.test' });
    await until(() => $('#view-login').dataset.ready === 'true', 'the form settled');
    if (typedFirst) {
      assert.equal($('#login-backend').value, 'passman');
      assert.equal($('#login-server').value, 'https://typed.example');
      assert.equal($('#login-email').value, '', 'nothing added to a form being typed in');
      assert.equal(doc.activeElement, $('#login-server'), 'the focus stays where the person is');
    } else {
      assert.equal($('#login-backend').value, 'passagent');
      assert.equal($('#login-server').value, 'https://saved.example');
      assert.equal($('#login-email').value, 'saved@example.test');
      assert.equal(doc.activeElement, $('#login-password'));
    }
  }
});
