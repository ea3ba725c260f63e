// SPDX-License-Identifier: MIT
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createOffers, sessionStore, KEEP_MS, anyAccountLocked } from '../../src/background/offers.js';
import { HostError } from '../../src/background/native-client.js';
import { setCatalog } from '../../src/shared/i18n.js';
import { CATALOG } from './popup-harness.js';

setCatalog(CATALOG);

const EXT = 'chrome-extension://hipcecicbflniiemihoangdnijnmcbnf/';
const SITE = 'https://shop.example/login';
const ALICE = { account: 'a1', id: 'e1', name: 'Shop', username: 'alice', website: 'https://shop.example', score: 300 };
const SHARED = { account: 'a1', id: 'e9', name: 'Team shop', username: 'team', website: 'https://shop.example', score: 300, share: { id: 's1', permission: 'read' } };

const CLICK = { x: 30, y: 270 };

function setup({ matches = [ALICE], password = 'old', updateError, rules = {}, guardSays = null, accounts } = {}) {
  const calls = [];
  const told = [];
  const asked = [];
  const session = sessionStore(undefined);
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
    getState: () => ({ unlocked: true, loggedIn: true, accounts: accounts ?? [{ account: 'a1', backend: 'passagent', server: 'https://vault.example', user: { email: 'me@example.test' }, unlocked: true }] }),
    router,
    session,
    storage,
    tell: async (tabId, message) => { told.push(message); },
    ask: async (tabId, message, options) => {
      asked.push({ tabId, message, options });
      return { refused: guardSays };
    },
    now: () => clock,
  });
  const page = { url: SITE, frameId: 0, tab: { id: 4, url: SITE } };
  const prompt = { url: `${EXT}src/prompt/prompt.html#save`, frameId: 9, tab: { id: 4, url: SITE } };
  const submit = (attempt, confirmed = true) => offers.handle({ type: 'page.submitted', attempt, confirmed }, page);
  // The prompt frame the content script placed presents the nonce it was given.
  const open = async (sender = prompt) => offers.handle({ type: 'prompt.get', nonce: told.findLast((m) => m.type === 'pa-prompt')?.nonce }, sender);
  const answer = (message, sender = prompt) => offers.handle({ click: CLICK, ...message }, sender);
  return { offers, calls, told, asked, page, prompt, submit, stored, session, open, answer, advance: (ms) => { clock += ms; } };
}

test('a username no entry of the site holds: Save, naming the account; Save creates it with the site and password', async () => {
  const { calls, told, asked, submit, open, answer } = setup();
  assert.deepEqual(await submit({ kind: 'login', username: 'bob', password: 'pw-b' }), { offer: 'save' });
  assert.equal(told.at(-1).type, 'pa-prompt');
  assert.equal(told.at(-1).kind, 'save');
  assert.match(told.at(-1).nonce, /^[0-9a-f]{32}$/);
  const view = await open();
  assert.equal(view.offer.kind, 'save');
  assert.equal(view.offer.accounts[0].label, 'me@example.test (PassAgent, vault.example)');
  assert.equal(JSON.stringify(view).includes('pw-b'), false, 'the prompt page never gets the password');
  assert.deepEqual(await answer({ type: 'prompt.save', name: 'Shop (bob)', account: 'a1' }), { done: true, item: { id: 'new', account: 'a1', name: 'Shop (bob)' } });
  assert.deepEqual(asked.at(-1), { tabId: 4, message: { type: 'pa-prompt-guard', ...CLICK }, options: { frameId: 0 } }, 'the page around the prompt was asked about the click');
  assert.deepEqual(calls.find((c) => c.action === 'credentials.create').params, { name: 'Shop (bob)', url: 'https://shop.example', username: 'bob', password: 'pw-b', account: 'a1' });
});

test('a known username with its own password: nothing to offer', async () => {
  const { submit } = setup({ password: 'same' });
  assert.deepEqual(await submit({ kind: 'login', username: 'Alice', password: 'same' }), { offer: null });
});

test('a known username with another password: Update, with the entry\'s updatedAt as expectedUpdatedAt', async () => {
  const { calls, submit, open, answer } = setup();
  assert.deepEqual(await submit({ kind: 'login', username: 'alice', password: 'newer' }), { offer: 'update' });
  await open();
  const reply = await answer({ type: 'prompt.update', id: 'e1', account: 'a1' });
  assert.equal(reply.done, true);
  assert.deepEqual(calls.find((c) => c.action === 'credentials.update').params, { id: 'e1', account: 'a1', password: 'newer', expectedUpdatedAt: '2026-01-01T00:00:00Z' });
});

