// SPDX-License-Identifier: MIT
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { t, setCatalog } from '../../src/shared/i18n.js';
import { CATALOG } from './popup-harness.js';

test('t() fills $1… and keeps $$ as a dollar; an unknown key shows itself', () => {
  setCatalog({ a: { message: 'In $1 seconds ($$2 off $2)' } });
  assert.equal(t('a', 30, 'x'), 'In 30 seconds ($2 off x)');
  assert.equal(t('nope'), 'nope');
  setCatalog(CATALOG);
});

test('the keys built at run time have messages too', () => {
  const keys = [
    ...['passagent', 'passman', 'passwork'].map((b) => `backendLong_${b}`),
    ...['unlocked', 'locked', 'remembered', 'signedOut'].map((s) => `status_${s}`),
    ...['username', 'password', 'totp', 'field', 'text'].map((f) => `copied_${f}`),
    ...['read', 'write'].map((p) => `permission_${p}`),
    ...['strong', 'memorable', 'pin'].map((p) => `preset_${p}`),
  ];
  assert.deepEqual(keys.filter((k) => !CATALOG[k]), []);
});
