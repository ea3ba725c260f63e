// SPDX-License-Identifier: MIT
// The suite behind real-host-chromium.test.mjs and real-host-firefox.test.mjs.
// End-to-end against the REAL passagent-host and the project's test PassAgent server,
// in headless Chromium and Firefox ESR:
//   npm run test:e2e                        (uses build/dev/host/passagent-host of the repo)
//   PASSAGENT_HOST_BIN=/path/to/passagent-host npm run test:e2e
// Without PASSAGENT_HOST_BIN the dev build's host (build/dev/host/passagent-host from
// the repository root) is used when it exists; when neither is there the tests skip
// with a message, or fail when CI is set. The server comes from
// tests/passagent-server/serve.mjs (with --test and cheap key derivation); its demo
// pages are /demo/login, /demo/identifier-first and /demo/otp, and /__test/fixtures
// gives the expected usernames, passwords and TOTP secrets.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, writeFileSync, rmSync, readdirSync, readFileSync, realpathSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { LAUNCHERS, browsersUnderTest, settleAll, eventually, openExtensionPage, CHROMIUM_ID, GECKO_ID, CHOOSER_SETTLE_MS, SETUP_MS, TEARDOWN_MS } from './harness.mjs';
import { startServer, serverAvailable, REPO_ROOT } from './passagent-server.mjs';
import { totp } from './totp.mjs';
import { serveSite } from './site-pages.mjs';
import { SCREENS } from './screens.mjs';

const DEV_HOST_BIN = resolve(REPO_ROOT, 'build/dev/host/passagent-host');
// The browser needs an absolute path in the host manifest.
export const HOST_BIN = process.env.PASSAGENT_HOST_BIN ? resolve(process.env.PASSAGENT_HOST_BIN) : existsSync(DEV_HOST_BIN) ? DEV_HOST_BIN : undefined;
const ARTIFACTS = process.env.PASSAGENT_E2E_ARTIFACTS ?? resolve(REPO_ROOT, 'tests/artifacts');
const IDLE_MINUTES = Number(process.env.PASSAGENT_E2E_IDLE_MINUTES ?? 0.25);
const missing = !HOST_BIN
  ? 'no passagent-host: build it (cmake --preset dev && cmake --build --preset dev) or set PASSAGENT_HOST_BIN'
  : !existsSync(HOST_BIN) ? `PASSAGENT_HOST_BIN=${HOST_BIN} does not exist`
  : !serverAvailable() ? 'tests/passagent-server/serve.mjs is missing: the real-host e2e tests need the project test server' : null;
// In CI a missing host is a failure, not a reason to skip.
const skip = missing && !process.env.CI ? missing : false;

// ---- helpers ---------------------------------------------------------------------

/** Waits for a popup view; on a timeout says which view it shows and its message. */
export async function waitForView(popup, views, timeout = 20_000) {
  const list = [].concat(views);
  try {
    await popup.waitForSelector(list.map((v) => `body[data-view="${v}"]`).join(', '), { timeout });
  } catch {
    const seen = await popup.evaluate(() => ({
      view: document.body.dataset.view,
      message: document.getElementById('message')?.hidden ? '' : document.getElementById('message')?.textContent,
      host: document.getElementById('host-problem')?.textContent,
    })).catch((error) => ({ view: `unknown (${error.message})` }));
    throw new Error(`the popup shows "${seen.view}", not ${list.join('/')}${seen.message ? `; message: ${seen.message}` : ''}${seen.view === 'host' ? `; host problem: ${seen.host}` : ''}`);
  }
}

/**
 * Fills the popup's sign-in form as a person does: once the form has read its saved
 * settings (which would otherwise land in the middle of the typing), each field emptied
 * and typed. `backend` is picked first when given.
 */
export async function fillSignIn(popup, { backend, server, user, password }) {
  await popup.waitForSelector('#view-login[data-ready]', { timeout: 20_000 });
  if (backend) await popup.select('#login-backend', backend);
  for (const [selector, text] of [['#login-server', server], ['#login-email', user], ['#login-password', password]]) {
    await popup.$eval(selector, (el) => { el.value = ''; });
    await popup.type(selector, text);
  }
}