test('a password-change form of a known username: Update of that login, and the prompt is told it was a change', async () => {
  const BOB = { ...ALICE, id: 'e2', username: 'bob' };
  const { submit, open } = setup({ matches: [ALICE, BOB] });
  assert.deepEqual(await submit({ kind: 'change', username: 'bob', password: 'newer' }), { offer: 'update' });
  const { offer } = await open();
  assert.deepEqual(offer.entries.map((e) => e.id), ['e2']);
  assert.equal(offer.changed, true);
  const login = setup();
  await login.submit({ kind: 'login', username: 'alice', password: 'newer' });
  assert.equal((await login.open()).offer.changed, false, 'a sign-in with a new password is no change form');
});

test('CONFLICT: explained, and the offer stays for the person to decide', async () => {
  const { submit, open, answer } = setup({ updateError: { code: 'CONFLICT', message: 'changed' } });
  await submit({ kind: 'change', username: '', password: 'newer' });
  await open();
  const reply = await answer({ type: 'prompt.update', id: 'e1', account: 'a1' });
  assert.equal(reply.error.code, 'CONFLICT');
  assert.match(reply.error.message, /^This login was changed elsewhere since PassAgent read it, so nothing was overwritten\./);
  assert.ok((await open()).offer, 'the offer stays');
});

test('a login only a received share holds is not offered for saving or updating', async () => {
  const { submit, calls } = setup({ matches: [SHARED] });
  assert.deepEqual(await submit({ kind: 'login', username: 'team', password: 'x' }), { offer: null });
  assert.equal(calls.some((c) => c.action === 'credentials.get'), false, 'no share view logged for a comparison');
});

