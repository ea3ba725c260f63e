// SPDX-License-Identifier: MIT
// Starts real Chromium and Firefox ESR, headless, with this extension loaded and a
// native host registered for it. Never downloads a browser: the Debian binaries only.
// Each launch gets its own temp HOME, profile and TMPDIR; close() removes them and
// stops only the browser it started.
import { mkdtempSync, mkdirSync, writeFileSync, rmSync, chmodSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import puppeteer from 'puppeteer-core';

export const EXTENSION_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const HOST_NAME = 'ai.passagent.host';
export const CHROMIUM_ID = 'hipcecicbflniiemihoangdnijnmcbnf';
export const GECKO_ID = 'passagent-host@passagent.ai';
// Firefox picks a random internal UUID per profile; this pref fixes it so tests can open extension pages.
export const FIREFOX_UUID = '7d5c3a4e-2b1f-4c6d-9e8a-0f1e2d3c4b5a';

// The chooser takes a pick only after it has been on screen, unmoved, for 500 ms
// (content/guard.js); a test waits a little longer, as a person reading it would.
export const CHOOSER_SETTLE_MS = 700;

export const CHROMIUM_BIN = process.env.CHROMIUM_BIN ?? '/usr/lib/chromium/chromium';
export const FIREFOX_BIN = process.env.FIREFOX_BIN ?? (existsSync('/usr/lib/firefox-esr/firefox-esr') ? '/usr/lib/firefox-esr/firefox-esr' : '/usr/bin/firefox-esr');

const CHROMIUM_FLAGS = [
  '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--no-default-browser-check',
  '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage',
];

// Time limits of a suite's before() (servers, a browser, a sign-in) and after(): a hook
// that never returns would leave the file running, where CI shows nothing.
export const SETUP_MS = 180_000;
export const TEARDOWN_MS = 90_000;

// How long a browser gets to close before its process is killed: a close that never
// answers must not keep the test file (and the servers it started) running.
const CLOSE_MS = 15_000;

/**
 * Closes a browser that puppeteer launched; if it has not closed within CLOSE_MS, its
 * process is killed. Never throws: it runs in teardown, which must reach the next step.
 */
export async function closeBrowser(browser) {
  const proc = browser?.process?.();
  let timer;
  const closed = await Promise.race([
    browser.close().then(() => true, () => false),
    new Promise((resolve) => { timer = setTimeout(() => resolve(false), CLOSE_MS); }),
  ]);
  clearTimeout(timer);
  if (!closed && proc && proc.exitCode === null && proc.signalCode === null) {
    const exited = new Promise((resolve) => proc.once('exit', resolve));
    proc.kill('SIGKILL');
    await exited;
  }
}

/**
 * Teardown: runs every step in turn, each even if one before it failed, then throws the
 * first failure. A server left running because the browser's close failed would keep
 * the test file from exiting.
 */
export async function settleAll(steps) {
  const failures = [];
  for (const step of steps) {
    try {
      await step();
    } catch (error) {
      failures.push(error);
    }
  }
  if (failures.length) throw failures[0];
}

/** A shell wrapper so the browser can start a Node host (or any command) by path. */
export function writeHostWrapper(dir, command, args = []) {
  const path = join(dir, 'passagent-host-wrapper.sh');
  const quote = (s) => `'${String(s).replaceAll("'", "'\\''")}'`;
  writeFileSync(path, `#!/bin/sh\nexec ${[command, ...args].map(quote).join(' ')} "$@"\n`);
  chmodSync(path, 0o755);
  return path;
}

function hostManifest(path, extra) {
  return JSON.stringify({ name: HOST_NAME, description: 'PassAgent native host (test)', path, type: 'stdio', ...extra }, null, 2);
}

function freshDirs(label) {
  const root = mkdtempSync(join(tmpdir(), `pa-e2e-${label}-`));
  const home = join(root, 'home');
  const tmp = join(root, 'tmp');
  mkdirSync(home, { recursive: true });
  mkdirSync(tmp, { recursive: true });
  return { root, home, tmp };
}

/**
 * @param {{hostPath: string, env?: object}} options hostPath: the executable the browser starts as the host
 * @returns {Promise<{name: 'chromium', browser, root, extensionUrl: (p: string) => string, serviceWorker: () => Promise<object>, close: () => Promise<void>}>}
 */
export async function launchChromium({ hostPath, env = {} }) {
  const dirs = freshDirs('chromium');
  const userDataDir = join(dirs.root, 'profile');
  mkdirSync(join(userDataDir, 'NativeMessagingHosts'), { recursive: true });
  writeFileSync(join(userDataDir, 'NativeMessagingHosts', `${HOST_NAME}.json`), hostManifest(hostPath, { allowed_origins: [`chrome-extension://${CHROMIUM_ID}/`] }));
  return startChromium({ dirs, userDataDir, env });
}

/**
 * Starts Chromium with the extension on a profile the caller prepared, and waits for the
 * extension's service worker. launchChromium() puts a host manifest in the profile
 * first; with none there (and a temp HOME) Chromium finds a host only through the
 * system-wide folders, which is how installer/test-deb.sh checks the Debian package.
 * @param {{dirs?: {root: string, home: string, tmp: string}, userDataDir?: string, env?: object}} options
 *   dirs: a fresh temp root with home/ and tmp/ (new ones when omitted; close() removes root);
 *   userDataDir: defaults to <root>/profile
 */
export async function startChromium({ dirs = freshDirs('chromium'), userDataDir = join(dirs.root, 'profile'), env = {} } = {}) {
  const browser = await puppeteer.launch({
    executablePath: CHROMIUM_BIN,
    headless: true,
    pipe: true,
    enableExtensions: [EXTENSION_DIR],
    userDataDir,
    args: CHROMIUM_FLAGS,
    env: { ...process.env, HOME: dirs.home, TMPDIR: dirs.tmp, ...env },
  });
  const serviceWorker = async () => {
    const target = await browser.waitForTarget((t) => t.type() === 'service_worker' && t.url().startsWith(`chrome-extension://${CHROMIUM_ID}/`), { timeout: 15_000 });
    return target.worker();
  };
  // The extension loads after launch() returns: its pages are blocked until then.
  await serviceWorker().catch(async (error) => {
    await closeBrowser(browser);
    rmSync(dirs.root, { recursive: true, force: true });
    throw new Error(`Chromium did not start the extension's service worker: ${error.message}`);
  });
  return {
    name: 'chromium',
    browser,
    root: dirs.root,
    extensionUrl: (path) => `chrome-extension://${CHROMIUM_ID}/${path}`,
    serviceWorker,
    async close() {
      await closeBrowser(browser);
      rmSync(dirs.root, { recursive: true, force: true });
    },
  };
}

/**
 * Firefox: the host manifest goes under the temp HOME; the extension is installed as a
 * temporary add-on over WebDriver BiDi (unsigned is fine that way).
 */
export async function launchFirefox({ hostPath, env = {} }) {
  const dirs = freshDirs('firefox');
  const hostsDir = join(dirs.home, '.mozilla', 'native-messaging-hosts');
  mkdirSync(hostsDir, { recursive: true });
  writeFileSync(join(hostsDir, `${HOST_NAME}.json`), hostManifest(hostPath, { allowed_extensions: [GECKO_ID] }));
  const browser = await puppeteer.launch({
    browser: 'firefox',
    executablePath: FIREFOX_BIN,
    headless: true,
    userDataDir: join(dirs.root, 'profile'),
    // Firefox 153+ lets WebDriver open moz-extension:// pages (the popup, as a tab) only with this.
    args: ['--remote-allow-system-access'],
    extraPrefsFirefox: {
      'extensions.webextensions.uuids': JSON.stringify({ [GECKO_ID]: FIREFOX_UUID }),
      'xpinstall.signatures.required': false,
      'extensions.autoDisableScopes': 0,
      // MV3 host access is opt-in in Firefox; grant what the manifest asks for, as an install prompt would.
      'extensions.originControls.grantByDefault': true,
    },
    env: { ...process.env, HOME: dirs.home, TMPDIR: dirs.tmp, ...env },
  });
  try {
    await browser.installExtension(EXTENSION_DIR);
  } catch (error) {
    await closeBrowser(browser);
    rmSync(dirs.root, { recursive: true, force: true });
    throw error;
  }
  return {
    name: 'firefox',
    browser,
    root: dirs.root,
    extensionUrl: (path) => `moz-extension://${FIREFOX_UUID}/${path}`,
    async serviceWorker() {
      throw new Error('Firefox: puppeteer cannot evaluate in the background page; check the page DOM and the host log instead.');
    },
    async close() {
      await closeBrowser(browser);
      rmSync(dirs.root, { recursive: true, force: true });
    },
  };
}

/**
 * Opens one of the extension's own pages (popup, options) in a new tab. Firefox's
 * WebDriver may never report the load of a moz-extension:// page, so the goto is
 * allowed to time out and the caller waits for the page's DOM instead.
 */
export async function openExtensionPage(run, path) {
  const page = await run.browser.newPage();
  // An extension that is still loading (or reloading) blocks its pages for a moment.
  for (let attempt = 0; ; attempt += 1) {
    try {
      await page.goto(run.extensionUrl(path), { waitUntil: 'domcontentloaded', timeout: run.name === 'firefox' ? 5_000 : 30_000 });
      return page;
    } catch (error) {
      if (run.name === 'firefox' && /timeout/i.test(error.message)) return page;
      if (attempt >= 20 || !/ERR_BLOCKED_BY_CLIENT|NS_ERROR/.test(error.message)) throw error;
      await new Promise((r) => setTimeout(r, 500));
    }
  }
}

/**
 * Presses a key that is expected to close the page (the popup closes itself after a
 * fill). The page may close between the key's down and up events, and the browser then
 * never answers the second one; only that closing is tolerated, any other error is not.
 */
export async function pressClosing(page, key) {
  try {
    await page.keyboard.press(key);
  } catch (error) {
    if (!/Target closed|Session closed|no such frame|browsing context .*(closed|discarded)/i.test(error.message)) throw error;
  }
}

export const LAUNCHERS = { chromium: launchChromium, firefox: launchFirefox };

/** Browsers to test: all, or those named in PASSAGENT_E2E_BROWSERS (comma-separated). */
export function browsersUnderTest() {
  const wanted = (process.env.PASSAGENT_E2E_BROWSERS ?? 'chromium,firefox').split(',').map((s) => s.trim()).filter(Boolean);
  return wanted.filter((name) => name in LAUNCHERS);
}

/** Waits until fn() returns a truthy value. */
export async function eventually(fn, { timeout = 10_000, interval = 100, message = 'condition' } = {}) {
  const end = Date.now() + timeout;
  let last;
  for (;;) {
    try {
      last = await fn();
      if (last) return last;
    } catch (error) {
      last = error;
    }
    if (Date.now() > end) throw new Error(`Timed out waiting for ${message}${last instanceof Error ? `: ${last.message}` : ''}`);
    await new Promise((r) => setTimeout(r, interval));
  }
}
