// SPDX-License-Identifier: MIT
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { allIcons, render, STATES } from '../../scripts/make-icons.mjs';
import { iconPaths } from '../../src/background/badge.js';

test('the committed icons are exactly what scripts/make-icons.mjs draws', () => {
  for (const [name, bytes] of Object.entries(allIcons())) {
    assert.ok(readFileSync(new URL(`../../icons/${name}`, import.meta.url)).equals(bytes), `icons/${name} is stale: run node scripts/make-icons.mjs`);
  }
});

test('the locked and unlocked icons differ, and their corners are transparent', () => {
  const open = render(32, STATES.unlocked);
  const closed = render(32, STATES.locked);
  assert.ok(!open.equals(closed));
  assert.equal(open[3], 0, 'top-left pixel fully transparent (rounded corner)');
  const centre = (16 * 32 + 16) * 4;
  assert.equal(open[centre + 3], 255);
});

test('the toolbar asks for icon files that exist', () => {
  for (const name of ['locked', 'unlocked']) {
    for (const path of Object.values(iconPaths(name))) readFileSync(new URL(`../..${path}`, import.meta.url));
  }
});
