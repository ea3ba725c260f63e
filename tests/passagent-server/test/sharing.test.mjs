// Sharing (seed 000): step-up, create, 409s, share limits, list owned/received,
// update, delete, view log and owner notifications.
import { test, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { start, loggedIn } from '../test-support/helpers.mjs';
import { publicKeyFrom, rsaSeal } from '../test-support/independent.mjs';

let srv;
let owner;
let friend;
let fx;
before(async () => {
  srv = await start({ items: 80, generalLimit: 10_000 });
  owner = await loggedIn(srv);
  friend = await loggedIn(srv, srv.others[0]);
  fx = Object.fromEntries((await owner.test('GET', 'fixtures')).body.items.map((i) => [i.key, i]));
});
beforeEach(() => owner.test('POST', 'reset-limits'));
after(() => srv.close());

const invite = (accountId, recipientEmail, extra = {}) => ({
  accountId,
  recipientEmail,
  wrapped_vault_key_invite: Buffer.from(JSON.stringify({ iv: 'AAAAAAAAAAAAAAAA', ciphertext: 'AAAAAAAAAAAAAAAAAAAAAA==' })).toString('base64'),
  invite_token_salt: randomBytes(16).toString('base64'),
  ...extra,
});

test('public-key lookup answers {publicKey} for a user and 404 for someone without an account', async () => {
  const r = await owner.raw('GET', `/api/users/public-key?email=${encodeURIComponent(srv.others[1].email)}`);
  assert.equal(r.status, 200);
  assert.match(r.body.publicKey, /^[A-Za-z0-9+/]+=*$/);
  assert.equal((await owner.raw('GET', '/api/users/public-key?email=nobody%40example.com')).status, 404);
  assert.equal((await owner.raw('GET', '/api/users/public-key')).status, 400);
});

test('create needs a sign-in within 300 s: else 401 STEP_UP_AUTH_REQUIRED with the re-auth headers', async () => {
  const c = await loggedIn(srv);
  await c.test('POST', 'age-login', { email: srv.account.email, seconds: 301 });
  const r = await c.api('POST', '/api/sharing', invite(fx['github-personal'].id, 'x@example.com'));
  assert.equal(r.status, 401);
  assert.deepEqual(r.body, { error: 'Recent authentication required', code: 'STEP_UP_AUTH_REQUIRED', status: 401, maxAgeSeconds: 300 });
  assert.equal(r.headers.get('x-require-reauth'), 'true');
  assert.equal(r.headers.get('x-reauth-max-age'), '300');
  // A refresh does not count as a sign-in.
  const rr = await c.auth('refresh_token', { refresh_token: c.refreshToken });
  const again = await c.raw('POST', '/api/sharing', { body: invite(fx['github-personal'].id, 'x@example.com'), token: rr.body.access_token, csrf: c.csrf });
  assert.equal(again.status, 401);
  assert.equal(again.body.code, 'STEP_UP_AUTH_REQUIRED');
  owner = await loggedIn(srv);
});

test('share a v3 item with an existing user; the recipient accepts, views (owner notified) and copies (not notified)', async () => {
  const alice = srv.others[1];
  const pub = await publicKeyFrom((await owner.raw('GET', `/api/users/public-key?email=${alice.email}`)).body.publicKey);
  const wrapped = await rsaSeal(pub, randomBytes(32));
  const r = await owner.api('POST', '/api/sharing', { accountId: fx.localhost.id, recipientEmail: alice.email.toUpperCase(), permission: 'read', wrapped_item_key: wrapped, expiresAt: '2099-01-01T00:00:00Z' });
  assert.equal(r.status, 201);
  assert.equal(r.body.success, true);
  const s = r.body.share;
  assert.deepEqual(Object.keys(s).sort(), ['account_id', 'created_at', 'expires_at', 'id', 'owner_id', 'permission', 'recipient_email', 'recipient_id', 'status'].sort());
  assert.match(s.id, /^shr_/);
  assert.equal(s.status, 'pending');
  assert.equal(s.recipient_email, alice.email);
  assert.ok(s.recipient_id);

  // Duplicate and self-share are 409.
  const dup = await owner.api('POST', '/api/sharing', { accountId: fx.localhost.id, recipientEmail: alice.email, wrapped_item_key: wrapped });
  assert.equal(dup.status, 409);
  assert.equal(dup.body.code, 'CONFLICT');
  const self = await owner.api('POST', '/api/sharing', { accountId: fx.localhost.id, recipientEmail: srv.account.email, wrapped_item_key: wrapped });
  assert.equal(self.status, 409);

  // Owned lists carry no key material; received lists do.
  const owned = (await owner.raw('GET', `/api/sharing?type=owned&accountId=${fx.localhost.id}`)).body;
  assert.equal(owned.setup_required, false);
  assert.equal(owned.shares.length, 1);
  assert.ok(!('encrypted_data' in owned.shares[0].account) && !('wrapped_item_key' in owned.shares[0].account));
  const a = await loggedIn(srv, alice);
  const rec = (await a.raw('GET', '/api/sharing?type=received')).body.shares.find((x) => x.id === s.id);
  assert.equal(rec.account.wrapped_item_key, wrapped);
  assert.equal(typeof rec.account.encrypted_data, 'string');
  assert.deepEqual(Object.keys(rec.account).sort(), ['encrypted_data', 'id', 'name', 'url', 'website', 'wrapped_item_key']);

  // Recipient accepts; cannot change the permission or delete.
  assert.equal((await a.api('PATCH', `/api/sharing/${s.id}`, { permission: 'write' })).status, 403);
  const acc = await a.api('PATCH', `/api/sharing/${s.id}`, { status: 'active' });
  assert.equal(acc.status, 200);
  assert.equal(acc.body.share.status, 'active');
  assert.ok(acc.body.share.accepted_at);
  assert.equal((await a.api('DELETE', `/api/sharing/${s.id}`)).status, 403);
  // Owner changes permission.
  assert.equal((await owner.api('PATCH', `/api/sharing/${s.id}`, { permission: 'write' })).body.share.permission, 'write');

  // Views: recipient only; password_viewed notifies the owner, password_copied does not.
  await owner.test('POST', 'reset');
  assert.equal((await owner.api('POST', `/api/sharing/${s.id}/view`, { action: 'password_viewed' })).status, 403);
  assert.equal((await friend.api('POST', `/api/sharing/${s.id}/view`, { action: 'password_viewed' })).status, 404);
  assert.equal((await a.api('POST', `/api/sharing/${s.id}/view`, { action: 'password_stolen' })).status, 400);
  assert.deepEqual((await a.api('POST', `/api/sharing/${s.id}/view`, { action: 'password_viewed' })).body, { success: true });
  assert.deepEqual((await a.api('POST', `/api/sharing/${s.id}/view`, { action: 'password_copied' })).body, { success: true });
  const views = (await owner.test('GET', 'views')).body.views;
  assert.deepEqual(views.map((v) => [v.shareId, v.action, v.recipientEmail]), [[s.id, 'password_viewed', alice.email], [s.id, 'password_copied', alice.email]]);
  assert.ok(views.every((v) => !Number.isNaN(Date.parse(v.at))));
  const notes = (await owner.test('GET', 'notifications')).body.notifications;
  assert.equal(notes.length, 1);
  assert.equal(notes[0].shareId, s.id);
  assert.equal(notes[0].userEmail, srv.account.email);
  assert.equal(notes[0].type, 'share_viewed');

  // Owner revokes; the recipient no longer sees it and cannot log views.
  assert.equal((await owner.api('PATCH', `/api/sharing/${s.id}`, { status: 'revoked' })).body.share.status, 'revoked');
  assert.ok(!(await a.raw('GET', '/api/sharing?type=received')).body.shares.some((x) => x.id === s.id));
  assert.equal((await a.api('POST', `/api/sharing/${s.id}/view`, { action: 'password_viewed' })).status, 403);
  // Owner deletes.
  assert.deepEqual((await owner.api('DELETE', `/api/sharing/${s.id}`)).body, { success: true });
  assert.equal((await owner.api('DELETE', `/api/sharing/${s.id}`)).status, 404);
});

test('the demo account logs views of a fixture share it received', async () => {
  await owner.test('POST', 'reset');
  const rec = (await owner.raw('GET', '/api/sharing?type=received')).body.shares.find((x) => x.status === 'active');
  assert.deepEqual((await owner.api('POST', `/api/sharing/${rec.id}/view`, { action: 'password_viewed' })).body, { success: true });
  const notes = (await owner.test('GET', 'notifications')).body.notifications;
  assert.equal(notes[0].userEmail, rec.owner_email);
});

test('validation: list needs type; create needs wrapped_item_key for a user and invite fields for a stranger', async () => {
  const t = await owner.raw('GET', '/api/sharing');
  assert.equal(t.status, 400);
  assert.equal(t.body.details[0].field, 'type');
  const noKey = await owner.api('POST', '/api/sharing', { accountId: fx.localhost.id, recipientEmail: srv.others[0].email });
  assert.equal(noKey.status, 400);
  assert.equal(noKey.body.details[0].field, 'wrapped_item_key');
  const noInvite = await owner.api('POST', '/api/sharing', { accountId: fx.localhost.id, recipientEmail: 'stranger@example.com' });
  assert.equal(noInvite.body.details[0].field, 'wrapped_vault_key_invite');
  const v2 = await owner.api('POST', '/api/sharing', invite(fx.router.id, 'stranger@example.com'));
  assert.equal(v2.status, 400, 'a v2 item needs encrypted_data from the client');
  assert.equal(v2.body.details[0].field, 'encrypted_data');
  const v2ok = await owner.api('POST', '/api/sharing', invite(fx.router.id, 'stranger@example.com', { encrypted_data: { iv: 'AAAAAAAAAAAAAAAA', ciphertext: 'AAAAAAAAAAAAAAAAAAAAAA' } }));
  assert.equal(v2ok.status, 201);
  assert.equal(v2ok.body.share.recipient_id, null);
  assert.equal((await owner.api('POST', '/api/sharing', invite('pwd_nope', 'z@example.com'))).status, 404);
});

test('at most 10 live shares per password (429 share_limit_exceeded)', async () => {
  const id = fx['demo-identifier-first'].id;
  for (let i = 0; i < 10; i++) {
    const r = await owner.api('POST', '/api/sharing', invite(id, `p${i}@example.com`, { encrypted_data: { iv: 'AAAAAAAAAAAAAAAA', ciphertext: 'AAAAAAAAAAAAAAAAAAAAAA' } }));
    assert.equal(r.status, 201, r.text);
  }
  const r = await owner.api('POST', '/api/sharing', invite(id, 'p10@example.com', { encrypted_data: { iv: 'AAAAAAAAAAAAAAAA', ciphertext: 'AAAAAAAAAAAAAAAAAAAAAA' } }));
  assert.equal(r.status, 429);
  assert.equal(r.body.error_code, 'share_limit_exceeded');
  assert.ok(r.headers.get('retry-after'));
});

test('20 creates per minute, then 429 rate_limit_exceeded', async () => {
  const list = (await owner.raw('GET', '/api/passwords?limit=100')).body.data.filter((d) => d.name.startsWith('Site ') && d.wrapped_item_key);
  let status;
  for (let i = 0; i < 21; i++) {
    const r = await owner.api('POST', '/api/sharing', invite(list[i].id, 'rate@example.com'));
    status = r.status;
    if (i < 20) assert.equal(r.status, 201, r.text);
    else {
      assert.equal(status, 429);
      assert.deepEqual(r.body, { error: 'Too many requests', error_code: 'rate_limit_exceeded' });
    }
  }
});

test('at most 50 live shares per user (429 share_limit_exceeded)', async () => {
  const list = (await owner.raw('GET', '/api/passwords?limit=100')).body.data.filter((d) => d.name.startsWith('Site ') && d.wrapped_item_key);
  const live = async () => (await owner.raw('GET', '/api/sharing?type=owned')).body.shares.filter((s) => s.status === 'pending' || s.status === 'active').length;
  let n = await live();
  let i = 0;
  while (n < 50) {
    await owner.test('POST', 'reset-limits');
    const r = await owner.api('POST', '/api/sharing', invite(list[i++].id, 'fifty@example.com'));
    assert.equal(r.status, 201, r.text);
    n++;
  }
  await owner.test('POST', 'reset-limits');
  const r = await owner.api('POST', '/api/sharing', invite(list[i].id, 'fifty@example.com'));
  assert.equal(r.status, 429);
  assert.equal(r.body.error_code, 'share_limit_exceeded');
  assert.match(r.body.error, /50/);
});

test('a stranger cannot update or delete a share (404)', async () => {
  const s = (await owner.raw('GET', '/api/sharing?type=owned')).body.shares.find((x) => x.recipient_email === srv.others[0].email);
  const alice = await loggedIn(srv, srv.others[1]);
  assert.equal((await alice.api('PATCH', `/api/sharing/${s.id}`, { status: 'active' })).status, 404);
  assert.equal((await alice.api('DELETE', `/api/sharing/${s.id}`)).status, 404);
  assert.equal((await alice.api('POST', `/api/sharing/${s.id}/view`, { action: 'password_viewed' })).status, 404);
});
