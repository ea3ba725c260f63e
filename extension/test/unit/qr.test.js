// SPDX-License-Identifier: MIT
// The bundled QR encoder and decoder (src/vendor/qr.js, built from the lock file), the
// SVG drawing of the 2FA enrolment code, and reading a QR code out of a picture.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { encodeQR } from '../../src/vendor/qr.js';
import { qrPath, qrSvg } from '../../src/shared/qr-svg.js';
import { decodePicture, findPageTab, scanVisibleTab, SCAN_ERRORS } from '../../src/popup/scan.js';
import { JSDOM } from 'jsdom';

const URI = 'otpauth://totp/PassAgent%3Ademo%40passagent.test?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP&issuer=PassAgent';

/** An RGBA picture of the code: `scale` pixels a module, white around it, dark grey on light grey. */
function picture(text, { scale = 4, margin = 40 } = {}) {
  const rows = encodeQR(text, 'raw', { border: 1 }).slice(1, -1).map((row) => row.slice(1, -1));
  const side = rows.length * scale + 2 * margin;
  const data = new Uint8ClampedArray(side * side * 4).fill(235);
  for (let y = 0; y < side; y += 1) {
    for (let x = 0; x < side; x += 1) {
      const mx = Math.floor((x - margin) / scale);
      const my = Math.floor((y - margin) / scale);
      const dark = rows[my]?.[mx] === true;
      const i = (y * side + x) * 4;
      data[i] = data[i + 1] = data[i + 2] = dark ? 30 : 235;
      data[i + 3] = 255;
    }
  }
  return { width: side, height: side, data };
}

test('the committed vendor bundle is what the build makes from the lock file', () => {
  const script = fileURLToPath(new URL('../../scripts/build-vendor.mjs', import.meta.url));
  // Throws (the test fails) when src/vendor/qr.js is stale.
  execFileSync(process.execPath, [script, '--check'], { stdio: 'pipe' });
});

test('a code drawn from the bundled encoder reads back through the bundled decoder', () => {
  assert.equal(decodePicture(picture(URI)), URI);
});

test('a picture without a code reads as null, not an exception', () => {
  const blank = { width: 200, height: 200, data: new Uint8ClampedArray(200 * 200 * 4).fill(255) };
  assert.equal(decodePicture(blank), null);
});

test('the SVG path has one square per dark module, inside the quiet zone', () => {
  const rows = encodeQR(URI, 'raw', { border: 1 }).slice(1, -1).map((row) => row.slice(1, -1));
  const dark = rows.flat().filter(Boolean).length;
  const { d, modules, viewBox } = qrPath(URI);
  assert.equal(modules, rows.length);
  assert.equal(viewBox, rows.length + 8);
  assert.equal(d.match(/M/g).length, dark);
  assert.ok(!/M[0-3] /.test(d), 'nothing is drawn in the 4-module border');
});

test('qrSvg builds an SVG element with a label and no external reference', () => {
  const { document } = new JSDOM('<!doctype html><body></body>').window;
  const svg = qrSvg(document, URI, { label: 'Scan with your authenticator app' });
  document.body.append(svg);
  assert.equal(svg.getAttribute('aria-label'), 'Scan with your authenticator app');
  assert.equal(svg.querySelectorAll('path').length, 1);
  assert.ok(!/href|url\(/i.test(svg.outerHTML), 'no link or URL inside the drawing');
});

function fakeTabs({ active = [], focused = [], capture }) {
  return {
    async query(q) {
      return q.lastFocusedWindow ? focused : active;
    },
    captureVisibleTab: capture,
  };
}

test('the page tab is the focused window\'s active web tab, else the last used active web tab', async () => {
  const page = { id: 1, windowId: 1, url: 'https://site.example/', lastAccessed: 5 };
  const older = { id: 3, windowId: 3, url: 'https://old.example/', lastAccessed: 1 };
  const popup = { id: 2, windowId: 2, url: 'chrome-extension://x/src/popup/popup.html', lastAccessed: 9 };
  assert.equal(await findPageTab(fakeTabs({ focused: [page] })), page);
  assert.equal(await findPageTab(fakeTabs({ focused: [popup], active: [older, popup, page] })), page);
  assert.equal(await findPageTab(fakeTabs({ focused: [popup], active: [popup] })), null);
});

test('scanning says in plain words why it could not read a code', async () => {
  const page = { id: 1, windowId: 7, url: 'https://site.example/' };
  const none = await scanVisibleTab({ tabs: fakeTabs({ focused: [] }), document: null });
  assert.deepEqual(none, { ok: false, code: 'NO_TAB', message: SCAN_ERRORS.NO_TAB });
  const denied = await scanVisibleTab({
    tabs: fakeTabs({ focused: [page], capture: async () => { throw new Error("Either the '<all_urls>' or 'activeTab' permission is required."); } }),
    document: null,
  });
  assert.equal(denied.code, 'NO_PERMISSION');
  const captured = [];
  const tabs = fakeTabs({ focused: [page], capture: async (windowId, options) => { captured.push([windowId, options.format]); return 'data:image/png;base64,'; } });
  // jsdom has no image decoding: stand in for the browser's <img>/<canvas> with the picture itself.
  const shot = picture(URI);
  const document = {
    createElement(tag) {
      if (tag === 'img') return { decode: async () => {}, naturalWidth: shot.width, naturalHeight: shot.height };
      return { getContext: () => ({ drawImage() {}, getImageData: () => shot }) };
    },
  };
  const read = await scanVisibleTab({ tabs, document });
  assert.deepEqual(captured, [[7, 'png']], 'the window of the page tab is captured');
  assert.equal(read.ok, true);
  assert.equal(read.text, URI);
});