export async function signInFromPopup(run, server) {
  const popup = await openExtensionPage(run, 'src/popup/popup.html');
  await waitForView(popup, 'login', 20_000);
  await fillSignIn(popup, { server: server.origin, user: server.info.email, password: server.info.password });
  await popup.click('#login-submit');
  await waitForView(popup, 'unlock', 60_000);
  return popup;
}

export async function unlockFromPopup(popup, server) {
  await popup.bringToFront(); // Puppeteer's typing waits for frames a background tab does not draw.
  await waitForView(popup, 'unlock', 20_000);
  await popup.type('#unlock-password', server.info.masterPassword);
  await popup.click('#unlock-submit');
  await waitForView(popup, 'main', 60_000);
}

/** Opens the popup for the page used last and reads its list of matches. */
export async function popupMatches(run, page) {
  await page.bringToFront();
  const popup = await openExtensionPage(run, 'src/popup/popup.html');
  await waitForView(popup, 'main', 20_000);
  await eventually(() => popup.$$eval('.match', (els) => els.length > 0), { message: 'matches in the popup' });
  const matches = await popup.$$eval('.match', (els) => els.map((el) => ({
    name: el.querySelector('.name').textContent,
    username: el.querySelector('.user').textContent,
    shared: !el.querySelector('.badge').hidden,
  })));
  return { popup, matches };
}

async function chooserOpen(page, selector) {
  await page.click(selector);
  return page.$('passagent-chooser[data-passagent-state="open"]');
}

/** Focuses a field, walks down to the index-th login in the chooser and picks it. */
export async function chooseInPage(page, selector, index = 0) {
  await eventually(() => chooserOpen(page, selector), { timeout: 15_000, message: `the chooser under ${selector}` });
  await new Promise((r) => setTimeout(r, CHOOSER_SETTLE_MS)); // A pick counts once the list has been on screen 500 ms.
  for (let i = 0; i <= index; i += 1) await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Enter');
}

async function pasteClipboard(run, origin) {
  const page = await run.browser.newPage();
  await page.goto(`${origin}/demo/login`);
  await page.$eval('#username, input', (el) => { el.value = ''; });
  await page.evaluate(() => {
    const area = document.createElement('textarea');
    area.id = 'pa-paste';
    document.body.append(area);
  });
  await page.click('#pa-paste');
  await page.keyboard.down('Control');
  await page.keyboard.press('KeyV');
  await page.keyboard.up('Control');
  const text = await page.$eval('#pa-paste', (el) => el.value);
  await page.close();
  return text;
}

/** Host processes below the browser, found through /proc (by pid, never by name). */
function hostPids(browserPid) {
  const exe = realpathSync(HOST_BIN);
  const parents = new Map();
  const found = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      parents.set(Number(entry), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
      if (realpathSync(`/proc/${entry}/exe`) === exe) found.push(Number(entry));
    } catch {
      // Gone, or not ours to read.
    }
  }
  const below = (pid) => {
    for (let p = parents.get(pid); p && p > 1; p = parents.get(p)) if (p === browserPid) return true;
    return false;
  };
  return found.filter(below);
}

/**
 * Starts `name` (chromium | firefox) with the extension and the real host, configured by
 * a host-config.json in a fresh work folder: the extension ids allowed, plus `config`.
 * close() stops the browser and removes the folder.
 */
export async function launchRealHost(name, label, config = {}) {
  const work = mkdtempSync(join(tmpdir(), `pa-${label}-${name}-`));
  const configPath = join(work, 'host-config.json');
  writeFileSync(configPath, JSON.stringify({ allowedOrigins: [`chrome-extension://${CHROMIUM_ID}/`], allowedExtensions: [GECKO_ID], ...config }, null, 2));
  try {
    const run = await LAUNCHERS[name]({
      hostPath: HOST_BIN,
      env: { PASSAGENT_HOST_CONFIG: configPath, XDG_CONFIG_HOME: join(work, 'config'), XDG_STATE_HOME: join(work, 'state') },
    });
    return {
      run,
      async close() {
        await run.close();
        rmSync(work, { recursive: true, force: true });
      },
    };
  } catch (error) {
    rmSync(work, { recursive: true, force: true });
    throw error;
  }
}

