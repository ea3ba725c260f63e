// SPDX-License-Identifier: MIT
// The everyday features of issue 13 in real headless Chromium and Firefox ESR, one test
// per feature, each saving a screenshot under build/e2e/screens/:
//   against the FAKE host (test/e2e/fake-host.mjs), whose log shows the exact
//   parameters sent: save on submit, update (script-driven sign-in) with
//   expectedUpdatedAt, a CONFLICT that overwrites nothing, the generator kept over a
//   failed submit and saved, "Never for this site", HTTP Basic auth (the same save and
//   update flows against the real host: save-real-suite.mjs);
//   against the REAL host and the project's PassAgent test server: the focused-field
//   race, the fill shortcut (and its pick when matches tie), the context menu (login,
//   one-time code, generated password), a cross-origin frame allowed and revoked.
// Browser shortcuts and context menu clicks cannot be pressed in a headless browser: the
// tests run the same code through the extension's own command.run / menu.run messages,
// sent from an extension page, after a real right click on the field.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync, existsSync, rmSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { LAUNCHERS, browsersUnderTest, eventually, openExtensionPage, writeHostWrapper, CHOOSER_SETTLE_MS, CHROMIUM_ID, SETUP_MS, TEARDOWN_MS } from './harness.mjs';
import { startServer, serverAvailable, REPO_ROOT } from './passagent-server.mjs';
import { serveSite, BASIC_USER } from './site-pages.mjs';
import { HOST_BIN, fillSignIn, launchRealHost, waitForView } from './real-host-suite.mjs';
import { totp } from './totp.mjs';

const SCREENS = resolve(REPO_ROOT, 'build/e2e/screens');
const FAKE_HOST = new URL('./fake-host.mjs', import.meta.url).pathname;
const sha = (text) => createHash('sha256').update(String(text)).digest('hex').slice(0, 16);
const pause = (ms) => new Promise((r) => setTimeout(r, ms));

// The prompt frame (content/prompt-frame.js): 380 × 300 at 12 px from the top right;
// its buttons sit 12 px above its bottom edge (prompt.css), the first one at the left.
const PROMPT = { width: 380, height: 300, margin: 12 };

export async function shot(page, name, { fullPage = false } = {}) {
  mkdirSync(SCREENS, { recursive: true });
  await page.screenshot({ path: join(SCREENS, `${name}.png`), fullPage });
}

/** Clicks a button of the extension's prompt where a person would: by its place on screen. */
export async function clickPrompt(page, which) {
  const [width, height] = await page.evaluate(() => [
    document.documentElement.clientWidth,
    Number(document.querySelector('passagent-prompt')?.getAttribute('data-passagent-height')),
  ]);
  const left = width - PROMPT.margin - PROMPT.width;
  const y = PROMPT.margin + (height || PROMPT.height) - 12 - 14;
  const x = which === 'never' ? left + PROMPT.width - 12 - 50 : which === 'second' ? left + 12 + 100 : left + 12 + 22;
  await page.mouse.click(x, y);
}

export async function promptShown(page) {
  await eventually(() => page.$('passagent-prompt'), { timeout: 15_000, message: 'the PassAgent prompt on the page' });
  await pause(1200); // It draws inside its own frame, which the test cannot read in Firefox.
}

export async function chooserOpen(page) {
  return page.$('passagent-chooser[data-passagent-state="open"]');
}

export async function pick(page, index = 0) {
  await pause(CHOOSER_SETTLE_MS); // A pick counts only once the list has been on screen 500 ms.
  for (let i = 0; i <= index; i += 1) await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Enter');
}

/** Clicks a field until the chooser opens under it, then picks the index-th item. */
export async function chooseAt(page, selector, index = 0) {
  await eventually(async () => {
    await page.click(selector);
    return chooserOpen(page);
  }, { timeout: 15_000, message: `the chooser under ${selector}` });
  await pick(page, index);
}

