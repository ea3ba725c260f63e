// /api/passwords: cursor paging (seed 001), page paging (public docs), CRUD for
// v2 and v3 records, validation, 404s and the body size limit.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { start, loggedIn } from '../test-support/helpers.mjs';

let srv;
let c;
before(async () => {
  srv = await start({ items: 137, generalLimit: 10_000 });
  c = await loggedIn(srv);
});
after(() => srv.close());

const V2 = { name: 'New v2', url: 'https://new.example/login', username: 'nu', encrypted_password: { iv: 'AAAAAAAAAAAAAAAA', ciphertext: 'AAAAAAAAAAAAAAAAAAAAAA==' } };
const V3 = { name: 'New v3', url: 'https://new3.example/', wrapped_item_key: JSON.stringify({ iv: 'AAAAAAAAAAAAAAAA', ciphertext: 'A'.repeat(64) }), encrypted_data: { iv: 'AAAAAAAAAAAAAAAA', ciphertext: 'AAAAAAAAAAAAAAAAAAAAAA' } };

async function allByCursor(limit) {
  const ids = [];
  let cursor = null;
  for (let i = 0; i < 100; i++) {
    const r = await c.raw('GET', `/api/passwords?limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`);
    assert.equal(r.status, 200);
    assert.deepEqual(Object.keys(r.body.pagination).sort(), ['hasMore', 'limit', 'nextCursor']);
    ids.push(...r.body.data.map((d) => d.id));
    if (!r.body.pagination.hasMore) {
      assert.equal(r.body.pagination.nextCursor, null);
      return ids;
    }
    assert.equal(r.body.pagination.nextCursor, r.body.data.at(-1).id);
    cursor = r.body.pagination.nextCursor;
  }
  throw new Error('paging did not end');
}

test('cursor paging walks every record once, in creation order', async () => {
  const ids = await allByCursor(50);
  assert.equal(ids.length, 137);
  assert.equal(new Set(ids).size, 137);
  const first = await c.raw('GET', '/api/passwords');
  assert.equal(first.body.data.length, 50, 'default limit is 50');
  assert.deepEqual(first.body.data.map((d) => d.id), ids.slice(0, 50));
});

test('page paging answers {data, pagination: {page, limit, total}}', async () => {
  const r = await c.raw('GET', '/api/passwords?page=3&limit=60');
  assert.equal(r.status, 200);
  assert.deepEqual(r.body.pagination, { page: 3, limit: 60, total: 137 });
  assert.equal(r.body.data.length, 17);
  const beyond = await c.raw('GET', '/api/passwords?page=9&limit=60');
  assert.equal(beyond.body.data.length, 0);
});

test('bad paging parameters are 400 VALIDATION_ERROR with details', async () => {
  for (const q of ['limit=101', 'limit=0', 'limit=abc', 'page=0', 'page=1&cursor=x', 'cursor=pwd_unknown']) {
    const r = await c.raw('GET', `/api/passwords?${q}`);
    assert.equal(r.status, 400, q);
    assert.equal(r.body.code, 'VALIDATION_ERROR');
    assert.equal(r.body.status, 400);
    assert.ok(Array.isArray(r.body.details) && r.body.details[0].field && r.body.details[0].message, q);
  }
});

test('records carry the metadata and one of the two encodings', async () => {
  const r = await c.raw('GET', '/api/passwords?limit=100');
  for (const d of r.body.data) {
    for (const k of ['id', 'name', 'website', 'url', 'category', 'tags', 'has_totp', 'created_at', 'updated_at']) assert.ok(k in d, k);
    assert.match(d.id, /^pwd_[0-9a-f]+$/);
    const v3 = 'wrapped_item_key' in d;
    assert.equal(v3, 'encrypted_data' in d);
    assert.equal(!v3, 'encrypted_password' in d && 'username' in d);
  }
  const kinds = new Set(r.body.data.map((d) => typeof (d.encrypted_data ?? d.encrypted_password)));
  assert.deepEqual([...kinds].sort(), ['object', 'string'], 'boxes come both as objects and as JSON strings');
  const texts = r.body.data.map((d) => JSON.stringify(d.encrypted_data ?? d.encrypted_password));
  assert.ok(texts.some((t) => /[-_]/.test(t)), 'some boxes are base64url');
  assert.ok(texts.some((t) => /[+/]/.test(t)), 'some boxes are base64');
});