// ---- the tests, for one browser ---------------------------------------------------
// One test file per browser (real-host-chromium.test.mjs, real-host-firefox.test.mjs):
// node --test gives each file its own time limit, and both browsers in one file come
// close to it.

/**
 * What a suite against the real host starts with: the PassAgent server, the test site, the
 * browser with the host, signed in and unlocked through the popup, and an extension page
 * (the options page) to ask the host from. close() stops them all.
 */
export async function signedInRealHost(name, label) {
  let server;
  let site;
  let host;
  /** Stops what was started, each step even if one before it fails; then throws the first failure. */
  async function close() {
    await settleAll([() => host?.close(), () => site?.close(), () => server?.stop()]);
  }
  try {
    server = await startServer();
    site = await serveSite();
    host = await launchRealHost(name, label, { server: server.origin, anonKey: server.info.anonKey, autoLockMinutes: 30 });
    const run = host.run;
    const popup = await signInFromPopup(run, server);
    await unlockFromPopup(popup, server);
    await popup.close();
    const ext = await openExtensionPage(run, 'src/options/options.html');
    await ext.waitForSelector('body[data-rules="ready"]', { timeout: 20_000 });
    return { server, site, host, run, ext, close };
  } catch (error) {
    // Nothing is returned, so the suite's after() cannot stop these: left running, they
    // would keep the test file from ever exiting.
    await close().catch(() => {});
    throw error;
  }
}

