// Supabase Auth on the same origin: password and refresh grants, apikey, error
// shapes, single-use refresh tokens with the 10 s reuse window, logout, expiry.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { start, Client, jwtPayload } from '../test-support/helpers.mjs';

let srv;
before(async () => {
  srv = await start({ tokenTtl: 600 });
});
after(() => srv.close());

test('a request to /auth/v1 without the apikey header gets 401 "No API key found in request"', async () => {
  const c = new Client(srv);
  const r = await c.auth('password', { email: srv.account.email, password: srv.account.password }, {});
  assert.equal(r.status, 401);
  assert.equal(r.body.message, 'No API key found in request');
  const wrong = await c.auth('password', { email: srv.account.email, password: srv.account.password }, { apikey: 'nope' });
  assert.equal(wrong.status, 401);
});

test('the password grant answers the Supabase token reply with an HS256 JWT', async () => {
  const c = new Client(srv);
  const r = await c.auth('password', { email: srv.account.email, password: srv.account.password });
  assert.equal(r.status, 200);
  const b = r.body;
  assert.equal(b.token_type, 'bearer');
  assert.equal(b.expires_in, 600);
  assert.equal(typeof b.expires_at, 'number');
  assert.equal(typeof b.refresh_token, 'string');
  assert.equal(b.user.email, srv.account.email);
  assert.equal(b.user.aud, 'authenticated');
  const header = JSON.parse(Buffer.from(b.access_token.split('.')[0], 'base64url'));
  assert.equal(header.alg, 'HS256');
  const p = jwtPayload(b.access_token);
  assert.equal(p.sub, b.user.id);
  assert.equal(p.aud, 'authenticated');
  assert.equal(p.exp, b.expires_at);
  assert.equal(typeof p.session_id, 'string');
  assert.equal(p.aal, 'aal1');
});

test('wrong credentials give 400 in each of the three auth error shapes', async () => {
  const c = new Client(srv);
  const bad = { email: srv.account.email, password: 'wrong' };
  let r = await c.auth('password', bad);
  assert.equal(r.status, 400);
  assert.deepEqual(r.body, { error: 'invalid_grant', error_description: 'Invalid login credentials' });
  await c.test('POST', 'auth-error-shape', { shape: 'error_code' });
  r = await c.auth('password', bad);
  assert.deepEqual(r.body, { code: 400, error_code: 'invalid_credentials', msg: 'Invalid login credentials' });
  await c.test('POST', 'auth-error-shape', { shape: 'code' });
  r = await c.auth('password', bad);
  assert.deepEqual(r.body, { code: 'invalid_credentials', message: 'Invalid login credentials' });
  await c.test('POST', 'auth-error-shape', { shape: 'error' });
  const unknown = await c.auth('password', { email: 'nobody@passagent.test', password: 'x' });
  assert.equal(unknown.status, 400);
  assert.equal(unknown.body.error, 'invalid_grant');
  await c.test('POST', 'reset-limits');
});

test('a refresh token works once; a reuse within 10 s gets the replacement; after 10 s it revokes the session', async () => {
  const c = new Client(srv);
  const first = await c.login();
  const r1 = await c.auth('refresh_token', { refresh_token: first.refresh_token });
  assert.equal(r1.status, 200);
  assert.notEqual(r1.body.refresh_token, first.refresh_token);
  assert.equal(jwtPayload(r1.body.access_token).session_id, jwtPayload(first.access_token).session_id);

  // Within the reuse window: the same replacement comes back.
  const r2 = await c.auth('refresh_token', { refresh_token: first.refresh_token });
  assert.equal(r2.status, 200);
  assert.equal(r2.body.refresh_token, r1.body.refresh_token);

  // After the window: reuse is theft; the whole session goes.
  await c.test('POST', 'clock', { offsetSeconds: 11 });
  try {
    const r3 = await c.auth('refresh_token', { refresh_token: first.refresh_token });
    assert.equal(r3.status, 400);
    assert.equal(r3.body.error, 'invalid_grant');
    assert.match(r3.body.error_description, /Already Used/);
    const child = await c.auth('refresh_token', { refresh_token: r1.body.refresh_token });
    assert.equal(child.status, 400);
    const api = await c.raw('GET', '/api/vault/salt', { token: r1.body.access_token });
    assert.equal(api.status, 401);
    assert.equal(api.body.code, 'UNAUTHORIZED');
  } finally {
    await c.test('POST', 'clock', { offsetSeconds: 0 });
  }
});

test('an unknown refresh token and an unknown grant type are 400', async () => {
  const c = new Client(srv);
  const r = await c.auth('refresh_token', { refresh_token: 'nope' });
  assert.equal(r.status, 400);
  assert.match(r.body.error_description, /Not Found/);
  const g = await c.auth('magic', {});
  assert.equal(g.status, 400);
  assert.equal(g.body.error, 'unsupported_grant_type');
});

test('access tokens expire after --token-ttl and /__test/expire-token kills them at once', async () => {
  const c = new Client(srv);
  await c.login();
  assert.equal((await c.raw('GET', '/api/vault/salt')).status, 200);
  await c.test('POST', 'clock', { offsetSeconds: 601 });
  const expired = await c.raw('GET', '/api/vault/salt');
  await c.test('POST', 'clock', { offsetSeconds: 0 });
  assert.equal(expired.status, 401);
  assert.deepEqual(Object.keys(expired.body).sort(), ['code', 'error', 'status']);

  assert.equal((await c.raw('GET', '/api/vault/salt')).status, 200);
  await c.test('POST', 'expire-token', { email: srv.account.email });
  assert.equal((await c.raw('GET', '/api/vault/salt')).status, 401);
  // The refresh token still gives a fresh access token.
  const r = await c.auth('refresh_token', { refresh_token: c.refreshToken });
  assert.equal(r.status, 200);
  assert.equal((await c.raw('GET', '/api/vault/salt', { token: r.body.access_token })).status, 200);
});

test('logout revokes the session; /auth/v1/user describes the signed-in user', async () => {
  const c = new Client(srv);
  await c.login();
  const u = await c.raw('GET', '/auth/v1/user', { headers: { apikey: srv.anonKey } });
  assert.equal(u.status, 200);
  assert.equal(u.body.email, srv.account.email);
  const out = await c.raw('POST', '/auth/v1/logout', { headers: { apikey: srv.anonKey } });
  assert.equal(out.status, 204);
  assert.equal((await c.raw('GET', '/api/vault/salt')).status, 401);
  assert.equal((await c.auth('refresh_token', { refresh_token: c.refreshToken })).status, 400);
});

test('a missing bearer token on /api is 401 UNAUTHORIZED with the error envelope', async () => {
  const r = await new Client(srv).raw('GET', '/api/passwords');
  assert.equal(r.status, 401);
  assert.deepEqual(r.body, { error: 'Authentication required', code: 'UNAUTHORIZED', status: 401 });
});
