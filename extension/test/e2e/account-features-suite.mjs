// SPDX-License-Identifier: MIT
// PassAgent's account features end to end (issue 14), in headless Chromium and Firefox
// ESR, against the REAL passagent-host and the project's PassAgent test server: share a
// login with an existing user who then accepts it and sees who shared it, an invite,
// step-up (also of a 2FA account: password and code), revoke; a session
// share whose live status follows the server's viewer count; account 2FA enrol, verify
// and disable; an entry's TOTP set by paste and by scanning a QR code shown in a tab.
// Each step saves a screenshot under build/e2e/screens/ (PASSAGENT_E2E_SCREENS moves them).
// Run by account-features-chromium.test.mjs and account-features-firefox.test.mjs.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join, resolve } from 'node:path';
import { encodeQR } from 'qr';
import { browsersUnderTest, eventually, openExtensionPage, CHROMIUM_ID, GECKO_ID, SETUP_MS, TEARDOWN_MS } from './harness.mjs';
import { startServer, serverAvailable, REPO_ROOT } from './passagent-server.mjs';
import { HOST_BIN, fillSignIn, launchRealHost, waitForView } from './real-host-suite.mjs';
import { servePages } from './pages.mjs';
import { totp } from './totp.mjs';

export const SCREENS = process.env.PASSAGENT_E2E_SCREENS ?? resolve(REPO_ROOT, 'build/e2e/screens');
const missing = !HOST_BIN ? 'no passagent-host: build it (cmake --preset dev && cmake --build --preset dev) or set PASSAGENT_HOST_BIN'
  : !existsSync(HOST_BIN) ? `PASSAGENT_HOST_BIN=${HOST_BIN} does not exist`
    : !serverAvailable() ? 'tests/passagent-server/serve.mjs is missing' : null;
const skip = missing && !process.env.CI ? missing : false;

// ---- helpers ----------------------------------------------------------------------

/**
 * The popup as a person sees it (its body), as build/e2e/screens/<name>-<browser>.png.
 * With `show`, the element under test is scrolled into the middle of the view first, so
 * the picture shows what the test checks rather than whatever was on top.
 */
export async function screenshot(page, name, browserName, { show } = {}) {
  mkdirSync(SCREENS, { recursive: true });
  if (show) {
    const shown = await (typeof show === 'string' ? page.$(show) : show);
    assert.ok(shown, `the element to show in ${name} (${show})`);
    await shown.evaluate((el) => el.scrollIntoView({ block: 'center', inline: 'nearest' }));
  }
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  const body = await page.$('body');
  await body.screenshot({ path: join(SCREENS, `${name}-${browserName}.png`) });
}

