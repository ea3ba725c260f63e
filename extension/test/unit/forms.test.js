// SPDX-License-Identifier: MIT
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { page } from './dom.js';

test('a plain login form yields one login target with its username and password', () => {
  const { find, $ } = page(`
    <form><input name="q" type="search">
      <input id="u" name="username"><input id="p" type="password"><button>Sign in</button></form>`);
  const [target, ...rest] = find();
  assert.equal(rest.length, 0);
  assert.equal(target.kind, 'login');
  assert.equal(target.username, $('#u'));
  assert.equal(target.password, $('#p'));
});

test('fields outside any form are grouped together', () => {
  const { find, $ } = page(`<div><input id="e" type="email"><input id="p" type="password"></div>`);
  const [target] = find();
  assert.equal(target.kind, 'login');
  assert.equal(target.username, $('#e'));
});

test('autocomplete=username wins over an earlier text field', () => {
  const { find, $ } = page(`<form><input id="name" name="fullname"><input id="u" autocomplete="username"><input type="password"></form>`);
  assert.equal(find()[0].username, $('#u'));
});

test('identifier-first: a username step alone is a username target', () => {
  const { find, $ } = page(`<form><label for="u">Email</label><input id="u" type="email"><button>Next</button></form>`);
  const [target] = find();
  assert.equal(target.kind, 'username');
  assert.equal(target.username, $('#u'));
  assert.equal(target.password, null);
});

test('identifier-first: the password step alone is a password target', () => {
  const { find, $ } = page(`<form><input type="password" id="p" autocomplete="current-password"><button>Sign in</button></form>`);
  const [target] = find();
  assert.equal(target.kind, 'password');
  assert.equal(target.password, $('#p'));
});

test('identifier-first: a hidden password field on the username page is ignored', () => {
  const { find } = page(`<form><input id="u" name="identifier"><input type="password" style="display:none"><button>Next</button></form>`);
  const kinds = find().map((t) => t.kind);
  assert.deepEqual(kinds, ['username']);
});

test('a search box alone is not a username step', () => {
  const { find } = page(`<form role="search"><input name="q" placeholder="Search"></form>`);
  assert.deepEqual(find(), []);
});

test('hidden fields are never targets: type hidden, display none, visibility hidden, hidden attribute, opacity 0', () => {
  const { find } = page(`
    <form><input type="hidden" name="username"><input type="password" style="visibility:hidden"></form>
    <form><div style="display:none"><input name="user"><input type="password"></div></form>
    <form hidden><input name="login"><input type="password"></form>
    <form><input name="email" style="opacity:0"><input type="password" style="opacity:0"></form>`);
  assert.deepEqual(find(), []);
});

test('a field with no size or pushed off the page is hidden when layout is known', () => {
  const { PassAgent, $ } = page(`<input id="a" name="user"><input id="b" name="user2">`);
  const rect = (r) => () => ({ width: 100, height: 20, left: 0, top: 0, right: 100, bottom: 20, ...r });
  $('#a').getBoundingClientRect = rect({ width: 0, height: 0 });
  $('#b').getBoundingClientRect = rect({ left: -5000, right: -4900 });
  assert.equal(PassAgent.forms.isFieldVisible($('#a')), false);
  assert.equal(PassAgent.forms.isFieldVisible($('#b')), false);
  $('#b').getBoundingClientRect = rect({});
  assert.equal(PassAgent.forms.isFieldVisible($('#b')), true);
});

test('sign-up and change-password forms are not login targets', () => {
  const { find } = page(`
    <form><input name="email"><input type="password" autocomplete="new-password"><input type="password" autocomplete="new-password"></form>
    <form><input name="user"><input type="password"><input type="password"></form>`);
  assert.deepEqual(find(), []);
});

test('a change form with a current-password field targets that field', () => {
  const { find, $ } = page(`<form><input type="password" id="cur" autocomplete="current-password"><input type="password" autocomplete="new-password"></form>`);
  const [target] = find();
  assert.equal(target.password, $('#cur'));
});

test('one-time code fields: autocomplete, names, and six one-character boxes', () => {
  const single = page(`<form><input id="c" autocomplete="one-time-code" inputmode="numeric"></form>`);
  assert.deepEqual(single.find().map((t) => t.kind), ['otp']);
  assert.equal(single.find()[0].otp[0], single.$('#c'));

  const named = page(`<form><label for="t">Authentication code</label><input id="t" name="totp"></form>`);
  assert.deepEqual(named.find().map((t) => t.kind), ['otp']);

  const split = page(`<form>${'<input maxlength="1" inputmode="numeric">'.repeat(6)}</form>`);
  const [target] = split.find();
  assert.equal(target.kind, 'otp');
  assert.equal(target.otp.length, 6);
});

test('an OTP field next to a login form does not become its username', () => {
  const { find, $ } = page(`<form><input id="u" name="username"><input type="password"><input name="otp" autocomplete="one-time-code"></form>`);
  const login = find().find((t) => t.kind === 'login');
  assert.equal(login.username, $('#u'));
  assert.ok(find().some((t) => t.kind === 'otp'));
});

test('a same-origin iframe is scanned by its own copy of the script', () => {
  const { document, find } = page(`<iframe id="f"></iframe>`);
  const frameDoc = document.getElementById('f').contentDocument;
  frameDoc.body.innerHTML = '<form><input name="username"><input type="password"></form>';
  assert.deepEqual(find().map((t) => t.kind), [], 'the top document has no form of its own');
  const inFrame = find(frameDoc);
  assert.deepEqual(inFrame.map((t) => t.kind), ['login']);
});
