// SPDX-License-Identifier: MIT
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { page } from './dom.js';

const NO_LAYOUT = { layout: false };

function read(html, values) {
  const { PassAgent, document, $ } = page(html);
  for (const [selector, value] of Object.entries(values)) $(selector).value = value;
  const attempt = PassAgent.capture.read(document, null, NO_LAYOUT);
  if (attempt) delete attempt.field;
  return attempt ? { ...attempt } : null;
}

test('a login form yields its username and password', () => {
  assert.deepEqual(read(`<form><input id="u" autocomplete="username"><input id="p" type="password"></form>`, { '#u': 'alice', '#p': 'pw' }),
    { kind: 'login', username: 'alice', password: 'pw', current: '' });
});

test('an empty password is no sign-in', () => {
  assert.equal(read(`<form><input id="u" autocomplete="username"><input id="p" type="password"></form>`, { '#u': 'alice' }), null);
});

test('a sign-up form yields the new password when the confirmation agrees', () => {
  const html = `<form><input id="u" type="email"><input id="n" type="password" autocomplete="new-password"><input id="c" type="password" autocomplete="new-password"></form>`;
  assert.deepEqual(read(html, { '#u': 'bob@example.test', '#n': 'fresh', '#c': 'fresh' }), { kind: 'signup', username: 'bob@example.test', password: 'fresh', current: '' });
  assert.equal(read(html, { '#u': 'bob@example.test', '#n': 'fresh', '#c': 'typo' }), null, 'a mismatch the page will refuse');
});

test('a change form without autocomplete hints: the first of three is the current password', () => {
  const html = `<form><input id="a" type="password" name="old"><input id="b" type="password" name="pw1"><input id="c" type="password" name="pw2"></form>`;
  assert.deepEqual(read(html, { '#a': 'old', '#b': 'new', '#c': 'new' }), { kind: 'change', username: '', password: 'new', current: 'old' });
});

test('a change form that names its account only in a hidden field yields that username', () => {
  const html = `<form><input type="hidden" name="csrf" value="t0k3n"><input type="hidden" name="username" value="alice@example.test">
    <input id="a" type="password" autocomplete="current-password"><input id="b" type="password" autocomplete="new-password"><input id="c" type="password" autocomplete="new-password"></form>`;
  assert.deepEqual(read(html, { '#a': 'old', '#b': 'new', '#c': 'new' }), { kind: 'change', username: 'alice@example.test', password: 'new', current: 'old' });
  const signup = `<form><input type="hidden" name="username" value="alice@example.test"><input id="b" type="password" autocomplete="new-password"><input id="c" type="password" autocomplete="new-password"></form>`;
  assert.equal(read(signup, { '#b': 'new', '#c': 'new' }).username, '', 'a sign-up form shows the username it takes');
});

test('the username step of an identifier-first sign-in is reported without a password', () => {
  assert.deepEqual(read(`<form><label for="u">Email</label><input id="u" type="email"></form>`, { '#u': 'carol@example.test' }),
    { kind: 'username', username: 'carol@example.test', password: '', current: '' });
});

test('sign-up forms are found with their new and confirmation fields; a login form is not one', () => {
  const { PassAgent, document, $ } = page(`
    <form id="f1"><input id="u" name="username"><input id="n" type="password" name="password"><input id="c" type="password" name="confirm"></form>
    <form id="f2"><input name="user"><input type="password" autocomplete="current-password"></form>`);
  const found = Array.from(PassAgent.forms.findNewPasswordForms(document, NO_LAYOUT));
  assert.equal(found.length, 1);
  assert.equal(found[0].kind, 'signup');
  assert.equal(found[0].username, $('#u'));
  assert.deepEqual(Array.from(found[0].fresh), [$('#n'), $('#c')]);
});

test('a submit the detector kept while capture.js loaded is decided with the values the fields had then', async () => {
  const { PassAgent, document, window, $ } = page(`<form id="f"><input id="u" autocomplete="username"><input id="p" type="password"></form>`);
  $('#u').value = 'alice';
  $('#p').value = 'pw-then';
  const kept = [];
  const values = () => new Map(Array.from(document.getElementsByTagName('input'), (el) => [el, el.value]));
  document.addEventListener('submit', (event) => kept.push({ event, values: values() }), true); // As the detector does.
  $('#f').addEventListener('submit', (event) => event.preventDefault()); // A script-driven sign-in.
  $('#f').requestSubmit();
  $('#p').value = ''; // The page clears the field before capture.js is there.
  const attempts = [];
  PassAgent.capture.start({ doc: document, onAttempt: (attempt, confirmed) => attempts.push({ ...attempt, confirmed }), early: kept, options: NO_LAYOUT });
  await new Promise((r) => window.setTimeout(r, 0));
  assert.deepEqual(attempts, [{ kind: 'login', username: 'alice', password: 'pw-then', current: '', confirmed: false }]);
});

test('a submit the page let go ahead, kept while capture.js loaded, is reported as a sign-in that went ahead', async () => {
  const { PassAgent, document, window, $ } = page(`<form id="f" action="javascript:void 0"><input id="u" autocomplete="username"><input id="p" type="password"></form>`);
  $('#u').value = 'bob';
  $('#p').value = 'pw';
  const kept = [];
  document.addEventListener('submit', (event) => kept.push({ event, values: new Map() }), true);
  $('#f').requestSubmit();
  const attempts = [];
  PassAgent.capture.start({ doc: document, onAttempt: (attempt, confirmed) => attempts.push({ ...attempt, confirmed }), early: kept, options: NO_LAYOUT });
  await new Promise((r) => window.setTimeout(r, 0));
  assert.deepEqual(attempts, [{ kind: 'login', username: 'bob', password: 'pw', current: '', confirmed: true }]);
});
