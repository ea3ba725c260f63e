// Test mode: fault injection, the request log, and /__test being absent without --test.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { start, loggedIn, FAST_KDF } from '../test-support/helpers.mjs';
import { startServer } from '../lib/server.mjs';

let srv;
let c;
before(async () => {
  srv = await start();
  c = await loggedIn(srv);
});
after(() => srv.close());

test('fail the next N matching requests with a status and body', async () => {
  await c.test('POST', 'fault', { match: { method: 'GET', path: '/api/vault/salt' }, times: 2, status: 503, body: { error: 'down' } });
  const a = await c.raw('GET', '/api/vault/salt');
  const b = await c.raw('GET', '/api/vault/salt');
  const d = await c.raw('GET', '/api/vault/salt');
  assert.deepEqual([a.status, b.status, d.status], [503, 503, 200]);
  assert.deepEqual(a.body, { error: 'down' });
  // Method filters.
  await c.test('POST', 'fault', { match: { method: 'POST', path: '/api/vault/salt' }, status: 500 });
  assert.equal((await c.raw('GET', '/api/vault/salt')).status, 200);
  await c.test('POST', 'reset');
});

test('an injected 429 carries Retry-After; a regex matches the query too', async () => {
  await c.test('POST', 'fault', { match: { pathRegex: '^/api/passwords\\?.*cursor=' }, status: 429 });
  assert.equal((await c.raw('GET', '/api/passwords?limit=5')).status, 200);
  const first = await c.raw('GET', '/api/passwords?limit=5');
  const r = await c.raw('GET', `/api/passwords?limit=5&cursor=${first.body.pagination.nextCursor}`);
  assert.equal(r.status, 429);
  assert.equal(r.headers.get('retry-after'), '1');
  assert.deepEqual(r.body, { error: 'Injected fault', code: 'RATE_LIMITED', status: 429 });
});

test('delay, drop and truncate', async () => {
  await c.test('POST', 'fault', { match: { path: '/api/vault/keys' }, delayMs: 300 });
  const t0 = Date.now();
  assert.equal((await c.raw('GET', '/api/vault/keys')).status, 200);
  assert.ok(Date.now() - t0 >= 280);

  await c.test('POST', 'fault', { match: { path: '/api/vault/keys' }, drop: true });
  await assert.rejects(c.raw('GET', '/api/vault/keys'));

  await c.test('POST', 'fault', { match: { path: '/api/vault/keys' }, truncate: true });
  await assert.rejects(c.raw('GET', '/api/vault/keys'));
  assert.equal((await c.raw('GET', '/api/vault/keys')).status, 200);
});

test('the request log records method, path, status and time; reset clears it', async () => {
  await c.test('POST', 'reset');
  await c.raw('GET', '/api/passwords?limit=3');
  await c.raw('GET', '/api/nowhere');
  const log = (await c.test('GET', 'requests')).body.requests;
  assert.deepEqual(log.map((l) => [l.method, l.path, l.status]), [['GET', '/api/passwords', 200], ['GET', '/api/nowhere', 404]]);
  assert.equal(log[0].query, '?limit=3');
  assert.equal(log[0].email, srv.account.email);
  assert.ok(!Number.isNaN(Date.parse(log[0].time)));
});

test('without --test the /__test routes do not exist', async () => {
  const plain = await startServer({ seed: 1, items: 16, kdf: FAST_KDF });
  try {
    const r = await fetch(`${plain.url}/__test/requests`);
    assert.equal(r.status, 404);
  } finally {
    await plain.close();
  }
});
