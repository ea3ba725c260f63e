// Writing passwords (the API design note, "Writing passwords"): CSRF, 404 for unknown
// and foreign ids, validation details, updated_at on every write, the general limit,
// and listing from a cursor so a client fetches only what is new.
import { test, before, after, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import { start, loggedIn } from '../test-support/helpers.mjs';

let srv;
let c;
before(async () => {
  srv = await start({ items: 20, generalLimit: 10 });
  c = await loggedIn(srv);
});
beforeEach(() => c.test('POST', 'reset-limits'));
after(() => srv.close());

const box = (bytes) => ({ iv: 'AAAAAAAAAAAAAAAA', ciphertext: Buffer.alloc(bytes).toString('base64') });
const V3 = () => ({ name: 'Written', url: 'https://written.example/login', category: 'Web', tags: ['w'], wrapped_item_key: box(48), encrypted_data: box(40) });

test('POST answers 201 {data: record} in v3; GET gives the same record; DELETE answers {success: true}', async () => {
  const made = await c.api('POST', '/api/passwords', V3());
  assert.equal(made.status, 201);
  const rec = made.body.data;
  assert.match(rec.id, /^pwd_[0-9a-f]{16}$/);
  assert.equal(rec.website, 'written.example');
  assert.equal(rec.has_totp, false);
  assert.equal(rec.created_at, rec.updated_at);
  assert.deepEqual(rec.wrapped_item_key, box(48));
  assert.ok(!('encrypted_password' in rec) && !('username' in rec));
  const got = await c.raw('GET', `/api/passwords/${rec.id}`);
  assert.equal(got.status, 200);
  assert.deepEqual(got.body, { data: rec });
  const del = await c.api('DELETE', `/api/passwords/${rec.id}`);
  assert.equal(del.status, 200);
  assert.deepEqual(del.body, { success: true });
  assert.equal((await c.raw('GET', `/api/passwords/${rec.id}`)).status, 404);
  assert.equal((await c.api('DELETE', `/api/passwords/${rec.id}`)).status, 404);
});

test('PATCH with wrapped_item_key + encrypted_data turns a v2 record into v3 and bumps updated_at every time', async () => {
  const v2 = (await c.test('GET', 'fixtures')).body.items.find((i) => i.key === 'router');
  const before = (await c.raw('GET', `/api/passwords/${v2.id}`)).body.data;
  assert.ok('encrypted_password' in before);
  const up = await c.api('PATCH', `/api/passwords/${v2.id}`, { wrapped_item_key: box(48), encrypted_data: box(64) });
  assert.equal(up.status, 200);
  const after1 = up.body.data;
  assert.ok(!('encrypted_password' in after1) && !('username' in after1));
  assert.deepEqual(after1.encrypted_data, box(64));
  assert.equal(after1.created_at, before.created_at);
  assert.ok(after1.updated_at > before.updated_at);
  // Two writes in a row: updated_at still moves forward.
  const a = (await c.api('PATCH', `/api/passwords/${v2.id}`, { name: 'Router A' })).body.data;
  const b = (await c.api('PATCH', `/api/passwords/${v2.id}`, { name: 'Router B' })).body.data;
  assert.ok(a.updated_at > after1.updated_at);
  assert.ok(b.updated_at > a.updated_at);
  // null clears url, website, category.
  const cleared = (await c.api('PATCH', `/api/passwords/${v2.id}`, { url: null, website: null, category: null })).body.data;
  assert.deepEqual([cleared.url, cleared.website, cleared.category], [null, null, null]);
});

test('every write needs the CSRF token: none or a stale one is 403, and nothing changes', async () => {
  const id = (await c.api('POST', '/api/passwords', V3())).body.data.id;
  for (const [method, path, body] of [['POST', '/api/passwords', V3()], ['PATCH', `/api/passwords/${id}`, { name: 'No' }], ['DELETE', `/api/passwords/${id}`]]) {
    const none = await c.raw(method, path, { body });
    assert.equal(none.status, 403, method);
    assert.deepEqual(none.body, { error: 'Invalid CSRF token', code: 'FORBIDDEN', status: 403 });
    await c.test('POST', 'rotate-csrf');
    const stale = await c.raw(method, path, { body, csrf: c.csrf });
    assert.equal(stale.status, 403, method);
    c.csrf = null;
  }
  assert.equal((await c.raw('GET', `/api/passwords/${id}`)).body.data.name, 'Written');
});

test("unknown ids and another user's records are 404 for GET, PATCH and DELETE", async () => {
  const friend = await loggedIn(srv, srv.others[0]);
  const mine = (await c.api('POST', '/api/passwords', V3())).body.data.id;
  for (const [who, id] of [[c, 'pwd_0000000000000000'], [friend, mine]]) {
    for (const [method, body] of [['GET'], ['PATCH', { name: 'x' }], ['DELETE']]) {
      const r = await who.api(method, `/api/passwords/${id}`, body);
      assert.equal(r.status, 404, `${method} ${id}`);
      assert.deepEqual(r.body, { error: 'Password not found', code: 'NOT_FOUND', status: 404 });
    }
  }
  assert.equal((await c.raw('GET', `/api/passwords/${mine}`)).status, 200, 'still there');
});

test('bad bodies are 400 VALIDATION_ERROR with details [{field, message}]', async () => {
  const cases = [
    [{ ...V3(), name: undefined }, 'name'],
    [{ ...V3(), name: '' }, 'name'],
    [{ ...V3(), name: 'n'.repeat(201) }, 'name'],
    [{ ...V3(), url: 'u'.repeat(2049) }, 'url'],
    [{ ...V3(), tags: ['t'.repeat(51)] }, 'tags'],
    [{ ...V3(), tags: 'notarray' }, 'tags'],
    [{ ...V3(), wrapped_item_key: box(32) }, 'wrapped_item_key'],
    [{ ...V3(), wrapped_item_key: { iv: 'AAAA', ciphertext: box(48).ciphertext } }, 'wrapped_item_key'],
    [{ ...V3(), encrypted_data: { iv: 'AAAAAAAAAAAAAAAA' } }, 'encrypted_data'],
    [{ ...V3(), encrypted_data: 'not json' }, 'encrypted_data'],
    [{ ...V3(), encrypted_data: box(65536 + 17) }, 'encrypted_data'],
    [{ ...V3(), encrypted_data: undefined }, 'encrypted_data'],
  ];
  for (const [body, field] of cases) {
    const r = await c.api('POST', '/api/passwords', JSON.parse(JSON.stringify(body)));
    assert.equal(r.status, 400, field);
    assert.equal(r.body.error, 'Validation failed');
    assert.equal(r.body.code, 'VALIDATION_ERROR');
    assert.ok(r.body.details.some((d) => d.field === field && typeof d.message === 'string' && d.message), `${field}: ${JSON.stringify(r.body.details)}`);
    await c.test('POST', 'reset-limits');
  }
  const id = (await c.api('POST', '/api/passwords', V3())).body.data.id;
  const p = await c.api('PATCH', `/api/passwords/${id}`, { name: '', encrypted_data: box(8) });
  assert.equal(p.status, 400);
  assert.deepEqual(p.body.details.map((d) => d.field).sort(), ['encrypted_data', 'name']);
});

test('the general limit covers the writes: 429 RATE_LIMITED with Retry-After', async () => {
  const id = (await c.api('POST', '/api/passwords', V3())).body.data.id;
  const calls = [
    () => c.api('POST', '/api/passwords', V3()),
    () => c.api('PATCH', `/api/passwords/${id}`, { name: 'again' }),
    () => c.raw('GET', `/api/passwords/${id}`),
  ];
  // 1 used above; 9 more pass, the next is refused, whatever the route.
  for (let i = 0; i < 9; i++) assert.ok([200, 201].includes((await calls[i % 3]()).status));
  for (const call of [...calls, () => c.api('DELETE', `/api/passwords/${id}`)]) {
    const r = await call();
    assert.equal(r.status, 429);
    assert.deepEqual(r.body, { error: 'Too many requests', code: 'RATE_LIMITED', status: 429 });
    const wait = Number(r.headers.get('retry-after'));
    assert.ok(Number.isInteger(wait) && wait >= 1 && wait <= 60, `Retry-After ${wait}`);
  }
  await c.test('POST', 'reset-limits');
  assert.equal((await c.raw('GET', `/api/passwords/${id}`)).status, 200, 'still there after the refused DELETE');
});

test('a cursor at the last id seen returns only records created since, in creation order', async () => {
  // Walk to the end, remember the last id.
  let cursor = null;
  let last = null;
  for (;;) {
    const page = await c.raw('GET', `/api/passwords?limit=100${cursor ? `&cursor=${cursor}` : ''}`);
    assert.equal(page.status, 200);
    if (page.body.data.length) last = page.body.data.at(-1).id;
    if (!page.body.pagination.hasMore) break;
    cursor = page.body.pagination.nextCursor;
  }
  const none = await c.raw('GET', `/api/passwords?cursor=${last}`);
  assert.deepEqual(none.body.data, []);
  assert.deepEqual(none.body.pagination, { limit: 50, nextCursor: null, hasMore: false });
  const a = (await c.api('POST', '/api/passwords', { ...V3(), name: 'Later A' })).body.data.id;
  const b = (await c.api('POST', '/api/passwords', { ...V3(), name: 'Later B' })).body.data.id;
  // An update does not move a record: it stays in its place.
  await c.api('PATCH', `/api/passwords/${last}`, { name: 'Touched' });
  const fresh = await c.raw('GET', `/api/passwords?cursor=${last}`);
  assert.deepEqual(fresh.body.data.map((d) => d.id), [a, b]);
  const paged = await c.raw('GET', `/api/passwords?cursor=${last}&limit=1`);
  assert.deepEqual(paged.body.data.map((d) => d.id), [a]);
  assert.deepEqual(paged.body.pagination, { limit: 1, nextCursor: a, hasMore: true });
  // The last record seen may be deleted meanwhile: its cursor still continues.
  await c.api('DELETE', `/api/passwords/${last}`);
  const after = await c.raw('GET', `/api/passwords?cursor=${last}`);
  assert.deepEqual(after.body.data.map((d) => d.id), [a, b]);
});

test('Idempotency-Key: a repeated create answers the first record and makes no second one', async () => {
  const headers = { 'idempotency-key': 'create-once-1' };
  const a = await c.api('POST', '/api/passwords', { ...V3(), name: 'Once' }, { headers });
  const b = await c.api('POST', '/api/passwords', { ...V3(), name: 'Once' }, { headers });
  assert.equal(a.status, 201);
  assert.equal(b.status, 201);
  assert.deepEqual(b.body, a.body);
  const all = (await c.raw('GET', '/api/passwords?page=1&limit=100')).body.data.filter((d) => d.name === 'Once');
  assert.equal(all.length, 1);
  // Another key, or another user with the same key, makes a new record.
  const other = await c.api('POST', '/api/passwords', { ...V3(), name: 'Once' }, { headers: { 'idempotency-key': 'create-once-2' } });
  assert.notEqual(other.body.data.id, a.body.data.id);
  const friend = await loggedIn(srv, srv.others[0]);
  const theirs = await friend.api('POST', '/api/passwords', { ...V3(), name: 'Once' }, { headers });
  assert.notEqual(theirs.body.data.id, a.body.data.id);
  const tooLong = await c.api('POST', '/api/passwords', V3(), { headers: { 'idempotency-key': 'k'.repeat(256) } });
  assert.equal(tooLong.status, 400);
  assert.equal(tooLong.body.details[0].field, 'Idempotency-Key');
});
