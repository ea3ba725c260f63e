#!/usr/bin/env node
// SPDX-License-Identifier: MIT
// The headless half of scripts/demo.sh: drives real Chromium with the PassAgent
// extension the way a person would. It signs in and unlocks from the extension's popup
// (opened as a tab), opens the demo login page, focuses the username field, picks the
// "Demo login" entry from the chooser with the keyboard, checks that the form holds the
// demo site's username and password, submits it and checks the site's answer. It saves
// a screenshot after each of the three steps.
//
// scripts/demo.sh prepares everything it needs: the test server, the host config
// (PASSAGENT_HOST_CONFIG, which the browser passes on to the host) and a fresh profile
// with the host manifest in <profile>/NativeMessagingHosts/.
//
//   node scripts/demo/run-demo.mjs --server http://127.0.0.1:PORT --account FILE \
//        --profile DIR --out DIR [--timeout-seconds N]
//
// Exit code 0 only if the extension really filled the form and the site accepted it.
import { createRequire } from 'node:module';
import { readFileSync, readdirSync, realpathSync, mkdirSync, existsSync } from 'node:fs';
import { join, resolve, dirname, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const EXTENSION_DIR = join(ROOT, 'extension');
const CHROMIUM_BIN = process.env.CHROMIUM_BIN ?? '/usr/lib/chromium/chromium';
const EXTENSION_ID = 'hipcecicbflniiemihoangdnijnmcbnf';
const POPUP_URL = `chrome-extension://${EXTENSION_ID}/src/popup/popup.html`;
const FLAGS = [
  '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--no-default-browser-check',
  '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage',
];

// puppeteer-core and the demo site's accepted logins come from the project's own
// packages (installed by scripts/setup.sh): one source of truth for the expected values.
const requireFromExtension = createRequire(join(EXTENSION_DIR, 'package.json'));
const puppeteer = requireFromExtension('puppeteer-core');
const { DEMO_SITE_USERS } = await import('../../tests/passagent-server/lib/fixtures.mjs');
const DEMO_USER = 'demo-user';

const { values: args } = parseArgs({
  options: {
    server: { type: 'string' },
    account: { type: 'string' },
    profile: { type: 'string' },
    out: { type: 'string' },
    // A guard against a hang, not a wait: on a loaded machine sign-in (the real
    // Argon2id parameters, on the server and in the host) alone can take minutes.
    'timeout-seconds': { type: 'string', default: '900' },
  },
});
for (const name of ['server', 'account', 'profile', 'out']) {
  if (!args[name]) {
    console.error(`run-demo: --${name} is required`);
    process.exit(2);
  }
}
const server = new URL(args.server).origin;
const account = JSON.parse(readFileSync(args.account, 'utf8'));
const outDir = resolve(args.out);
mkdirSync(outDir, { recursive: true });
const shots = {
  popup: join(outDir, 'demo-1-popup-unlocked.png'),
  filled: join(outDir, 'demo-2-filled.png'),
  signedIn: join(outDir, 'demo-3-signed-in.png'),
  failed: join(outDir, 'demo-failed.png'),
};

const started = Date.now();
const seconds = () => ((Date.now() - started) / 1000).toFixed(1);
const step = (text) => console.log(`demo: [${seconds()} s] ${text}`);

async function eventually(fn, { timeout = 15_000, interval = 100, what = 'a condition' } = {}) {
  const end = Date.now() + timeout;
  for (;;) {
    const value = await fn().catch(() => null);
    if (value) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, interval));
  }
}

/** passagent-host processes below the browser, found through /proc by pid (never by name). */
function hostPidsBelow(browserPid) {
  const parents = new Map();
  const hosts = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      parents.set(Number(entry), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
      if (realpathSync(`/proc/${entry}/exe`).endsWith('/passagent-host')) hosts.push(Number(entry));
    } catch {
      // Gone, or not ours to read.
    }
  }
  const below = (pid) => {
    for (let p = parents.get(pid); p && p > 1; p = parents.get(p)) if (p === browserPid) return true;
    return false;
  };
  return hosts.filter(below);
}

function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** The popup's current message line (errors from the host show there). */
async function popupMessage(popup) {
  return popup.$eval('#message', (el) => (el.hidden ? '' : el.textContent)).catch(() => '');
}

