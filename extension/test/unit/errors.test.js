// SPDX-License-Identifier: MIT
// The extension's error words against the one list of host codes (docs/error-codes.json).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { LOCAL_CODES, plainMessage } from '../../src/shared/errors.js';
import { setCatalog } from '../../src/shared/i18n.js';
import { CATALOG } from './popup-harness.js';

setCatalog(CATALOG);
const TEXTS = Object.fromEntries(Object.keys(CATALOG).filter((k) => /^err_[A-Z_]+$/.test(k)).map((k) => [k.slice(4), CATALOG[k].message]));

const hostCodes = JSON.parse(readFileSync(new URL('../../../docs/error-codes.json', import.meta.url), 'utf8'))
  .codes.map((entry) => entry.code);

test('every host error code has words for a person', () => {
  const missing = hostCodes.filter((code) => !(code in TEXTS));
  assert.deepEqual(missing, []);
});

test('every code the extension has words for exists, in the host or the extension', () => {
  const known = new Set([...hostCodes, ...Object.values(LOCAL_CODES)]);
  const unknown = Object.keys(TEXTS).filter((code) => !known.has(code));
  assert.deepEqual(unknown, []);
});

test('the extension makes no code the host also uses', () => {
  assert.deepEqual(Object.values(LOCAL_CODES).filter((code) => hostCodes.includes(code)), []);
});

test('an error from Passwork that its read-only API explains says so, whatever the host said', () => {
  const error = { code: 'UNSUPPORTED', message: 'The helper program cannot do that.' };
  assert.match(plainMessage(error, 'passwork'), /Passwork's API is read-only/);
  assert.equal(plainMessage(error, 'passman'), 'The helper program cannot do that.');
  assert.match(plainMessage({ code: 'UNSUPPORTED' }), /cannot do that/);
});
