// Rate limits (seed 001, seed 000): 429 with Retry-After and the documented bodies.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { start, loggedIn, Client } from '../test-support/helpers.mjs';

let srv;
before(async () => {
  srv = await start({ generalLimit: 5 });
});
after(() => srv.close());

test('the general limit (--general-limit) gives 429 RATE_LIMITED with Retry-After, and counts list pages', async () => {
  const c = await loggedIn(srv);
  await c.test('POST', 'reset-limits');
  for (let i = 0; i < 5; i++) assert.equal((await c.raw('GET', '/api/passwords?limit=10')).status, 200);
  const r = await c.raw('GET', '/api/passwords?limit=10');
  assert.equal(r.status, 429);
  assert.deepEqual(r.body, { error: 'Too many requests', code: 'RATE_LIMITED', status: 429 });
  const wait = Number(r.headers.get('retry-after'));
  assert.ok(wait >= 1 && wait <= 60, `Retry-After ${wait}`);
  // The window slides: after it, requests pass again.
  await c.test('POST', 'clock', { offsetSeconds: 61 });
  assert.equal((await c.raw('GET', '/api/passwords?limit=10')).status, 200);
  await c.test('POST', 'clock', { offsetSeconds: 0 });
  await c.test('POST', 'reset-limits');
  assert.equal((await c.raw('GET', '/api/passwords?limit=10')).status, 200);
});

test('limits are per user', async () => {
  const a = await loggedIn(srv);
  const b = await loggedIn(srv, srv.others[0]);
  await a.test('POST', 'reset-limits');
  for (let i = 0; i < 5; i++) await a.raw('GET', '/api/vault/salt');
  assert.equal((await a.raw('GET', '/api/vault/salt')).status, 429);
  assert.equal((await b.raw('GET', '/api/vault/salt')).status, 200);
  await a.test('POST', 'reset-limits');
});

test('sign-in is limited to 10 per 15 minutes per IP and email, with Retry-After', async () => {
  const c = new Client(srv);
  await c.test('POST', 'reset-limits');
  for (let i = 0; i < 10; i++) {
    const r = await c.auth('password', { email: srv.account.email, password: 'wrong' });
    assert.equal(r.status, 400);
  }
  const r = await c.auth('password', { email: srv.account.email, password: srv.account.password });
  assert.equal(r.status, 429);
  assert.equal(r.body.error, 'over_request_rate_limit');
  const wait = Number(r.headers.get('retry-after'));
  assert.ok(wait > 800 && wait <= 900, `Retry-After ${wait}`);
  // Another email from the same IP is not affected.
  assert.equal((await c.auth('password', { email: srv.others[0].email, password: srv.others[0].password })).status, 200);
  await c.test('POST', 'reset-limits');
});

test('password reveal (the legacy TOTP code) is limited to 30 per minute; GET /api/passwords/{id} is general', async () => {
  const c = await loggedIn(srv);
  await c.test('POST', 'reset-limits');
  const fx = (await c.test('GET', 'fixtures')).body.items.find((i) => i.key === 'example-uk');
  for (let i = 0; i < 30; i++) assert.equal((await c.raw('GET', `/api/passwords/${fx.id}/totp/code`)).status, 200);
  const r = await c.raw('GET', `/api/passwords/${fx.id}/totp/code`);
  assert.equal(r.status, 429);
  assert.equal(r.body.code, 'RATE_LIMITED');
  assert.ok(r.headers.get('retry-after'));
  // The record itself (ciphertext only) counts in the general category (5 here).
  for (let i = 0; i < 5; i++) assert.equal((await c.raw('GET', `/api/passwords/${fx.id}`)).status, 200);
  assert.equal((await c.raw('GET', `/api/passwords/${fx.id}`)).status, 429);
  await c.test('POST', 'reset-limits');
});

test('sharing routes answer 429 as {error, error_code: "rate_limit_exceeded"} after 30 per 60 s', async () => {
  const c = await loggedIn(srv);
  await c.test('POST', 'reset-limits');
  for (let i = 0; i < 30; i++) assert.equal((await c.raw('GET', '/api/sharing?type=owned')).status, 200);
  const r = await c.raw('GET', '/api/sharing?type=owned');
  assert.equal(r.status, 429);
  assert.deepEqual(r.body, { error: 'Too many requests', error_code: 'rate_limit_exceeded' });
  assert.ok(Number(r.headers.get('retry-after')) >= 1);
  await c.test('POST', 'reset-limits');
});