async function waitForView(popup, view, timeout) {
  try {
    await popup.waitForSelector(`body[data-view="${view}"]`, { timeout });
  } catch {
    const shown = await popup.evaluate(() => document.body.dataset.view).catch(() => '?');
    const message = await popupMessage(popup);
    const problem = await popup.$eval('#host-problem', (el) => el.textContent).catch(() => '');
    throw new Error(`the popup shows "${shown}" instead of "${view}"${message ? `: ${message}` : ''}${shown === 'host' && problem ? `: ${problem}` : ''}`);
  }
}

/**
 * Waits for what the demo needs instead of for time: the extension's service worker
 * running (its pages are blocked until the extension has loaded) and connected to
 * passagent-host (the worker answered `hello`). Returns the worker.
 */
async function extensionReady(browser) {
  const target = await browser.waitForTarget(
    (t) => t.type() === 'service_worker' && t.url().startsWith(`chrome-extension://${EXTENSION_ID}/`),
    { timeout: 60_000 },
  ).catch(() => { throw new Error('the extension did not load (no service worker within 60 s)'); });
  const worker = await target.worker();
  await eventually(() => worker.evaluate(() => globalThis.passagent?.status().connected === true),
    { timeout: 60_000, what: 'the extension to connect to passagent-host' });
  return worker;
}

/** Opens the popup as a tab; an extension that is still starting blocks it for a moment. */
async function openPopup(browser) {
  const popup = await browser.newPage();
  await popup.setViewport({ width: 380, height: 560 });
  await eventually(async () => {
    try {
      await popup.goto(POPUP_URL, { waitUntil: 'domcontentloaded' });
      return true;
    } catch (error) {
      if (/ERR_BLOCKED_BY_CLIENT|ERR_ABORTED/.test(error.message)) return false;
      throw error;
    }
  }, { timeout: 30_000, what: 'the popup to open' });
  return popup;
}

async function run(browser) {
  step('waiting for the extension to load and connect to passagent-host');
  await extensionReady(browser);
  // The demo site first, so the popup speaks about it.
  const [site] = await browser.pages();
  const page = site ?? (await browser.newPage());
  await page.setViewport({ width: 900, height: 640 });
  step(`opening ${server}/demo/login`);
  await page.goto(`${server}/demo/login`, { waitUntil: 'domcontentloaded' });

  // 1. Sign in and unlock from the popup, as a person would type it.
  step('opening the PassAgent popup (as a tab) and signing in');
  const popup = await openPopup(browser);
  await waitForView(popup, 'login', 30_000);
  // The form reads its saved settings first; typing before that could be mixed with them.
  await popup.waitForSelector('#view-login[data-ready]', { timeout: 30_000 });
  await popup.$eval('#login-server', (el) => { el.value = ''; });
  await popup.type('#login-server', server);
  await popup.$eval('#login-email', (el) => { el.value = ''; });
  await popup.type('#login-email', account.email);
  await popup.type('#login-password', account.password);
  await popup.click('#login-submit');
  await waitForView(popup, 'unlock', 420_000);
  step('signed in; unlocking with the master password (Argon2id, the real parameters)');
  await popup.type('#unlock-password', account.masterPassword);
  await popup.click('#unlock-submit');
  await waitForView(popup, 'main', 420_000);
  const matches = await eventually(async () => {
    // The first sync lists the vault after the unlock answers: wait until it is whole.
    if (await popup.$eval('#sync-note', (el) => !el.hidden).catch(() => false)) return null;
    const list = await popup.$$eval('.match', (els) => els.map((el) => ({
      name: el.querySelector('.name').textContent,
      username: el.querySelector('.user').textContent,
      shared: !el.querySelector('.badge').hidden,
    })));
    return list.length ? list : null;
  }, { timeout: 120_000, what: 'the logins for the demo page in the popup, once the first sync is done' });
  await popup.screenshot({ path: shots.popup });
  step(`unlocked; the popup lists ${matches.length} login(s) for the page: ${matches.map((m) => `${m.name} (${m.username}${m.shared ? ', shared' : ''})`).join(', ')}`);
  const index = matches.findIndex((m) => m.username === DEMO_USER && !m.shared);
  if (index < 0) throw new Error(`no login for ${DEMO_USER} among the matches`);
  await popup.close();

  // 2. Focus the username field: the content script offers the matches; choose with the keyboard.
  step(`focusing the username field and choosing "${matches[index].name}" from the PassAgent list`);
  await page.bringToFront();
  await eventually(async () => {
    await page.click('#username');
    return page.$('passagent-chooser[data-passagent-state="open"]');
  }, { what: 'the PassAgent chooser under the username field' });
  // The chooser takes no pick in its first 500 ms on screen (a clickjacking guard:
  // docs in extension/README.md), as a person's eyes would need that long anyway.
  await new Promise((resolve) => { setTimeout(resolve, 700); });
  for (let i = 0; i <= index; i += 1) await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Enter');
  await eventually(async () => (await page.$eval('#password', (el) => el.value)) !== '', { what: 'the password field to be filled' });
  const filled = await page.evaluate(() => ({
    username: document.querySelector('#username').value,
    password: document.querySelector('#password').value,
  }));
  await page.screenshot({ path: shots.filled });
  if (filled.username !== DEMO_USER || filled.password !== DEMO_SITE_USERS[DEMO_USER]) {
    throw new Error(`the form holds ${JSON.stringify(filled.username)} and a password of ${filled.password.length} characters, `
      + `not ${DEMO_USER} and its password`);
  }
  step(`filled: username "${filled.username}", password (${filled.password.length} characters) matches the demo site's`);

  // 3. Submit, as a person would, and read the site's answer.
  step('submitting the form');
  await Promise.all([page.waitForNavigation({ waitUntil: 'domcontentloaded' }), page.click('#submit')]);
  const result = await page.$eval('#result', (el) => el.textContent.trim()).catch(() => null);
  await page.screenshot({ path: shots.signedIn });
  if (result !== `Signed in as ${DEMO_USER}`) {
    const message = await page.$eval('#message', (el) => el.textContent.trim()).catch(() => '');
    throw new Error(`the demo site answered ${JSON.stringify(result ?? message)}`);
  }
  step(`the demo site says "${result}"`);
}

