// SPDX-License-Identifier: MIT
// A Passman user and a Passwork user, end to end, in headless Chromium and Firefox ESR:
// the REAL passagent-host against the project's Passman and Passwork test servers
// (tests/passman-server, data encrypted by sjcl as Passman's client does;
// tests/passwork-server, by crypto-js as Passwork's does). The person picks the
// password manager in the popup, signs in, is refused with a wrong vault key or master
// password, unlocks, sees the TOTP code of the demo site's entry, fills the server's
// demo site (/demo/login) and is signed in there, then locks.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { browsersUnderTest, eventually, openExtensionPage, SETUP_MS, TEARDOWN_MS } from './harness.mjs';
import { spawnTestServer, REPO_ROOT } from './passagent-server.mjs';
import { HOST_BIN, fillSignIn, launchRealHost, waitForView, popupMatches, chooseInPage } from './real-host-suite.mjs';
import { totp } from './totp.mjs';

// What differs between the two, as a person sees it in the popup.
const BACKENDS = [
  {
    backend: 'passman',
    title: 'Passman',
    dir: 'tests/passman-server',
    library: 'sjcl',
    userLabel: 'Nextcloud user name',
    user: (info) => info.username,
    asksVault: true,
    secretLabel: 'Vault key',
    vault: 'Personal',
    secret: (info) => info.vaults.find((v) => v.name === 'Personal').vaultKey,
    demo: (fixtures) => {
      const c = fixtures.credentials.find((x) => x.key === 'demo-login');
      return c && { username: c.username, password: c.password, totp: c.otp };
    },
  },
  {
    backend: 'passwork',
    title: 'Passwork',
    dir: 'tests/passwork-server',
    library: 'crypto-js',
    userLabel: 'Email',
    user: (info) => info.email,
    asksVault: false,
    secretLabel: 'Master password',
    secret: (info) => info.masterPassword,
    demo: (fixtures) => {
      const p = fixtures.passwords.find((x) => x.key === 'demo-login');
      return p && { username: p.login, password: p.password, totp: p.totp };
    },
  },
];

for (const kind of BACKENDS) for (const name of browsersUnderTest()) {
  const missing = !HOST_BIN ? 'no passagent-host: build it (cmake --preset dev && cmake --build --preset dev) or set PASSAGENT_HOST_BIN'
    : !existsSync(resolve(REPO_ROOT, kind.dir, 'node_modules', kind.library)) ? `the ${kind.title} test server is not set up (npm ci in ${kind.dir})` : null;
  // In CI a missing piece is a failure, not a reason to skip.
  const skip = missing && !process.env.CI ? missing : false;

  describe(`${kind.title} through the real host, ${name}`, { skip }, () => {
    if (missing) {
      it(`has a passagent-host and the ${kind.title} test server`, () => assert.fail(missing));
      return;
    }
    let server;
    let host;
    let run;
    let demo; // the fixture of the demo site's entry

    before(async () => {
      server = await spawnTestServer(resolve(REPO_ROOT, kind.dir, 'serve.mjs'));
      demo = kind.demo(await (await fetch(`${server.origin}/__test/fixtures`)).json());
      assert.ok(demo, `the ${kind.title} test server has its demo-login entry`);
      host = await launchRealHost(name, kind.backend);
      run = host.run;
    }, { timeout: SETUP_MS });

    after(async () => {
      await host?.close();
      await server?.stop();
    }, { timeout: TEARDOWN_MS });

    it(`signs in to ${kind.title}; a wrong ${kind.secretLabel.toLowerCase()} is refused; the right one unlocks`, async () => {
      const popup = await openExtensionPage(run, 'src/popup/popup.html');
      await waitForView(popup, 'login');
      await fillSignIn(popup, { backend: kind.backend, server: server.origin, user: kind.user(server.info), password: server.info.password });
      assert.equal(await popup.$eval('#login-email-label', (el) => el.textContent), kind.userLabel);
      await popup.click('#login-submit');
      await waitForView(popup, 'unlock', 60_000);
      assert.equal(await popup.$eval('#unlock-vault-row', (el) => !el.hidden), kind.asksVault, 'the vault is asked for by Passman only');
      assert.equal(await popup.$eval('#unlock-password-label', (el) => el.textContent), kind.secretLabel);

      if (kind.asksVault) await popup.type('#unlock-vault', kind.vault);
      await popup.type('#unlock-password', 'not the right secret');
      await popup.click('#unlock-submit');
      await popup.waitForSelector('#message:not([hidden])', { timeout: 30_000 });
      assert.match(await popup.$eval('#message', (el) => el.textContent), /password|key/i);
      assert.equal(await popup.evaluate(() => document.body.dataset.view), 'unlock');

      await popup.type('#unlock-password', kind.secret(server.info));
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
      const options = { period: Number(demo.totp.period), digits: Number(demo.totp.digits), algorithm: demo.totp.algorithm };
      const due = new Set([totp(demo.totp.secret, { ...options, timeMs: before - 1000 }), totp(demo.totp.secret, { ...options, timeMs: Date.now() })]);
      assert.ok(due.has(code), `the popup shows ${code}, due ${[...due]}`);
      await popup.close();
      await page.close();
    });

    it(`fills the demo site from the ${kind.title} vault, and the site accepts the login`, async () => {
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

    it('after Lock the popup asks to unlock again, and the page gets no login', async () => {
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
