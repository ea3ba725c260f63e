// Writes as Passman's server does them: POST creates, PATCH replaces the whole
// credential (an omitted field is cleared), delete is the trash (delete_time), and
// custom fields are one more sjcl-encrypted field.
import { test, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../lib/server.mjs';
import { decryptFields, encryptFields, encryptString } from '../lib/crypto.mjs';

let srv;
let personal;
let vaultId;
const API = '/index.php/apps/passman/api/v2';
const basic = (u, p) => `Basic ${Buffer.from(`${u}:${p}`).toString('base64')}`;
const asDemo = () => ({ authorization: basic(srv.account.username, srv.account.password) });

async function call(method, path, { headers = asDemo(), body } = {}) {
  const res = await fetch(srv.url + path, {
    method,
    headers: body === undefined ? headers : { ...headers, 'content-type': 'application/json' },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  let json = null;
  try {
    json = JSON.parse(text);
  } catch {
    // not JSON
  }
  return { status: res.status, json, text };
}

const FIELDS = [
  { label: 'Account no.', value: '0042-77', secret: false, field_type: 'text' },
  { label: 'PIN', value: '9911', secret: true, field_type: 'password' },
];

// The whole credential, encrypted, as Passman's web client sends it.
function wholeCredential(plain, extra = {}) {
  return {
    vault_id: vaultId,
    label: plain.label,
    expire_time: 0,
    delete_time: 0,
    hidden: false,
    renew_interval: null,
    ...encryptFields(
      {
        description: plain.description ?? '',
        username: plain.username ?? '',
        email: plain.email ?? '',
        password: plain.password ?? '',
        url: plain.url ?? '',
        tags: plain.tags ?? [],
        files: [],
        custom_fields: plain.custom_fields ?? [],
        otp: plain.otp ?? {},
        compromised: false,
      },
      personal.vaultKey,
    ),
    ...extra,
  };
}

const listed = async (guid) => (await call('GET', `${API}/vaults/${personal.guid}`)).json.credentials.find((c) => c.guid === guid);

before(async () => {
  srv = await startServer({ test: true });
  personal = srv.account.vaults[0];
});
beforeEach(async () => {
  await call('POST', '/__test/reset');
  vaultId = (await call('GET', `${API}/vaults`)).json.find((v) => v.guid === personal.guid).vault_id;
});
after(async () => {
  await srv.close();
});

test('POST creates a credential that lists in its vault and opens with the vault key', async () => {
  for (const prefix of [API, '/apps/passman/api/v2']) {
    const reply = await call('POST', `${prefix}/credentials`, {
      body: wholeCredential({ label: 'New', username: 'nu', password: 'n-Passw0rd', url: 'https://new.example/', custom_fields: FIELDS }),
    });
    assert.equal(reply.status, 200);
    assert.match(reply.json.guid, /^[0-9A-F-]{36}$/);
    assert.equal(reply.json.vault_id, vaultId);
    assert.equal(reply.json.user_id, 'demo');
    assert.equal(reply.json.delete_time, 0);
    assert.equal(reply.json.hidden, 0);
    assert.equal(reply.json.created, reply.json.changed);
    const stored = await listed(reply.json.guid);
    assert.deepEqual(stored, reply.json);
    const plain = decryptFields(stored, personal.vaultKey);
    assert.equal(plain.password, 'n-Passw0rd');
    assert.deepEqual(plain.custom_fields, FIELDS);
    const opened = (await call('GET', `/__test/credentials/${reply.json.guid}`)).json;
    assert.deepEqual(opened.fields.custom_fields, FIELDS);
    assert.equal(opened.distinctIvs, true);
    assert.equal(opened.encryptedFields, 10);
  }
});

test('POST refuses a missing label or vault_id (400), a vault of another user (404) and a field left in clear (400)', async () => {
  assert.equal((await call('POST', `${API}/credentials`, { body: { vault_id: vaultId } })).status, 400);
  assert.equal((await call('POST', `${API}/credentials`, { body: { label: 'x' } })).status, 400);
  const friendVaultId = 3;
  const other = await call('POST', `${API}/credentials`, { body: { label: 'x', vault_id: friendVaultId } });
  assert.equal(other.status, 404);
  const clear = await call('POST', `${API}/credentials`, { body: { ...wholeCredential({ label: 'x' }), password: 'in clear' } });
  assert.equal(clear.status, 400);
  assert.match(clear.json.message, /^password is not an sjcl container/);
  const object = await call('POST', `${API}/credentials`, { body: { ...wholeCredential({ label: 'x' }), custom_fields: FIELDS } });
  assert.equal(object.status, 400);
  assert.equal((await call('POST', `${API}/credentials`, { body: '[1]' })).status, 400);
});

test('PATCH replaces the whole credential: a field left out is cleared', async () => {
  const created = (await call('POST', `${API}/credentials`, { body: wholeCredential({ label: 'Full', username: 'u', password: 'p', custom_fields: FIELDS }) })).json;
  const body = wholeCredential({ label: 'Renamed', username: 'u2', password: 'p2' }, { guid: created.guid });
  delete body.custom_fields;
  delete body.email;
  const patched = await call('PATCH', `${API}/credentials/${created.guid}`, { body });
  assert.equal(patched.status, 200);
  assert.equal(patched.json.label, 'Renamed');
  assert.equal(patched.json.custom_fields, null, 'omitted: cleared');
  assert.equal(patched.json.email, null, 'omitted: cleared');
  assert.equal(patched.json.credential_id, created.credential_id);
  assert.equal(patched.json.created, created.created);
  assert.equal(patched.json.vault_id, created.vault_id);
  const plain = decryptFields(await listed(created.guid), personal.vaultKey);
  assert.equal(plain.password, 'p2');
  assert.equal(plain.custom_fields, undefined);

  // Only the label: everything else goes.
  const bare = await call('PATCH', `${API}/credentials/${created.guid}`, { body: { guid: created.guid, label: 'Bare' } });
  assert.equal(bare.status, 200);
  for (const field of ['username', 'password', 'url', 'otp', 'delete_time', 'expire_time', 'hidden']) assert.equal(bare.json[field], null, field);
});

test('PATCH needs the guid in the body, the same as the URL; unknown is 404, another user\'s is 401 {msg}', async () => {
  const created = (await call('POST', `${API}/credentials`, { body: wholeCredential({ label: 'G' }) })).json;
  const noGuid = await call('PATCH', `${API}/credentials/${created.guid}`, { body: wholeCredential({ label: 'G' }) });
  assert.equal(noGuid.status, 400);
  assert.match(noGuid.json.message, /guid/);
  const other = await call('PATCH', `${API}/credentials/${created.guid}`, { body: wholeCredential({ label: 'G' }, { guid: 'OTHER' }) });
  assert.equal(other.status, 400);
  assert.equal((await call('PATCH', `${API}/credentials/NOPE`, { body: { guid: 'NOPE', label: 'x' } })).status, 404);
  const friend = srv.others[0];
  const friendCred = (await call('GET', '/__test/fixtures')).json.credentials.find((c) => c.key === 'friend-mail');
  const denied = await call('PATCH', `${API}/credentials/${friendCred.guid}`, { body: { guid: friendCred.guid, label: 'mine now' } });
  assert.equal(denied.status, 401);
  assert.deepEqual(denied.json, { msg: 'Not authorized' });
  const asFriend = { authorization: basic(friend.username, friend.password) };
  const still = (await call('GET', `${API}/vaults/${friend.vaults[0].guid}`, { headers: asFriend })).json.credentials.find((c) => c.guid === friendCred.guid);
  assert.equal(still.label, 'Mail');
});

test('delete is the trash: delete_time > 0 and the credential still lists; restoring sets it back to 0', async () => {
  const created = (await call('POST', `${API}/credentials`, { body: wholeCredential({ label: 'Bin me', password: 'b' }) })).json;
  const when = Math.floor(Date.now() / 1000);
  const trashed = await call('PATCH', `${API}/credentials/${created.guid}`, { body: wholeCredential({ label: 'Bin me', password: 'b' }, { guid: created.guid, delete_time: when }) });
  assert.equal(trashed.status, 200);
  const inList = await listed(created.guid);
  assert.equal(inList.delete_time, when);
  assert.equal(decryptFields(inList, personal.vaultKey).password, 'b');
  const restored = await call('PATCH', `${API}/credentials/${created.guid}`, { body: wholeCredential({ label: 'Bin me', password: 'b' }, { guid: created.guid, delete_time: 0 }) });
  assert.equal(restored.json.delete_time, 0);
  assert.equal((await call('DELETE', `${API}/credentials/${created.guid}`)).status, 405);
});

test('a shared credential keeps its shared_key across a PATCH', async () => {
  const wiki = (await call('GET', '/__test/fixtures')).json.credentials.find((c) => c.key === 'wiki');
  const before = await listed(wiki.guid);
  const body = { ...before, label: 'Team wiki (renamed)' };
  const reply = await call('PATCH', `${API}/credentials/${wiki.guid}`, { body });
  assert.equal(reply.status, 200);
  assert.equal(reply.json.shared_key, before.shared_key);
  assert.equal(reply.json.password, before.password);
});

test('the GitHub fixture carries a plain and a hidden custom field', async () => {
  const github = (await call('GET', '/__test/fixtures')).json.credentials.find((c) => c.key === 'github');
  const plain = decryptFields(await listed(github.guid), personal.vaultKey);
  assert.deepEqual(plain.custom_fields, github.custom_fields);
  assert.deepEqual(
    plain.custom_fields.map((f) => f.secret),
    [false, true],
  );
  const opened = (await call('GET', `/__test/credentials/${github.guid}`)).json;
  assert.deepEqual(opened.fields.custom_fields, github.custom_fields);
  assert.equal((await call('GET', '/__test/credentials/NOPE')).status, 404);
});

test('an encrypted value is accepted with or without base64 padding, as sjcl writes it', async () => {
  const value = encryptString(JSON.stringify('pw'), personal.vaultKey).replace(/=+$/, '');
  const reply = await call('POST', `${API}/credentials`, { body: { ...wholeCredential({ label: 'P' }), password: value } });
  assert.equal(reply.status, 200);
});
