// Session sharing (seed 000): step-up, create (token hashed, shown once), the
// status SSE stream, PATCH actions, DELETE and the 10/hour limit.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { start, loggedIn, openSse } from '../test-support/helpers.mjs';

let srv;
let c;
let fx;
before(async () => {
  srv = await start({ sseIntervalMs: 40 });
  c = await loggedIn(srv);
  fx = Object.fromEntries((await c.test('GET', 'fixtures')).body.items.map((i) => [i.key, i]));
});
after(() => srv.close());

const body = (extra = {}) => ({ accountId: fx['github-work'].id, decryptedUsername: 'demo-work', decryptedPassword: 'gh-W0rk-Secret!', durationMinutes: 15, maxViewers: 1, watermarkEnabled: true, ...extra });

/** Reads an SSE stream to its end: [{event, data}]. */
async function readSse(path, token = c.token) {
  const res = await fetch(srv.url + path, { headers: { authorization: `Bearer ${token}` } });
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type'), /^text\/event-stream/);
  const raw = await res.text();
  return raw
    .split('\n\n')
    .filter((b) => b.includes('event:'))
    .map((b) => {
      const ev = /^event: (.*)$/m.exec(b)[1];
      const data = JSON.parse(/^data: (.*)$/m.exec(b)[1]);
      return { event: ev, data };
    });
}

test('create answers the documented reply and stores only SHA-256 of the share token', async () => {
  await c.test('POST', 'reset-limits');
  const r = await c.api('POST', '/api/session-shares', body());
  assert.equal(r.status, 201);
  const s = r.body;
  assert.deepEqual(Object.keys(s).sort(), ['estimatedCostCents', 'expiresAt', 'id', 'loginMethod', 'serviceName', 'shareToken', 'shareUrl', 'status'].sort());
  assert.match(s.id, /^sess_/);
  assert.equal(s.status, 'login_in_progress');
  assert.equal(s.shareUrl, `/s/${s.shareToken}`);
  assert.equal(s.estimatedCostCents, 150);
  assert.equal(s.serviceName, 'GitHub (work)');
  assert.equal(s.loginMethod, 'ai_agent');
  assert.ok(Math.abs(Date.parse(s.expiresAt) - Date.now() - 15 * 60_000) < 5000);
  const stored = (await c.test('GET', 'session-shares')).body.sessions.find((x) => x.id === s.id);
  assert.equal(stored.shareTokenHash, createHash('sha256').update(s.shareToken).digest('hex'));
  const dump = JSON.stringify(stored);
  assert.ok(!dump.includes(s.shareToken));
  assert.ok(!dump.includes('gh-W0rk-Secret!'), 'credentials are encrypted for storage');
});

test('the status stream sends status events, then complete, and ends', async () => {
  const s = (await c.api('POST', '/api/session-shares', body())).body;
  // The server's clock held back: the simulated login cannot finish until it is reset.
  await c.test('POST', 'clock', { offsetSeconds: -60 });
  const stream = await openSse(srv, `/api/session-shares/${s.id}/status`, c.token);
  assert.match(stream.contentType, /^text\/event-stream/);
  const first = await stream.next();
  await c.test('POST', 'clock', { offsetSeconds: 0 });
  const events = [first];
  for (let e = await stream.next(); e; e = await stream.next()) events.push(e);
  assert.equal(events[0].event, 'status');
  assert.deepEqual(events[0].data, { type: 'status', status: 'login_in_progress', currentViewers: 0 });
  const active = events.find((e) => e.event === 'status' && e.data.status === 'active');
  assert.equal(active.data.currentViewers, 1);
  assert.match(active.data.livePreviewUrl, /^http:\/\/127\.0\.0\.1:\d+\/live\/sess_/);
  const last = events.at(-1);
  assert.equal(last.event, 'complete');
  assert.deepEqual(last.data, { type: 'complete', status: 'active', livePreviewUrl: active.data.livePreviewUrl });
});

