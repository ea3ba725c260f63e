// SPDX-License-Identifier: MIT
// The PassAgent account views (share, sharing lists, session shares, two-factor, an
// entry's one-time code) in jsdom against a scripted background.
import { test, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { popupDom, fakeRuntime, unlockedState, ACCOUNT, until } from './popup-harness.js';
import { createApp } from '../../src/popup/app.js';
import { ownPassAgentEntry } from '../../src/popup/sharing/actions.js';
import { waitWords } from '../../src/popup/sharing/words.js';

const ACCOUNT_ID = ACCOUNT.account;
const ENTRY = { id: 'pwd_1', account: ACCOUNT_ID, name: 'Bank' };

const started = [];
// Leaving the view runs its cleanups (the sessions poll, code rings): the test process can end.
afterEach(() => {
  for (const app of started.splice(0)) app.router.reset('wait');
});

async function start({ state = unlockedState(), handlers = {}, actions = {} } = {}) {
  const dom = popupDom();
  const runtime = fakeRuntime({
    handlers: {
      state: async () => ({ state }),
      'tab.matches': async () => ({ tab: null, matches: [] }),
      copy: async () => ({ copied: 'text', clearAfterSeconds: 30 }),
      ...handlers,
    },
    actions: { 'credentials.list': async () => ({ items: [] }), 'twoFactor.status': async () => ({ enrolled: false }), ...actions },
  });
  const app = createApp({ document: dom.window.document, runtime, loadSettings: async () => ({}) });
  await app.start();
  started.push(app);
  return { dom, runtime, app, doc: dom.window.document, $: (s) => dom.window.document.querySelector(s) };
}

function type(input, value) {
  input.value = value;
  input.dispatchEvent(new input.ownerDocument.defaultView.Event('input', { bubbles: true }));
}

const submit = (form) => form.dispatchEvent(new form.ownerDocument.defaultView.Event('submit', { bubbles: true, cancelable: true }));

test('an invite shows its token once, with a copy that goes through the background', async () => {
  const { app, runtime, $ } = await start({
    actions: { 'shares.create': async () => ({ share: { id: 'shr_1', status: 'pending' }, invite: true, inviteToken: 'tok-123' }) },
  });
  app.router.go('share', ENTRY);
  type($('#share-email'), 'new@example.test');
  submit($('#share-form'));
  await until(() => $('#invite-token'), 'the invite token');
  assert.equal($('#invite-token').textContent, 'tok-123');
  assert.match($('#invite').textContent, /new@example\.test has no PassAgent account/);
  assert.deepEqual(runtime.calls.find((c) => c.action === 'shares.create').params, { id: 'pwd_1', account: ACCOUNT_ID, recipientEmail: 'new@example.test', permission: 'read' });
  $('#invite-copy').click();
  await until(() => runtime.sent.some((m) => m.type === 'copy'), 'a copy');
  assert.deepEqual(runtime.sent.find((m) => m.type === 'copy'), { type: 'copy', field: 'text', text: 'tok-123' });
});

test('STEP_UP_REQUIRED asks for the password, signs in again and retries once', async () => {
  let tries = 0;
  const { app, runtime, $ } = await start({
    handlers: { login: async () => ({ result: { account: ACCOUNT_ID }, state: unlockedState() }) },
    actions: {
      'shares.create': async () => {
        tries += 1;
        if (tries === 1) throw { code: 'STEP_UP_REQUIRED', message: 'Sign in again.' };
        return { share: { id: 'shr_2' }, invite: false };
      },
    },
  });
  app.router.go('share', ENTRY);
  type($('#share-email'), 'friend@example.test');
  submit($('#share-form'));
  await until(() => $('#stepup-password'), 'the step-up sheet');
  type($('#stepup-password'), 'account-pw');
  submit($('#stepup form'));
  await until(() => $('#share-done'), 'the share made');
  assert.equal(tries, 2);
  const login = runtime.sent.find((m) => m.type === 'login');
  assert.equal(login.password, 'account-pw');
  assert.equal(login.email, 'alice@example.test');
  assert.equal($('#stepup'), null, 'the sheet is gone');
});

test('a step-up that leaves the vault locked asks for the master password before the retry', async () => {
  let tries = 0;
  const locked = unlockedState([{ ...ACCOUNT, unlocked: false }]);
  const { app, runtime, $ } = await start({
    handlers: {
      login: async () => ({ result: { account: ACCOUNT_ID }, state: locked }),
      unlock: async () => ({ result: {}, state: unlockedState() }),
    },
    actions: {
      'twoFactor.status': async () => ({ enrolled: true }),
      'shares.create': async () => {
        tries += 1;
        if (tries === 1) throw { code: 'STEP_UP_REQUIRED', message: 'Sign in again.' };
        return { share: { id: 'shr_3' }, invite: false };
      },
    },
  });
  app.router.go('share', ENTRY);
  type($('#share-email'), 'friend@example.test');
  submit($('#share-form'));
  await until(() => $('#stepup-password'), 'the step-up sheet');
  await until(() => !$('#stepup-otp').closest('.field').hidden, 'the 2FA field for a 2FA account');
  assert.match($('#stepup-lead').textContent, /account password of .*code from your authenticator app/);
  type($('#stepup-password'), 'account-pw');
  type($('#stepup-otp'), '123 456');
  submit($('#stepup form'));
  await until(() => !$('#stepup-master').closest('.field').hidden, 'the master password field');
  type($('#stepup-master'), 'master');
  submit($('#stepup form'));
  await until(() => $('#share-done'), 'the share made');
  assert.equal(runtime.sent.find((m) => m.type === 'login').otp, '123 456');
  assert.equal(runtime.sent.find((m) => m.type === 'unlock').masterPassword, 'master');
  assert.equal(tries, 2);
});

test('conflicts and limits are said in plain words', async () => {
  const cases = [
    [{ code: 'CONFLICT', message: 'x' }, 'alice@example.test', /cannot share a login with yourself/],
    [{ code: 'CONFLICT', message: 'x' }, 'bob@example.test', /already shared with bob@example\.test/],
    [{ code: 'RATE_LIMITED', message: 'Maximum 10 shares per password', retryAfter: 3600 }, 'bob@example.test', /at most 10 people/],
    [{ code: 'RATE_LIMITED', message: 'Maximum 50 active shares per user', retryAfter: 3600 }, 'bob@example.test', /50 active shares/],
    [{ code: 'RATE_LIMITED', message: 'Too many requests', retryAfter: 42 }, 'bob@example.test', /wait 42 seconds/],
  ];
  for (const [error, recipient, words] of cases) {
    const { app, $ } = await start({ actions: { 'shares.create': async () => { throw error; } } });
    app.router.go('share', ENTRY);
    type($('#share-email'), recipient);
    submit($('#share-form'));
    await until(() => !$('#message').hidden, 'a message');
    assert.match($('#message').textContent, words);
  }
  assert.equal(waitWords(45), '45 seconds');
  assert.equal(waitWords(150), '3 minutes');
  assert.equal(waitWords(7200), 'about 2 hours');
});

test('owned shares: revoke and permission changes go to shares.update; received pending ones can be accepted', async () => {
  const owned = [{ id: 'shr_o', account_id: 'pwd_1', recipient_email: 'bob@example.test', status: 'active', permission: 'read', expires_at: null, account: { name: 'Bank' } }];
  const received = [{ id: 'shr_r', account_id: 'pwd_9', owner_email: 'carol@example.test', status: 'pending', permission: 'read', account: { name: 'Wiki' } }];
  const { app, runtime, $, doc } = await start({
    actions: {
      'shares.list': async ({ type }) => ({ shares: type === 'owned' ? owned : received, setupRequired: false }),
      'shares.update': async () => ({ share: {} }),
      'shares.accept': async () => ({ share: {} }),
      'vault.sync': async () => ({ items: 1 }),
    },
  });
  app.router.go('shares', { tab: 'owned' });
  await until(() => $('#shares-owned .share'), 'the owned share');
  assert.match($('#shares-owned .share').textContent, /bob@example\.test/);
  $('[data-act="allowWrite"]').click();
  await until(() => runtime.calls.some((c) => c.action === 'shares.update'), 'a permission change');
  assert.deepEqual(runtime.calls.find((c) => c.action === 'shares.update').params, { shareId: 'shr_o', permission: 'write', account: ACCOUNT_ID });
  await until(() => $('[data-act="revoke"]'), 'the list again');
  $('[data-act="revoke"]').click();
  await until(() => runtime.calls.filter((c) => c.action === 'shares.update').length === 2, 'a revoke');
  assert.deepEqual(runtime.calls.filter((c) => c.action === 'shares.update')[1].params, { shareId: 'shr_o', status: 'revoked', account: ACCOUNT_ID });
  doc.getElementById('tab-received').click();
  await until(() => $('#shares-received [data-act="accept"]'), 'the pending share');
  assert.match($('#shares-received').textContent, /from carol@example\.test/);
  $('#shares-received [data-act="accept"]').click();
  await until(() => runtime.calls.some((c) => c.action === 'vault.sync'), 'a sync after accepting');
  assert.deepEqual(runtime.calls.find((c) => c.action === 'shares.accept').params, { shareId: 'shr_r', account: ACCOUNT_ID });
});

test('session shares: the live status, the link and token until passed on, and the controls', async () => {
  const record = { key: 's1', sessionId: 'sess_1', name: 'Bank', status: 'active', viewers: 1, maxViewers: 2, watching: true, shareUrl: 'https://vault.example/s/tok', shareToken: 'tok', expiresAt: '2030-01-01T10:00:00Z' };
  const sent = [];
  const { app, $ } = await start({
    handlers: {
      'sessionShares.list': async () => ({ shares: [{ ...record }] }),
      'sessionShares.taken': async (m) => { sent.push(m); record.shareToken = null; return {}; },
      'sessionShares.update': async (m) => { sent.push(m); record.status = 'paused'; return {}; },
    },
  });
  app.router.go('shares', { tab: 'sessions' });
  await until(() => $('.card.session'), 'the session card');
  assert.equal($('.card.session').dataset.status, 'active');
  assert.match($('[data-role="viewers"]').textContent, /1 of 2/);
  assert.equal($('[data-field="token"]').textContent, 'tok');
  $('[data-act="pause"]').click();
  await until(() => $('.card.session')?.dataset.status === 'paused', 'paused');
  assert.deepEqual(sent[0], { type: 'sessionShares.update', key: 's1', action: 'pause' });
  $('[data-act="taken"]').click();
  await until(() => !$('[data-field="token"]'), 'the token gone');
  assert.ok($('[data-act="resume"]'), 'a paused session can be resumed');
  assert.match($('[data-role="ends"]').textContent, /^ends /);
  assert.ok($('[data-role="live"]'), 'followed live while its stream runs');
  // Ended: no live dot or word, and no end time to come, even while the stream still runs.
  record.status = 'revoked';
  app.router.go('shares', { tab: 'sessions' });
  await until(() => $('.card.session')?.dataset.status === 'revoked', 'revoked');
  assert.equal($('.card.session .live-dot'), null);
  assert.equal($('[data-role="live"]'), null);
  assert.equal($('[data-role="ends"]'), null);
});

test('two-factor enrolment draws the QR code here, shows the secret and codes, and verifies a code', async () => {
  let enrolled = false;
  const { app, runtime, $ } = await start({
    actions: {
      'twoFactor.status': async () => ({ enrolled, method: enrolled ? 'totp' : null, enrolledAt: enrolled ? '2026-01-01T00:00:00Z' : null }),
      'twoFactor.enroll': async () => ({ qrCodeUri: 'otpauth://totp/PassAgent%3Aalice?secret=JBSWY3DPEHPK3PXP&issuer=PassAgent', secret: 'JBSWY3DPEHPK3PXP', recoveryCodes: ['a1b2c3d4', 'e5f6a7b8'] }),
      'twoFactor.verify': async ({ code }) => { if (code !== '123456') throw { code: 'BAD_CREDENTIALS', message: 'The verification code is wrong.' }; enrolled = true; return { verified: true }; },
    },
  });
  app.router.go('two-factor', { account: ACCOUNT_ID });
  await until(() => $('#twofa-enroll'), 'the turn-on button');
  $('#twofa-enroll').click();
  await until(() => $('#twofa-qr svg path'), 'the QR code');
  assert.equal($('#twofa-secret').textContent, 'JBSWY3DPEHPK3PXP');
  assert.deepEqual([...document.querySelectorAll('#twofa-recovery li')].map((li) => li.textContent), ['a1b2c3d4', 'e5f6a7b8']);
  type($('#twofa-code'), '123 456');
  submit($('#twofa-code').form);
  await until(() => $('#twofa-disable'), 'the enrolled state');
  assert.deepEqual(runtime.calls.find((c) => c.action === 'twoFactor.verify').params, { account: ACCOUNT_ID, code: '123456' });
  assert.equal($('#twofa-secret'), null, 'the secret has left the page');
});

test('an entry\'s one-time code: a pasted secret is checked, saved and its code shown at once', async () => {
  let hasTotp = false;
  const { app, runtime, $ } = await start({
    handlers: {
      totp: async () => {
        if (!hasTotp) throw { code: 'NO_TOTP', message: 'No code.' };
        return { code: '123456', remaining: 20, period: 30, digits: 6 };
      },
    },
    actions: {
      'totp.set': async ({ id }) => { hasTotp = true; return { id, zeroTrust: true }; },
      'totp.delete': async ({ id }) => { hasTotp = false; return { id, deleted: true }; },
    },
  });
  app.router.go('entry-totp', ENTRY);
  await until(() => runtime.sent.some((m) => m.type === 'totp'), 'the probe for a code');
  assert.equal($('#totp-current-card').hidden, true, 'no code yet');
  type($('#totp-input'), 'not a secret!');
  submit($('#totp-form'));
  assert.match($('#message').textContent, /only the letters/);
  type($('#totp-input'), 'jbsw y3dp ehpk 3pxp');
  submit($('#totp-form'));
  await until(() => $('#totp-current').dataset.code === '123456', 'the code shown');
  assert.deepEqual(runtime.calls.find((c) => c.action === 'totp.set').params, { id: 'pwd_1', account: ACCOUNT_ID, secret: 'JBSWY3DPEHPK3PXP' });
  $('#totp-delete').click();
  await until(() => runtime.calls.some((c) => c.action === 'totp.delete'), 'a delete');
  await until(() => $('#totp-current-card').hidden, 'the code hidden');
});

test('the details buttons exist only for own PassAgent entries, and open their views', async () => {
  const { app, $ } = await start({ actions: { 'credentials.get': async () => ({ username: 'u', password: 'p' }) } });
  assert.equal(ownPassAgentEntry(ENTRY, ACCOUNT), true);
  assert.equal(ownPassAgentEntry({ ...ENTRY, shared: true }, ACCOUNT), false);
  assert.equal(ownPassAgentEntry(ENTRY, { ...ACCOUNT, backend: 'passman' }), false);
  app.router.go('details', { id: ENTRY.id, account: ENTRY.account, entry: ENTRY });
  await until(() => $('#entry-action-share'), 'the share button');
  assert.ok($('#entry-action-session-share') && $('#entry-action-totp'));
  $('#entry-action-share').click();
  assert.equal(globalThis.document.body.dataset.view, 'share');
  assert.match($('#view-share .lead').textContent, /Bank/);
});

test('a session share\'s access is one choice, sent as both of the seed\'s fields that mean it', async () => {
  const sent = [];
  const { app, doc, $ } = await start({
    handlers: { 'sessionShares.start': async (m) => { sent.push(m); return { share: { key: 's1' } }; }, 'sessionShares.list': async () => ({ shares: [] }) },
  });
  app.router.go('session-share', ENTRY);
  await until(() => $('#session-form'), 'the form');
  assert.equal(doc.querySelectorAll('#session-form input[type=checkbox]').length, 1, 'only the watermark is a box');
  $('#session-access').value = 'view_only';
  submit($('#session-form'));
  await until(() => sent.length === 1, 'sessionShares.start');
  assert.equal(sent[0].options.accessType, 'view_only');
  assert.equal(sent[0].options.viewOnly, true);
});
