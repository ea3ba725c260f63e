// SPDX-License-Identifier: MIT
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cleanRules, frameAllowed, neverSaves, updateRules, loadRules } from '../../src/shared/site-rules.js';

test('rules keep only well-formed origins and pairs, once each; Basic auth is off unless exactly true', () => {
  const rules = cleanRules({
    neverSave: ['https://a.example/login', 'https://a.example', 'javascript:alert(1)', 42],
    frames: [{ frame: 'https://sso.example/x', top: 'https://app.example/' }, { frame: 'https://sso.example', top: 'https://app.example' }, { frame: 'https://same.example', top: 'https://same.example' }, { frame: 'nope' }],
    basicAuth: 'yes',
  });
  assert.deepEqual(rules, { neverSave: ['https://a.example'], frames: [{ frame: 'https://sso.example', top: 'https://app.example' }], basicAuth: false });
});

test('a frame may be filled on its own site, or on the one site it was allowed on, by origin (scheme and port count)', () => {
  const rules = cleanRules({ frames: [{ frame: 'https://sso.example', top: 'https://app.example' }] });
  assert.equal(frameAllowed(rules, 'https://app.example/f', 'https://app.example/'), true);
  assert.equal(frameAllowed(rules, 'https://sso.example/login', 'https://app.example/home'), true);
  assert.equal(frameAllowed(rules, 'https://sso.example/login', 'https://evil.example/'), false);
  assert.equal(frameAllowed(rules, 'http://sso.example/login', 'https://app.example/'), false);
  assert.equal(frameAllowed(rules, 'https://sso.example:8443/login', 'https://app.example/'), false);
  assert.equal(frameAllowed(rules, 'https://app.example/', 'https://sso.example/'), false, 'a pair is one way');
});

test('updates go through storage.local and are cleaned on the way', async () => {
  let stored = {};
  const storage = { local: { get: async () => stored, set: async (v) => { stored = { ...stored, ...v }; } } };
  await updateRules(storage, (r) => ({ ...r, neverSave: [...r.neverSave, 'https://b.example/path'] }));
  assert.equal(neverSaves(await loadRules(storage), 'https://b.example/other'), true);
  assert.equal(neverSaves(await loadRules(storage), 'https://c.example/'), false);
});