/** Sends a message from one of the extension's pages (as the popup or options would). */
export async function fromExtension(run, message) {
  const page = await openExtensionPage(run, 'src/options/options.html');
  await page.waitForSelector('body[data-rules="ready"]', { timeout: 20_000 });
  const reply = await page.evaluate((m) => (globalThis.browser ?? globalThis.chrome).runtime.sendMessage(m), message);
  await page.close();
  return reply;
}

export async function tabIdOf(run, url) {
  const page = await openExtensionPage(run, 'src/options/options.html');
  await page.waitForSelector('body[data-rules="ready"]', { timeout: 20_000 });
  const id = await page.evaluate(async (u) => {
    const tabs = await (globalThis.browser ?? globalThis.chrome).tabs.query({});
    return tabs.find((t) => t.url === u)?.id;
  }, url);
  await page.close();
  return id;
}

async function runCommand(run, page, message) {
  const tabId = await tabIdOf(run, page.url());
  assert.ok(Number.isInteger(tabId), `the tab of ${page.url()} is known`);
  const reply = await fromExtension(run, { ...message, tabId });
  await page.bringToFront();
  return reply;
}

const value = (page, selector) => page.$eval(selector, (el) => el.value);

/**
 * Chromium: what the extension's content-script world of the page's top frame holds, read
 * over the DevTools protocol (the page itself cannot see that world); null until it exists.
 */
async function contentWorld(page) {
  const cdp = await page.createCDPSession();
  try {
    const contexts = [];
    cdp.on('Runtime.executionContextCreated', ({ context }) => contexts.push(context));
    const { frameTree } = await cdp.send('Page.getFrameTree');
    await cdp.send('Runtime.enable'); // Reports the contexts that exist already.
    const world = contexts.find((c) => c.auxData?.type === 'isolated' && c.auxData?.frameId === frameTree.frame.id
      && (c.origin.includes(CHROMIUM_ID) || c.name === 'PassAgent'));
    if (!world) return null;
    const { result } = await cdp.send('Runtime.evaluate', {
      contextId: world.id,
      returnByValue: true,
      expression: '({ detector: Boolean(globalThis.PassAgent?.detector), pageScripts: Boolean(globalThis.PassAgent?.started) })',
    });
    return result.value;
  } finally {
    await cdp.detach();
  }
}

/** Where the owned login of `username` sits in the list the page offers for `url` (no remembered pick yet). */
async function matchIndex(run, url, username) {
  const page = await run.browser.newPage();
  await page.goto(url);
  const tabId = await tabIdOf(run, page.url());
  const { matches = [] } = await fromExtension(run, { type: 'tab.matches', tabId });
  await page.close();
  const index = matches.findIndex((m) => m.username === username && !m.shared);
  assert.ok(index >= 0, `${username} is among the matches for ${url} (got ${JSON.stringify(matches)})`);
  return index;
}

// ---- against the fake host ----------------------------------------------------------

