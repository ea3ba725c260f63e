// CSRF (seed 001): every POST/PATCH/DELETE under /api needs x-csrf-token.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { start, loggedIn, Client } from '../test-support/helpers.mjs';

let srv;
before(async () => {
  srv = await start();
});
after(() => srv.close());

const item = { name: 'CSRF probe', url: 'https://csrf.example/', username: 'u', encrypted_password: { iv: 'AAAAAAAAAAAAAAAA', ciphertext: 'AAAAAAAAAAAAAAAAAAAAAA==' } };

test('the CSRF route needs no bearer token and gives a fresh token each time', async () => {
  const c = new Client(srv);
  const a = await c.raw('GET', '/api/auth/csrf-token');
  const b = await c.raw('GET', '/api/auth/csrf-token');
  assert.equal(a.status, 200);
  assert.equal(typeof a.body.csrfToken, 'string');
  assert.notEqual(a.body.csrfToken, b.body.csrfToken);
});

test('a mutation without a CSRF token, or with a wrong one, is 403 "Invalid CSRF token"', async () => {
  const c = await loggedIn(srv);
  for (const [method, path] of [['POST', '/api/passwords'], ['PATCH', '/api/passwords/x'], ['DELETE', '/api/passwords/x'], ['POST', '/api/sharing'], ['POST', '/api/2fa/enroll']]) {
    const r = await c.raw(method, path, { body: item });
    assert.equal(r.status, 403, `${method} ${path}`);
    assert.deepEqual(r.body, { error: 'Invalid CSRF token', code: 'FORBIDDEN', status: 403 });
    const w = await c.raw(method, path, { body: item, csrf: 'made-up' });
    assert.equal(w.status, 403);
  }
});

test('several tokens stay valid; rotate-csrf invalidates them all; a refetched one works', async () => {
  const c = await loggedIn(srv);
  const t1 = (await c.raw('GET', '/api/auth/csrf-token')).body.csrfToken;
  const t2 = (await c.raw('GET', '/api/auth/csrf-token')).body.csrfToken;
  assert.equal((await c.raw('POST', '/api/passwords', { body: item, csrf: t1 })).status, 201);
  assert.equal((await c.raw('POST', '/api/passwords', { body: item, csrf: t2 })).status, 201);
  await c.test('POST', 'rotate-csrf');
  assert.equal((await c.raw('POST', '/api/passwords', { body: item, csrf: t1 })).status, 403);
  const t3 = (await c.raw('GET', '/api/auth/csrf-token')).body.csrfToken;
  assert.equal((await c.raw('POST', '/api/passwords', { body: item, csrf: t3 })).status, 201);
});

test('the /auth/v1 routes need no CSRF token', async () => {
  const c = new Client(srv);
  const r = await c.auth('password', { email: srv.account.email, password: srv.account.password });
  assert.equal(r.status, 200);
});