if (!existsSync(CHROMIUM_BIN)) {
  console.error(`run-demo: ${CHROMIUM_BIN} is missing (Debian package chromium; CHROMIUM_BIN overrides)`);
  process.exit(1);
}
step(`starting headless Chromium with the extension (profile ${relative(ROOT, resolve(args.profile))})`);
const browser = await puppeteer.launch({
  executablePath: CHROMIUM_BIN,
  headless: true,
  pipe: true,
  enableExtensions: [EXTENSION_DIR],
  userDataDir: resolve(args.profile),
  args: FLAGS,
  defaultViewport: null,
  env: process.env,
});
const browserPid = browser.process()?.pid;
let hosts = [];
const watchHosts = setInterval(() => {
  for (const pid of hostPidsBelow(browserPid)) if (!hosts.includes(pid)) hosts.push(pid);
}, 250);
const deadline = setTimeout(() => {
  console.error(`demo: FAILED: gave up after ${args['timeout-seconds']} s`);
  process.exitCode = 1;
  browser.close().catch(() => {});
}, Number(args['timeout-seconds']) * 1000);

let ok = false;
try {
  await run(browser);
  ok = true;
} catch (error) {
  console.error(`demo: error: ${error.message}`);
  const pages = await browser.pages().catch(() => []);
  const last = pages.at(-1);
  if (last) {
    await last.screenshot({ path: shots.failed }).catch(() => {});
    console.error(`demo: what the browser showed last: ${relative(process.cwd(), shots.failed)}`);
  }
} finally {
  clearTimeout(deadline);
  clearInterval(watchHosts);
  hosts = [...new Set([...hosts, ...hostPidsBelow(browserPid)])];
  await browser.close().catch(() => {});
  // The host exits when its port closes; make sure of it, by pid.
  await new Promise((r) => setTimeout(r, 300));
  for (const pid of hosts) {
    if (alive(pid)) process.kill(pid, 'SIGTERM');
  }
}

console.log('');
if (ok) {
  console.log('demo: screenshots:');
  for (const path of [shots.popup, shots.filled, shots.signedIn]) console.log(`  ${relative(process.cwd(), path)}`);
  console.log(`demo: PASSED in ${seconds()} s: the extension signed in, unlocked, filled the demo login form through passagent-host, and the demo site accepted it.`);
} else {
  console.log(`demo: FAILED after ${seconds()} s: the demo form was not filled and accepted (see the error above).`);
}
process.exitCode = ok ? 0 : 1;