export function realHostSuite(name) {
  if (!browsersUnderTest().includes(name)) return;
  describe(`real host, ${name}`, { skip }, () => {
    if (missing) {
      it('has a passagent-host and the test server to run against', () => assert.fail(missing));
      return;
    }
    let server;
    let host;
    let run;
    let popup;

    before(async () => {
      server = await startServer();
      host = await launchRealHost(name, 'real', { server: server.origin, anonKey: server.info.anonKey, autoLockMinutes: IDLE_MINUTES });
      run = host.run;
    }, { timeout: SETUP_MS });

    after(async () => {
      await host?.close();
      await server?.stop();
    }, { timeout: TEARDOWN_MS });

    it('signs in and unlocks from the popup (screenshot saved)', async () => {
      popup = await signInFromPopup(run, server);
      await unlockFromPopup(popup, server);
      mkdirSync(ARTIFACTS, { recursive: true });
      await popup.screenshot({ path: join(ARTIFACTS, `popup-unlocked-${name}.png`) });
      // Closed, as a real popup closes: an open one whose list has a TOTP entry fetches a
      // code every period, and that counts as activity for the host's idle timer.
      await popup.close();
    });

    /** A new page at `path`, and where the popup lists the owned login `item` (a fixture) for it. */
    async function pageWithOwnLogin(item, path) {
      const expected = await server.item(item);
      const page = await run.browser.newPage();
      await page.goto(`${server.origin}${path}`);
      const { matches, popup: p } = await popupMatches(run, page);
      await p.close();
      const own = matches.findIndex((m) => !m.shared && m.username === expected.username);
      assert.ok(own >= 0, `the popup lists ${expected.name} for ${path} (got ${JSON.stringify(matches)})`);
      await page.bringToFront();
      return { expected, page, own };
    }

    it('autofills the demo login page with the owned login', async () => {
      const { expected, page, own } = await pageWithOwnLogin('demo-login', '/demo/login');
      await chooseInPage(page, '#password', own);
      await eventually(async () => (await page.$eval('#password', (el) => el.value)) !== '', { message: 'the password filled' });
      assert.equal(await page.$eval('#username', (el) => el.value), expected.username);
      assert.equal(await page.$eval('#password', (el) => el.value), expected.password);
      await new Promise((r) => setTimeout(r, 500));
      assert.equal(await page.$('passagent-chooser'), null, 'the list does not open again over the filled form');
      await Promise.all([page.waitForNavigation(), page.click('#submit')]);
      assert.equal(await page.$eval('#result', (el) => el.textContent), `Signed in as ${expected.username}`);
      await page.close();
    });

    it('marks the login field before any click; a click on the mark opens the list, and a pick fills', async () => {
      const { expected, page, own } = await pageWithOwnLogin('demo-login', '/demo/login');
      await page.reload();
      // No click, no focus by the person: the mark is there once the matches are.
      const mark = await eventually(() => page.$('passagent-mark[data-passagent-state="ready"]'), { timeout: 15_000, message: 'the PassAgent mark' });
      assert.equal(await page.$('passagent-chooser'), null, 'no list before a gesture');
      const [field, box] = await Promise.all([
        page.$eval('#username', (el) => el.getBoundingClientRect().toJSON()),
        mark.evaluate((el) => el.getBoundingClientRect().toJSON()),
      ]);
      assert.ok(box.width >= 14 && box.width <= 22 && box.height === box.width, `a small square (${JSON.stringify(box)})`);
      assert.ok(box.left > field.left + field.width / 2 && box.right <= field.right && box.top >= field.top && box.bottom <= field.bottom,
        `inside the username field's right end, clear of its centre (${JSON.stringify({ field, box })})`);
      mkdirSync(SCREENS, { recursive: true });
      await page.screenshot({ path: join(SCREENS, `mark-${name}.png`) });

      await page.mouse.click(box.left + box.width / 2, box.top + box.height / 2);
      await eventually(() => page.$('passagent-chooser[data-passagent-state="open"]'), { message: 'the list under the field' });
      assert.equal(await page.evaluate(() => document.activeElement?.id), 'username', 'the field has the focus');
      await page.screenshot({ path: join(SCREENS, `mark-chooser-${name}.png`) });
      // A second click on the mark closes the list; a third opens it again.
      await page.mouse.click(box.left + box.width / 2, box.top + box.height / 2);
      await eventually(async () => (await page.$('passagent-chooser')) === null, { message: 'the list closed' });
      await page.mouse.click(box.left + box.width / 2, box.top + box.height / 2);
      await eventually(() => page.$('passagent-chooser[data-passagent-state="open"]'), { message: 'the list again' });
      await new Promise((r) => setTimeout(r, CHOOSER_SETTLE_MS)); // A pick counts once the list has been on screen 500 ms.
      for (let i = 0; i <= own; i += 1) await page.keyboard.press('ArrowDown');
      await page.keyboard.press('Enter');
      await eventually(async () => (await page.$eval('#password', (el) => el.value)) === expected.password, { message: 'the password filled' });
      assert.equal(await page.$eval('#username', (el) => el.value), expected.username);
      assert.ok(await page.$('passagent-mark'), 'the mark stays on the filled form');
      await page.close();
    });

    it('autofills an identifier-first sign-in, step by step', async () => {
      const { expected, page, own } = await pageWithOwnLogin('demo-identifier-first', '/demo/identifier-first');
      await chooseInPage(page, '#identifier', own);
      await eventually(async () => (await page.$eval('#identifier', (el) => el.value)) === expected.username, { message: 'the username step filled' });
      assert.equal(await page.$eval('#password', (el) => el.value), '', 'no password on the username step');
      await page.click('#next'); // On to the password step.
      await page.waitForSelector('#password', { visible: true, timeout: 15_000 });
      // The login chosen on the first step comes first now.
      await chooseInPage(page, '#password', 0);
      await eventually(async () => (await page.$eval('#password', (el) => el.value)) !== '', { message: 'the password step filled' });
      assert.equal(await page.$eval('#password', (el) => el.value), expected.password);
      await page.close();
    });

    it('fills nothing on a look-alike page served from another origin', async () => {
      const lookAlike = server.origin.replace('127.0.0.1', 'localhost');
      const page = await run.browser.newPage();
      await page.goto(`${lookAlike}/demo/login`);
      await page.click('#password');
      await new Promise((r) => setTimeout(r, 2000));
      assert.equal(await page.$('passagent-chooser'), null, `no chooser offered (${await page.evaluate(() => document.querySelector('passagent-chooser')?.getAttribute('data-passagent-state'))})`);
      assert.equal(await page.$('passagent-mark'), null, 'no PassAgent mark on a site it has no login for');
      await page.keyboard.press('ArrowDown');
      await page.keyboard.press('Enter');
      await new Promise((r) => setTimeout(r, 500));
      assert.equal(await page.$eval('#username', (el) => el.value), '');
      assert.equal(await page.$eval('#password', (el) => el.value), '');
      await page.close();
    });

    it('copies the TOTP from the popup: the clipboard holds the RFC 6238 code of that moment', async () => {
      const { totp: spec } = await server.item('demo-otp');
      assert.ok(spec?.secret, 'the demo OTP fixture has a TOTP secret');
      const options = { period: spec.period, digits: spec.digits, algorithm: spec.algorithm };
      const page = await run.browser.newPage();
      await page.goto(`${server.origin}/demo/otp`);
      const { popup: p } = await popupMatches(run, page);
      const before = Date.now();
      await p.click('.match:not(:has(.badge:not([hidden]))) [data-copy="totp"]');
      await p.waitForSelector('body[data-copied="totp"]', { timeout: 15_000 });
      const after = Date.now();
      const pasted = await pasteClipboard(run, server.origin);
      const due = new Set([totp(spec.secret, { ...options, timeMs: before }), totp(spec.secret, { ...options, timeMs: after })]);
      assert.ok(due.has(pasted), `pasted ${JSON.stringify(pasted)}, due ${[...due]}`);
      await p.close();
      await page.close();
    });

    it('fills the one-time code field with the current code, and the site accepts it', async () => {
      const { totp: spec } = await server.item('demo-otp');
      const options = { period: spec.period, digits: spec.digits, algorithm: spec.algorithm };
      const page = await run.browser.newPage();
      await page.goto(`${server.origin}/demo/otp`);
      // The code field is marked too, before any click (the vault has a login with a code here).
      const mark = await eventually(() => page.$('passagent-mark'), { timeout: 15_000, message: 'the PassAgent mark on the code field' });
      const [field, box] = await Promise.all([page.$eval('#otp', (el) => el.getBoundingClientRect().toJSON()), mark.evaluate((el) => el.getBoundingClientRect().toJSON())]);
      assert.ok(box.right <= field.right && box.left > field.left + field.width / 2 && box.top >= field.top && box.bottom <= field.bottom, `at the code field's right end (${JSON.stringify({ field, box })})`);
      mkdirSync(SCREENS, { recursive: true });
      await page.screenshot({ path: join(SCREENS, `mark-code-${name}.png`) });
      const before = Date.now();
      await chooseInPage(page, '#otp', 0);
      const code = await eventually(async () => {
        const value = await page.$eval('#otp', (el) => el.value);
        return /^\d{6,8}$/.test(value) ? value : null;
      }, { message: 'the code filled' });
      const due = new Set([totp(spec.secret, { ...options, timeMs: before }), totp(spec.secret, { ...options, timeMs: Date.now() })]);
      assert.ok(due.has(code), `filled ${code}, due ${[...due]}`);
      await Promise.all([page.waitForNavigation(), page.click('#submit')]);
      assert.equal(await page.$eval('#result', (el) => el.textContent), 'Code accepted');
      await page.close();
    });

    it('logs exactly one password_viewed for a fill and one password_copied for a copy of a received share', async () => {
      const expected = await server.item('alice-team-demo');
      const viewsBefore = await server.views();
      const page = await run.browser.newPage();
      await page.goto(`${server.origin}/demo/login`);
      const { matches, popup: p } = await popupMatches(run, page);
      const shared = matches.findIndex((m) => m.shared && m.username === expected.username);
      assert.ok(shared >= 0, `the received share ${expected.name} matches the demo origin (got ${JSON.stringify(matches)})`);
      await page.bringToFront();
      await chooseInPage(page, '#password', shared);
      await eventually(async () => (await page.$eval('#password', (el) => el.value)) !== '', { message: 'the shared password filled' });
      assert.equal(await page.$eval('#username', (el) => el.value), expected.username);
      assert.equal(await page.$eval('#password', (el) => el.value), expected.password);
      const count = async (action) => (await server.views()).filter((v) => v.action === action).length - viewsBefore.filter((v) => v.action === action).length;
      await eventually(async () => (await count('password_viewed')) === 1, { message: 'one password_viewed' });
      await p.bringToFront();
      await p.click(`.match:nth-child(${shared + 1}) [data-copy="password"]`);
      await p.waitForSelector('body[data-copied="password"]', { timeout: 15_000 });
      await eventually(async () => (await count('password_copied')) === 1, { message: 'one password_copied' });
      await new Promise((r) => setTimeout(r, 1500));
      assert.equal(await count('password_viewed'), 1);
      assert.equal(await count('password_copied'), 1);
      const mine = (await server.views()).slice(viewsBefore.length);
      assert.ok(mine.every((v) => v.accountId === expected.id), 'the views are for the shared entry');
      await p.close();
      await page.close();
    });

    it('after Lock nothing fills and the popup asks to unlock', async () => {
      const p = await openExtensionPage(run, 'src/popup/popup.html');
      await waitForView(p, 'main', 20_000);
      await p.click('#lock');
      await waitForView(p, 'unlock', 20_000);
      const page = await run.browser.newPage();
      await page.goto(`${server.origin}/demo/login`);
      await page.click('input[type="password"]');
      await new Promise((r) => setTimeout(r, 1500));
      assert.equal(await page.$('passagent-mark'), null, 'no PassAgent mark while locked');
      await page.keyboard.press('ArrowDown');
      await page.keyboard.press('Enter');
      await new Promise((r) => setTimeout(r, 1500));
      assert.equal(await page.$eval('#password', (el) => el.value), '');
      assert.equal(await page.$eval('#username', (el) => el.value), '');
      await unlockFromPopup(p, server);
      await p.close();
      await page.close();
    });

    it('the host idle timer locks the vault: the popup asks to unlock', { timeout: (IDLE_MINUTES * 60 + 90) * 1000 }, async () => {
      const p = await openExtensionPage(run, 'src/popup/popup.html');
      await waitForView(p, 'main', 20_000);
      await waitForView(p, 'unlock', (IDLE_MINUTES * 60 + 60) * 1000);
      await unlockFromPopup(p, server);
      await p.close();
    });

    it('the host killed under the extension: the port reconnects and the next fill works', async () => {
      const browserPid = run.browser.process()?.pid;
      assert.ok(browserPid, 'the browser pid is known');
      const [pid] = hostPids(browserPid);
      assert.ok(pid, 'the host runs below the browser');
      process.kill(pid, 'SIGKILL');
      await eventually(() => hostPids(browserPid).some((p) => p !== pid), { timeout: 30_000, message: 'a new host process' });
      // A new host process starts without the vault key: unlock again if it asks.
      const p = await openExtensionPage(run, 'src/popup/popup.html');
      await waitForView(p, ['main', 'unlock', 'login']);
      const view = await p.evaluate(() => document.body.dataset.view);
      if (view === 'login') {
        await p.close();
        popup = await signInFromPopup(run, server);
        await unlockFromPopup(popup, server);
      } else if (view === 'unlock') {
        await unlockFromPopup(p, server);
      }
      const page = await run.browser.newPage();
      await page.goto(`${server.origin}/demo/login`);
      const { matches, popup: mp } = await popupMatches(run, page);
      await mp.close();
      await page.bringToFront();
      await chooseInPage(page, 'input[type="password"]', matches.findIndex((m) => !m.shared));
      await eventually(async () => (await page.$eval('input[type="password"]', (el) => el.value)) !== '', { message: 'the fill after the restart' });
      await page.close();
    });
  });
}
