// SPDX-License-Identifier: MIT
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createOffers, sessionStore, KEEP_MS } from '../../src/background/offers.js';
import { HostError } from '../../src/background/native-client.js';

const EXT = 'chrome-extension://hipcecicbflniiemihoangdnijnmcbnf/';
const SITE = 'https://shop.example/login';
const ALICE = { account: 'a1', id: 'e1', name: 'Shop', username: 'alice', website: 'https://shop.example', score: 300 };
const SHARED = { account: 'a1', id: 'e9', name: 'Team shop', username: 'team', website: 'https://shop.example', score: 300, share: { id: 's1', permission: 'read' } };

function setup({ matches = [ALICE], password = 'old', updateError, rules = {} } = {}) {
  const calls = [];
  const told = [];
  let clock = 1_000_000;
  const stored = { siteRules: { neverSave: [], frames: [], basicAuth: false, ...rules } };
  const storage = { local: { get: async () => structuredClone(stored), set: async (v) => Object.assign(stored, v) } };
  const client = {
    async request(action, params) {
      calls.push({ action, params });
      if (action === 'credentials.match') return { matches };
      if (action === 'credentials.get') return { username: 'alice', password };
      if (action === 'credentials.list') return { items: matches.map(({ score, ...m }) => ({ ...m, updatedAt: '2026-01-01T00:00:00Z' })) };
      if (action === 'credentials.create') return { item: { id: 'new', account: params.account ?? 'a1', name: params.name } };
      if (action === 'credentials.update') {
        if (updateError) throw new HostError(updateError);
        return { item: { id: params.id, account: params.account, name: 'Shop' } };
      }
      if (action === 'passwords.generate') return { password: `generated-${calls.length}`, entropyBits: 120 };
      return {};
    },
  };
  const router = {
    isExtensionPage: (sender) => sender?.url?.startsWith(EXT),
    contentFrame: async (sender) => ({ url: sender.url, tabId: sender.tab.id, frameId: 0, key: `${sender.tab.id}:0` }),
    rememberedFor: () => null,
  };
  const offers = createOffers({
    client,
    getState: () => ({ unlocked: true, loggedIn: true, accounts: [{ account: 'a1', backend: 'passagent', server: 'https://vault.example', user: { email: 'me@example.test' }, unlocked: true }] }),
    router,
    session: sessionStore(undefined),
    storage,
    tell: async (tabId, message) => { told.push(message); },
    now: () => clock,
  });
  const page = { url: SITE, frameId: 0, tab: { id: 4, url: SITE } };
  const prompt = { url: `${EXT}src/prompt/prompt.html#save`, frameId: 9, tab: { id: 4, url: SITE } };
  const submit = (attempt, confirmed = true) => offers.handle({ type: 'page.submitted', attempt, confirmed }, page);
  return { offers, calls, told, page, prompt, submit, stored, advance: (ms) => { clock += ms; } };
}

test('a username no entry of the site holds: Save, naming the account; Save creates it with the site and password', async () => {
  const { offers, calls, told, prompt, submit } = setup();
  assert.deepEqual(await submit({ kind: 'login', username: 'bob', password: 'pw-b' }), { offer: 'save' });
  assert.deepEqual(told.at(-1), { type: 'pa-prompt', kind: 'save' });
  const view = await offers.handle({ type: 'prompt.get' }, prompt);
  assert.equal(view.offer.kind, 'save');
  assert.equal(view.offer.accounts[0].label, 'me@example.test (PassAgent, vault.example)');
  assert.equal(JSON.stringify(view).includes('pw-b'), false, 'the prompt page never gets the password');
  assert.deepEqual(await offers.handle({ type: 'prompt.save', name: 'Shop (bob)', account: 'a1' }, prompt), { done: true, item: { id: 'new', account: 'a1', name: 'Shop (bob)' } });
  assert.deepEqual(calls.find((c) => c.action === 'credentials.create').params, { name: 'Shop (bob)', url: 'https://shop.example', username: 'bob', password: 'pw-b', account: 'a1' });
});

