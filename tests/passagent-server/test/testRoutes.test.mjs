// The /__test/ routes the extension's tests lean on: creating users (who can sign in,
// unlock, receive shares and enrol 2FA with real RFC 6238 codes) and changing a
// session share's viewer count while its status stream is open.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { start, loggedIn, Client, openSse } from '../test-support/helpers.mjs';
import { b32decode, rfc6238 } from '../test-support/independent.mjs';
import { aesGcmDecrypt, deriveVaultKey, importAesKey, unb64 } from '../lib/crypto.mjs';

let srv;
let c;
let fx;
before(async () => {
  srv = await start({ sseIntervalMs: 40 });
  c = await loggedIn(srv);
  fx = Object.fromEntries((await c.test('GET', 'fixtures')).body.items.map((i) => [i.key, i]));
});
after(() => srv.close());

const openStream = (path, token) => openSse(srv, path, token);

async function untilActive(stream) {
  for (;;) {
    const e = await stream.next();
    assert.ok(e, 'the stream ended before the share was active');
    if (e.event === 'status' && e.data.status === 'active') return e;
  }
}

// The first status event with `count` viewers; the ones before it must carry `was`.
async function nextCount(stream, was, count) {
  for (;;) {
    const e = await stream.next();
    assert.ok(e && e.event === 'status' && e.data.status === 'active', JSON.stringify(e));
    if (e.data.currentViewers === count) return e;
    assert.equal(e.data.currentViewers, was);
  }
}

const newShare = async (extra = {}) => {
  await c.test('POST', 'reset-limits');
  const r = await c.api('POST', '/api/session-shares', { accountId: fx['github-work'].id, decryptedUsername: 'demo-work', decryptedPassword: 'gh-W0rk-Secret!', maxViewers: 3, ...extra });
  assert.equal(r.status, 201);
  return r.body;
};

test('POST /__test/users makes an account that signs in, unlocks with its master password and has an empty vault', async () => {
  const creds = { email: 'new.user@passagent.test', password: 'New-User-Passw0rd!', masterPassword: 'new user master passphrase' };
  const made = await c.test('POST', 'users', creds);
  assert.equal(made.status, 201);
  assert.equal(made.body.email, creds.email);
  assert.match(made.body.id, /^[0-9a-f-]{36}$/);
  assert.equal((await c.test('POST', 'users', creds)).status, 409, 'the same email twice');
  const bad = await c.test('POST', 'users', { email: 'not-an-email', password: 'x' });
  assert.equal(bad.status, 400);
  assert.deepEqual(bad.body.details.map((d) => d.field).sort(), ['email', 'masterPassword']);

  const u = await loggedIn(srv, creds);
  const salt = (await u.raw('GET', '/api/vault/salt')).body;
  const vaultKey = await importAesKey(await deriveVaultKey(creds.masterPassword, unb64(salt.salt), salt.kdf));
  assert.equal(new TextDecoder().decode(await aesGcmDecrypt(vaultKey, unb64(salt.verifier.iv), unb64(salt.verifier.ciphertext))), 'passagent-vault-verifier');
  assert.deepEqual((await u.raw('GET', '/api/passwords')).body.data, []);
  assert.equal((await u.raw('GET', `/api/users/public-key?email=${encodeURIComponent(creds.email)}`)).status, 200);
  const fixtures = (await c.test('GET', 'fixtures')).body.users;
  assert.ok(fixtures.some((x) => x.email === creds.email));
});

test('a created user receives a share from the demo user and accepts it', async () => {
  const creds = { email: 'recipient@passagent.test', password: 'Recipient-Passw0rd!', masterPassword: 'recipient master' };
  await c.test('POST', 'users', creds);
  await c.test('POST', 'reset-limits');
  const sharer = await loggedIn(srv);
  const r = await sharer.api('POST', '/api/sharing', { accountId: fx.localhost.id, recipientEmail: creds.email, wrapped_item_key: Buffer.alloc(256).toString('base64') });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  const u = await loggedIn(srv, creds);
  const received = (await u.raw('GET', '/api/sharing?type=received')).body.shares;
  assert.equal(received.length, 1);
  assert.equal(received[0].status, 'pending');
  const ok = await u.api('PATCH', `/api/sharing/${received[0].id}`, { status: 'active' });
  assert.equal(ok.status, 200);
  assert.equal(ok.body.share.status, 'active');
});

