// SPDX-License-Identifier: MIT
// The e2e tests check copied codes with this RFC 6238 implementation: it must be right.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { totp } from '../e2e/totp.mjs';
import { secondsLeft } from '../../src/ui/totp-view.js';

// RFC 6238 appendix B, SHA-1 secret "12345678901234567890" in base32.
const SECRET = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';

test('the e2e TOTP helper gives the RFC 6238 test vectors', () => {
  assert.equal(totp(SECRET, { timeMs: 59_000, digits: 8 }), '94287082');
  assert.equal(totp(SECRET, { timeMs: 1_111_111_109_000, digits: 8 }), '07081804');
  assert.equal(totp(SECRET, { timeMs: 20_000_000_000_000, digits: 8 }), '65353130');
});

test('the popup ring counts down from the host answer and never below zero', () => {
  const answer = { remaining: 12, period: 30 };
  assert.equal(secondsLeft(answer, 1000, 1000), 12);
  assert.equal(secondsLeft(answer, 1000, 5999), 8);
  assert.equal(secondsLeft(answer, 1000, 60_000), 0);
});