test('a known username with its own password: nothing to offer', async () => {
  const { submit } = setup({ password: 'same' });
  assert.deepEqual(await submit({ kind: 'login', username: 'Alice', password: 'same' }), { offer: null });
});

test('a known username with another password: Update, with the entry\'s updatedAt as expectedUpdatedAt', async () => {
  const { offers, calls, prompt, submit } = setup();
  assert.deepEqual(await submit({ kind: 'login', username: 'alice', password: 'newer' }), { offer: 'update' });
  const reply = await offers.handle({ type: 'prompt.update', id: 'e1', account: 'a1' }, prompt);
  assert.equal(reply.done, true);
  assert.deepEqual(calls.find((c) => c.action === 'credentials.update').params, { id: 'e1', account: 'a1', password: 'newer', expectedUpdatedAt: '2026-01-01T00:00:00Z' });
});

test('CONFLICT: explained, and the offer stays for the person to decide', async () => {
  const { offers, prompt, submit } = setup({ updateError: { code: 'CONFLICT', message: 'changed' } });
  await submit({ kind: 'change', username: '', password: 'newer' });
  const reply = await offers.handle({ type: 'prompt.update', id: 'e1', account: 'a1' }, prompt);
  assert.equal(reply.error.code, 'CONFLICT');
  assert.match(reply.error.message, /Nothing was overwritten/);
  assert.ok((await offers.handle({ type: 'prompt.get' }, prompt)).offer);
});

test('a login only a received share holds is not offered for saving or updating', async () => {
  const { submit, calls } = setup({ matches: [SHARED] });
  assert.deepEqual(await submit({ kind: 'login', username: 'team', password: 'x' }), { offer: null });
  assert.equal(calls.some((c) => c.action === 'credentials.get'), false, 'no share view logged for a comparison');
});

test('"Never for this site" is stored and ends every later offer there', async () => {
  const { offers, prompt, submit, stored } = setup();
  await submit({ kind: 'login', username: 'bob', password: 'pw' });
  await offers.handle({ type: 'prompt.never' }, prompt);
  assert.deepEqual(stored.siteRules.neverSave, ['https://shop.example']);
  assert.deepEqual(await submit({ kind: 'login', username: 'bob', password: 'pw2' }), { offer: null });
});

test('a click whose navigation comes later is decided by the next page, unless that page shows the same form again', async () => {
  const { offers, submit } = setup();
  await submit({ kind: 'login', username: 'bob', password: 'pw' }, false);
  const failed = await offers.handle({ type: 'page.ready', passwordFieldShown: true }, { url: SITE, frameId: 0, tab: { id: 4, url: SITE } });
  assert.equal(failed.prompt, null, 'the same sign-in form again: it failed');
  await submit({ kind: 'login', username: 'bob', password: 'pw' }, false);
  const next = 'https://shop.example/home';
  assert.equal((await offers.handle({ type: 'page.ready', passwordFieldShown: false }, { url: next, frameId: 0, tab: { id: 4, url: next } })).prompt, 'save');
});

test('the generated password is kept per tab for ten minutes, then a new one is made', async () => {
  const { offers, page, advance } = setup();
  const first = await offers.handle({ type: 'page.generate' }, page);
  assert.deepEqual(await offers.handle({ type: 'page.generate', reuse: true }, page), first);
  assert.ok((await offers.handle({ type: 'page.generated' }, page)).kept);
  advance(KEEP_MS + 1);
  assert.equal((await offers.handle({ type: 'page.generated' }, page)).kept, null);
  assert.notEqual((await offers.handle({ type: 'page.generate', reuse: true }, page)).password, first.password);
});

test('prompt requests are refused to web pages', async () => {
  const { offers, page } = setup();
  assert.equal((await offers.handle({ type: 'prompt.get' }, page)).error.code, 'NOT_ALLOWED_HERE');
  assert.equal((await offers.handle({ type: 'prompt.save' }, page)).error.code, 'NOT_ALLOWED_HERE');
});