test('2FA enrol, verify and disable with real RFC 6238 codes on a created user', async () => {
  const creds = { email: 'twofa@passagent.test', password: 'Twofa-Passw0rd!', masterPassword: 'twofa master' };
  await c.test('POST', 'users', creds);
  const u = await loggedIn(srv, creds);
  const e = await u.api('POST', '/api/2fa/enroll');
  assert.equal(e.status, 200);
  const code = () => rfc6238(b32decode(e.body.secret), Date.now() / 1000);
  assert.deepEqual((await u.api('POST', '/api/2fa/verify', { code: code() })).body, { verified: true });
  assert.equal((await u.raw('GET', '/api/2fa/status')).body.enrolled, true);
  const gated = await loggedIn(srv, creds);
  assert.equal((await gated.raw('GET', '/api/passwords')).body.code, 'MFA_REQUIRED');
  assert.deepEqual((await u.api('POST', '/api/2fa/disable', { code: code() })).body, { success: true });
  assert.equal((await gated.raw('GET', '/api/passwords')).status, 200, 'no gate once disabled');

  // A user made with totpSecret starts enrolled: sign-in is gated until a real code.
  const pre = { email: 'enrolled@passagent.test', password: 'Enrolled-Passw0rd!', masterPassword: 'enrolled master', totpSecret: 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ' };
  assert.equal((await c.test('POST', 'users', pre)).status, 201);
  const e2 = await loggedIn(srv, pre);
  assert.equal((await e2.raw('GET', '/api/passwords')).body.code, 'MFA_REQUIRED');
  const preCode = rfc6238(b32decode(pre.totpSecret), Date.now() / 1000);
  assert.deepEqual((await e2.api('POST', '/api/2fa/verify', { code: preCode })).body, { verified: true });
  assert.equal((await e2.raw('GET', '/api/passwords')).status, 200);
});

test('by default the status stream completes once active (seed 000), reporting one viewer', async () => {
  const s = await newShare();
  const stream = await openStream(`/api/session-shares/${s.id}/status`, c.token);
  const active = await untilActive(stream);
  assert.equal(active.data.currentViewers, 1);
  assert.deepEqual((await stream.next()).event, 'complete');
  assert.equal(await stream.next(), null);
});

test('with completeOn "end" a viewer change while active streams a new status event at once', async () => {
  assert.deepEqual((await c.test('POST', 'session-shares/stream-mode', { completeOn: 'end' })).body, { completeOn: 'end' });
  try {
    const s = await newShare();
    const stream = await openStream(`/api/session-shares/${s.id}/status`, c.token);
    await untilActive(stream);
    const set = await c.test('POST', `session-shares/${s.id}/viewers`, { count: 2 });
    assert.deepEqual(set.body, { id: s.id, currentViewers: 2, maxViewers: 3 });
    // Polls sent before the change may still be in flight: they carry the old count.
    let e = await nextCount(stream, 1, 2);
    assert.deepEqual([e.event, e.data.status, e.data.currentViewers], ['status', 'active', 2]);
    await c.test('POST', `session-shares/${s.id}/viewers`, { add: 1 });
    e = await nextCount(stream, 2, 3);
    assert.equal(e.data.currentViewers, 3);
    assert.equal((await c.test('POST', `session-shares/${s.id}/viewers`, { add: 1 })).status, 400, 'over maxViewers');
    assert.equal((await c.test('POST', `session-shares/${s.id}/viewers`, { count: 1, add: 1 })).status, 400);
    assert.equal((await c.test('POST', 'session-shares/sess_nope/viewers', { count: 1 })).status, 404);
    // Revoking ends the stream with complete.
    await c.api('PATCH', `/api/session-shares/${s.id}`, { action: 'revoke' });
    for (;;) {
      e = await stream.next();
      if (e.event === 'complete') break;
    }
    assert.equal(e.data.status, 'revoked');
    assert.equal(await stream.next(), null);
  } finally {
    await c.test('POST', 'session-shares/stream-mode', { completeOn: 'active' });
  }
});

test('a viewer count set early shows once the share is active, never during the login', async () => {
  const s = await newShare();
  await c.test('POST', `session-shares/${s.id}/viewers`, { count: 3 });
  const stream = await openStream(`/api/session-shares/${s.id}/status`, c.token);
  // Whether or not the login was still in progress: it shows 0 viewers, active shows 3.
  for (;;) {
    const e = await stream.next();
    if (e.data.status === 'active') {
      assert.equal(e.data.currentViewers, 3);
      break;
    }
    assert.deepEqual([e.data.status, e.data.currentViewers], ['login_in_progress', 0]);
  }
  await stream.cancel();
});

test('POST /__test/reset puts the stream mode back to the start option', async () => {
  await c.test('POST', 'session-shares/stream-mode', { completeOn: 'end' });
  await c.test('POST', 'reset');
  assert.deepEqual((await c.test('GET', 'session-shares/stream-mode')).body, { completeOn: 'active' });
  assert.equal((await c.test('POST', 'session-shares/stream-mode', { completeOn: 'never' })).status, 400);
  assert.equal((await new Client(srv).raw('POST', '/__test/users', { body: {} })).status, 400);
});