function fakeHostTests(name) {
  describe(`everyday features with the fake host, ${name}`, () => {
    let site;
    let run;
    let work;
    let log;
    let control;
    const hostLog = () => (existsSync(log) ? readFileSync(log, 'utf8').trim().split('\n').map((l) => JSON.parse(l)) : []);
    const calls = (action) => hostLog().filter((r) => r.action === action);

    before(async () => {
      site = await serveSite();
      work = mkdtempSync(join(tmpdir(), `pa-everyday-fake-${name}-`));
      log = join(work, 'host.log');
      control = join(work, 'control.json');
      const wrapper = writeHostWrapper(work, process.execPath, [FAKE_HOST]);
      run = await LAUNCHERS[name]({ hostPath: wrapper, env: { FAKE_HOST_ORIGIN: site.origin, FAKE_HOST_LOG: log, FAKE_HOST_CONTROL: control } });
    }, { timeout: SETUP_MS });

    after(async () => {
      await run?.close();
      await site?.close();
      if (work) rmSync(work, { recursive: true, force: true });
    }, { timeout: TEARDOWN_MS });

    it('Basic auth: off by default; once allowed in the options, the one matching login answers the site', async () => {
      if (name === 'chromium') {
        // Firefox would open its own dialog here, which a headless test cannot close.
        // Headless Chromium has no dialog: left to the browser, the request is refused.
        const page = await run.browser.newPage();
        await assert.rejects(page.goto(`${site.origin}/basic`), /ERR_INVALID_AUTH_CREDENTIALS/, 'without the option the browser handles it');
        await page.close();
      }
      const options = await openExtensionPage(run, 'src/options/options.html');
      await options.waitForSelector('body[data-rules="ready"]', { timeout: 20_000 });
      await options.click('#basicAuth');
      await eventually(() => options.evaluate(async () => (await (globalThis.browser ?? globalThis.chrome).storage.local.get('siteRules')).siteRules?.basicAuth === true), { message: 'the option stored' });
      await shot(options, `basic-auth-option-${name}`, { fullPage: true });
      await options.close();
      const page = await run.browser.newPage();
      await page.goto(`${site.origin}/basic`);
      assert.equal(await page.$eval('#result', (el) => el.textContent), `Hello ${BASIC_USER.username}, you are in`);
      await shot(page, `basic-auth-${name}`);
      assert.ok(calls('credentials.get').some((c) => c.params.purpose === 'fill' && c.params.url === `${site.origin}/basic`), 'the secret was asked for that URL');
      await page.close();
    });

    it('save: a new login submitted with a navigation is offered, names its account, and Save creates the entry', async () => {
      const page = await run.browser.newPage();
      await page.goto(`${site.origin}/login`);
      await page.type('#username', 'bob@example.test');
      await page.type('#password', 'hunter2-secret');
      await Promise.all([page.waitForNavigation(), page.click('#submit')]);
      assert.equal(await page.$eval('#result', (el) => el.textContent), 'Signed in as bob@example.test');
      await promptShown(page);
      await shot(page, `save-offer-${name}`);
      await clickPrompt(page, 'confirm');
      const [create] = await eventually(() => {
        const found = calls('credentials.create');
        return found.length ? found : null;
      }, { message: 'credentials.create' });
      assert.deepEqual({ ...create.params }, { name: '127.0.0.1', url: site.origin, username: 'bob@example.test', account: 'fake', passwordSha: sha('hunter2-secret') });
      await pause(300);
      await shot(page, `save-done-${name}`);
      await eventually(async () => !(await page.$('passagent-prompt')), { message: 'the prompt to close' });
      // The new login is offered on the site from now on, and fills.
      await page.goto(`${site.origin}/login`);
      await chooseAt(page, '#username', 1);
      await eventually(async () => (await value(page, '#password')) === 'hunter2-secret', { message: 'the saved login filled' });
      assert.equal(await value(page, '#username'), 'bob@example.test');
      await page.close();
    });

    it('a page without a login form runs only the detector; a form added by script 2 s after load gets the chooser and the save offer', async () => {
      const page = await run.browser.newPage();
      if (name === 'chromium') {
        await page.goto(`${site.origin}/plain`);
        await eventually(() => contentWorld(page), { message: 'the content scripts\' world' });
        assert.deepEqual(await contentWorld(page), { detector: true, pageScripts: false }, 'no page scripts where no form is');
      }
      await page.goto(`${site.origin}/late-login`);
      await page.waitForSelector('#username', { timeout: 15_000 });
      await eventually(async () => {
        await page.click('#username');
        return chooserOpen(page);
      }, { timeout: 15_000, message: 'the chooser under the late form\'s username' });
      await shot(page, `late-form-chooser-${name}`);
      await pick(page, 0);
      await eventually(async () => (await value(page, '#password')) !== '', { message: 'the late form filled' });
      assert.equal(await value(page, '#username'), 'alice@example.test');
      await shot(page, `late-form-filled-${name}`);
      if (name === 'chromium') assert.deepEqual(await contentWorld(page), { detector: true, pageScripts: true });
      // Another login typed in the same form and submitted: offered for saving on the next page.
      for (const [selector, text] of [['#username', 'erin@example.test'], ['#password', 'erin-secret']]) {
        await page.$eval(selector, (el) => { el.value = ''; });
        await page.type(selector, text);
      }
      await Promise.all([page.waitForNavigation(), page.click('#submit')]);
      await promptShown(page);
      assert.ok(await page.$('passagent-prompt[data-passagent-kind="save"]'), 'the Save offer');
      await shot(page, `late-form-save-offer-${name}`);
      await page.close();
    });

    it('update: a known username with a new password, signed in by script, offers Update with expectedUpdatedAt', async () => {
      const page = await run.browser.newPage();
      await page.goto(`${site.origin}/spa-login`);
      await page.type('#username', 'alice@example.test');
      await page.type('#password', 'new-password-1');
      await page.click('#submit');
      await page.waitForFunction(() => document.getElementById('result').textContent.startsWith('Welcome'));
      await promptShown(page);
      await shot(page, `update-offer-${name}`);
      await clickPrompt(page, 'confirm');
      const [update] = await eventually(() => {
        const found = calls('credentials.update');
        return found.length ? found : null;
      }, { message: 'credentials.update' });
      assert.equal(update.params.id, 'entry-1');
      assert.equal(update.params.passwordSha, sha('new-password-1'));
      assert.match(update.params.expectedUpdatedAt, /^2026-01-01T/);
      await pause(300);
      await shot(page, `update-done-${name}`);
      await page.close();
    });

    it('update conflict: an entry changed elsewhere meanwhile is not overwritten, and the prompt says so', async () => {
      const page = await run.browser.newPage();
      await page.goto(`${site.origin}/spa-login`);
      await page.type('#username', 'alice@example.test');
      await page.type('#password', 'new-password-2');
      await page.click('#submit');
      await promptShown(page);
      writeFileSync(control, JSON.stringify({ touch: ['entry-1'] })); // Another device edits the entry.
      const before = calls('credentials.update').length;
      await clickPrompt(page, 'confirm');
      await eventually(() => calls('credentials.update').length > before, { message: 'the second credentials.update' });
      await pause(800);
      await shot(page, `update-conflict-${name}`);
      assert.ok(await page.$('passagent-prompt'), 'the prompt stays open with the explanation');
      // Nothing was overwritten: the login still fills with the first new password.
      const check = await run.browser.newPage();
      await check.goto(`${site.origin}/login`);
      await chooseAt(check, '#username', 0);
      await eventually(async () => (await value(check, '#password')) !== '', { message: 'the fill' });
      assert.equal(await value(check, '#password'), 'new-password-1');
      await check.close();
      await page.close();
    });

    it('generator: a sign-up form gets one generated password in both fields; it outlives a failed submit and is saved', async () => {
      const page = await run.browser.newPage();
      await page.goto(`${site.origin}/signup`);
      await chooseAt(page, '#new', 0);
      const password = await eventually(async () => {
        const v = await value(page, '#new');
        return v.length >= 16 ? v : null;
      }, { message: 'the generated password' });
      assert.equal(await value(page, '#confirm'), password, 'the confirmation holds the same password');
      await shot(page, `generator-filled-${name}`);
      // A failed submit: the page comes back empty. The password made for this tab is offered again.
      await page.reload();
      await eventually(async () => {
        await page.click('#new');
        return chooserOpen(page);
      }, { timeout: 15_000, message: 'the generator list again' });
      await shot(page, `generator-kept-${name}`);
      await pick(page, 0);
      await eventually(async () => (await value(page, '#new')) === password, { message: 'the kept password filled again' });
      assert.equal(await value(page, '#confirm'), password);
      await page.click('#username');
      await page.keyboard.press('Escape');
      await page.type('#username', 'carol@example.test');
      await Promise.all([page.waitForNavigation(), page.click('#submit')]);
      await promptShown(page);
      await shot(page, `generator-save-offer-${name}`);
      const before = calls('credentials.create').length;
      await clickPrompt(page, 'confirm');
      const create = await eventually(() => calls('credentials.create')[before], { message: 'credentials.create of the generated password' });
      assert.equal(create.params.username, 'carol@example.test');
      assert.equal(create.params.passwordSha, sha(password));
      await page.close();
    });

    it('"Never for this site" is remembered, listed in the options and can be taken back', async () => {
      const page = await run.browser.newPage();
      await page.goto(`${site.other}/login`);
      await page.type('#username', 'dave@example.test');
      await page.type('#password', 'dave-secret');
      await Promise.all([page.waitForNavigation(), page.click('#submit')]);
      await promptShown(page);
      await clickPrompt(page, 'never');
      await eventually(async () => !(await page.$('passagent-prompt')), { message: 'the prompt to close' });
      await page.goto(`${site.other}/login`);
      await page.type('#username', 'dave@example.test');
      await page.type('#password', 'dave-secret-2');
      await Promise.all([page.waitForNavigation(), page.click('#submit')]);
      await pause(2000);
      assert.equal(await page.$('passagent-prompt'), null, 'no offer on a site marked "never"');
      const options = await openExtensionPage(run, 'src/options/options.html');
      await options.waitForSelector('body[data-rules="ready"]', { timeout: 20_000 });
      await options.bringToFront();
      const listed = await options.$$eval('#neverSave li span', (els) => els.map((el) => el.textContent));
      assert.deepEqual(listed, [`localhost:${site.port}`]);
      await shot(options, `options-never-${name}`, { fullPage: true });
      await options.click('#neverSave li button');
      await eventually(async () => (await options.$$eval('#neverSave li span', (els) => els.length)) === 0, { message: 'the site removed' });
      await options.close();
      await page.close();
    });
  });
}