test('create, get, update and delete a v2 and a v3 record', async () => {
  const a = await c.api('POST', '/api/passwords', V2);
  assert.equal(a.status, 201);
  assert.equal(a.body.data.username, 'nu');
  assert.equal(a.body.data.website, 'new.example');
  const b = await c.api('POST', '/api/passwords', V3);
  assert.equal(b.status, 201);
  assert.equal(typeof b.body.data.wrapped_item_key, 'string', 'stored as sent');
  const got = await c.raw('GET', `/api/passwords/${b.body.data.id}`);
  assert.deepEqual(got.body.data, b.body.data);

  const up = await c.api('PATCH', `/api/passwords/${a.body.data.id}`, { name: 'Renamed', tags: ['x'] });
  assert.equal(up.status, 200);
  assert.equal(up.body.data.name, 'Renamed');
  assert.deepEqual(up.body.data.tags, ['x']);
  // Converting v2 -> v3 drops the v2 fields.
  const conv = await c.api('PATCH', `/api/passwords/${a.body.data.id}`, { wrapped_item_key: V3.wrapped_item_key, encrypted_data: V3.encrypted_data });
  assert.equal(conv.status, 200);
  assert.ok(!('encrypted_password' in conv.body.data));

  const del = await c.api('DELETE', `/api/passwords/${b.body.data.id}`);
  assert.deepEqual(del.body, { success: true });
  assert.equal((await c.raw('GET', `/api/passwords/${b.body.data.id}`)).status, 404);
});

test('a cursor whose record was deleted still continues the walk', async () => {
  const p1 = await c.raw('GET', '/api/passwords?limit=10');
  const cursor = p1.body.pagination.nextCursor;
  const expected = (await c.raw('GET', `/api/passwords?limit=5&cursor=${cursor}`)).body.data.map((d) => d.id);
  await c.api('DELETE', `/api/passwords/${cursor}`);
  const after = await c.raw('GET', `/api/passwords?limit=5&cursor=${cursor}`);
  assert.equal(after.status, 200);
  assert.deepEqual(after.body.data.map((d) => d.id), expected);
});

test('invalid bodies are 400 with field details; bad JSON is 400; a huge body is 413', async () => {
  const r = await c.api('POST', '/api/passwords', { name: '', encrypted_password: { iv: 'short', ciphertext: 'x' } });
  assert.equal(r.status, 400);
  assert.deepEqual(r.body.details.map((d) => d.field).sort(), ['encrypted_password', 'name']);
  const none = await c.api('POST', '/api/passwords', { name: 'x' });
  assert.equal(none.status, 400);
  const half = await c.api('POST', '/api/passwords', { name: 'x', wrapped_item_key: V3.wrapped_item_key });
  assert.equal(half.body.details[0].field, 'encrypted_data');
  const bad = await c.api('POST', '/api/passwords', '{not json');
  assert.equal(bad.status, 400);
  assert.equal(bad.body.code, 'VALIDATION_ERROR');
  const big = await c.api('POST', '/api/passwords', { name: 'x'.repeat(1024 * 1024 + 10) });
  assert.equal(big.status, 413);
});

test("another user's record is 404 NOT_FOUND; unknown routes are 404", async () => {
  const friend = await loggedIn(srv, srv.others[0]);
  const mine = (await c.raw('GET', '/api/passwords?limit=1')).body.data[0];
  const r = await friend.raw('GET', `/api/passwords/${mine.id}`);
  assert.equal(r.status, 404);
  assert.deepEqual(r.body, { error: 'Password not found', code: 'NOT_FOUND', status: 404 });
  const u = await c.raw('GET', '/api/nothing-here');
  assert.equal(u.status, 404);
  assert.equal(u.body.code, 'NOT_FOUND');
});
