// The demo pages that the e2e tests and the demo fill: plain form,
// identifier-first, one-time code; their credentials are in the fixtures.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { start } from '../test-support/helpers.mjs';
import { b32decode, rfc6238 } from '../test-support/independent.mjs';

let srv;
let fx;
before(async () => {
  srv = await start();
  fx = Object.fromEntries((await (await fetch(`${srv.url}/__test/fixtures`)).json()).items.map((i) => [i.key, i]));
});
after(() => srv.close());

const post = (path, form) => fetch(srv.url + path, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(form) });

test('the pages serve forms with the usual autocomplete hints', async () => {
  const login = await (await fetch(`${srv.url}/demo/login`)).text();
  assert.match(login, /autocomplete="username"/);
  assert.match(login, /autocomplete="current-password"/);
  const idf = await (await fetch(`${srv.url}/demo/identifier-first`)).text();
  assert.match(idf, /id="step-password" hidden/);
  const otp = await (await fetch(`${srv.url}/demo/otp`)).text();
  assert.match(otp, /autocomplete="one-time-code"/);
});

test('the fixture credentials for this origin sign in; wrong ones do not', async () => {
  for (const key of ['demo-login', 'demo-identifier-first', 'alice-team-demo']) {
    const f = fx[key];
    assert.ok(f.url.startsWith(srv.url), key);
    const r = await post('/demo/login', { username: f.username, password: f.password });
    assert.equal(r.status, 200);
    assert.match(await r.text(), new RegExp(`Signed in as ${f.username}`));
  }
  const bad = await post('/demo/login', { username: 'demo-user', password: 'nope' });
  assert.equal(bad.status, 401);
});

test('the OTP page accepts the code of the "Demo OTP" entry secret', async () => {
  const code = rfc6238(b32decode(fx['demo-otp'].totp.secret), Date.now() / 1000);
  const r = await post('/demo/otp', { otp: code });
  assert.equal(r.status, 200);
  assert.match(await r.text(), /Code accepted/);
  assert.equal((await post('/demo/otp', { otp: '12' })).status, 401);
});
