// SPDX-License-Identifier: MIT
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { NativeClient, HostError, backoffDelay } from '../../src/background/native-client.js';
import { FakePort, ManualTimers } from './fake-port.js';

function setup(overrides = {}) {
  const timers = new ManualTimers();
  const ports = [];
  const pushes = [];
  const statuses = [];
  const client = new NativeClient({
    connect: () => {
      const port = new FakePort();
      ports.push(port);
      return port;
    },
    onPush: (p) => pushes.push(p),
    onStatus: (s) => statuses.push(s),
    timers,
    now: () => timers.now,
    random: () => 1,
    readDisconnectReason: (port) => port.error?.message ?? '',
    ...overrides,
  });
  return { client, timers, ports, pushes, statuses, port: () => ports.at(-1) };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

test('start says hello and reports the connection once the host answers', async () => {
  const { client, port, statuses } = setup();
  client.start();
  const hello = port().lastRequest('hello');
  assert.deepEqual(hello, { id: hello.id, action: 'hello' });
  port().reply({ id: hello.id, ok: true, result: { protocol: 1, accounts: [] } });
  await tick();
  assert.equal(statuses.at(-1).connected, true);
  assert.equal(statuses.at(-1).hello.protocol, 1);
});

test('replies that come out of order are paired by id', async () => {
  const { client, port } = setup();
  client.start();
  const slow = client.request('vault.sync', {});
  const fast = client.request('totp.code', { id: 'e1' });
  const [syncId, totpId] = [port().lastRequest('vault.sync').id, port().lastRequest('totp.code').id];
  assert.notEqual(syncId, totpId);
  port().reply({ id: totpId, ok: true, result: { code: '123456' } });
  port().reply({ id: syncId, ok: true, result: { items: 3 } });
  assert.deepEqual(await fast, { code: '123456' });
  assert.deepEqual(await slow, { items: 3 });
  assert.equal(client.pendingCount, 1, 'only hello is still waiting');
});

test('an error reply rejects with a HostError carrying the code and extra fields', async () => {
  const { client, port } = setup();
  client.start();
  const login = client.request('session.login', { email: 'a@b' });
  port().reply({ id: port().lastRequest('session.login').id, ok: false, error: { code: 'RATE_LIMITED', message: 'Wait.', retryAfter: 30 } });
  await assert.rejects(login, (error) => error instanceof HostError && error.code === 'RATE_LIMITED' && error.retryAfter === 30 && error.message === 'Wait.');
});

test('a request times out and its late reply is dropped', async () => {
  const { client, port, timers } = setup({ timeouts: { default: 1000 } });
  client.start();
  const match = client.request('credentials.match', { url: 'https://a.example/' });
  const id = port().lastRequest('credentials.match').id;
  timers.advance(999);
  assert.equal(client.pendingCount, 2); // hello + match
  timers.advance(1);
  await assert.rejects(match, { code: 'TIMEOUT' });
  port().reply({ id, ok: true, result: { matches: [] } }); // must not throw or resolve anything
  assert.equal(client.pendingCount, 0, 'hello timed out too');
});

test('slow actions get their own, longer timeout', async () => {
  const { client, timers } = setup();
  client.start();
  const unlock = client.request('vault.unlock', { masterPassword: 'x' });
  let settled = false;
  unlock.catch(() => { settled = true; });
  timers.advance(60_000);
  await tick();
  assert.equal(settled, false);
  timers.advance(60_000);
  await assert.rejects(unlock, { code: 'TIMEOUT' });
});

test('progress events reach the caller before the final reply', async () => {
  const { client, port } = setup();
  client.start();
  const seen = [];
  const sync = client.request('vault.sync', {}, { onProgress: (event, data) => seen.push([event, data]) });
  const id = port().lastRequest('vault.sync').id;
  port().reply({ id, event: 'sync', data: { done: 1, total: 2 } });
  port().reply({ id, ok: true, result: { items: 2 } });
  assert.deepEqual(await sync, { items: 2 });
  assert.deepEqual(seen, [['sync', { done: 1, total: 2 }]]);
});

test('pushes without an id go to onPush', () => {
  const { client, port, pushes } = setup();
  client.start();
  port().reply({ event: 'locked', data: { account: 'a' } });
  port().reply({ event: 'unlocked' });
  assert.deepEqual(pushes, [{ event: 'locked', data: { account: 'a' } }, { event: 'unlocked', data: {} }]);
});

test('an error with id null pairs with nothing and rejects nothing', () => {
  const { client, port } = setup();
  client.start();
  client.request('status').catch(() => {});
  port().reply({ id: null, ok: false, error: { code: 'BAD_FRAME', message: 'x' } });
  assert.equal(client.pendingCount, 2);
});

test('when the port drops every pending request is rejected', async () => {
  const { client, port, statuses } = setup();
  client.start();
  const a = client.request('credentials.get', { id: 'e1', purpose: 'fill', url: 'https://a/' });
  const b = client.request('totp.code', { id: 'e1' });
  port().drop('Native host has exited.');
  await assert.rejects(a, { code: 'HOST_DISCONNECTED' });
  await assert.rejects(b, { code: 'HOST_DISCONNECTED' });
  assert.equal(client.pendingCount, 0);
  assert.equal(statuses.at(-1).connected, false);
});

test('a missing host is reported as not installed', async () => {
  const { client, port } = setup();
  client.start();
  const status = client.request('status');
  port().drop('Specified native messaging host not found.');
  await assert.rejects(status, { code: 'HOST_NOT_INSTALLED' });
});

test('reconnects with growing backoff, capped', () => {
  const { client, ports, timers, port } = setup({ backoff: { initialMs: 100, maxMs: 1000, factor: 2, stableMs: 10_000 } });
  client.start();
  const delays = [];
  for (let i = 0; i < 6; i += 1) {
    port().drop();
    delays.push(timers.pending.at(-1));
    timers.advance(timers.pending.at(-1));
  }
  assert.deepEqual(delays, [100, 200, 400, 800, 1000, 1000]);
  assert.equal(ports.length, 7);
});

test('backoff starts over after a connection that stayed up', () => {
  const { client, timers, port } = setup({ backoff: { initialMs: 100, maxMs: 1000, factor: 2, stableMs: 5000 } });
  client.start();
  port().drop();
  timers.advance(100);
  port().drop();
  assert.equal(timers.pending.at(-1), 200);
  timers.advance(200);
  timers.advance(6000); // the new port stays up
  port().drop();
  assert.equal(timers.pending.at(-1), 100);
});

test('a request while disconnected reconnects at once instead of waiting out the backoff', async () => {
  const { client, ports, timers, port } = setup({ backoff: { initialMs: 10_000, maxMs: 10_000, factor: 2, stableMs: 1 } });
  client.start();
  port().drop();
  assert.equal(ports.length, 1);
  const match = client.request('credentials.match', { url: 'https://a/' });
  assert.equal(ports.length, 2);
  assert.equal(timers.pending.filter((d) => d === 10_000).length, 0, 'backoff timer cancelled');
  port().reply({ id: port().lastRequest('credentials.match').id, ok: true, result: { matches: [] } });
  assert.deepEqual(await match, { matches: [] });
});

test('a reply on a dropped port does not settle a request of the new port', async () => {
  const { client, ports, port } = setup();
  client.start();
  const old = ports[0];
  old.drop();
  const status = client.request('status');
  const id = port().lastRequest('status').id;
  old.reply({ id, ok: true, result: { stale: true } });
  port().reply({ id, ok: true, result: { accounts: [] } });
  assert.deepEqual(await status, { accounts: [] });
});

test('stop rejects pending requests and does not reconnect', async () => {
  const { client, ports, timers } = setup();
  client.start();
  const status = client.request('status');
  client.stop();
  await assert.rejects(status, { code: 'HOST_DISCONNECTED' });
  timers.advance(60_000);
  assert.equal(ports.length, 1);
  await assert.rejects(client.request('status'), { code: 'HOST_DISCONNECTED' });
});

test('backoffDelay spreads retries between half and all of the step', () => {
  const opts = { initialMs: 1000, maxMs: 8000, factor: 2 };
  assert.equal(backoffDelay(0, opts, () => 0), 500);
  assert.equal(backoffDelay(0, opts, () => 1), 1000);
  assert.equal(backoffDelay(10, opts, () => 1), 8000);
});
