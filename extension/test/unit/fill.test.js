// SPDX-License-Identifier: MIT
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { page } from './dom.js';

const NO_LAYOUT = { layout: false };

/** What React does to an input: an own `value` property that records every assignment. */
function reactControlled(window, input) {
  const proto = Object.getOwnPropertyDescriptor(window.HTMLInputElement.prototype, 'value');
  const tracker = { value: input.value };
  Object.defineProperty(input, 'value', {
    configurable: true,
    get() { return proto.get.call(this); },
    set(v) { tracker.value = String(v); proto.set.call(this, v); },
  });
  const changes = [];
  input.addEventListener('input', () => {
    // React fires onChange only when the DOM value differs from the tracked one.
    if (input.value !== tracker.value) {
      tracker.value = input.value;
      changes.push(input.value);
    }
  });
  return changes;
}

test('filling sets the value and fires input and change that bubble', () => {
  const { PassAgent, find, $, document } = page(`<form><input id="u" name="username"><input id="p" type="password"></form>`);
  const events = [];
  document.addEventListener('input', (e) => events.push(`input:${e.target.id}`));
  document.addEventListener('change', (e) => events.push(`change:${e.target.id}`));
  const filled = PassAgent.fill.fillLogin(find()[0], { username: 'alice', password: 's3cret' }, NO_LAYOUT);
  assert.equal(filled, 2);
  assert.equal($('#u').value, 'alice');
  assert.equal($('#p').value, 's3cret');
  assert.deepEqual(events, ['input:u', 'change:u', 'input:p', 'change:p']);
});

test('each field has the focus before its events, but the password field gets it once its value is in', () => {
  const { PassAgent, find, $, document } = page(`<form><input id="u" name="username"><input id="p" type="password"></form>`);
  const events = [];
  for (const type of ['focus', 'blur', 'input', 'change']) {
    document.addEventListener(type, (e) => events.push(`${type}:${e.target.id}:${e.target.value ? 'set' : 'empty'}`), true);
  }
  PassAgent.fill.fillLogin(find()[0], { username: 'alice', password: 's3cret' }, NO_LAYOUT);
  assert.deepEqual(events, ['focus:u:empty', 'input:u:set', 'change:u:set', 'input:p:set', 'change:p:set', 'blur:u:set', 'focus:p:set']);
  assert.equal(document.activeElement, $('#p'), 'Enter now submits the form');
});

test('a React-style controlled input notices the fill', () => {
  const { PassAgent, find, $, window } = page(`<form><input id="u" name="username"><input id="p" type="password"></form>`);
  const userChanges = reactControlled(window, $('#u'));
  const passChanges = reactControlled(window, $('#p'));
  PassAgent.fill.fillLogin(find()[0], { username: 'alice', password: 'pw' }, NO_LAYOUT);
  assert.deepEqual(userChanges, ['alice']);
  assert.deepEqual(passChanges, ['pw']);
});

test('a plain assignment would have been missed by the same React-style input', () => {
  const { $, window } = page(`<input id="u">`);
  const changes = reactControlled(window, $('#u'));
  $('#u').value = 'x';
  $('#u').dispatchEvent(new window.Event('input', { bubbles: true }));
  assert.deepEqual(changes, []);
});

test('a field hidden after detection is not filled', () => {
  const { PassAgent, find, $ } = page(`<form><input id="u" name="username"><input id="p" type="password"></form>`);
  const target = find()[0];
  $('#p').style.display = 'none';
  assert.equal(PassAgent.fill.fillLogin(target, { username: 'a', password: 'b' }, NO_LAYOUT), 1);
  assert.equal($('#p').value, '');
});

test('a one-time code goes into one field or is spread over the boxes', () => {
  const single = page(`<input id="c" autocomplete="one-time-code">`);
  single.PassAgent.fill.fillOtp(single.find()[0], '012345', NO_LAYOUT);
  assert.equal(single.$('#c').value, '012345');

  const split = page(`<form>${'<input maxlength="1">'.repeat(6)}</form>`);
  const target = split.find()[0];
  assert.equal(split.PassAgent.fill.fillOtp(target, '098765', NO_LAYOUT), 6);
  assert.deepEqual(target.otp.map((el) => el.value).join(''), '098765');
  assert.equal(split.PassAgent.fill.fillOtp(target, '1234', NO_LAYOUT), 0, 'wrong length: nothing');
});