test('a failed simulated login completes with login_failed', async () => {
  const s = (await c.api('POST', '/api/session-shares', body({ decryptedPassword: 'fail' }))).body;
  const events = await readSse(`/api/session-shares/${s.id}/status`);
  assert.deepEqual(events.at(-1).data, { type: 'complete', status: 'login_failed' });
});

test('PATCH pauses, resumes, extends, toggles the watermark and revokes; DELETE revokes', async () => {
  const s = (await c.api('POST', '/api/session-shares', body())).body;
  const p = await c.api('PATCH', `/api/session-shares/${s.id}`, { action: 'pause' });
  assert.equal(p.status, 200);
  assert.equal(p.body.session.status, 'paused');
  assert.equal((await c.api('PATCH', `/api/session-shares/${s.id}`, { action: 'resume' })).body.session.status !== 'paused', true);
  const ext = await c.api('PATCH', `/api/session-shares/${s.id}`, { action: 'extend', minutes: 30 });
  assert.equal(Date.parse(ext.body.session.expiresAt) - Date.parse(s.expiresAt), 30 * 60_000);
  assert.equal((await c.api('PATCH', `/api/session-shares/${s.id}`, { watermarkEnabled: false })).body.session.watermarkEnabled, false);
  assert.equal((await c.api('PATCH', `/api/session-shares/${s.id}`, { action: 'fly' })).status, 400);
  assert.equal((await c.api('PATCH', `/api/session-shares/${s.id}`, {})).status, 400);
  assert.equal((await c.api('PATCH', `/api/session-shares/${s.id}`, { action: 'revoke' })).body.session.status, 'revoked');
  assert.equal((await c.api('PATCH', `/api/session-shares/${s.id}`, { action: 'resume' })).status, 410);
  const events = await readSse(`/api/session-shares/${s.id}/status`);
  assert.deepEqual(events.map((e) => [e.event, e.data.status]), [['status', 'revoked'], ['complete', 'revoked']]);

  const s2 = (await c.api('POST', '/api/session-shares', body())).body;
  assert.deepEqual((await c.api('DELETE', `/api/session-shares/${s2.id}`)).body, { success: true });
  assert.equal((await c.raw('GET', '/api/session-shares')).body.sessions.find((x) => x.id === s2.id).status, 'revoked');
});

test('only the owner sees a session share (404 for others)', async () => {
  const s = (await c.api('POST', '/api/session-shares', body())).body;
  const f = await loggedIn(srv, srv.others[0]);
  assert.equal((await f.raw('GET', `/api/session-shares/${s.id}/status`)).status, 404);
  assert.equal((await f.api('DELETE', `/api/session-shares/${s.id}`)).status, 404);
});

test('create needs step-up and is limited to 10 per hour', async () => {
  const d = await loggedIn(srv);
  await d.test('POST', 'reset-limits');
  await d.test('POST', 'age-login', { email: srv.account.email, seconds: 400 });
  const r = await d.api('POST', '/api/session-shares', body());
  assert.equal(r.status, 401);
  assert.equal(r.body.code, 'STEP_UP_AUTH_REQUIRED');
  assert.equal(r.headers.get('x-require-reauth'), 'true');
  const e = await loggedIn(srv);
  await e.test('POST', 'reset-limits');
  for (let i = 0; i < 10; i++) assert.equal((await e.api('POST', '/api/session-shares', body())).status, 201);
  const over = await e.api('POST', '/api/session-shares', body());
  assert.equal(over.status, 429);
  assert.equal(over.body.code, 'RATE_LIMITED');
  assert.ok(Number(over.headers.get('retry-after')) > 3000);
  const bad = await e.api('POST', '/api/session-shares', { accountId: fx['github-work'].id });
  assert.equal(bad.status, 429, 'the limit is checked before validation');
  await e.test('POST', 'reset-limits');
  const v = await e.api('POST', '/api/session-shares', { accountId: fx['github-work'].id });
  assert.equal(v.status, 400);
  assert.deepEqual(v.body.details.map((x) => x.field).sort(), ['decryptedPassword', 'decryptedUsername']);
});
