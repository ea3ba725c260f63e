// SPDX-License-Identifier: MIT
// Every word a person reads comes from _locales/en/messages.json: the keys the code asks
// for exist, every message is asked for, and no place that shows text (textContent,
// title, aria-label, placeholder, a label of the chooser, an error message, a child of
// h(), the HTML pages, the manifest) holds English of its own.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stringLiterals, hasWords, shownAt, htmlWords } from './words-scan.js';

const EXTENSION = fileURLToPath(new URL('../../', import.meta.url));
const SRC = join(EXTENSION, 'src');
const CATALOG = JSON.parse(readFileSync(join(EXTENSION, '_locales/en/messages.json'), 'utf8'));
const MANIFEST = readFileSync(join(EXTENSION, 'manifest.json'), 'utf8');
const HOST_CODES = JSON.parse(readFileSync(join(EXTENSION, '../docs/error-codes.json'), 'utf8')).codes.map((c) => c.code);
const BACKENDS = ['passagent', 'passman', 'passwork'];

// Generated files are left out: src/vendor/ (npm packages) and *.bundle.js (the popup's
// own sources, read here one by one; scripts/build-popup.mjs).
function files(dir, pattern) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'vendor' ? [] : files(path, pattern);
    return pattern.test(name) && !name.endsWith('.bundle.js') ? [path] : [];
  });
}
const rel = (path) => path.slice(EXTENSION.length);
const JS = files(SRC, /\.js$/).map((path) => ({ path, literals: stringLiterals(readFileSync(path, 'utf8')) }));
const HTML = files(SRC, /\.html$/).map((path) => ({ path, text: readFileSync(path, 'utf8') }));

// Keys asked for: t('key'…) / getMessage('key'…) in scripts, data-i18n* in HTML, __MSG_key__ in the manifest.
function askedKeys() {
  const keys = [];
  for (const { path, literals } of JS) {
    for (const l of literals) if ((l.callee === 't' || l.callee === 'getMessage' || l.callee === 'hasMessage') && l.arg === 0 && !/\s/.test(l.text)) keys.push([l.text, rel(path)]);
  }
  for (const { path, text } of HTML) for (const [, key] of text.matchAll(/data-i18n(?:-[a-z-]+)?="([^"]+)"/g)) keys.push([key, rel(path)]);
  for (const [, key] of MANIFEST.matchAll(/__MSG_(\w+)__/g)) keys.push([key, 'manifest.json']);
  return keys;
}

test('the scanner finds literals where they are shown (and not elsewhere)', () => {
  const code = `
    // note.textContent = 'In a comment';
    note.textContent = 'Not filled';
    box.setAttribute('aria-label', 'Close it');
    items.push({ label: ready ? 'Use this one' : \`Made at \${time} here\`, id: 'pa-x' });
    h('p', { class: 'hint' }, 'Some words', t('key'));
    const re = /it's 'not' a string/g; const half = a / 2; const s = 'x' / 2;
    function open({ title = 'Title words', items = [] }) {}
    say(\`\${n} entries\`, 'error');
    const title = kind === 'otp' ? t('a') : t('b');
    throw new Error('For developers only');`;
  const shown = stringLiterals(code).map((l, i, all) => [l.text, shownAt(l, all[i - 1])]).filter(([, why]) => why).map(([text]) => text);
  assert.deepEqual(shown, ['Not filled', 'Close it', 'Use this one', 'Made at   here', 'Some words', 'Title words', '  entries']);
  assert.equal(hasWords('PassAgent'), false);
  assert.equal(hasWords('https://passwork.example.com'), false);
  assert.equal(hasWords('123456 · ×'), false);
  assert.equal(hasWords('Passwork: read-only'), true);
  assert.deepEqual(htmlWords('<p data-i18n="a">Words</p><p>More words</p><b title="Two words">×</b>'), ['<b title="Two words">', 'More words']);
});

