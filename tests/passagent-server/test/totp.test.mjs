// Vault-entry TOTP (seed 002) and RFC 6238 codes for legacy entries.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { start, loggedIn } from '../test-support/helpers.mjs';
import { b32decode, rfc6238 } from '../test-support/independent.mjs';

let srv;
let c;
let fx;
before(async () => {
  srv = await start();
  c = await loggedIn(srv);
  fx = Object.fromEntries((await c.test('GET', 'fixtures')).body.items.map((i) => [i.key, i]));
});
after(() => srv.close());

test('the independent RFC 6238 implementation matches the RFC table', () => {
  const k1 = Buffer.from('12345678901234567890');
  const k256 = Buffer.from('12345678901234567890123456789012');
  const k512 = Buffer.from('1234567890123456789012345678901234567890123456789012345678901234');
  const table = [
    [59, '94287082', '46119246', '90693936'],
    [1111111109, '07081804', '68084774', '25091201'],
    [2000000000, '69279037', '90698825', '38618901'],
    [20000000000, '65353130', '77737706', '47863826'],
  ];
  for (const [t, s1, s256, s512] of table) {
    assert.equal(rfc6238(k1, t, { digits: 8 }), s1);
    assert.equal(rfc6238(k256, t, { digits: 8, algorithm: 'sha256' }), s256);
    assert.equal(rfc6238(k512, t, { digits: 8, algorithm: 'sha512' }), s512);
  }
});

test('a legacy entry: GET totp has no secret; /totp/code matches RFC 6238 now', async () => {
  const f = fx['example-uk'];
  const cfg = await c.raw('GET', `/api/passwords/${f.id}/totp`);
  assert.deepEqual(cfg.body, { hasTotp: true, zeroTrust: false, algorithm: 'SHA-1', digits: 6, period: 30 });
  const before = Date.now() / 1000;
  const r = await c.raw('GET', `/api/passwords/${f.id}/totp/code`);
  const after = Date.now() / 1000;
  assert.equal(r.status, 200);
  const key = b32decode(f.totp.secret);
  assert.ok([rfc6238(key, before), rfc6238(key, after)].includes(r.body.code));
  assert.ok(r.body.remaining >= 1 && r.body.remaining <= 30);
  // The server's clock read falls between before and after (which may straddle a second).
  assert.ok([before, after].map((t) => 30 - (Math.floor(t) % 30)).includes(r.body.remaining));
});

test('a zero-trust entry: /totp/code is 410 GONE with the documented message', async () => {
  const r = await c.raw('GET', `/api/passwords/${fx.google.id}/totp/code`);
  assert.equal(r.status, 410);
  assert.deepEqual(r.body, { error: 'Zero-trust TOTP codes must be generated client-side', code: 'GONE', status: 410 });
});

test('an entry without TOTP answers {hasTotp: false}; its /totp/code is 404', async () => {
  const r = await c.raw('GET', `/api/passwords/${fx.router.id}/totp`);
  assert.deepEqual(r.body, { hasTotp: false });
  assert.equal((await c.raw('GET', `/api/passwords/${fx.router.id}/totp/code`)).status, 404);
  const list = (await c.raw('GET', '/api/passwords?limit=100')).body.data;
  assert.equal(list.find((x) => x.id === fx.router.id).has_totp, false);
  assert.equal(list.find((x) => x.id === fx.google.id).has_totp, true);
});

test('set and delete a zero-trust TOTP secret', async () => {
  const box = { iv: 'AAAAAAAAAAAAAAAA', ciphertext: 'AAAAAAAAAAAAAAAAAAAAAAAAAAAA' };
  const set = await c.api('POST', `/api/passwords/${fx.router.id}/totp`, { secretEncrypted: box, algorithm: 'SHA-256', digits: 8, period: 60 });
  assert.equal(set.status, 201);
  assert.deepEqual(set.body, { success: true });
  const got = await c.raw('GET', `/api/passwords/${fx.router.id}/totp`);
  assert.deepEqual(got.body, { hasTotp: true, zeroTrust: true, secretEncrypted: box, algorithm: 'SHA-256', digits: 8, period: 60 });
  const bad = await c.api('POST', `/api/passwords/${fx.router.id}/totp`, { algorithm: 'MD5' });
  assert.equal(bad.status, 400);
  assert.deepEqual(bad.body.details.map((d) => d.field).sort(), ['algorithm', 'secretEncrypted']);
  const del = await c.api('DELETE', `/api/passwords/${fx.router.id}/totp`);
  assert.deepEqual(del.body, { success: true });
  assert.deepEqual((await c.raw('GET', `/api/passwords/${fx.router.id}/totp`)).body, { hasTotp: false });
});
