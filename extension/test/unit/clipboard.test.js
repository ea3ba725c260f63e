// SPDX-License-Identifier: MIT
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createClipboard, CLEAR_ALARM, CLEAR_KEY } from '../../src/background/clipboard.js';
import { digestText } from '../../src/shared/clipboard-dom.js';

function fakeBrowser() {
  const store = new Map();
  const session = {
    async get(key) { return store.has(key) ? { [key]: structuredClone(store.get(key)) } : {}; },
    async set(items) { for (const [k, v] of Object.entries(items)) store.set(k, structuredClone(v)); },
    async remove(key) { store.delete(key); },
  };
  const listeners = [];
  const created = new Map();
  const alarms = {
    async create(name, info) { created.set(name, info); },
    async clear(name) { return created.delete(name); },
    onAlarm: { addListener: (fn) => listeners.push(fn) },
    fire(name) { listeners.forEach((fn) => fn({ name })); },
  };
  const runs = [];
  const run = async (type, payload) => {
    runs.push({ type, payload });
    return type === 'clipboard.write' ? { ok: true } : { outcome: 'cleared' };
  };
  return { store, session, alarms, created, runs, run };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 20));

test('a copy schedules its clear in session storage and an alarm, keeping only a digest', async () => {
  const b = fakeBrowser();
  const clipboard = createClipboard({ getClearSeconds: async () => 30, session: b.session, alarms: b.alarms, run: b.run, canRead: async () => false });
  const reply = await clipboard.copy('s3cret');
  assert.deepEqual(reply, { clearAfterSeconds: 30 });
  assert.ok(b.created.has(CLEAR_ALARM));
  const job = b.store.get(CLEAR_KEY);
  assert.equal(job.digest, await digestText('s3cret'));
  assert.equal(JSON.stringify(job).includes('s3cret'), false);
  await clipboard.clearNow(); // Stops the in-memory timer of this test.
});

test('a worker started again clears on the alarm what the one before scheduled', async () => {
  const b = fakeBrowser();
  const first = createClipboard({ getClearSeconds: async () => 30, session: b.session, alarms: b.alarms, run: b.run, canRead: async () => false });
  await first.copy('s3cret');
  // The worker stops: its timer is gone with it (only the alarm and session storage remain).
  const restarted = [];
  const alarms = { ...b.alarms, onAlarm: { addListener: (fn) => restarted.push(fn) } };
  createClipboard({ getClearSeconds: async () => 30, session: b.session, alarms, run: b.run, canRead: async () => false });
  restarted.forEach((fn) => fn({ name: CLEAR_ALARM }));
  await settle();
  const clears = b.runs.filter((r) => r.type === 'clipboard.clear');
  assert.equal(clears.length, 1);
  assert.equal(clears[0].payload.digest, await digestText('s3cret'));
  assert.equal(b.store.has(CLEAR_KEY), false);
  assert.equal(b.created.has(CLEAR_ALARM), false);
  await first.clearNow();
});

test('a worker that starts after the clear was due clears at once', async () => {
  const b = fakeBrowser();
  await b.session.set({ [CLEAR_KEY]: { digest: await digestText('old'), at: Date.now() - 1000 } });
  createClipboard({ getClearSeconds: async () => 30, session: b.session, alarms: b.alarms, run: b.run, canRead: async () => false });
  await settle();
  assert.equal(b.runs.filter((r) => r.type === 'clipboard.clear').length, 1);
});

test('clear now (the vault locked) clears once, and nothing is left to clear after', async () => {
  const b = fakeBrowser();
  const clipboard = createClipboard({ getClearSeconds: async () => 30, session: b.session, alarms: b.alarms, run: b.run, canRead: async () => false });
  await clipboard.copy('s3cret');
  await Promise.all([clipboard.clearNow(), clipboard.clearNow()]);
  assert.equal(b.runs.filter((r) => r.type === 'clipboard.clear').length, 1);
  assert.equal(await clipboard.clearNow(), null);
});
