// SPDX-License-Identifier: MIT
// More of issue 13's everyday features against the REAL passagent-host and the project's
// PassAgent test server, in headless Chromium and Firefox ESR, each with screenshots
// under build/e2e/screens/everyday-real-*-<browser>.png:
//   HTTP Basic auth: off by default; with the opt-in, exactly one matching login answers
//     the site (the site sees that Authorization); two matches, or no opt-in, send nothing;
//   a password-change form (current, new, confirm) for a known username offers Update, and
//     confirming changes that entry (and only it) on the server;
//   the copy-TOTP shortcut puts the RFC 6238 code of that moment on the clipboard;
//   an entry created, edited and deleted in the popup.
// "On the server" is checked twice: the server's own request log (GET /__test/requests)
// and a second passagent-host started by the test with empty state (host-reader.mjs),
// which signs in, lists afresh and decrypts what the server holds.
// A browser shortcut cannot be pressed in a headless browser: the test runs the same code
// through the extension's command.run message, sent from an extension page.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { browsersUnderTest, eventually, openExtensionPage, settleAll, SETUP_MS, TEARDOWN_MS } from './harness.mjs';
import { serverAvailable } from './passagent-server.mjs';
import { serveSite, BASIC_USER } from './site-pages.mjs';
import { HOST_BIN, signedInRealHost, waitForView } from './real-host-suite.mjs';
import { hostCall } from './save-real-suite.mjs';
import { shot, clickPrompt, promptShown, fromExtension, tabIdOf } from './everyday-suite.mjs';
import { shot as popupShot, messageText } from './screens.mjs';
import { startHostReader } from './host-reader.mjs';
import { totp } from './totp.mjs';

