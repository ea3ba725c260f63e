// SPDX-License-Identifier: MIT
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createPrepared, PREPARE_MAX, PREPARED_MS } from '../../src/background/prepared.js';

const FRAME = { key: '7:0:https://bank.example', url: 'https://bank.example/login' };
const login = (id) => ({ id, account: 'a1', name: id });

function setup({ fail = false } = {}) {
  const asked = [];
  let clock = 1000;
  const timers = { setTimeout: () => 1, clearTimeout: () => {} };
  const prepared = createPrepared({
    request: async (action, params) => {
      asked.push({ action, params });
      if (fail) throw new Error('locked');
      return { username: `user-${params.id}`, password: `pw-${params.id}`, notes: 'not kept' };
    },
    now: () => clock,
    timers,
  });
  return { prepared, asked, tick: (ms) => { clock += ms; } };
}

test('reads the first few listed logins for a fill, bound to the frame URL', async () => {
  const { prepared, asked } = setup();
  const listed = Array.from({ length: PREPARE_MAX + 2 }, (_, i) => login(`e${i}`));
  assert.equal(prepared.prepare(FRAME, listed), PREPARE_MAX);
  assert.equal(asked.length, PREPARE_MAX);
  assert.deepEqual(asked[0], { action: 'credentials.get', params: { id: 'e0', account: 'a1', purpose: 'fill', url: FRAME.url, background: true } });
  assert.deepEqual(await prepared.take(FRAME, login('e1')), { username: 'user-e1', password: 'pw-e1' });
});

test('one pick, one use: the rest read for the frame goes with it', async () => {
  const { prepared } = setup();
  prepared.prepare(FRAME, [login('e1'), login('e2')]);
  assert.deepEqual(await prepared.take(FRAME, login('e2')), { username: 'user-e2', password: 'pw-e2' });
  assert.equal(await prepared.take(FRAME, login('e1')), null);
  assert.equal(prepared.size(), 0);
});

test('a received share is never read ahead', () => {
  const { prepared, asked } = setup();
  assert.equal(prepared.prepare(FRAME, [{ ...login('e1'), share: { id: 's1' } }]), 0);
  assert.equal(asked.length, 0);
});

test('the same list shown again is not read again; a different one replaces it', () => {
  const { prepared, asked } = setup();
  prepared.prepare(FRAME, [login('e1')]);
  prepared.prepare(FRAME, [login('e1')]);
  assert.equal(asked.length, 1);
  prepared.prepare(FRAME, [login('e2')]);
  assert.equal(asked.length, 2);
});

test('too old, failed, or forgotten: the pick gets nothing and asks the host itself', async () => {
  const old = setup();
  old.prepared.prepare(FRAME, [login('e1')]);
  old.tick(PREPARED_MS);
  assert.equal(await old.prepared.take(FRAME, login('e1')), null);

  const failed = setup({ fail: true });
  failed.prepared.prepare(FRAME, [login('e1')]);
  assert.equal(await failed.prepared.take(FRAME, login('e1')), null);

  const { prepared } = setup();
  prepared.prepare(FRAME, [login('e1')]);
  prepared.prepare({ key: '8:0:https://bank.example', url: FRAME.url }, [login('e1')]);
  prepared.forget(7);
  assert.equal(prepared.size(), 1);
  assert.equal(await prepared.take(FRAME, login('e1')), null);
  prepared.forget();
  assert.equal(prepared.size(), 0);
});
