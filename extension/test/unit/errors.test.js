// SPDX-License-Identifier: MIT
// The extension's error words against the one list of host codes (docs/error-codes.json).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { LOCAL_CODES, TEXTS } from '../../src/shared/errors.js';

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
