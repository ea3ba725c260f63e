// The server against Passwork's legacy API document: POST routes, the reply envelope,
// sessions (expiry, ban) and data that Passwork's own decode() opens with the right
// master password only.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { runServeScript } from '../../support/serve-test.mjs';
import { startServer, BAN_AFTER } from '../lib/server.mjs';
import { decode, masterHash, plainDecode } from '../lib/crypto.mjs';

let srv;

async function post(name, params, { json = false } = {}) {
  const res = await fetch(`${srv.url}/api3/${name}`, {
    method: 'POST',
    headers: { 'content-type': json ? 'application/json' : 'application/x-www-form-urlencoded' },
    body: json ? JSON.stringify(params) : new URLSearchParams(params).toString(),
  });
  const text = await res.text();
  let body = null;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON
  }
  return { status: res.status, body, text };
}

async function testCall(method, path, body) {
  const res = await fetch(srv.url + path, {
    method,
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return res.json();
}

async function open(user = srv.account) {
  const reply = await post('openSession', { email: user.email, password: user.password });
  assert.equal(reply.status, 200);
  return reply.body.response;
}

// The document's parsePassword(): the vault password first, then the entry's.
function groupPassword(group, master, encryption = true) {
  const dec = (data, pwd) => (encryption ? decode(data, pwd) : plainDecode(data));
  if (group.scope === 'user') return dec(group.passwordCrypted, master);
  return dec(group.passwordCrypted, dec(group.domainMaster, master));
}

before(async () => {
  srv = await startServer({ test: true });
});
after(async () => {
  await srv.close();
});

test('openSession: a session code and the sha256 of the master password; a wrong password is response false', async () => {
  const session = await open();
  assert.match(session.code, /^[0-9a-f]{32}$/);
  assert.equal(session.hash, masterHash(srv.account.masterPassword));
  for (const params of [{ email: srv.account.email, password: 'wrong' }, { email: 'nobody@example.com', password: 'x' }, {}]) {
    const reply = await post('openSession', params);
    assert.equal(reply.status, 200);
    assert.equal(reply.body.response, false);
    assert.equal(typeof reply.body.errorMessage, 'string');
  }
});

test('old servers hash with md5; with client-side encryption off the hash is empty', async () => {
  const [legacy, plain] = srv.others;
  assert.equal((await open(legacy)).hash, masterHash(legacy.masterPassword, 'md5'));
  assert.equal((await open(plain)).hash, '');
});

test('JSON parameters are accepted as well as form parameters', async () => {
  const reply = await post('openSession', { email: srv.account.email, password: srv.account.password }, { json: true });
  assert.match(reply.body.response.code, /^[0-9a-f]{32}$/);
});

test('repeated failures ban the user (errorCode ban) until reset', async () => {
  const legacy = srv.others[0];
  for (let i = 0; i < BAN_AFTER; i++) await post('openSession', { email: legacy.email, password: 'wrong' });
  const banned = await post('openSession', { email: legacy.email, password: legacy.password });
  assert.equal(banned.body.response, false);
  assert.equal(banned.body.errorCode, 'ban');
  await testCall('POST', '/__test/reset', {});
  assert.ok((await open(legacy)).code);
});

test('getGroups lists the vaults with folders; private and organisation vaults open by the documented chain', async () => {
  const { code } = await open();
  const reply = await post('getGroups', { session: code });
  const groups = reply.body.response;
  assert.deepEqual(
    groups.map((g) => [g.name, g.scope]),
    [
      ['Private', 'user'],
      ['Company', 'domain'],
      ['Archive', 'user'],
    ],
  );
  for (const g of groups) {
    assert.equal(g.groupId, g.id);
    assert.equal(typeof g.passwordCrypted, 'string');
    assert.ok(!('owner' in g));
  }
  assert.equal(groups[0].categories[0].name, 'Web');
  assert.equal(groups[0].categories[0].categories[0].name, 'Social');
  assert.deepEqual(groups[0].categories[0].categories[0].ancestors, [groups[0].categories[0].id]);
  assert.ok(groups[1].domainMaster);
  assert.equal(groupPassword(groups[0], srv.account.masterPassword).length, 32);
  assert.equal(groupPassword(groups[1], srv.account.masterPassword).length, 32);
  // The archive was encrypted with another master password: CryptoJS "opens" it to
  // nothing or to garbage (or throws), never to the vault password.
  let archive;
  try {
    archive = groupPassword(groups[2], srv.account.masterPassword);
  } catch {
    archive = null;
  }
  assert.notEqual(archive?.length, 32);
});

test('getPasswords: root and folder passwords, fields that decode to the fixtures, custom fields, TOTP', async () => {
  const withFields = (await testCall('GET', '/__test/fixtures')).passwords.find((f) => f.key === 'gmail');
  assert.deepEqual(
    withFields.custom.map((c) => c.type),
    ['text', 'password'],
    'an entry with a plain and a hidden custom field',
  );
  const { code } = await open();
  const groups = (await post('getGroups', { session: code })).body.response;
  const fixtures = (await testCall('GET', '/__test/fixtures')).passwords;
  for (const group of groups.slice(0, 2)) {
    const key = groupPassword(group, srv.account.masterPassword);
    const folders = [null];
    const walk = (cs) => cs.forEach((c) => (folders.push(c.id), walk(c.categories)));
    walk(group.categories);
    for (const folder of folders) {
      const params = { session: code, groupdId: group.id };
      if (folder) params.categoryId = folder;
      const list = (await post('getPasswords', params)).body.response;
      const expected = fixtures.filter((f) => f.vault === group.id && f.folder === folder);
      assert.equal(list.length, expected.length, `${group.name}/${folder}`);
      for (const p of list) {
        const f = expected.find((x) => x.id === p.id);
        assert.equal(p.name, f.name);
        assert.equal(p.login, f.login);
        assert.equal(p.url, f.url);
        assert.equal(decode(p.cryptedPassword, key), f.password);
        if (f.totp) {
          const totp = p.custom.find((c) => c.type === 'totp');
          assert.match(decode(totp.value, key), new RegExp(`secret=${f.totp.secret}`));
        }
        // Custom fields: name and value each under the vault password, the type in clear.
        assert.deepEqual(
          (p.custom ?? []).map((c) => ({ name: decode(c.name, key), value: decode(c.value, key), type: c.type })),
          f.custom,
        );
      }
    }
  }
  // "groupId" is read as well as the document's "groupdId".
  const root = await post('getPasswords', { session: code, groupId: groups[0].id });
  assert.ok(root.body.response.some((p) => p.name === 'GitHub'));
  const unknown = await post('getPasswords', { session: code, groupdId: 'nope' });
  assert.equal(unknown.body.response, false);
});

test('with client-side encryption off the values are base64', async () => {
  const plain = srv.others[1];
  const { code } = await open(plain);
  const [group] = (await post('getGroups', { session: code })).body.response;
  const key = groupPassword(group, '', false);
  const [entry] = (await post('getPasswords', { session: code, groupdId: group.id })).body.response;
  assert.equal(plainDecode(entry.cryptedPassword), 'plain-Passw0rd-9');
  assert.deepEqual(
    entry.custom.map((c) => [plainDecode(c.name), plainDecode(c.value), c.type]),
    [['Space', 'ENG', 'text']],
  );
  assert.equal(key.length, 32);
});

test('a missing, unknown or expired session is errorCode expired', async () => {
  for (const params of [{}, { session: 'nope' }]) {
    const reply = await post('getGroups', params);
    assert.deepEqual(reply.body, { response: false, errorCode: 'expired', errorMessage: 'Session expired' });
  }
  const { code } = await open();
  assert.ok(Array.isArray((await post('getGroups', { session: code })).body.response));
  await testCall('POST', '/__test/expire-sessions', {});
  assert.equal((await post('getGroups', { session: code })).body.errorCode, 'expired');

  const short = await startServer({ sessionTtl: 1 });
  try {
    const res = await fetch(`${short.url}/api3/openSession`, {
      method: 'POST',
      body: new URLSearchParams({ email: short.account.email, password: short.account.password }),
    });
    const session = (await res.json()).response.code;
    await new Promise((r) => setTimeout(r, 1100));
    const later = await fetch(`${short.url}/api3/getGroups`, { method: 'POST', body: new URLSearchParams({ session }) });
    assert.equal((await later.json()).errorCode, 'expired');
  } finally {
    await short.close();
  }
});

test('only POST; unknown routes are 404', async () => {
  assert.equal((await fetch(`${srv.url}/api3/getGroups`)).status, 405);
  // The legacy API is read-only: no write call exists, even with a valid session.
  const { code } = await open();
  for (const name of ['addPassword', 'editPassword', 'updatePassword', 'deletePassword']) {
    const r = await post(name, { session: code, name: 'x' });
    assert.equal(r.status, 404, name);
    assert.equal(r.body.response, false);
  }
  assert.equal((await fetch(`${srv.url}/elsewhere`)).status, 404);
});

test('injected faults: a status, a raw body, a cut reply; then the server is fine again', async () => {
  await testCall('POST', '/__test/fault', { match: { path: '/api3/openSession' }, status: 500 });
  assert.equal((await post('openSession', {})).status, 500);
  await testCall('POST', '/__test/fault', { match: { path: '/api3/openSession' }, status: 200, body: '<html>' });
  assert.equal((await post('openSession', {})).text, '<html>');
  await testCall('POST', '/__test/fault', { match: { path: '/api3/openSession' }, truncate: true });
  await assert.rejects(post('openSession', {}));
  assert.ok((await open()).code);
  const log = await testCall('GET', '/__test/requests');
  assert.equal(log.requests.at(-1).api, 'openSession');
});

test('serve.mjs prints its origin and the account, and has no test routes without --test', async () => {
  const { first, origin, account, stop } = await runServeScript(new URL('../serve.mjs', import.meta.url));
  assert.match(first, /^listening on http:\/\/127\.0\.0\.1:\d+$/);
  assert.equal(account.email, 'demo@passwork.test');
  assert.equal(account.others.length, 2);
  assert.equal((await fetch(`${origin}/__test/fixtures`)).status, 404);
  assert.equal(await stop(), 0);
});

test('the demo site checks its login, and the Demo login entry (its URL is this origin) holds it', async () => {
  const fixtures = await testCall('GET', '/__test/fixtures');
  const entry = fixtures.passwords.find((p) => p.key === 'demo-login');
  assert.equal(entry.url, `${srv.url}/demo/login`);
  const { code } = await open();
  const groups = (await post('getGroups', { session: code })).body.response;
  const group = groups.find((g) => g.id === entry.vault);
  const stored = (await post('getPasswords', { session: code, groupdId: group.id })).body.response.find((p) => p.id === entry.id);
  assert.equal(stored.url, entry.url);
  const vaultPassword = groupPassword(group, srv.account.masterPassword);
  assert.equal(decode(stored.cryptedPassword, vaultPassword), entry.password);
  assert.match(decode(stored.custom[0].value, vaultPassword), new RegExp(`secret=${entry.totp.secret}`));
  assert.equal((await fetch(`${srv.url}/demo/login`)).status, 200);
  const post_ = (username, password) => fetch(`${srv.url}/demo/login`, { method: 'POST', body: new URLSearchParams({ username, password }) }).then((r) => r.text());
  assert.match(await post_(entry.login, entry.password), /Signed in as passwork-demo-user/);
  assert.match(await post_(entry.login, 'wrong'), /Wrong user name or password/);
});
