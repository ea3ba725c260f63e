// Account 2FA (seed 002): enroll, verify, status, disable; one-time recovery
// codes; the MFA gate on /api for aal1 sessions of enrolled users.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { start, loggedIn, jwtPayload } from '../test-support/helpers.mjs';
import { b32decode, rfc6238 } from '../test-support/independent.mjs';

let srv;
before(async () => {
  srv = await start();
});
after(() => srv.close());

const codeFor = (secret, offset = 0) => rfc6238(b32decode(secret), Date.now() / 1000 + offset);

test('enroll, confirm with a TOTP code, then sign-in needs /api/2fa/verify before /api works', async () => {
  const friend = srv.others[0];
  const c = await loggedIn(srv, friend);
  assert.deepEqual((await c.raw('GET', '/api/2fa/status')).body, { enrolled: false, method: null, enrolledAt: null });
  const e = await c.api('POST', '/api/2fa/enroll');
  assert.equal(e.status, 200);
  assert.match(e.body.secret, /^[A-Z2-7]+$/);
  assert.equal(e.body.qrCodeUri, `otpauth://totp/PassAgent%3A${encodeURIComponent(friend.email)}?secret=${e.body.secret}&issuer=PassAgent`);
  assert.equal(e.body.recoveryCodes.length, 8);

  const wrong = await c.api('POST', '/api/2fa/verify', { code: '000000' === codeFor(e.body.secret) ? '111111' : '000000' });
  assert.equal(wrong.status, 401);
  assert.deepEqual(wrong.body, { error: 'Invalid verification code', verified: false });
  assert.equal((await c.raw('GET', '/api/2fa/status')).body.enrolled, false);

  const ok = await c.api('POST', '/api/2fa/verify', { code: codeFor(e.body.secret) });
  assert.deepEqual(ok.body, { verified: true });
  const st = (await c.raw('GET', '/api/2fa/status')).body;
  assert.equal(st.enrolled, true);
  assert.equal(st.method, 'totp');
  assert.ok(st.enrolledAt);
  assert.equal((await c.raw('GET', '/api/passwords')).status, 200, 'the enrolling session is verified');

  // A new sign-in is aal1 and gated.
  const d = await loggedIn(srv, friend);
  assert.equal(jwtPayload(d.token).aal, 'aal1');
  const gated = await d.raw('GET', '/api/passwords');
  assert.equal(gated.status, 401);
  assert.deepEqual(gated.body, { error: 'Two-factor authentication required', code: 'MFA_REQUIRED', status: 401 });
  assert.equal((await d.raw('GET', '/api/2fa/status')).status, 200, '/api/2fa/* is open');
  assert.equal((await d.raw('GET', '/api/auth/csrf-token')).status, 200);
  assert.deepEqual((await d.api('POST', '/api/2fa/verify', { code: codeFor(e.body.secret) })).body, { verified: true });
  assert.equal((await d.raw('GET', '/api/passwords')).status, 200);
  // Refreshed tokens carry aal2.
  const r = await d.auth('refresh_token', { refresh_token: d.refreshToken });
  assert.equal(jwtPayload(r.body.access_token).aal, 'aal2');

  // A recovery code works once.
  const code = e.body.recoveryCodes[0];
  const s1 = await loggedIn(srv, friend);
  assert.deepEqual((await s1.api('POST', '/api/2fa/verify', { code })).body, { verified: true });
  const s2 = await loggedIn(srv, friend);
  assert.equal((await s2.api('POST', '/api/2fa/verify', { code })).status, 401);

  // Enrolling twice is a conflict; disabling needs a valid code.
  assert.equal((await d.api('POST', '/api/2fa/enroll')).status, 409);
  assert.equal((await d.api('POST', '/api/2fa/disable', { code: 'abcdef' })).status, 401);
  assert.deepEqual((await d.api('POST', '/api/2fa/disable', { code: codeFor(e.body.secret) })).body, { success: true });
  assert.equal((await d.raw('GET', '/api/2fa/status')).body.enrolled, false);
  const free = await loggedIn(srv, friend);
  assert.equal((await free.raw('GET', '/api/passwords')).status, 200);
});

test('the mfa fixture user is enrolled: gated until a code from its printed secret', async () => {
  const mfa = srv.others.find((o) => o.totpSecret);
  const c = await loggedIn(srv, mfa);
  assert.equal((await c.raw('GET', '/api/vault/salt')).body.code, 'MFA_REQUIRED');
  assert.deepEqual((await c.api('POST', '/api/2fa/verify', { code: codeFor(mfa.totpSecret) })).body, { verified: true });
  assert.equal((await c.raw('GET', '/api/vault/salt')).status, 200);
  const c2 = await loggedIn(srv, mfa);
  assert.deepEqual((await c2.api('POST', '/api/2fa/verify', { code: mfa.recoveryCodes[0] })).body, { verified: true });
});

test('2FA enrollment is limited to 5 per 15 minutes', async () => {
  const alice = srv.others[1];
  const c = await loggedIn(srv, alice);
  await c.test('POST', 'reset-limits');
  for (let i = 0; i < 5; i++) assert.equal((await c.api('POST', '/api/2fa/enroll')).status, 200);
  const r = await c.api('POST', '/api/2fa/enroll');
  assert.equal(r.status, 429);
  assert.equal(r.body.code, 'RATE_LIMITED');
  assert.ok(Number(r.headers.get('retry-after')) > 800);
  await c.test('POST', 'reset-limits');
});
