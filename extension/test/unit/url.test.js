// SPDX-License-Identifier: MIT
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { webOrigin, sameOrigin, normalizeServer, frameMayFill, siteLabel } from '../../src/shared/url.js';
import { cleanSettings, DEFAULT_SETTINGS } from '../../src/shared/settings.js';
import { plainMessage, codeForDisconnect } from '../../src/shared/errors.js';
import { setCatalog } from '../../src/shared/i18n.js';
import { CATALOG } from './popup-harness.js';

setCatalog(CATALOG);

test('webOrigin keeps scheme, host and port, and refuses what is not http(s)', () => {
  assert.equal(webOrigin('https://Login.Example:8443/a?b#c'), 'https://login.example:8443');
  assert.equal(webOrigin('http://127.0.0.1:3000/demo/login'), 'http://127.0.0.1:3000');
  assert.equal(webOrigin('chrome-extension://abc/popup.html'), null);
  assert.equal(webOrigin('javascript:alert(1)'), null);
  assert.equal(webOrigin('not a url'), null);
});

test('look-alike origins are different origins', () => {
  assert.equal(sameOrigin('http://127.0.0.1:3000/a', 'http://127.0.0.1:3000/b'), true);
  assert.equal(sameOrigin('http://127.0.0.1:3000/', 'http://localhost:3000/'), false);
  assert.equal(sameOrigin('https://bank.example/', 'https://bank.example.evil.test/'), false);
  assert.equal(sameOrigin('https://bank.example/', 'http://bank.example/'), false);
});

test('a frame may fill only with the origin of its tab', () => {
  assert.equal(frameMayFill({ frameUrl: 'https://a.example/login', tabUrl: 'https://a.example/' }), true);
  assert.equal(frameMayFill({ frameUrl: 'https://evil.test/frame', tabUrl: 'https://a.example/' }), false);
  assert.equal(frameMayFill({ frameUrl: 'about:blank', tabUrl: 'https://a.example/' }), false);
});

test('normalizeServer adds https, keeps only the origin and allows http only on loopback', () => {
  assert.deepEqual(normalizeServer('passagent.ai'), { ok: true, origin: 'https://passagent.ai' });
  assert.deepEqual(normalizeServer(' https://passagent.ai/api/ '), { ok: true, origin: 'https://passagent.ai' });
  assert.deepEqual(normalizeServer('http://127.0.0.1:3000'), { ok: true, origin: 'http://127.0.0.1:3000' });
  assert.deepEqual(normalizeServer('http://localhost:3000/x'), { ok: true, origin: 'http://localhost:3000' });
  assert.equal(normalizeServer('http://passagent.ai').ok, false);
  assert.equal(normalizeServer('ftp://passagent.ai').ok, false);
  assert.equal(normalizeServer('https://user:pw@passagent.ai').ok, false);
  assert.equal(normalizeServer('').ok, false);
});

test('siteLabel shows the host without www', () => {
  assert.equal(siteLabel('https://www.example.com/login'), 'example.com');
});

test('settings are completed, clamped and stripped of unknown keys', () => {
  assert.deepEqual(cleanSettings(undefined), { ...DEFAULT_SETTINGS });
  const s = cleanSettings({ autoLockMinutes: '5', clipboardClearSeconds: -4, serverUrl: ' https://x.example ', password: 'never' });
  assert.equal(s.autoLockMinutes, 5);
  assert.equal(s.clipboardClearSeconds, 0);
  assert.equal(s.serverUrl, 'https://x.example');
  assert.equal('password' in s, false);
});

test('errors read for a person: the host message wins, local codes have their own words', () => {
  assert.equal(plainMessage({ code: 'LOCKED', message: 'Unlock first, please.' }), 'Unlock first, please.');
  assert.match(plainMessage({ code: 'LOCKED' }), /Unlock it with your master password/);
  assert.match(plainMessage({ code: 'HOST_NOT_INSTALLED', message: 'Specified native messaging host not found.' }), /not installed/);
  assert.match(plainMessage({ code: 'RATE_LIMITED', message: 'Too many.', retryAfter: 42 }), /42 seconds/);
  assert.equal(codeForDisconnect('Specified native messaging host not found.'), 'HOST_NOT_INSTALLED');
  assert.equal(codeForDisconnect('Access to the specified native messaging host is forbidden.'), 'HOST_FORBIDDEN');
  assert.equal(codeForDisconnect('Native host has exited.'), 'HOST_DISCONNECTED');
});

test('normalizeServer keeps a sub-path for Passman and Passwork when asked', () => {
  assert.deepEqual(normalizeServer('cloud.example/nextcloud/', { keepPath: true }),
    { ok: true, origin: 'https://cloud.example', base: 'https://cloud.example/nextcloud' });
  assert.deepEqual(normalizeServer('http://127.0.0.1:8080', { keepPath: true }),
    { ok: true, origin: 'http://127.0.0.1:8080', base: 'http://127.0.0.1:8080' });
  assert.equal(normalizeServer('http://cloud.example/nextcloud', { keepPath: true }).ok, false);
});

test('settings keep a known password manager and fall back to PassAgent otherwise', () => {
  assert.equal(cleanSettings({ backend: 'passman' }).backend, 'passman');
  assert.equal(cleanSettings({ backend: 'keepass' }).backend, 'passagent');
  assert.equal(cleanSettings({}).backend, 'passagent');
});
