// The server against the Passman extension API document: routes, Basic auth, shapes,
// and data that Passman's own crypto (sjcl) opens with the right vault key only.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { runServeScript } from '../../support/serve-test.mjs';
import { startServer } from '../lib/server.mjs';
import { decryptFields, decryptString } from '../lib/crypto.mjs';

let srv;
const API = '/index.php/apps/passman/api/v2';
const basic = (u, p) => `Basic ${Buffer.from(`${u}:${p}`).toString('base64')}`;
const asDemo = () => ({ authorization: basic(srv.account.username, srv.account.password) });

async function call(method, path, { headers = asDemo(), body } = {}) {
  const res = await fetch(srv.url + path, {
    method,
    headers: body === undefined ? headers : { ...headers, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  let json = null;
  try {
    json = JSON.parse(text);
  } catch {
    // not JSON
  }
  return { status: res.status, json, text, headers: res.headers };
}

before(async () => {
  srv = await startServer({ test: true });
});
after(async () => {
  await srv.close();
});

test('every API route refuses a request without Basic auth or with a wrong password', async () => {
  for (const headers of [{}, { authorization: basic('demo', 'wrong') }, { authorization: 'Bearer x' }]) {
    const reply = await call('GET', `${API}/vaults`, { headers });
    assert.equal(reply.status, 401);
    assert.equal(reply.json.message, 'Current user is not logged in');
    assert.match(reply.headers.get('www-authenticate'), /^Basic/);
  }
});

test('the vault list has the documented fields, with and without index.php', async () => {
  for (const prefix of [API, '/apps/passman/api/v2']) {
    const reply = await call('GET', `${prefix}/vaults`);
    assert.equal(reply.status, 200);
    assert.deepEqual(
      reply.json.map((v) => v.name),
      ['Personal', 'Work'],
    );
    for (const vault of reply.json) {
      for (const field of ['vault_id', 'guid', 'name', 'created', 'public_sharing_key', 'last_access', 'challenge_password']) {
        assert.ok(field in vault, field);
      }
    }
  }
});

test('challenge_password opens with the vault key and with no other key', async () => {
  const vaults = (await call('GET', `${API}/vaults`)).json;
  for (const vault of vaults) {
    const key = srv.account.vaults.find((v) => v.guid === vault.guid).vaultKey;
    const container = JSON.parse(Buffer.from(vault.challenge_password, 'base64').toString());
    assert.deepEqual(
      [container.v, container.iter, container.ks, container.ts, container.mode, container.cipher, container.adata],
      [1, 1000, 256, 64, 'ccm', 'aes', ''],
    );
    assert.doesNotThrow(() => decryptString(vault.challenge_password, key));
    assert.throws(() => decryptString(vault.challenge_password, `${key}x`));
  }
});

test('a vault lists its credentials; the readable ones open with the vault key and match the fixtures', async () => {
  const personal = srv.account.vaults[0];
  const reply = await call('GET', `${API}/vaults/${personal.guid}`);
  assert.equal(reply.status, 200);
  assert.equal(reply.json.guid, personal.guid);
  const fixtures = (await call('GET', '/__test/fixtures')).json.credentials.filter((c) => c.vault === personal.guid);
  assert.equal(reply.json.credentials.length, fixtures.length);
  for (const fixture of fixtures) {
    const stored = reply.json.credentials.find((c) => c.guid === fixture.guid);
    assert.ok(stored, fixture.key);
    assert.equal(stored.label, fixture.label);
    assert.equal(stored.hidden, fixture.hidden ? 1 : 0);
    assert.equal(stored.delete_time > 0, fixture.deleted);
    let key = personal.vaultKey;
    if (fixture.shared) {
      key = decryptString(stored.shared_key, personal.vaultKey);
      assert.equal(key, ' share-key-with-spaces ');
    }
    if (!fixture.readable) {
      assert.throws(() => decryptFields(stored, key));
      continue;
    }
    const plain = decryptFields(stored, key);
    assert.equal(plain.password, fixture.password);
    assert.equal(plain.username, fixture.username);
    assert.equal(plain.url, fixture.url);
    assert.deepEqual(plain.otp, fixture.otp);
  }
  const hidden = fixtures.filter((c) => c.hidden);
  assert.equal(hidden.length, 1);
  assert.ok(fixtures.some((c) => c.otp.secret), 'a credential with TOTP');
  assert.ok(fixtures.some((c) => !c.readable), 'a credential that cannot be opened');
});

test("another user's vault and an unknown guid give an empty array", async () => {
  const friendVault = srv.others[0].vaults[0].guid;
  for (const guid of [friendVault, 'NOT-A-VAULT']) {
    const reply = await call('GET', `${API}/vaults/${guid}`);
    assert.equal(reply.status, 200);
    assert.deepEqual(reply.json, []);
  }
  const friend = { authorization: basic(srv.others[0].username, srv.others[0].password) };
  const own = await call('GET', `${API}/vaults/${friendVault}`, { headers: friend });
  assert.equal(own.json.credentials.length, 2);
});

test('injected faults: a status, a raw body, a cut reply; then the server is fine again', async () => {
  await call('POST', '/__test/fault', { body: { match: { path: `${API}/vaults` }, status: 500 } });
  assert.equal((await call('GET', `${API}/vaults`)).status, 500);
  await call('POST', '/__test/fault', { body: { match: { path: `${API}/vaults` }, status: 200, body: '<html>' } });
  assert.equal((await call('GET', `${API}/vaults`)).text, '<html>');
  await call('POST', '/__test/fault', { body: { match: { path: `${API}/vaults` }, truncate: true } });
  await assert.rejects(call('GET', `${API}/vaults`));
  assert.equal((await call('GET', `${API}/vaults`)).status, 200);
  const log = (await call('GET', '/__test/requests')).json;
  assert.ok(log.total >= 4);
  assert.equal(log.requests.at(-1).auth, 'Basic');
});

test('a changed login password locks the old one out', async () => {
  await call('POST', '/__test/password', { body: { username: 'demo', password: 'changed' } });
  assert.equal((await call('GET', `${API}/vaults`)).status, 401);
  await call('POST', '/__test/reset');
  assert.equal((await call('GET', `${API}/vaults`)).status, 200);
});

test('unknown routes are 404, wrong methods 405', async () => {
  assert.equal((await call('GET', `${API}/nothing`)).status, 404);
  assert.equal((await call('DELETE', `${API}/vaults`)).status, 405);
  assert.equal((await call('GET', '/elsewhere')).status, 404);
});

test('serve.mjs prints its origin and the account, and has no test routes without --test', async () => {
  const { first, origin, account, stop } = await runServeScript(new URL('../serve.mjs', import.meta.url));
  assert.match(first, /^listening on http:\/\/127\.0\.0\.1:\d+$/);
  assert.equal(account.username, 'demo');
  assert.equal(account.vaults.length, 2);
  assert.equal((await fetch(`${origin}/__test/fixtures`)).status, 404);
  assert.equal(await stop(), 0);
});

test('the demo site checks its login, and the Demo login entry (its URL is this origin) holds it', async () => {
  const fixtures = await (await fetch(`${srv.url}/__test/fixtures`)).json();
  const entry = fixtures.credentials.find((c) => c.key === 'demo-login');
  assert.equal(entry.url, `${srv.url}/demo/login`);
  const vault = fixtures.vaults.find((v) => v.guid === entry.vault);
  const stored = (await call('GET', `${API}/vaults/${vault.guid}`)).json.credentials.find((c) => c.guid === entry.guid);
  const open = decryptFields(stored, vault.vaultKey);
  assert.equal(open.url, entry.url);
  assert.equal(open.otp.secret, entry.otp.secret);
  const page = await fetch(`${srv.url}/demo/login`);
  assert.equal(page.status, 200);
  assert.match(await page.text(), /id="password"/);
  const post = (username, password) => fetch(`${srv.url}/demo/login`, { method: 'POST', body: new URLSearchParams({ username, password }) }).then((r) => r.text());
  assert.match(await post(entry.username, entry.password), /Signed in as passman-demo-user/);
  assert.match(await post(entry.username, 'wrong'), /Wrong user name or password/);
});