test('every message key used in src/, the HTML and the manifest has an English message', () => {
  const missing = askedKeys().filter(([key]) => !CATALOG[key]).map(([key, where]) => `${key} (${where})`);
  assert.deepEqual(missing, []);
});

test('every English message is used', () => {
  const named = new Set(askedKeys().map(([key]) => key));
  // A key may also be named as a string and passed on (BACKEND_KEYS, a view's title key).
  for (const { literals } of JS) for (const l of literals) named.add(l.text);
  // Keys built at run time: `prefix_${…}` in a template literal.
  const prefixes = new Set();
  for (const { literals } of JS) for (const l of literals) for (const [, p] of l.text.matchAll(/^([A-Za-z]+_)\s/g)) prefixes.add(p);
  const errorKey = (key) => {
    const [, code, backend] = /^err_([A-Z_]+?)(?:_([a-z]+))?$/.exec(key) ?? [];
    return code && HOST_CODES.concat(['HOST_NOT_INSTALLED', 'HOST_FORBIDDEN', 'HOST_DISCONNECTED', 'TIMEOUT', 'FRAME_NOT_ALLOWED', 'NOT_ALLOWED_HERE']).includes(code) && (!backend || BACKENDS.includes(backend));
  };
  const unused = Object.keys(CATALOG).filter((key) => {
    if (named.has(key)) return false;
    if (key.startsWith('err_')) return !errorKey(key);
    return ![...prefixes].some((p) => key.startsWith(p));
  });
  assert.deepEqual(unused, []);
});

test('no script puts English of its own where a person reads it', () => {
  const found = [];
  for (const { path, literals } of JS) {
    literals.forEach((l, i) => {
      const why = shownAt(l, literals[i - 1]);
      if (why && hasWords(l.text) && !CATALOG[l.text]) found.push(`${rel(path)}: ${JSON.stringify(l.text)} (${why})`);
    });
  }
  assert.equal(found.length, 0, `English outside messages.json:\n${found.join('\n')}`);
});

// Sentences meant for developers, never shown: a view registered twice, a wiring error,
// the reasons the shortcut code gives the e2e tests, the offscreen document's
// justification to the browser. Anything else that reads as a sentence must be a message.
const FOR_DEVELOPERS = new Map([
  ['src/ui/router.js', ['A view needs a name and a render function.', 'Two views are named " ".', 'No view named " ".']],
  ['src/content/detector.js', ['PassAgent did not load its page scripts.']],
  ['src/background/clipboard.js', ['Copy a login to the clipboard and clear it later.']],
]);

test('no script holds a sentence for a person anywhere else either (a table of words, an error thrown)', () => {
  const found = [];
  for (const { path, literals } of JS) {
    const allowed = FOR_DEVELOPERS.get(rel(path)) ?? [];
    for (const l of literals) {
      const words = l.text.match(/\p{L}{2,}/gu) ?? [];
      const sentence = words.length >= 3 && /^\s*["\p{Lu}]/u.test(l.text) && /[.!?…:]\s*$/.test(l.text);
      if (sentence && hasWords(l.text) && !allowed.includes(l.text)) found.push(`${rel(path)}: ${JSON.stringify(l.text)}`);
    }
  }
  assert.equal(found.length, 0, `Sentences outside messages.json:\n${found.join('\n')}`);
});

test('no HTML page shows English that localize() does not replace', () => {
  const found = HTML.flatMap(({ path, text }) => htmlWords(text).map((words) => `${rel(path)}: ${words}`));
  assert.deepEqual(found, []);
});

test('the manifest names everything a person reads through messages.json', () => {
  const manifest = JSON.parse(MANIFEST);
  const shown = [manifest.description, manifest.action?.default_title, ...Object.values(manifest.commands ?? {}).map((c) => c.description)];
  assert.deepEqual(shown.filter((text) => hasWords(text) && !/^__MSG_\w+__$/.test(text)), []);
});