test('"Never for this site" is stored and ends every later offer there', async () => {
  const { submit, stored, open, answer } = setup();
  await submit({ kind: 'login', username: 'bob', password: 'pw' });
  await open();
  await answer({ type: 'prompt.never' });
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

test('a prompt page without the nonce (one a web page framed itself) gets nothing and saves nothing', async () => {
  const { offers, calls, submit, prompt, open, answer } = setup();
  await submit({ kind: 'login', username: 'bob', password: 'pw-b' });
  const framed = { ...prompt, frameId: 12 };
  assert.equal((await offers.handle({ type: 'prompt.get' }, framed)).error.code, 'PROMPT_NOT_OPENED');
  assert.equal((await offers.handle({ type: 'prompt.get', nonce: 'f'.repeat(32) }, framed)).error.code, 'PROMPT_NOT_OPENED');
  assert.equal((await answer({ type: 'prompt.save', name: 'x' }, framed)).error.code, 'PROMPT_NOT_OPENED');
  // The extension's own frame claims it; the nonce then is spent for any other frame.
  assert.ok((await open()).offer);
  assert.equal((await open(framed)).error.code, 'PROMPT_NOT_OPENED', 'a second frame with the same nonce');
  assert.equal((await answer({ type: 'prompt.save', name: 'x' }, framed)).error.code, 'PROMPT_NOT_OPENED');
  assert.equal((await answer({ type: 'prompt.dismiss' }, framed)).error.code, 'PROMPT_NOT_OPENED');
  assert.equal(calls.some((c) => c.action === 'credentials.create'), false);
});

test('a click the page around the prompt could not have shown (covered, too soon) saves nothing, and says why', async () => {
  const { calls, submit, open, answer } = setup({ guardSays: 'covered' });
  await submit({ kind: 'login', username: 'bob', password: 'pw-b' });
  await open();
  const reply = await answer({ type: 'prompt.save', name: 'x' });
  assert.equal(reply.error.code, 'CLICK_REFUSED');
  assert.equal(reply.error.reason, 'covered');
  assert.match(reply.error.message, /did not take that click/);
  assert.equal((await answer({ type: 'prompt.save', name: 'x', click: undefined })).error.reason, 'no-click');
  assert.equal(calls.some((c) => c.action === 'credentials.create'), false);
});

test('a lock wipes every waiting offer, candidate, generated password and nonce, and nothing else', async () => {
  const { offers, submit, page, session, open } = setup();
  await submit({ kind: 'login', username: 'bob', password: 'pw-b' });
  await submit({ kind: 'login', username: 'bob', password: 'pw-c' }, false);
  await offers.handle({ type: 'page.generate' }, page);
  await session.set('clipboardClear', { digest: 'd', at: 1 });
  assert.deepEqual((await session.keys()).sort(), ['cand:4', 'clipboardClear', 'gen:4', 'nonce:4', 'offer:4']);
  await offers.wipe();
  assert.deepEqual(await session.keys(), ['clipboardClear']);
  assert.equal((await open()).error.code, 'PROMPT_NOT_OPENED');
  assert.equal((await offers.handle({ type: 'page.generated' }, page)).kept, null);
});

test('after ten minutes the sweep removes a generated password and an offer from storage, and keeps fresh ones', async () => {
  const { offers, submit, page, session, advance } = setup();
  await offers.handle({ type: 'page.generate' }, page);
  await submit({ kind: 'login', username: 'bob', password: 'pw-b' });
  advance(KEEP_MS - 1000);
  await offers.sweep();
  assert.ok(await session.get('gen:4'), 'still kept just before ten minutes');
  assert.ok(await session.get('offer:4'));
  advance(1000);
  await offers.sweep();
  assert.equal(await session.get('gen:4'), undefined, 'gone at ten minutes');
  assert.equal(await session.get('offer:4'), undefined);
  assert.equal(await session.get('nonce:4'), undefined);
});

test("Passwork's UNSUPPORTED names Passwork and its read-only API", async () => {
  const accounts = [{ account: 'w1', backend: 'passwork', server: 'https://pw.example', user: { name: 'me' }, unlocked: true }];
  const { offers, submit, open, answer } = setup({ matches: [{ ...ALICE, account: 'w1' }], accounts, updateError: { code: 'UNSUPPORTED', message: 'The helper program cannot do that.' } });
  await submit({ kind: 'login', username: 'alice', password: 'newer' });
  await open();
  const reply = await answer({ type: 'prompt.update', id: 'e1', account: 'w1' });
  assert.equal(reply.error.code, 'UNSUPPORTED');
  assert.match(reply.error.message, /^Passwork's API is read-only.*Nothing was saved\.$/);
  assert.ok(offers);
});

test('a lock of any account counts: one of two, all, a sign-out, a lost host; an unlock does not', () => {
  const acc = (account, unlocked) => ({ account, unlocked });
  const both = { unlocked: true, accounts: [acc('a1', true), acc('a2', true)] };
  assert.equal(anyAccountLocked(both, { unlocked: true, accounts: [acc('a1', true), acc('a2', false)] }), true, 'one of two locked');
  assert.equal(anyAccountLocked(both, { unlocked: true, accounts: [acc('a1', true)] }), true, 'one signed out');
  assert.equal(anyAccountLocked(both, { unlocked: false, accounts: [] }), true, 'the host went away');
  assert.equal(anyAccountLocked({ unlocked: false, accounts: [acc('a1', false)] }, both), false, 'unlocking');
  assert.equal(anyAccountLocked(both, both), false);
});

test('a tab waits for its next page only while a candidate, an offer or a frame question is there', async () => {
  const { offers, submit, session } = setup();
  assert.equal(await offers.waiting(4), false, 'nothing yet: its pages keep only their detector');
  await submit({ kind: 'login', username: 'bob', password: 'pw' }, false);
  assert.equal(await offers.waiting(4), true, 'a click whose navigation comes next');
  await offers.handle({ type: 'page.ready', passwordFieldShown: false }, { url: 'https://shop.example/home', frameId: 0, tab: { id: 4, url: 'https://shop.example/home' } });
  assert.equal(await offers.waiting(4), true, 'decided: the offer follows the person to the next page');
  await offers.forget(4);
  assert.equal(await offers.waiting(4), false);
  await session.set('frame:4', { frame: 'https://a.example', top: 'https://b.example', at: 1 });
  assert.equal(await offers.waiting(4), true, 'a frame asked to be allowed');
  assert.equal(await offers.waiting(5), false, 'another tab');
});

test('a prompt nonce is void once the page asked for its prompt again (page.ready): the older message is not sent', async () => {
  const { offers, submit, told } = setup();
  await submit({ kind: 'login', username: 'bob', password: 'pw' });
  const first = told.findLast((m) => m.type === 'pa-prompt').nonce;
  assert.equal(await offers.promptCurrent(4, first), true);
  const again = await offers.handle({ type: 'page.ready', passwordFieldShown: false }, { url: 'https://shop.example/home', frameId: 0, tab: { id: 4, url: 'https://shop.example/home' } });
  assert.equal(again.prompt, 'save');
  assert.equal(await offers.promptCurrent(4, first), false);
  assert.equal(await offers.promptCurrent(4, again.nonce), true);
});
