// The fixtures decrypt exactly as the assumptions say, with an independent
// client (WebCrypto + hash-wasm): vault key, verifier, key pair, v2 and v3
// records, zero-trust TOTP secrets, received shares; the travel-mode item does not.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { start, loggedIn } from '../test-support/helpers.mjs';
import { aesKey, openBox, openRecord, privateKeyFrom, rsaOpen, text, vaultKeyFrom } from '../test-support/independent.mjs';

let srv;
let fixtures;
before(async () => {
  // Two lanes, so the parallelism parameter is exercised.
  srv = await start({ items: 40, kdf: { memoryKiB: 19456, iterations: 2, parallelism: 2 } });
  fixtures = (await (await fetch(`${srv.url}/__test/fixtures`)).json()).items;
});
after(() => srv.close());

async function unlock(creds) {
  const c = await loggedIn(srv, creds);
  const salt = (await c.raw('GET', '/api/vault/salt')).body;
  const vaultKey = await vaultKeyFrom(salt, creds.masterPassword);
  const keys = (await c.raw('GET', '/api/vault/keys')).body;
  return { c, salt, vaultKey, keys, privateKey: await privateKeyFrom(keys, vaultKey) };
}

test('the salt reply has the KDF parameters and a verifier that opens with the master password', async () => {
  const { salt, vaultKey } = await unlock(srv.account);
  assert.match(salt.salt, /^[A-Za-z0-9_-]+$/, 'base64url');
  assert.deepEqual(salt.kdf, { algorithm: 'argon2id', memoryKiB: 19456, iterations: 2, parallelism: 2 });
  assert.equal(text(await openBox(vaultKey, salt.verifier)), 'passagent-vault-verifier');
  const wrong = await vaultKeyFrom(salt, 'not the master password');
  await assert.rejects(openBox(wrong, salt.verifier));
});

test('every named record of the demo vault decrypts to its fixture; the travel-mode item does not', async () => {
  const { c, vaultKey } = await unlock(srv.account);
  const list = (await c.raw('GET', '/api/passwords?limit=100')).body.data;
  const mine = fixtures.filter((f) => f.owner === srv.account.email);
  assert.ok(mine.length >= 14);
  for (const f of mine) {
    const rec = list.find((r) => r.id === f.id);
    assert.ok(rec, f.key);
    assert.equal(rec.url, f.url, f.key);
    assert.equal('wrapped_item_key' in rec, f.version === 3, f.key);
    if (f.travelMode) {
      await assert.rejects(openRecord(rec, vaultKey), `${f.key} must not open`);
      continue;
    }
    const plain = await openRecord(rec, vaultKey);
    assert.equal(plain.username, f.username, f.key);
    assert.equal(plain.password, f.password, f.key);
    if (f.notes) assert.equal(plain.notes, f.notes);
  }
  // The generated bulk opens too.
  let opened = 0;
  for (const rec of list.filter((r) => !mine.some((f) => f.id === r.id))) {
    const p = await openRecord(rec, vaultKey);
    assert.match(p.username, /^user\d+@example\.com$/);
    opened++;
  }
  assert.equal(opened, 40 - mine.length);
});

test('the fixture websites cover subdomains, a port, an IP, an IDN in both forms, two accounts on one site, localhost and this server', async () => {
  const urls = fixtures.filter((f) => f.owner === srv.account.email).map((f) => f.url);
  for (const u of ['https://accounts.google.com/signin/v2/identifier', 'https://mail.google.com/mail/u/0/', 'https://app.example.co.uk:8443/login', 'http://192.168.1.1/admin', 'https://bücher.example/konto/anmelden', 'https://xn--bcher-kva.example/login', 'http://localhost:3000/login', `${srv.url}/demo/login`]) {
    assert.ok(urls.includes(u), u);
  }
  assert.equal(urls.filter((u) => u === 'https://github.com/login').length, 2);
});

test('zero-trust TOTP secrets open under the vault key to the base32 text', async () => {
  const { c, vaultKey } = await unlock(srv.account);
  const zt = fixtures.filter((f) => f.owner === srv.account.email && f.totp?.mode === 'zero-trust');
  assert.ok(zt.length >= 3);
  for (const f of zt) {
    const t = (await c.raw('GET', `/api/passwords/${f.id}/totp`)).body;
    assert.equal(t.zeroTrust, true);
    assert.equal(text(await openBox(vaultKey, t.secretEncrypted)), f.totp.secret);
    assert.equal(t.algorithm, f.totp.algorithm);
    assert.equal(t.digits, f.totp.digits);
  }
});

test('received shares open with the private key: RSA-OAEP item key, then encrypted_data', async () => {
  for (const creds of [srv.account, srv.others[0]]) {
    const { c, privateKey } = await unlock(creds);
    const shares = (await c.raw('GET', '/api/sharing?type=received')).body.shares;
    assert.ok(shares.length >= 2, creds.email);
    for (const s of shares) {
      assert.equal(typeof s.account.encrypted_data, 'string', 'a JSON string of {iv, ciphertext}');
      const itemKey = await aesKey(await rsaOpen(privateKey, s.account.wrapped_item_key));
      const plain = JSON.parse(text(await openBox(itemKey, s.account.encrypted_data)));
      const f = fixtures.find((x) => x.id === s.account_id);
      assert.equal(plain.username, f.username);
      assert.equal(plain.password, f.password);
    }
  }
});

test('the demo account has at least two active shares received from another user', async () => {
  const c = await loggedIn(srv);
  const shares = (await c.raw('GET', '/api/sharing?type=received')).body.shares;
  const active = shares.filter((s) => s.status === 'active' && s.owner_email === srv.others[1].email);
  assert.ok(active.length >= 2);
  assert.ok(active.some((s) => s.account.url === `${srv.url}/demo/login`), 'one is for the demo login page');
});
