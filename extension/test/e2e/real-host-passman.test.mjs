// SPDX-License-Identifier: MIT
// A Passman user, end to end, in headless Chromium and Firefox ESR: the REAL
// passagent-host against the project's Passman test server (tests/passman-server),
// with data encrypted by sjcl as Passman's web client does. The person picks Passman
// in the popup, signs in with a Nextcloud user name, is refused with a wrong vault key,
// unlocks the Personal vault, sees the TOTP code of the demo site's entry, fills the
// demo site and signs in there, then locks.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { LAUNCHERS, browsersUnderTest, eventually, openExtensionPage, CHROMIUM_ID, GECKO_ID } from './harness.mjs';
import { spawnTestServer, REPO_ROOT } from './passagent-server.mjs';
import { HOST_BIN, waitForView, popupMatches, chooseInPage } from './real-host-suite.mjs';
import { totp } from './totp.mjs';

const SERVER_SCRIPT = resolve(REPO_ROOT, 'tests/passman-server/serve.mjs');
const missing = !HOST_BIN ? 'no passagent-host: build it (cmake --preset dev && cmake --build --preset dev) or set PASSAGENT_HOST_BIN'
  : !existsSync(resolve(REPO_ROOT, 'tests/passman-server/node_modules/sjcl')) ? 'the Passman test server is not set up (npm ci in tests/passman-server)' : null;
// In CI a missing piece is a failure, not a reason to skip.
const skip = missing && !process.env.CI ? missing : false;

for (const name of browsersUnderTest()) {
  describe(`Passman through the real host, ${name}`, { skip }, () => {
    if (missing) {
      it('has a passagent-host and the Passman test server', () => assert.fail(missing));
      return;
    }
    let server;
    let run;
    let work;
    let demo; // the fixture of the demo site's entry

    before(async () => {
      server = await spawnTestServer(SERVER_SCRIPT);
      const fixtures = await (await fetch(`${server.origin}/__test/fixtures`)).json();
      demo = fixtures.credentials.find((c) => c.key === 'demo-login');
      assert.ok(demo, 'the Passman test server has its demo-login entry');
      work = mkdtempSync(join(tmpdir(), `pa-passman-${name}-`));
      const configPath = join(work, 'host-config.json');
      writeFileSync(configPath, JSON.stringify({ allowedOrigins: [`chrome-extension://${CHROMIUM_ID}/`], allowedExtensions: [GECKO_ID] }));
      run = await LAUNCHERS[name]({
        hostPath: HOST_BIN,
        env: { PASSAGENT_HOST_CONFIG: configPath, XDG_CONFIG_HOME: join(work, 'config'), XDG_STATE_HOME: join(work, 'state') },
      });
    });

    after(async () => {
      await run?.close();
      await server?.stop();
      if (work) rmSync(work, { recursive: true, force: true });
    });

    it('signs in to Passman with a user name; a wrong vault key is refused; the right one unlocks', async () => {
      const popup = await openExtensionPage(run, 'src/popup/popup.html');
      await waitForView(popup, 'login');
      await popup.select('#login-backend', 'passman');
      assert.equal(await popup.$eval('#login-email-label', (el) => el.textContent), 'Nextcloud user name');
      await popup.$eval('#login-server', (el) => { el.value = ''; });
      await popup.type('#login-server', server.origin);
      await popup.$eval('#login-email', (el) => { el.value = ''; });
      await popup.type('#login-email', server.info.username);
      await popup.type('#login-password', server.info.password);
      await popup.click('#login-submit');
      await waitForView(popup, 'unlock', 60_000);
      assert.equal(await popup.$eval('#unlock-vault-row', (el) => el.hidden), false, 'Passman asks which vault');
      assert.equal(await popup.$eval('#unlock-password-label', (el) => el.textContent), 'Vault key');

      await popup.type('#unlock-vault', 'Personal');
      await popup.type('#unlock-password', 'not the vault key');
      await popup.click('#unlock-submit');
      await popup.waitForSelector('#message:not([hidden])', { timeout: 30_000 });
      assert.match(await popup.$eval('#message', (el) => el.textContent), /password|key/i);
      assert.equal(await popup.evaluate(() => document.body.dataset.view), 'unlock');

      const personal = server.info.vaults.find((v) => v.name === 'Personal');
      await popup.type('#unlock-password', personal.vaultKey);
      await popup.click('#unlock-submit');
      await waitForView(popup, 'main', 60_000);
      await popup.close();
    });

    it("lists the demo site's entry with the TOTP code due now", async () => {
      const page = await run.browser.newPage();
      await page.goto(`${server.origin}/demo/login`);
      const { popup, matches } = await popupMatches(run, page);
      assert.deepEqual(matches.map((m) => m.username), [demo.username], 'only the demo entry matches this origin');
      const before = Date.now();
      const code = await eventually(async () => {
        const text = await popup.$eval('.match .code', (el) => el.textContent.replace(/\s/g, ''));
        return /^\d{6}$/.test(text) ? text : null;
      }, { message: 'a TOTP code in the popup' });
      const options = { period: Number(demo.otp.period), digits: Number(demo.otp.digits), algorithm: demo.otp.algorithm };
      const due = new Set([totp(demo.otp.secret, { ...options, timeMs: before - 1000 }), totp(demo.otp.secret, { ...options, timeMs: Date.now() })]);
      assert.ok(due.has(code), `the popup shows ${code}, due ${[...due]}`);
      await popup.close();
      await page.close();
    });

    it('fills the demo site from the Passman vault, and the site accepts the login', async () => {
      const page = await run.browser.newPage();
      await page.goto(`${server.origin}/demo/login`);
      await chooseInPage(page, '#password', 0);
      await eventually(async () => (await page.$eval('#password', (el) => el.value)) !== '', { message: 'the password filled' });
      assert.equal(await page.$eval('#username', (el) => el.value), demo.username);
      assert.equal(await page.$eval('#password', (el) => el.value), demo.password);
      await Promise.all([page.waitForNavigation(), page.click('#submit')]);
      assert.equal(await page.$eval('#result', (el) => el.textContent), `Signed in as ${demo.username}`);
      await page.close();
    });

    it('after Lock the popup asks for the vault key again, and the page gets no login', async () => {
      const popup = await openExtensionPage(run, 'src/popup/popup.html');
      await waitForView(popup, 'main');
      await popup.click('#lock');
      await waitForView(popup, 'unlock');
      await popup.close();
      const page = await run.browser.newPage();
      await page.goto(`${server.origin}/demo/login`);
      await page.click('#password');
      await new Promise((r) => setTimeout(r, 1500));
      // Locked, the chooser holds only the notice that says how to unlock: Enter fills nothing.
      await page.keyboard.press('ArrowDown');
      await page.keyboard.press('Enter');
      await new Promise((r) => setTimeout(r, 1000));
      assert.equal(await page.$eval('#username', (el) => el.value), '');
      assert.equal(await page.$eval('#password', (el) => el.value), '');
      await page.close();
    });
  });
}