const pause = (ms) => new Promise((r) => setTimeout(r, ms));
const value = (page, selector) => page.$eval(selector, (el) => el.value);
const basicHeader = ({ username, password }) => `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;

/** Empties a field and types into it, as a person replacing its text. */
async function retype(page, selector, text) {
  await page.$eval(selector, (el) => { el.value = ''; });
  await page.type(selector, text);
}

export function everydayRealSuite(name) {
  if (!browsersUnderTest().includes(name)) return;
  const missing = !HOST_BIN ? 'no passagent-host built (cmake --build --preset dev --target passagent-host)' : !serverAvailable() ? 'no test server' : null;
  describe(`everyday features against the real host, ${name}`, { skip: missing && !process.env.CI ? missing : false }, () => {
    let suite;
    let server;
    let site;
    let run;
    let ext; // An extension page to ask the host from.
    let reader;

    before(async () => {
      suite = await signedInRealHost(name, 'everyday-real');
      ({ server, site, run, ext } = suite);
      reader = await startHostReader({ hostBin: HOST_BIN, server });
    }, { timeout: SETUP_MS });

    after(() => settleAll([() => reader?.stop(), () => suite?.close()]), { timeout: TEARDOWN_MS });

    /** The server's log of writes to /api/passwords since `since` (a count of requests). */
    async function writes(since) {
      return (await server.passwordWrites(since)).map((r) => [r.method, r.path, r.status]);
    }

    const requestCount = () => server.requestCount();

    /** What the server holds for `username` on `origin`, read by the second host. */
    async function onServer(username, origin) {
      return (await reader.entries(username)).filter((e) => e.username === username && (!origin || e.urls?.some((u) => u.startsWith(origin))));
    }

    async function create(entry) {
      const { item } = await hostCall(ext, 'credentials.create', entry);
      return item;
    }

    /**
     * Opens `url`, which asks for HTTP Basic auth, and checks that the browser sent nothing:
     * Chromium headless has no dialog and gives up; Firefox shows its own dialog (no page
     * loads behind it), which closing the tab dismisses.
     */
    async function leftToBrowser(url) {
      const { host: hostHeader, pathname } = new URL(url);
      const seen = site.requests.length;
      const page = await run.browser.newPage();
      if (name === 'chromium') {
        await assert.rejects(page.goto(url), /ERR_INVALID_AUTH_CREDENTIALS/, 'the browser handles it');
      } else {
        page.goto(url).catch(() => {}); // Never loads: the dialog waits for a person.
        await eventually(() => site.requests.slice(seen).some((r) => r.host === hostHeader && r.path === pathname), { message: `the request for ${url}` });
        await pause(1500); // Time for an answer, if one were coming.
      }
      const asked = site.requests.slice(seen).filter((r) => r.host === hostHeader);
      assert.ok(asked.length >= 1, 'the site was asked');
      assert.deepEqual(asked.filter((r) => r.authorization !== null), [], 'no Authorization sent');
      assert.notEqual(await page.$eval('h1', (el) => el.textContent).catch(() => ''), `Hello ${BASIC_USER.username}, you are in`);
      await page.close();
    }

    it('Basic auth: the one matching login answers the site only with the opt-in; two matches or no opt-in send nothing', async () => {
      await create({ name: 'Members area', url: site.origin, username: BASIC_USER.username, password: BASIC_USER.password });
      await create({ name: 'Staff area', url: site.other, username: BASIC_USER.username, password: BASIC_USER.password });
      await create({ name: 'Staff area (Bob)', url: site.other, username: 'bob@example.test', password: 'Bob-staff-Passw0rd' });
      const matchCount = async (url) => (await hostCall(ext, 'credentials.match', { url })).matches.length;
      assert.equal(await matchCount(`${site.origin}/basic`), 1, 'one login for the members area');
      assert.equal(await matchCount(`${site.other}/staff/basic`), 2, 'two logins for the staff area');

      await leftToBrowser(`${site.origin}/basic`); // Off until the person turns it on.

      const options = await openExtensionPage(run, 'src/options/options.html');
      await options.waitForSelector('body[data-rules="ready"]', { timeout: 20_000 });
      await options.bringToFront();
      assert.equal(await options.$eval('#basicAuth', (el) => el.checked), false, 'off by default');
      await options.click('#basicAuth');
      await eventually(() => options.evaluate(async () => (await (globalThis.browser ?? globalThis.chrome).storage.local.get('siteRules')).siteRules?.basicAuth === true), { message: 'the option stored' });
      await shot(options, `everyday-real-basic-auth-option-${name}`, { fullPage: true });
      await options.close();

      await leftToBrowser(`${site.other}/staff/basic`); // Two matches: the person picks in the browser's dialog.

      const seen = site.requests.length;
      const page = await run.browser.newPage();
      await page.goto(`${site.origin}/basic`);
      assert.equal(await page.$eval('#result', (el) => el.textContent), `Hello ${BASIC_USER.username}, you are in`);
      const sent = site.requests.slice(seen).map((r) => r.authorization).filter(Boolean);
      assert.deepEqual([...new Set(sent)], [basicHeader(BASIC_USER)], 'the site got that login, and nothing else');
      await shot(page, `everyday-real-basic-auth-${name}`);
      await page.close();
    });

    it('a password-change form of a known username offers Update; confirming changes that entry, and only it, on the server', async () => {
      const change = await serveSite(); // Its own origin: the Basic auth logins are not its.
      try {
        const alice = await create({ name: 'Example shop', url: change.origin, username: 'alice@example.test', password: 'Alice-old-Passw0rd' });
        const bob = await create({ name: 'Example shop', url: change.origin, username: 'bob@example.test', password: 'Bob-shop-Passw0rd' });
        const page = await run.browser.newPage();
        await page.goto(`${change.origin}/change`); // Its username is in a hidden field, as on most such pages.
        await page.type('#current', 'Alice-old-Passw0rd');
        await page.type('#new', 'Alice-new-Passw0rd-2');
        await page.type('#confirm', 'Alice-new-Passw0rd-2');
        await page.keyboard.press('Escape'); // The generator's list under the new-password field.
        const since = await requestCount();
        await Promise.all([page.waitForNavigation(), page.click('#submit')]);
        assert.equal(await page.$eval('#result', (el) => el.textContent), 'Password changed');
        await promptShown(page);
        if (name === 'chromium') {
          const frame = page.frames().find((f) => f.url().includes('/src/prompt/prompt.html'));
          const seenPrompt = await frame.evaluate(() => ({ state: document.body.dataset.state, text: document.body.innerText }));
          assert.equal(seenPrompt.state, 'update');
          assert.match(seenPrompt.text, /You changed your password on 127\.0\.0\.1\./);
          assert.match(seenPrompt.text, /alice@example\.test/, 'it names the account it changes');
          assert.doesNotMatch(seenPrompt.text, /bob@example\.test/);
        }
        await shot(page, `everyday-real-change-offer-${name}`);
        await clickPrompt(page, 'confirm');
        await eventually(async () => (await onServer('alice@example.test', change.origin))[0]?.password === 'Alice-new-Passw0rd-2', { timeout: 20_000, message: "alice's new password on the server" });
        assert.equal((await onServer('alice@example.test', change.origin)).length, 1, 'updated, not added');
        assert.equal((await onServer('bob@example.test', change.origin))[0]?.password, 'Bob-shop-Passw0rd', "bob's entry is untouched");
        assert.deepEqual(await writes(since), [['PATCH', `/api/passwords/${alice.id}`, 200]], 'one write, of that entry');
        assert.notEqual(alice.id, bob.id);
        await pause(300);
        await shot(page, `everyday-real-change-done-${name}`);
        await page.close();
      } finally {
        await change.close();
      }
    });

    it('the copy-TOTP shortcut puts the code of that moment on the clipboard', async () => {
      const { totp: spec } = await server.item('demo-otp');
      const options = { period: spec.period, digits: spec.digits, algorithm: spec.algorithm };
      const page = await run.browser.newPage();
      await page.goto(`${server.origin}/demo/otp`);
      const tabId = await tabIdOf(run, page.url());
      assert.ok(Number.isInteger(tabId), 'the tab is known');
      const before = Date.now();
      const reply = await fromExtension(run, { type: 'command.run', command: 'copy-totp', tabId });
      const after = Date.now();
      assert.equal(reply.done, true, `copied (${JSON.stringify(reply)})`);
      // Pasted where a person would: into the site's code field.
      await page.bringToFront();
      await page.click('#otp');
      await page.keyboard.press('Escape'); // The chooser the field opens.
      await page.keyboard.down('Control');
      await page.keyboard.press('KeyV');
      await page.keyboard.up('Control');
      const pasted = await value(page, '#otp');
      const due = new Set([totp(spec.secret, { ...options, timeMs: before }), totp(spec.secret, { ...options, timeMs: after })]);
      assert.ok(due.has(pasted), `pasted ${JSON.stringify(pasted)}, due ${[...due]}`);
      await shot(page, `everyday-real-copy-totp-${name}`);
      await Promise.all([page.waitForNavigation(), page.click('#submit')]);
      assert.equal(await page.$eval('#result', (el) => el.textContent), 'Code accepted');
      await page.close();
    });

    it('the popup creates, edits and deletes an entry, each change on the server', async () => {
      const tab = await run.browser.newPage();
      await tab.goto(`${site.origin}/login`);
      const popup = await openExtensionPage(run, 'src/popup/popup.html');
      await popup.bringToFront();
      await waitForView(popup, 'main');

      // Create.
      let since = await requestCount();
      await popup.click('#new-entry');
      await waitForView(popup, 'edit');
      assert.equal(await value(popup, '#edit-url'), `${site.origin}/login`, "the tab's address is proposed");
      await popup.type('#edit-name', 'Example forum');
      await popup.type('#edit-username', 'gina@example.test');
      await popup.type('#edit-password', 'Gina-first-Passw0rd');
      await popup.type('#edit-notes', 'Made in the popup');
      await popupShot(popup, 'everyday-real-popup-new', name);
      await popup.click('#edit-save');
      await waitForView(popup, 'details');
      await eventually(async () => (await popup.$eval('#details-name', (el) => el.textContent)) === 'Example forum', { message: 'the details of the new entry' });
      await popupShot(popup, 'everyday-real-popup-created', name);
      const [created] = await onServer('gina@example.test');
      assert.ok(created, 'the new entry is on the server');
      assert.deepEqual({ name: created.name, password: created.password, notes: created.notes, urls: created.urls },
        { name: 'Example forum', password: 'Gina-first-Passw0rd', notes: 'Made in the popup', urls: [`${site.origin}/login`] });
      assert.deepEqual(await writes(since), [['POST', '/api/passwords', 201]]);

      // Edit: a new username and password.
      since = await requestCount();
      await popup.click('#edit-entry');
      await waitForView(popup, 'edit');
      await eventually(async () => (await value(popup, '#edit-password')) === 'Gina-first-Passw0rd', { message: 'the form filled' });
      await retype(popup, '#edit-username', 'gina.r@example.test');
      await retype(popup, '#edit-password', 'Gina-second-Passw0rd');
      await popupShot(popup, 'everyday-real-popup-edit', name);
      await popup.click('#edit-save');
      await waitForView(popup, 'details');
      await eventually(async () => (await popup.$eval('#prop-username .value', (el) => el.textContent)) === 'gina.r@example.test', { message: 'the new username in the details' });
      await popupShot(popup, 'everyday-real-popup-edited', name);
      const [edited] = await onServer('gina.r@example.test');
      assert.equal(edited?.id, created.id, 'the same entry');
      assert.equal(edited.password, 'Gina-second-Passw0rd');
      assert.equal(edited.notes, 'Made in the popup', 'what was not edited stays');
      assert.deepEqual(await onServer('gina@example.test'), [], 'no entry left under the old username');
      assert.deepEqual(await writes(since), [['PATCH', `/api/passwords/${created.id}`, 200]]);

      // Delete: asks once more first.
      since = await requestCount();
      await popup.click('#edit-entry');
      await waitForView(popup, 'edit');
      await eventually(async () => (await value(popup, '#edit-password')) === 'Gina-second-Passw0rd', { message: 'the form filled' });
      await popup.click('#edit-delete');
      await popupShot(popup, 'everyday-real-popup-delete-confirm', name);
      await pause(500);
      assert.deepEqual(await writes(since), [], 'the first click deletes nothing');
      await popup.click('#edit-delete');
      await waitForView(popup, 'main');
      assert.match(await messageText(popup), /deleted/i);
      await popupShot(popup, 'everyday-real-popup-deleted', name);
      assert.deepEqual(await onServer('gina.r@example.test'), [], 'gone from the server');
      assert.deepEqual((await writes(since)).map(([method, path]) => [method, path]), [['DELETE', `/api/passwords/${created.id}`]]);
      await popup.close();
      await tab.close();
    });
  });
}
