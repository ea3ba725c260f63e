// SPDX-License-Identifier: MIT
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseOtpInput } from '../../src/shared/otp-input.js';
import { setCatalog } from '../../src/shared/i18n.js';
import { CATALOG } from './popup-harness.js';

setCatalog(CATALOG);

test('a spaced, lower-case secret is sent as clean base32', () => {
  assert.deepEqual(parseOtpInput(' jbsw y3dp ehpk 3pxp '), { ok: true, params: { secret: 'JBSWY3DPEHPK3PXP' } });
});

test('an otpauth://totp/ link is sent whole, with its label and issuer read for display', () => {
  const uri = 'otpauth://totp/Example%3Aalice%40example.com?secret=JBSWY3DPEHPK3PXP&issuer=Example&digits=8';
  const parsed = parseOtpInput(uri);
  assert.equal(parsed.ok, true);
  assert.deepEqual(parsed.params, { otpauthUri: uri });
  assert.equal(parsed.label, 'Example:alice@example.com');
  assert.equal(parsed.issuer, 'Example');
});

test('wrong input gets words, not a code', () => {
  for (const [input, pattern] of [
    ['', /Paste the secret/],
    ['not base32 1890', /only the letters/],
    ['JBSWY3DP', /too short/],
    ['otpauth://hotp/x?secret=JBSWY3DPEHPK3PXP&counter=1', /counter-based/],
    ['otpauth://totp/x?issuer=y', /no valid secret/],
    ['otpauth://other/x?secret=JBSWY3DPEHPK3PXP', /not an otpauth:\/\/totp/],
  ]) {
    const parsed = parseOtpInput(input);
    assert.equal(parsed.ok, false, input);
    assert.match(parsed.message, pattern, input);
  }
});
