// SPDX-License-Identifier: MIT
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createBasicAuth } from '../../src/background/basic-auth.js';

const ONE = { account: 'a1', id: 'e1', name: 'Intranet', username: 'alice', score: 300 };

function setup({ matches = [ONE], basicAuth = true, unlocked = true } = {}) {
  const calls = [];
  const client = {
    async request(action, params) {
      calls.push({ action, params });
      if (action === 'credentials.match') return { matches };
      if (action === 'credentials.get') return { username: 'alice', password: 'pw' };
      return {};
    },
  };
  const storage = { local: { get: async () => ({ siteRules: { basicAuth } }) } };
  const auth = createBasicAuth({ client, getState: () => ({ unlocked }), storage });
  return { auth, calls };
}

const ask = (extra = {}) => ({ requestId: 'r1', url: 'https://intranet.example/reports', isProxy: false, ...extra });

test('one matching login answers the site, asked for with purpose fill and the URL that asks', async () => {
  const { auth, calls } = setup();
  assert.deepEqual(await auth.answer(ask()), { authCredentials: { username: 'alice', password: 'pw' } });
  assert.deepEqual(calls.find((c) => c.action === 'credentials.get').params, { id: 'e1', account: 'a1', purpose: 'fill', url: 'https://intranet.example/reports' });
});

test('two matches, none, the option off, locked or a proxy: the browser\'s dialog, and no secret is read', async () => {
  for (const [label, options, details] of [
    ['two matches', { matches: [ONE, { ...ONE, id: 'e2' }] }, ask()],
    ['no match', { matches: [] }, ask()],
    ['option off', { basicAuth: false }, ask()],
    ['locked', { unlocked: false }, ask()],
    ['proxy', {}, ask({ isProxy: true })],
    ['not a web page', {}, ask({ url: 'ftp://intranet.example/' })],
  ]) {
    const { auth, calls } = setup(options);
    assert.deepEqual(await auth.answer(details), {}, label);
    assert.equal(calls.some((c) => c.action === 'credentials.get'), false, label);
  }
});

test('a second ask for the same request means the login was refused: the browser takes over', async () => {
  const { auth } = setup();
  assert.ok((await auth.answer(ask())).authCredentials);
  assert.deepEqual(await auth.answer(ask()), {});
  assert.ok((await auth.answer(ask({ requestId: 'r2' }))).authCredentials);
});