async function post(server, path, body) {
  const reply = await fetch(`${server.origin}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const json = await reply.json().catch(() => ({}));
  if (!reply.ok) throw new Error(`POST ${path}: ${reply.status} ${JSON.stringify(json)}`);
  return json;
}

async function typeInto(page, selector, text) {
  await page.$eval(selector, (el) => { el.value = ''; });
  await page.type(selector, text);
}

/** Clicks in the page itself: the Sessions list redraws while it is live, so an element
 * handle taken a moment before may already be gone. */
async function clickNow(page, selector) {
  await page.$eval(selector, (el) => el.click());
}

async function messageText(page) {
  return page.$eval('#message', (el) => (el.hidden ? '' : el.textContent)).catch(() => '');
}

/** Waits for a selector; on a timeout says what the popup shows. */
async function waitFor(page, selector, what, timeout = 20_000) {
  try {
    return await page.waitForSelector(selector, { timeout });
  } catch {
    const seen = await page.evaluate(() => ({ view: document.body.dataset.view, message: document.getElementById('message')?.hidden ? '' : document.getElementById('message')?.textContent })).catch(() => ({}));
    throw new Error(`no ${what} (${selector}); the popup shows "${seen.view}"${seen.message ? `, message: ${seen.message}` : ''}`);
  }
}

async function signIn(popup, server, { email, password, masterPassword }) {
  await waitForView(popup, 'login');
  await fillSignIn(popup, { server: server.origin, user: email, password });
  await popup.click('#login-submit');
  await waitForView(popup, 'unlock', 60_000);
  await popup.type('#unlock-password', masterPassword);
  await popup.click('#unlock-submit');
  await waitForView(popup, ['main', 'accounts'], 60_000);
}

/**
 * Opens an entry's details the way a person does on its site: the site's page is the
 * tab used last, and the popup lists its logins (from the host's credentials.match).
 */
async function openEntry(popup, page, name, account) {
  await page.bringToFront();
  await popup.bringToFront();
  await popup.click('#nav [data-view="main"]');
  await waitForView(popup, 'main');
  const row = `#matches .match${account ? `[data-account="${account}"]` : ''}`;
  const handle = await eventually(async () => {
    for (const el of await popup.$$(row)) {
      if ((await el.$eval('.name', (n) => n.textContent)) === name) return el;
    }
    return null;
  }, { timeout: 20_000, message: `the entry "${name}" among the page's logins` });
  await handle.click();
  await waitForView(popup, 'details');
  await waitFor(popup, '#entry-action-share', 'the account actions of the entry');
}

/** Opens an entry found by typing in the vault's search (for entries no test page matches). */
async function openFromSearch(popup, query, name, account) {
  await popup.bringToFront();
  await popup.click('#nav [data-view="main"]');
  await waitForView(popup, 'main');
  await typeInto(popup, '#search', query);
  const handle = await eventually(async () => {
    for (const el of await popup.$$(`#results .entry[data-account="${account}"]`)) {
      if ((await el.$eval('.name', (n) => n.textContent)) === name) return el;
    }
    return null;
  }, { timeout: 20_000, message: `the entry "${name}" among the search results` });
  await handle.click();
  await waitForView(popup, 'details');
  await waitFor(popup, '#entry-action-share', 'the account actions of the entry');
}

/** Empties the vault's search (the popup keeps it between views), so the page's logins show again. */
async function clearSearch(popup) {
  await popup.click('#nav [data-view="main"]');
  await waitForView(popup, 'main');
  const titled = (text) => popup.$$eval('h3.section-title', (els, want) => els.some((el) => el.textContent === want), text);
  await eventually(() => titled('Results'), { message: 'the kept search shown' });
  await popup.$eval('#search', (el) => {
    el.value = '';
    el.dispatchEvent(new Event('input', { bubbles: true }));
  });
  // The search ran again with nothing typed (and so stored nothing to type next time).
  await eventually(() => titled('All logins'), { message: 'the search emptied' });
}

/** Signs in an account with 2FA: the popup asks for the code after the password. */
async function signInWithCode(popup, server, { email, password, masterPassword, totpSecret }) {
  await waitForView(popup, 'login');
  await fillSignIn(popup, { server: server.origin, user: email, password });
  await popup.click('#login-submit');
  await waitFor(popup, '#login-otp-row:not([hidden]) #login-otp', 'the sign-in code field', 60_000);
  await popup.type('#login-otp', totp(totpSecret));
  await popup.click('#login-submit');
  await waitForView(popup, 'unlock', 60_000);
  await popup.type('#unlock-password', masterPassword);
  await popup.click('#unlock-submit');
  await waitForView(popup, ['main', 'accounts'], 60_000);
}

async function openTab(popup, view, tab) {
  await popup.click(`#nav [data-view="${view}"]`);
  await waitForView(popup, view);
  if (tab) await popup.click(`#tab-${tab}`);
}

/** A share row of the Sharing view by its entry name and recipient/owner text. */
async function shareRow(popup, list, name, who) {
  return eventually(async () => {
    for (const el of await popup.$$(`#shares-${list} .share`)) {
      const text = await el.evaluate((n) => ({ name: n.querySelector('.name').textContent, who: n.querySelector('.who').textContent, status: n.dataset.status }));
      if (text.name === name && text.who.includes(who)) return el;
    }
    return null;
  }, { timeout: 20_000, message: `the ${list} share of "${name}" (${who})` });
}

/** What a click on PassAgent's toolbar button does to the page's tab: activeTab. */
async function grantActiveTab(run, page, popupTab) {
  if (run.name === 'chromium') {
    // The real action: opens the popup over the page, which grants activeTab for it.
    const extension = (await run.browser.extensions()).get(CHROMIUM_ID);
    await page.triggerExtensionAction(extension);
    const target = await run.browser.waitForTarget((t) => t !== popupTab.target() && t.url().endsWith('/src/popup/popup.html'), { timeout: 10_000 });
    const real = await target.asPage();
    await real.close().catch(() => {});
    return;
  }
  // Firefox: WebDriver cannot click the toolbar; in the browser's own scope, grant what
  // that click grants (the same tabManager call its browserAction makes).
  const connection = run.browser.connection;
  const tree = await connection.send('browsingContext.getTree', { 'moz:scope': 'chrome' });
  const context = tree.result.contexts[0].context;
  const { result } = await connection.send('script.evaluate', {
    expression: `(() => { const ext = WebExtensionPolicy.getByID(${JSON.stringify(GECKO_ID)}).extension; ext.tabManager.addActiveTabPermission(window.gBrowser.selectedTab); return window.gBrowser.selectedBrowser.currentURI.spec; })()`,
    target: { context },
    awaitPromise: false,
  });
  if (result.type !== 'success') throw new Error(`activeTab not granted: ${JSON.stringify(result)}`);
}

const dueCodes = (secret, before, after) => new Set([totp(secret, { timeMs: before }), totp(secret, { timeMs: after })]);
/**
 * The code the entry-totp view shows once it is `secret`'s, RFC 6238 for a moment since
 * `before`. An entry that had a TOTP shows its old code until the save's answer comes, so
 * the first code seen can be that one: only a code of the new secret ends the wait.
 */
async function newCodeShown(popup, secret, before) {
  let last = null;
  try {
    return await eventually(async () => {
      last = await popup.$eval('#totp-current', (el) => el.dataset.code).catch(() => null);
      return last && dueCodes(secret, before, Date.now()).has(last) ? last : null;
    }, { timeout: 20_000, message: 'the new secret\'s code shown' });
  } catch (error) {
    throw new Error(`${error.message}: last shown ${last}`);
  }
}

// ---- the tests ----------------------------------------------------------------------

export function accountFeaturesSuite(name) {
  if (!browsersUnderTest().includes(name)) return;
  describe(`PassAgent account features, ${name}`, { skip }, () => {
    if (missing) {
      it('has a passagent-host and the test server to run against', () => assert.fail(missing));
      return;
    }
    let server;
    let host;
    let run;
    let popup;
    let demo;
    let demoAccount;
    const sites = {}; // path → a tab on the server's demo page (entries match it)
    const site = async (path) => {
      if (!sites[path]) {
        sites[path] = await run.browser.newPage();
        await sites[path].goto(`${server.origin}${path}`);
      }
      return sites[path];
    };
    const recipient = { email: `recipient-${name}@passagent.test`, password: 'Recipient-Login-Pa55!', masterPassword: 'recipient master phrase' };

    before(async () => {
      server = await startServer();
      await post(server, '/__test/users', recipient);
      demo = server.info;
      host = await launchRealHost(name, 'account', { server: server.origin, anonKey: server.info.anonKey, autoLockMinutes: 0 });
      run = host.run;
      popup = await openExtensionPage(run, 'src/popup/popup.html');
      await signIn(popup, server, demo);
      demoAccount = `passagent:${demo.email}@${server.origin}`;
    }, { timeout: SETUP_MS });

    after(async () => {
      await host?.close();
      await server?.stop();
    }, { timeout: TEARDOWN_MS });

    it('shares a login with an existing user, who sees it and accepts it', async () => {
      await openEntry(popup, await site('/demo/login'), 'Demo login', demoAccount);
      await screenshot(popup, 'details-actions', name);
      await popup.click('#entry-action-share');
      await waitForView(popup, 'share');
      await popup.type('#share-email', recipient.email);
      await popup.select('#share-permission', 'write');
      await popup.click('#share-submit');
      await waitFor(popup, '#share-done', 'the share made');
      assert.match(await popup.$eval('#share-done', (el) => el.textContent), new RegExp(recipient.email));
      await screenshot(popup, 'share-existing-user', name);

      // The recipient: a second account in the same popup.
      await popup.click('#nav [data-view="accounts"]');
      await waitForView(popup, 'accounts');
      await popup.click('#add-account');
      await signIn(popup, server, recipient);
      const recipientAccount = `passagent:${recipient.email}@${server.origin}`;
      await openTab(popup, 'shares', 'received');
      const row = await shareRow(popup, 'received', 'Demo login', demo.email);
      assert.equal(await row.evaluate((el) => el.dataset.status), 'pending');
      await screenshot(popup, 'shares-received-pending', name, { show: row });
      await (await row.$('[data-act="accept"]')).click();
      await eventually(async () => (await (await shareRow(popup, 'received', 'Demo login', demo.email)).evaluate((el) => el.dataset.status)) === 'active', { timeout: 20_000, message: 'the share accepted' });
      await screenshot(popup, 'shares-received-accepted', name);
      // In the recipient's vault, marked shared: listed for the demo page.
      await (await site('/demo/login')).bringToFront();
      await popup.bringToFront();
      await popup.click('#nav [data-view="main"]');
      await waitForView(popup, 'main');
      const sharedRow = `#matches .match[data-account="${recipientAccount}"]`;
      await eventually(() => popup.$(`${sharedRow} .badge:not([hidden])`), { timeout: 20_000, message: 'the shared entry in the recipient\'s vault' });
      // Who shared it, from the host's share.sharedBy (the server's owner_email).
      assert.equal(await popup.$eval(`${sharedRow} .shared-by`, (el) => el.textContent), `Shared by ${demo.email}`);
      await screenshot(popup, 'vault-shared-entry', name, { show: sharedRow });
      await popup.click(sharedRow);
      await waitForView(popup, 'details');
      assert.equal(await popup.$eval('#shared-by', (el) => el.textContent), `Shared with you by ${demo.email} · can edit`);
      await screenshot(popup, 'details-shared-by', name);
      // Back to one account.
      await popup.click('#nav [data-view="accounts"]');
      await waitForView(popup, 'accounts');
      await popup.click(`[data-account="${recipientAccount}"] [data-act="signOut"]`);
      await eventually(async () => !(await popup.$(`[data-account="${recipientAccount}"]`)), { message: 'the recipient signed out' });
    });

    it('shares with someone without an account: the invite token is shown once, with how to pass it on', async () => {
      await openEntry(popup, await site('/demo/identifier-first'), 'Demo identifier-first', demoAccount);
      await popup.click('#entry-action-share');
      await waitForView(popup, 'share');
      const stranger = `newcomer-${name}@example.test`;
      await popup.type('#share-email', stranger);
      await popup.click('#share-submit');
      await waitFor(popup, '#invite-token', 'the invite token');
      const token = await popup.$eval('#invite-token', (el) => el.textContent);
      assert.match(token, /^[A-Za-z0-9_-]{43}$/, 'a 32-byte base64url token');
      assert.match(await popup.$eval('#invite', (el) => el.textContent), new RegExp(`${stranger.replace('.', '\\.')} has no PassAgent account`));
      await popup.click('#invite-copy');
      await popup.waitForSelector('body[data-copied="text"]', { timeout: 15_000 });
      await screenshot(popup, 'share-invite', name, { show: '#share-see-all' });
      // A second share to the same person is a conflict, said in words.
      await popup.click('#share-another');
      await popup.type('#share-email', stranger);
      await popup.click('#share-submit');
      await eventually(async () => /already shared with/.test(await messageText(popup)), { message: 'the conflict explained' });
      await screenshot(popup, 'share-conflict', name);
    });

    it('step-up: after an old sign-in, sharing asks for the password, signs in again and goes ahead', async () => {
      await post(server, '/__test/age-login', { email: demo.email, seconds: 600 });
      await openEntry(popup, await site('/demo/login'), 'Demo login', demoAccount);
      await popup.click('#entry-action-share');
      await waitForView(popup, 'share');
      await popup.type('#share-email', 'friend@passagent.test');
      await popup.click('#share-submit');
      await waitFor(popup, '#stepup-password', 'the step-up sheet');
      await screenshot(popup, 'step-up', name);
      await popup.type('#stepup-password', demo.password);
      await popup.click('#stepup-submit');
      // The host's new session may have closed the vault: then it asks the master password.
      const next = await eventually(async () => ((await popup.$('#share-done')) ? 'done'
        : (await popup.$('#stepup-master:not([hidden])')) && (await popup.$eval('#stepup-master', (el) => !el.closest('.field').hidden)) ? 'master' : null), { timeout: 60_000, message: 'the step-up to finish' });
      if (next === 'master') {
        await screenshot(popup, 'step-up-master', name);
        await popup.type('#stepup-master', demo.masterPassword);
        await popup.click('#stepup-submit');
      }
      await waitFor(popup, '#share-done', 'the share made after the step-up', 60_000);
      assert.equal(await popup.$('#stepup'), null);
    });

    it('step-up with 2FA: the popup asks for the password and the code, signs in again and the share lands', async () => {
      const mfa = demo.others.find((o) => o.totpSecret);
      assert.ok(mfa, 'the test server has a 2FA account');
      const mfaAccount = `passagent:${mfa.email}@${server.origin}`;
      await popup.click('#nav [data-view="accounts"]');
      await waitForView(popup, 'accounts');
      await popup.click('#add-account');
      await signInWithCode(popup, server, mfa);
      await post(server, '/__test/age-login', { email: mfa.email, seconds: 600 });
      const since = (await (await fetch(`${server.origin}/__test/requests`)).json()).total;

      await openFromSearch(popup, 'Mail', 'Mail', mfaAccount);
      await popup.click('#entry-action-share');
      await waitForView(popup, 'share');
      const friend = demo.others.find((o) => o.email.startsWith('friend@')).email;
      await popup.type('#share-email', friend);
      await popup.click('#share-submit');
      await waitFor(popup, '#stepup-password', 'the step-up sheet');
      // The account has 2FA: the code is asked with the password, before a first try.
      await waitFor(popup, '#stepup-otp', 'the step-up code field');
      await eventually(() => popup.$eval('#stepup-otp', (el) => !el.closest('.field').hidden), { timeout: 20_000, message: 'the code field shown' });
      assert.match(await popup.$eval('#stepup-lead', (el) => el.textContent), /account password of mfa@passagent\.test\. .*code from your authenticator app/);
      await screenshot(popup, 'step-up-2fa', name);
      await popup.type('#stepup-password', mfa.password);
      await popup.type('#stepup-otp', totp(mfa.totpSecret));
      await popup.click('#stepup-submit');
      const next = await eventually(async () => ((await popup.$('#share-done')) ? 'done'
        : (await popup.$('#stepup-master')) && (await popup.$eval('#stepup-master', (el) => !el.closest('.field').hidden)) ? 'master' : null), { timeout: 60_000, message: 'the step-up to finish' });
      if (next === 'master') {
        await screenshot(popup, 'step-up-2fa-master', name);
        await popup.type('#stepup-master', mfa.masterPassword);
        await popup.click('#stepup-submit');
      }
      await waitFor(popup, '#share-done', 'the share made after the step-up', 60_000);
      assert.equal(await popup.$('#stepup'), null);
      assert.match(await popup.$eval('#share-done', (el) => el.textContent), new RegExp(friend));
      await screenshot(popup, 'step-up-2fa-shared', name);

      // What the server saw: refused for the old sign-in, a new sign-in (password, then
      // its code), one retry that landed.
      const seen = (await (await fetch(`${server.origin}/__test/requests?since=${since}`)).json()).requests
        .filter((r) => r.method === 'POST' && ['/api/sharing', '/api/2fa/verify', '/auth/v1/token'].includes(r.path))
        .map((r) => `${r.path} ${r.status}`);
      const steps = seen.filter((r) => !r.startsWith('/auth/'));
      assert.deepEqual(steps, ['/api/sharing 401', '/api/2fa/verify 200', '/api/sharing 201'], seen.join(', '));
      const between = seen.slice(seen.indexOf('/api/sharing 401'), seen.indexOf('/api/2fa/verify 200'));
      assert.ok(between.includes('/auth/v1/token 200'), `signed in again before the code: ${seen.join(', ')}`);

      // Back to one account, and no search left typed.
      await clearSearch(popup);
      await popup.click('#nav [data-view="accounts"]');
      await waitForView(popup, 'accounts');
      await popup.click(`[data-account="${mfaAccount}"] [data-act="signOut"]`);
      await eventually(async () => !(await popup.$(`[data-account="${mfaAccount}"]`)), { message: 'the 2FA account signed out' });
    });

    it('revokes a share: the owner\'s list says revoked', async () => {
      await openTab(popup, 'shares', 'owned');
      const row = await shareRow(popup, 'owned', 'Demo login', 'friend@passagent.test');
      await (await row.$('[data-act="revoke"]')).click();
      await eventually(async () => (await (await shareRow(popup, 'owned', 'Demo login', 'friend@passagent.test')).evaluate((el) => el.dataset.status)) === 'revoked', { timeout: 20_000, message: 'the share revoked' });
      await screenshot(popup, 'shares-owned-revoked', name, { show: await shareRow(popup, 'owned', 'Demo login', 'friend@passagent.test') });
    });

    it('changes an owned share\'s permission, then deletes the share: the server has it so, and the list says so', async () => {
      // A share of its own to change and delete, so the revoked one above stays as it is.
      const friend = 'alice@passagent.test';
      await openEntry(popup, await site('/demo/identifier-first'), 'Demo identifier-first', demoAccount);
      await popup.click('#entry-action-share');
      await waitForView(popup, 'share');
      await popup.type('#share-email', friend);
      await popup.select('#share-permission', 'read');
      await popup.click('#share-submit');
      await waitFor(popup, '#share-done', 'the share made');
      await openTab(popup, 'shares', 'owned');
      const row = () => shareRow(popup, 'owned', 'Demo identifier-first', friend);
      const shareId = await (await row()).evaluate((el) => el.dataset.shareId);
      assert.equal(await (await row()).evaluate((el) => el.dataset.permission), 'read');
      const since = (await (await fetch(`${server.origin}/__test/requests`)).json()).total;
      const sent = async () => (await (await fetch(`${server.origin}/__test/requests?since=${since}`)).json()).requests
        .filter((r) => r.path === `/api/sharing/${shareId}` && r.method !== 'GET').map((r) => `${r.method} ${r.status}`);
      await (await row()).$eval('[data-act="allowWrite"]', (el) => el.click());
      // The list is read from the server again after the change.
      await eventually(async () => (await (await row()).evaluate((el) => el.dataset.permission)) === 'write', { timeout: 20_000, message: 'the share made writable' });
      assert.deepEqual(await sent(), ['PATCH 200'], 'one change sent to the server');
      assert.ok(await (await row()).$('[data-act="readOnly"]'), 'and it can be made use-only again');
      await screenshot(popup, 'shares-owned-permission', name, { show: await row() });
      await (await row()).$eval('[data-act="delete"]', (el) => el.click());
      await eventually(async () => {
        for (const el of await popup.$$('#shares-owned .share')) {
          if ((await el.evaluate((n) => n.dataset.shareId)) === shareId) return null;
        }
        return true;
      }, { timeout: 20_000, message: 'the share gone from the list' });
      assert.deepEqual(await sent(), ['PATCH 200', 'DELETE 200'], 'the delete sent to the server');
      await screenshot(popup, 'shares-owned-deleted', name);
    });

    it('a session share: live status until complete, then the link and token once', async () => {
      await openEntry(popup, await site('/demo/login'), 'Demo login', demoAccount);
      await popup.click('#entry-action-session-share');
      await waitForView(popup, 'session-share');
      await typeInto(popup, '#session-duration', '30');
      await typeInto(popup, '#session-viewers', '3');
      await popup.select('#session-method', 'manual');
      await popup.click('#session-watermark'); // off
      await screenshot(popup, 'session-share-form', name);
      await popup.click('#session-submit');
      await waitForView(popup, 'shares', 60_000);
      const card = '#shares-sessions .card.session';
      await waitFor(popup, card, 'the session card');
      const seen = new Set();
      await eventually(async () => {
        seen.add(await popup.$eval(card, (el) => el.dataset.status));
        return popup.$(`${card} [data-field="token"]`);
      }, { timeout: 30_000, interval: 200, message: 'the link and token after complete' });
      assert.equal(await popup.$eval(card, (el) => el.dataset.status), 'active');
      assert.ok(seen.has('login_in_progress'), `the status went through signing in (saw ${[...seen]})`);
      const sessionId = await popup.$eval(card, (el) => el.dataset.sessionId);
      const token = await popup.$eval(`${card} [data-field="token"]`, (el) => el.textContent);
      assert.equal(await popup.$eval(`${card} [data-field="url"]`, (el) => el.textContent), `${server.origin}/s/${token}`);
      const stored = (await (await fetch(`${server.origin}/__test/session-shares`)).json()).sessions.find((x) => x.id === sessionId);
      assert.equal(stored.shareTokenHash, createHash('sha256').update(token).digest('hex'), 'the token shown is the one the server made');
      assert.deepEqual([stored.durationMinutes, stored.maxViewers, stored.loginMethod, stored.watermarkEnabled], [30, 3, 'manual', false]);
      await screenshot(popup, 'session-share-created', name);
      await clickNow(popup, `${card} [data-act="taken"]`);
      await eventually(async () => !(await popup.$(`${card} [data-field="token"]`)), { message: 'the token dropped once passed on' });
      await clickNow(popup, `${card} [data-act="delete"]`);
      await eventually(async () => !(await popup.$(card)), { timeout: 20_000, message: 'the session deleted' });
    });

    it('a session share\'s live status follows the server\'s viewer count; pause, resume, extend, revoke, delete', async () => {
      // The server's stream stays open while the share is active, so viewer changes stream.
      await post(server, '/__test/session-shares/stream-mode', { completeOn: 'end' });
      await openEntry(popup, await site('/demo/login'), 'Demo login', demoAccount);
      await popup.click('#entry-action-session-share');
      await waitForView(popup, 'session-share');
      await typeInto(popup, '#session-viewers', '3');
      await popup.click('#session-submit');
      await waitForView(popup, 'shares', 60_000);
      const card = '#shares-sessions .card.session';
      await waitFor(popup, card, 'the session card');
      await eventually(async () => (await popup.$eval(card, (el) => el.dataset.status)) === 'active', { timeout: 30_000, message: 'the session active' });
      const sessionId = await popup.$eval(card, (el) => el.dataset.sessionId);
      const viewers = () => popup.$eval(`${card} [data-role="viewers"]`, (el) => el.textContent);
      await eventually(async () => /1 of 3/.test(await viewers()), { message: 'one viewer' });
      await post(server, `/__test/session-shares/${sessionId}/viewers`, { count: 2 });
      await eventually(async () => /2 of 3/.test(await viewers()), { timeout: 15_000, message: 'two viewers after the server\'s change' });
      assert.ok(await popup.$(`${card} .live-dot`), 'shown as live');
      await screenshot(popup, 'session-share-live', name);
      for (const [act, status] of [['pause', 'paused'], ['resume', 'active']]) {
        await clickNow(popup, `${card} [data-act="${act}"]`);
        await eventually(async () => (await popup.$eval(card, (el) => el.dataset.status)) === status, { timeout: 20_000, message: `the session ${status}` });
      }
      await clickNow(popup, `${card} [data-act="extend"]`);
      await eventually(async () => (await (await fetch(`${server.origin}/__test/session-shares`)).json()).sessions.find((x) => x.id === sessionId).durationMinutes === 30,
        { timeout: 20_000, message: 'extended by 15 minutes' });
      await clickNow(popup, `${card} [data-act="revoke"]`);
      await eventually(async () => (await popup.$eval(card, (el) => el.dataset.status)) === 'revoked', { timeout: 20_000, message: 'the session revoked' });
      await screenshot(popup, 'session-share-revoked', name);
      await clickNow(popup, `${card} [data-act="delete"]`);
      await eventually(async () => !(await popup.$(card)), { timeout: 20_000, message: 'the session deleted' });
      await post(server, '/__test/session-shares/stream-mode', { completeOn: 'active' });
    });

    it('account 2FA: enrol with a QR code drawn in the popup, verify, then disable', async () => {
      await popup.click('#nav [data-view="accounts"]');
      await waitForView(popup, 'accounts');
      await popup.click(`[data-account="${demoAccount}"] [data-act="twoFactor"]`);
      await waitForView(popup, 'two-factor');
      await waitFor(popup, '#twofa-enroll', 'the turn-on button');
      await popup.click('#twofa-enroll');
      await waitFor(popup, '#twofa-qr svg path', 'the QR code');
      const secret = await popup.$eval('#twofa-secret', (el) => el.textContent);
      const codes = await popup.$$eval('#twofa-recovery li', (els) => els.map((el) => el.textContent));
      assert.match(secret, /^[A-Z2-7]{16,}$/);
      assert.equal(codes.length, 8);
      // The QR code drawn in the popup reads back (with the bundled decoder) as the enrolment link.
      const read = await popup.evaluate(async () => {
        const { decodeQR } = await import(new URL('../vendor/qr.js', location.href).href);
        const svg = document.querySelector('#twofa-qr svg');
        const image = new Image();
        image.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(new XMLSerializer().serializeToString(svg))}`;
        await image.decode();
        const canvas = document.createElement('canvas');
        canvas.width = 300;
        canvas.height = 300;
        const context = canvas.getContext('2d');
        context.drawImage(image, 0, 0, 300, 300);
        return decodeQR(context.getImageData(0, 0, 300, 300));
      });
      assert.match(read, /^otpauth:\/\/totp\//);
      assert.equal(new URL(read).searchParams.get('secret'), secret);
      await screenshot(popup, 'twofa-enrol', name, { show: '#twofa-qr' });
      // The lower half: all eight recovery codes, copy and save, and the code to verify.
      await screenshot(popup, 'twofa-enrol-codes', name, { show: '#twofa-verify' });
      const before = Date.now();
      await popup.type('#twofa-code', totp(secret, { timeMs: before }));
      await popup.click('#twofa-verify');
      await waitFor(popup, '#twofa-disable', 'two-factor on');
      assert.equal(await popup.$('#twofa-secret'), null, 'the secret has left the page');
      await screenshot(popup, 'twofa-on', name);
      await popup.type('#twofa-disable-code', totp(secret));
      await popup.click('#twofa-disable');
      await waitFor(popup, '#twofa-enroll', 'two-factor off again');
      assert.equal(await popup.$('#twofa-disable'), null, 'nothing left to turn off');
      await screenshot(popup, 'twofa-off', name);
    });

    it('sets an entry\'s TOTP from a pasted secret; the code shown is RFC 6238 for that moment; then deletes it', async () => {
      const secret = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';
      await openEntry(popup, await site('/demo/identifier-first'), 'Demo identifier-first', demoAccount);
      await popup.click('#entry-action-totp');
      await waitForView(popup, 'entry-totp');
      await popup.type('#totp-input', 'gezd gnbv gy3t qojq gezd gnbv gy3t qojq');
      const before = Date.now();
      await popup.click('#totp-save');
      await newCodeShown(popup, secret, before);
      await screenshot(popup, 'totp-paste', name);
      await popup.click('#totp-delete');
      await eventually(() => popup.$eval('#totp-current-card', (el) => el.hidden), { message: 'the code removed' });
    });

    it('sets an entry\'s TOTP by scanning the QR code shown in the current tab', async () => {
      const secret = 'MFRGGZDFMZTWQ2LKNNWG23TPOBYXE43U';
      const uri = `otpauth://totp/Example:scan-${name}?secret=${secret}&issuer=Example`;
      const qrSite = await servePages({ '/setup-2fa': `<!doctype html><meta charset="utf-8"><title>Set up two-factor</title>
        <body style="font-family:sans-serif;margin:40px"><h1>Scan this code</h1><div style="width:220px">${encodeQR(uri, 'svg')}</div></body>` });
      try {
        await openEntry(popup, await site('/demo/otp'), 'Demo OTP', demoAccount);
        await popup.click('#entry-action-totp');
        await waitForView(popup, 'entry-totp');
        // The site's set-up page with its QR code becomes the tab in front, as when a
        // person opens PassAgent over it; the popup (a background tab here) scans it.
        const page = await run.browser.newPage();
        await page.goto(`${qrSite.origin}/setup-2fa`);
        await page.bringToFront();
        await grantActiveTab(run, page, popup);
        await popup.$eval('#totp-scan', (el) => el.click());
        await eventually(() => popup.$eval('body', (el) => el.dataset.scanned === 'yes' || (document.getElementById('message').hidden ? false : document.getElementById('message').textContent)), { timeout: 30_000, message: 'the scan' })
          .then((seen) => assert.equal(seen, true, `the scan failed: ${seen}`));
        assert.equal(await popup.$eval('#totp-input', (el) => el.value), uri);
        await page.screenshot({ path: join(SCREENS, `totp-scan-page-${name}.png`) });
        await popup.bringToFront();
        await screenshot(popup, 'totp-scanned', name);
        const before = Date.now();
        await popup.click('#totp-save');
        await newCodeShown(popup, secret, before);
        await screenshot(popup, 'totp-scan-saved', name);
        await page.close();
      } finally {
        await qrSite.close();
      }
    });
  });
}