// ---- against the real host ----------------------------------------------------------

async function signIn(run, server) {
  const popup = await openExtensionPage(run, 'src/popup/popup.html');
  await waitForView(popup, 'login', 30_000);
  await fillSignIn(popup, { server: server.origin, user: server.info.email, password: server.info.password });
  await popup.click('#login-submit');
  await waitForView(popup, 'unlock', 60_000);
  return popup;
}

async function unlock(popup, server) {
  await popup.bringToFront();
  await popup.type('#unlock-password', server.info.masterPassword);
  await popup.click('#unlock-submit');
  await waitForView(popup, 'main', 60_000);
}

function realHostTests(name) {
  const missing = !HOST_BIN ? 'no passagent-host built (cmake --build --preset dev --target passagent-host)' : !serverAvailable() ? 'no test server' : null;
  describe(`everyday features with the real host, ${name}`, { skip: missing && !process.env.CI ? missing : false }, () => {
    let server;
    let site;
    let host;
    let run;

    before(async () => {
      server = await startServer();
      site = await serveSite();
      host = await launchRealHost(name, 'everyday', { server: server.origin, anonKey: server.info.anonKey, autoLockMinutes: 30 });
      run = host.run;
    }, { timeout: SETUP_MS });

    after(async () => {
      await host?.close();
      await site?.close();
      await server?.stop();
    }, { timeout: TEARDOWN_MS });

    it('the focused-field race: a field that has focus before the matches arrive gets the chooser then', async () => {
      const expected = await server.item('demo-login');
      const popup = await signIn(run, server);
      // The page is open, its field focused, while the vault is still locked.
      const page = await run.browser.newPage();
      await page.goto(`${server.origin}/demo/login`);
      await page.click('#username');
      await unlock(popup, server);
      await popup.close();
      await page.bringToFront();
      // No click, no new focus: the list comes to the field that is waiting.
      await eventually(async () => {
        const open = await chooserOpen(page);
        return open && (await page.evaluate(() => document.activeElement?.id)) === 'username' ? open : null;
      }, { timeout: 15_000, message: 'the chooser under the focused field' });
      await shot(page, `race-chooser-${name}`);
      await pick(page, 0);
      await eventually(async () => (await value(page, '#password')) !== '', { message: 'the fill' });
      assert.equal(await value(page, '#username'), expected.username);
      await page.close();
    });

    it('shortcut: fills the best match when it is the only best one, and asks for a pick when matches tie', async () => {
      // /demo/identifier-first: one entry names that path, so it is the only best match.
      const expected = await server.item('demo-identifier-first');
      const page = await run.browser.newPage();
      await page.goto(`${server.origin}/demo/identifier-first`);
      const reply = await runCommand(run, page, { type: 'command.run', command: 'fill-login' });
      assert.deepEqual(reply, { done: true, picked: true });
      await eventually(async () => (await value(page, '#identifier')) === expected.username, { message: 'the shortcut fill' });
      await shot(page, `shortcut-filled-${name}`);
      // /demo/login: the own demo login and a received share both name that path: a tie.
      const tie = await run.browser.newPage();
      await tie.goto(`${server.origin}/demo/login`);
      const tied = await runCommand(run, tie, { type: 'command.run', command: 'fill-login' });
      assert.deepEqual(tied, { done: true, picked: false });
      await eventually(() => chooserOpen(tie), { timeout: 15_000, message: 'the chooser for a pick' });
      await pause(500);
      assert.equal(await value(tie, '#password'), '', 'nothing filled without a pick');
      await shot(tie, `shortcut-pick-${name}`);
      await tie.close();
      await page.close();
    });

    it('context menu: fill a login, fill the one-time code, generate a password, on the field right-clicked', async () => {
      const expected = await server.item('demo-login');
      const page = await run.browser.newPage();
      await page.goto(`${server.origin}/demo/login`);
      const index = await matchIndex(run, `${server.origin}/demo/login`, expected.username);
      await page.bringToFront();
      await page.click('#password', { button: 'right' });
      await page.keyboard.press('Escape');
      const tabId = await tabIdOf(run, page.url());
      assert.deepEqual(await fromExtension(run, { type: 'menu.run', itemId: 'pa-fill-login', tabId, frameId: 0 }), { done: true });
      await page.bringToFront();
      await eventually(() => chooserOpen(page), { timeout: 15_000, message: 'the chooser from the menu' });
      await shot(page, `menu-fill-login-${name}`);
      await pick(page, index);
      await eventually(async () => (await value(page, '#password')) === expected.password, { message: 'the menu fill' });
      assert.equal(await value(page, '#username'), expected.username);

      const { totp: spec } = await server.item('demo-otp');
      const otp = await run.browser.newPage();
      await otp.goto(`${server.origin}/demo/otp`);
      await otp.click('#otp', { button: 'right' });
      await otp.keyboard.press('Escape');
      const otpTab = await tabIdOf(run, otp.url());
      const before = Date.now();
      await fromExtension(run, { type: 'menu.run', itemId: 'pa-fill-totp', tabId: otpTab, frameId: 0 });
      await otp.bringToFront();
      await eventually(() => chooserOpen(otp), { timeout: 15_000, message: 'the one-time code chooser' });
      await pick(otp, 0);
      const code = await eventually(async () => {
        const v = await value(otp, '#otp');
        return /^\d{6}$/.test(v) ? v : null;
      }, { message: 'the code filled' });
      const options = { period: spec.period, digits: spec.digits, algorithm: spec.algorithm };
      const due = new Set([totp(spec.secret, { ...options, timeMs: before }), totp(spec.secret, { ...options, timeMs: Date.now() })]);
      assert.ok(due.has(code), `filled ${code}, due ${[...due]}`);
      await shot(otp, `menu-fill-totp-${name}`);

      const signup = await run.browser.newPage();
      await signup.goto(`${site.origin}/signup`);
      await signup.click('#new', { button: 'right' });
      await signup.keyboard.press('Escape');
      const signupTab = await tabIdOf(run, signup.url());
      await fromExtension(run, { type: 'menu.run', itemId: 'pa-generate', tabId: signupTab, frameId: 0 });
      await signup.bringToFront();
      const generated = await eventually(async () => {
        const v = await value(signup, '#new');
        return v.length === 20 ? v : null;
      }, { message: 'a password from the host generator' });
      assert.equal(await value(signup, '#confirm'), generated);
      await shot(signup, `menu-generate-${name}`);
      await signup.close();
      await otp.close();
      await page.close();
    });

    it('frames: a login form in a frame of another site is refused until that pair is allowed; the options take it back', async () => {
      const expected = await server.item('demo-login');
      const page = await run.browser.newPage();
      await page.goto(`${site.other}/framed?src=${encodeURIComponent(`${server.origin}/demo/login`)}`);
      const frame = await eventually(() => page.frames().find((f) => f.url().startsWith(`${server.origin}/demo/login`)), { message: 'the framed login' });
      await frame.waitForSelector('#username');
      await eventually(async () => {
        await frame.click('#username');
        return frame.$('passagent-chooser[data-passagent-state="open"]');
      }, { timeout: 15_000, message: 'the notice in the frame' });
      await shot(page, `frame-refused-${name}`);
      await pick(page, 0); // "Allow filling frames from … on …"
      await promptShown(page);
      await shot(page, `frame-allow-prompt-${name}`);
      await clickPrompt(page, 'confirm');
      await eventually(async () => !(await page.$('passagent-prompt')), { message: 'the prompt to close' });
      const row = await matchIndex(run, `${server.origin}/demo/login`, expected.username);
      await page.bringToFront();
      await eventually(async () => {
        await frame.click('#password');
        return frame.$('passagent-chooser[data-passagent-state="open"]');
      }, { timeout: 15_000, message: 'the logins in the allowed frame' });
      await pick(page, row);
      await eventually(async () => (await frame.$eval('#password', (el) => el.value)) !== '', { message: 'the frame filled' });
      await shot(page, `frame-filled-${name}`);

      const options = await openExtensionPage(run, 'src/options/options.html');
      await options.waitForSelector('body[data-rules="ready"]', { timeout: 20_000 });
      await options.bringToFront();
      const listed = await options.$$eval('#frames li span', (els) => els.map((el) => el.textContent));
      assert.deepEqual(listed, [`Frames from ${new URL(server.origin).host} on localhost:${site.port}`]);
      await shot(options, `options-frames-${name}`, { fullPage: true });
      await options.click('#frames li button');
      await eventually(async () => (await options.$$eval('#frames li span', (els) => els.length)) === 0, { message: 'the pair removed' });
      await options.close();
      await page.reload();
      const again = await eventually(() => page.frames().find((f) => f.url().startsWith(`${server.origin}/demo/login`)), { message: 'the framed login again' });
      await again.waitForSelector('#password');
      await again.click('#password');
      await eventually(() => again.$('passagent-chooser[data-passagent-state="open"]'), { timeout: 15_000, message: 'the notice again' });
      await pick(page, 0);
      await pause(1500);
      assert.equal(await again.$eval('#password', (el) => el.value), '', 'a revoked pair fills nothing');
      await page.close();
    });
  });
}

export function everydaySuite(name) {
  if (!browsersUnderTest().includes(name)) return;
  fakeHostTests(name);
  realHostTests(name);
}
