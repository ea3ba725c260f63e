// SPDX-License-Identifier: MIT
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createContentLoader, PAGE_SCRIPTS } from '../../src/background/content-loader.js';
import { isWebUrl } from '../../src/shared/url.js';
import { setCatalog } from '../../src/shared/i18n.js';
import { CATALOG } from './popup-harness.js';

setCatalog(CATALOG);

function loader({ fail = null } = {}) {
  const calls = [];
  const scripting = {
    async executeScript(spec) {
      calls.push(spec);
      if (fail) throw new Error(fail);
      return [];
    },
  };
  return { calls, handle: createContentLoader({ scripting, isWebUrl }).handle };
}

test('page.load injects the page scripts, in order, into the frame that asked', async () => {
  const { calls, handle } = loader();
  const reply = await handle({ type: 'page.load' }, { tab: { id: 7 }, frameId: 3, url: 'https://login.example/' });
  assert.deepEqual(reply, { loaded: true });
  assert.deepEqual(calls, [{ target: { tabId: 7, frameIds: [3] }, files: [...PAGE_SCRIPTS] }]);
  assert.equal(PAGE_SCRIPTS.at(-1), 'src/content/main.js', 'the wiring runs last, over the modules it uses');
  assert.equal(PAGE_SCRIPTS[0], 'src/content/forms.js');
});

test('where the browser names the document (Chromium), only that document gets them', async () => {
  const { calls, handle } = loader();
  await handle({ type: 'page.load' }, { tab: { id: 7 }, frameId: 0, documentId: 'DOC1', url: 'https://login.example/' });
  assert.deepEqual(calls[0].target, { tabId: 7, documentIds: ['DOC1'] });
});

test('page.load from anything but a web page frame is refused and injects nothing', async () => {
  const { calls, handle } = loader();
  for (const sender of [{ url: 'https://login.example/' }, { tab: { id: 1 }, frameId: 0, url: 'chrome-extension://x/popup.html' }, { tab: { id: 1 }, url: 'https://a.example/' }]) {
    const reply = await handle({ type: 'page.load' }, sender);
    assert.equal(reply.error.code, 'NOT_ALLOWED_HERE');
  }
  assert.equal(calls.length, 0);
});

test('a frame that went away meanwhile gets an error reply, not a rejection', async () => {
  const { handle } = loader({ fail: 'No frame with id 3' });
  const reply = await handle({ type: 'page.load' }, { tab: { id: 7 }, frameId: 3, url: 'https://login.example/' });
  assert.match(reply.error.message, /No frame with id 3/);
});

test('other messages are not this module\'s', () => {
  const { handle } = loader();
  assert.equal(handle({ type: 'page.matches' }, {}), undefined);
});

test('ensure() puts the page scripts into a frame the background is about to ask something of', async () => {
  const { calls } = loader();
  const { ensure } = createContentLoader({ scripting: { executeScript: async (spec) => { calls.push(spec); } }, isWebUrl });
  assert.deepEqual(await ensure(7), { loaded: true });
  assert.deepEqual(await ensure(7, 2), { loaded: true });
  assert.deepEqual(calls.map((c) => c.target), [{ tabId: 7, frameIds: [0] }, { tabId: 7, frameIds: [2] }]);
  assert.deepEqual(calls[0].files, [...PAGE_SCRIPTS]);
});
