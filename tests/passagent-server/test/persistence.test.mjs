// --data: state survives a restart; fixtures are generated once and then loaded;
// --seed makes the fixtures deterministic.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { start, loggedIn, Client } from '../test-support/helpers.mjs';

test('records, shares, sessions and refresh tokens survive a restart on the same data dir', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'pa-persist-'));
  try {
    const a = await start({ data: dir });
    assert.equal(a.generated, true);
    const c = await loggedIn(a);
    const made = await c.api('POST', '/api/passwords', { name: 'Persisted', url: 'https://persist.example/', username: 'p', encrypted_password: { iv: 'AAAAAAAAAAAAAAAA', ciphertext: 'AAAAAAAAAAAAAAAAAAAAAA==' } });
    assert.equal(made.status, 201);
    const before = (await c.raw('GET', '/api/passwords?limit=100')).body.data;
    const salt = (await c.raw('GET', '/api/vault/salt')).body;
    const refresh = c.refreshToken;
    await a.close();
    assert.ok(readdirSync(dir).includes('passwords.json'));

    const b = await start({ data: dir });
    try {
      assert.equal(b.generated, false);
      const r = await new Client(b).auth('refresh_token', { refresh_token: refresh });
      assert.equal(r.status, 200, 'the refresh token still works after the restart');
      const d = await loggedIn(b);
      const after = (await d.raw('GET', '/api/passwords?limit=100')).body.data;
      // The demo page origin follows the new port; everything else is the same.
      const strip = (list) => list.map((x) => ({ ...x, url: x.url?.replace(/127\.0\.0\.1:\d+/, 'ORIGIN') }));
      assert.deepEqual(strip(after), strip(before));
      assert.deepEqual((await d.raw('GET', '/api/vault/salt')).body, salt);
    } finally {
      await b.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the same --seed gives the same fixtures', async () => {
  const a = await start({ seed: 7 });
  const b = await start({ seed: 7 });
  try {
    const la = (await (await loggedIn(a)).raw('GET', '/api/passwords?limit=100')).body.data;
    const lb = (await (await loggedIn(b)).raw('GET', '/api/passwords?limit=100')).body.data;
    const strip = (list) => list.map((x) => ({ ...x, url: x.url?.replace(/127\.0\.0\.1:\d+/, 'ORIGIN'), website: x.website }));
    assert.deepEqual(strip(la), strip(lb));
    const ka = (await (await loggedIn(a)).raw('GET', '/api/vault/keys')).body;
    const kb = (await (await loggedIn(b)).raw('GET', '/api/vault/keys')).body;
    assert.deepEqual(ka, kb);
  } finally {
    await a.close();
    await b.close();
  }
});
