// SPDX-License-Identifier: MIT
// The background's session shares: created once, followed through the host's progress
// events, the URL and token kept only until passed on, managed by key.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createSessionShares, absoluteUrl, WATCH_MS } from '../../src/background/session-shares.js';
import { HostError } from '../../src/background/native-client.js';

/** A host client whose sessionShares.create is driven by the test. */
function scriptedClient() {
  const calls = [];
  let create;
  return {
    calls,
    get create() { return create; },
    request(action, params, options = {}) {
      calls.push({ action, params, options });
      if (action === 'sessionShares.create') {
        return new Promise((resolve, reject) => { create = { resolve, reject, progress: options.onProgress }; });
      }
      if (action === 'sessionShares.update') return Promise.resolve({ success: true, session: { status: params.action === 'pause' ? 'paused' : 'active', expiresAt: '2030-01-01T00:15:00Z' } });
      if (action === 'sessionShares.delete') return Promise.resolve({ sessionId: params.sessionId, deleted: true });
      return Promise.reject(new HostError({ code: 'UNKNOWN_ACTION' }));
    },
  };
}

test('a session share is listed from its first status event, and follows the stream', async () => {
  const client = scriptedClient();
  const shares = createSessionShares({ client, serverOf: () => 'http://127.0.0.1:9' });
  const started = shares.handlers['sessionShares.start']({ id: 'pwd_1', account: 'a', name: 'Bank', options: { durationMinutes: 30, maxViewers: 2, viewOnly: true, nope: 1 } });
  await Promise.resolve();
  const call = client.calls[0];
  assert.equal(call.action, 'sessionShares.create');
  assert.deepEqual(call.params, { id: 'pwd_1', durationMinutes: 30, maxViewers: 2, viewOnly: true, watch: true, account: 'a' });
  assert.equal(call.options.timeoutMs, WATCH_MS);
  client.create.progress('sessionShare.status', { type: 'status', status: 'login_in_progress', currentViewers: 0, sessionId: 'sess_1' });
  const { share } = await started;
  assert.equal(share.status, 'login_in_progress');
  assert.equal(share.sessionId, 'sess_1');
  assert.equal(share.watching, true);
  client.create.progress('sessionShare.status', { type: 'status', status: 'active', currentViewers: 2, sessionId: 'sess_1' });
  let [listed] = (await shares.handlers['sessionShares.list']()).shares;
  assert.equal(listed.viewers, 2);
  client.create.resolve({ id: 'sess_1', shareToken: 'tok', shareUrl: '/s/tok', status: 'login_in_progress', expiresAt: '2030-01-01T00:00:00Z', final: { type: 'complete', status: 'active' } });
  await new Promise((r) => setTimeout(r, 0));
  [listed] = (await shares.handlers['sessionShares.list']()).shares;
  assert.equal(listed.shareUrl, 'http://127.0.0.1:9/s/tok');
  assert.equal(listed.shareToken, 'tok');
  assert.equal(listed.status, 'active');
  assert.equal(listed.watching, false);
  await shares.handlers['sessionShares.taken']({ key: listed.key });
  [listed] = (await shares.handlers['sessionShares.list']()).shares;
  assert.equal(listed.shareToken, null, 'the token is not kept once passed on');
  const paused = await shares.handlers['sessionShares.update']({ key: listed.key, action: 'pause' });
  assert.equal(paused.share.status, 'paused');
  assert.deepEqual(client.calls.at(-1).params, { sessionId: 'sess_1', action: 'pause', account: 'a' });
  await shares.handlers['sessionShares.delete']({ key: listed.key });
  assert.deepEqual((await shares.handlers['sessionShares.list']()).shares, []);
});

test('a create refused before anything was made rejects, so the popup can step up', async () => {
  const client = scriptedClient();
  const shares = createSessionShares({ client });
  const started = shares.handlers['sessionShares.start']({ id: 'pwd_1', options: {} });
  await Promise.resolve();
  client.create.reject(new HostError({ code: 'STEP_UP_REQUIRED', message: 'Sign in again.' }));
  await assert.rejects(started, { code: 'STEP_UP_REQUIRED' });
  assert.deepEqual((await shares.handlers['sessionShares.list']()).shares, []);
});

test('only the extension\'s own pages may use it', () => {
  const shares = createSessionShares({ client: scriptedClient() });
  let reply;
  const kept = shares.listen({ type: 'sessionShares.list' }, { url: 'https://evil.example/' }, (r) => { reply = r; }, () => false);
  assert.equal(kept, false);
  assert.equal(reply.error.code, 'NOT_ALLOWED_HERE');
  assert.equal(shares.listen({ type: 'state' }, {}, () => {}, () => true), undefined, 'other messages are not ours');
});

test('share URLs are made absolute against the account\'s server', () => {
  assert.equal(absoluteUrl('/s/abc', 'https://vault.example'), 'https://vault.example/s/abc');
  assert.equal(absoluteUrl('https://other.example/s/x', 'https://vault.example'), 'https://other.example/s/x');
});

test('until the final reply names the end, it is the start plus the duration, marked as an estimate', async () => {
  const client = scriptedClient();
  const at = Date.parse('2030-01-01T09:00:00Z');
  const shares = createSessionShares({ client, now: () => at });
  const started = shares.handlers['sessionShares.start']({ id: 'pwd_1', name: 'Bank', options: { durationMinutes: 20 } });
  await Promise.resolve();
  client.create.progress('sessionShare.status', { type: 'status', status: 'active', currentViewers: 0, sessionId: 'sess_1' });
  const { share } = await started;
  assert.equal(share.expiresAt, '2030-01-01T09:20:00.000Z');
  assert.equal(share.expiresEstimated, true);
  client.create.resolve({ id: 'sess_1', shareToken: 'tok', shareUrl: '/s/tok', expiresAt: '2030-01-01T09:20:03Z' });
  await new Promise((r) => setTimeout(r, 0));
  const [listed] = (await shares.handlers['sessionShares.list']()).shares;
  assert.equal(listed.expiresAt, '2030-01-01T09:20:03Z');
  assert.equal(listed.expiresEstimated, false);

  // A later start counts from that start.
  const later = shares.handlers['sessionShares.start']({ id: 'pwd_2', name: 'Mail', options: { durationMinutes: 15, scheduledStart: '2030-01-02T08:00:00Z' } });
  await Promise.resolve();
  client.create.progress('sessionShare.status', { type: 'status', status: 'scheduled', sessionId: 'sess_2' });
  assert.equal((await later).share.expiresAt, '2030-01-02T08:15:00.000Z');
});
