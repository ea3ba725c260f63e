// SPDX-License-Identifier: MIT
// The detector (content/detector.js): the one script every page gets. It must wake the
// rest for every form forms.js would act on, including forms added later, and for
// nothing else a plain page holds.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { page } from './dom.js';

const NO_LAYOUT = { layout: false };
const settle = () => new Promise((r) => setTimeout(r, 0)); // Mutation records are delivered by then.

/** Watches a page from its start; resolves once it is parsed (DOMContentLoaded), as a browser would be. */
async function watching(html) {
  const p = page(html);
  const found = [];
  const watcher = p.PassAgent.detector.watch(p.document, (el) => found.push(el));
  if (p.document.readyState === 'loading') await new Promise((r) => p.document.addEventListener('DOMContentLoaded', r, { once: true }));
  return { ...p, found, watcher };
}

// Each of these is a form forms.js acts on: a login, a step of an identifier-first
// sign-in, a one-time code, a sign-up or a password change.
const FORMS = {
  login: '<form><input name="username"><input type="password"></form>',
  'login outside a form': '<div><input type="email"><input type="password"></div>',
  'password step': '<form><input type="password" autocomplete="current-password"></form>',
  'username step (label)': '<form><label for="u">Email</label><input id="u"><button>Next</button></form>',
  'username step (type email)': '<form><input type="email"><button>Next</button></form>',
  'username step (autocomplete)': '<form><input autocomplete="username"></form>',
  'one-time code (autocomplete)': '<form><input autocomplete="one-time-code"></form>',
  'one-time code (name)': '<form><input name="totp"></form>',
  'split one-time code': `<form>${'<input maxlength="1">'.repeat(6)}</form>`,
  'sign-up': '<form><input name="user"><input type="password" autocomplete="new-password"><input type="password" autocomplete="new-password"></form>',
  'change, no hints': '<form><input type="password" name="old"><input type="password" name="pw1"><input type="password" name="pw2"></form>',
};

// What a page without a login form holds.
const PLAIN = {
  'search box': '<form role="search"><input type="search" name="q" placeholder="Search"></form>',
  'search as text': '<form><input name="q"></form>',
  'comment box': '<form><textarea name="comment"></textarea><input type="submit" value="Post"></form>',
  'postal code and city': '<form><input name="zip"><input name="city"></form>',
  'checkboxes and a range': '<form><input type="checkbox" name="remember"><input type="range"></form>',
  'one one-character box': '<form><input maxlength="1" name="initial"></form>',
  'text and links': '<h1>News</h1><p>Text <a href="/login">Sign in</a></p><button>Menu</button>',
};

for (const [name, html] of Object.entries(FORMS)) {
  test(`${name}: forms.js acts on it, and the detector wakes for it`, async () => {
    const { PassAgent, document, found } = await watching(html);
    const acted = PassAgent.forms.findTargets(document, NO_LAYOUT).length + PassAgent.forms.findNewPasswordForms(document, NO_LAYOUT).length;
    assert.ok(acted > 0, 'forms.js finds it');
    assert.equal(found.length, 1, 'the detector wakes once');
  });
}

for (const [name, html] of Object.entries(PLAIN)) {
  test(`${name}: no login form, and the detector stays asleep`, async () => {
    const { found } = await watching(html);
    assert.equal(found.length, 0);
  });
}

test('a login form added by script after load wakes the detector', async () => {
  const { document, found, $ } = await watching(PLAIN['text and links']);
  const div = document.createElement('div');
  div.innerHTML = FORMS.login;
  document.body.append(div);
  await settle();
  assert.equal(found.length, 1);
  assert.equal(found[0].form, $('form'));
});

test('a page drawn in steps wakes the detector only when its form comes', async () => {
  const { document, found } = await watching('');
  document.body.insertAdjacentHTML('beforeend', '<p>Loading…</p>');
  await settle();
  assert.equal(found.length, 0, 'nothing yet');
  document.body.insertAdjacentHTML('beforeend', FORMS['username step (label)']);
  await settle();
  assert.equal(found.length, 1);
});

test('a text field that becomes a password field wakes the detector', async () => {
  const { found, $ } = await watching('<form><input id="p" name="secret-thing"></form>');
  assert.equal(found.length, 0);
  $('#p').setAttribute('type', 'password');
  await settle();
  assert.equal(found.length, 1);
});

test('a form added and submitted in one task is seen by flush() before the submit is handled', async () => {
  const { document, found, watcher } = await watching('');
  document.body.insertAdjacentHTML('beforeend', FORMS.login);
  assert.equal(found.length, 0, 'the mutation records are not delivered yet');
  assert.equal(watcher.flush(), true);
  assert.equal(found.length, 1);
});

test('after waking once the detector stops watching', async () => {
  const { document, found } = await watching(FORMS.login);
  document.body.insertAdjacentHTML('beforeend', FORMS.login);
  await settle();
  assert.equal(found.length, 1);
});

test('stop() ends the watch: a form added afterwards wakes nothing', async () => {
  const { document, found, watcher } = await watching('');
  watcher.stop();
  document.body.insertAdjacentHTML('beforeend', FORMS.login);
  await settle();
  assert.equal(found.length, 0);
});

test('like forms.js, the detector does not look inside shadow roots', async () => {
  const { PassAgent, document, found } = await watching('<div id="host"></div>');
  const shadow = document.getElementById('host').attachShadow({ mode: 'open' });
  shadow.innerHTML = FORMS.login;
  await settle();
  assert.equal(found.length, 0);
  assert.equal(PassAgent.forms.findTargets(document, NO_LAYOUT).length, 0);
});

test('while the page is parsed the detector looks at nothing; a submit then (flush) makes it look at once', () => {
  const { PassAgent, document } = page(FORMS.login);
  assert.equal(document.readyState, 'loading');
  const found = [];
  const watcher = PassAgent.detector.watch(document, (el) => found.push(el));
  assert.equal(found.length, 0);
  assert.equal(watcher.flush(), true);
  assert.equal(found.length, 1);
});

test('in Node (no extension API) the detector starts nothing of its own', () => {
  const { PassAgent } = page(FORMS.login);
  assert.equal(PassAgent.started, undefined);
  assert.equal(PassAgent.detector.handOver, undefined);
});
