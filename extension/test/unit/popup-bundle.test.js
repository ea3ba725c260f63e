// SPDX-License-Identifier: MIT
// The popup runs from one bundled file (scripts/build-popup.mjs): it must be what the
// sources make now, and it must be what popup.html loads.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const file = (path) => fileURLToPath(new URL(`../../${path}`, import.meta.url));

test('the committed popup bundle and its map are what the build makes from the sources', () => {
  // Throws (the test fails) when either is stale: run `npm run build` and commit.
  execFileSync(process.execPath, [file('scripts/build-popup.mjs'), '--check'], { stdio: 'pipe' });
});

test('popup.html loads the bundle, and only it', () => {
  const html = readFileSync(file('src/popup/popup.html'), 'utf8');
  const scripts = [...html.matchAll(/<script\b[^>]*\bsrc="([^"]+)"/g)].map((m) => m[1]);
  assert.deepEqual(scripts, ['popup.bundle.js']);
});

test('the map leads back to the sources the popup is made of', () => {
  const map = JSON.parse(readFileSync(file('src/popup/popup.bundle.js.map'), 'utf8'));
  for (const source of ['popup.js', 'app.js', 'views/main.js', '../shared/i18n.js', '../vendor/qr.js']) {
    assert.ok(map.sources.includes(source), `${source} in ${map.sources.join(', ')}`);
  }
  assert.match(readFileSync(file('src/popup/popup.bundle.js'), 'utf8'), /\/\/# sourceMappingURL=popup\.bundle\.js\.map\s*$/);
});
