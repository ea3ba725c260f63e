// SPDX-License-Identifier: MIT
// Headless Chromium and Firefox ESR from Debian (never a downloaded browser), each with
// one extension (or none) and the native hosts it needs, in its own temp HOME, profile
// and TMPDIR. close() stops only the browser started here and removes its folder.
import { mkdtempSync, mkdirSync, writeFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import puppeteer from 'puppeteer-core';

export const CHROMIUM_BIN = process.env.CHROMIUM_BIN ?? '/usr/lib/chromium/chromium';
export const FIREFOX_BIN = process.env.FIREFOX_BIN ?? (existsSync('/usr/lib/firefox-esr/firefox-esr') ? '/usr/lib/firefox-esr/firefox-esr' : '/usr/bin/firefox-esr');

const CHROMIUM_FLAGS = [
  '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--no-default-browser-check',
  '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage',
];

function freshDirs(label) {
  const root = mkdtempSync(join(tmpdir(), `pa-bench-${label}-`));
  const dirs = { root, home: join(root, 'home'), tmp: join(root, 'tmp'), profile: join(root, 'profile') };
  for (const dir of [dirs.home, dirs.tmp, dirs.profile]) mkdirSync(dir, { recursive: true });
  return dirs;
}

/**
 * @typedef {{name: string, path: string, chromiumOrigin?: string, geckoId?: string}} NativeHost
 * @typedef {{dir: string, chromiumId?: string, geckoId?: string, uuid?: string}} Extension
 */

/**
 * @param {{extension?: Extension, hosts?: NativeHost[], env?: object, label: string}} options
 */
export async function launchChromium({ extension, hosts = [], env = {}, label }) {
  const dirs = freshDirs(`${label}-chromium`);
  const manifests = join(dirs.profile, 'NativeMessagingHosts');
  mkdirSync(manifests, { recursive: true });
  for (const host of hosts) {
    writeFileSync(join(manifests, `${host.name}.json`), JSON.stringify({ name: host.name, description: 'benchmark', path: host.path, type: 'stdio', allowed_origins: [host.chromiumOrigin] }));
  }
  const browser = await puppeteer.launch({
    executablePath: CHROMIUM_BIN,
    headless: true,
    pipe: true,
    ...(extension ? { enableExtensions: [extension.dir] } : {}),
    userDataDir: dirs.profile,
    args: CHROMIUM_FLAGS,
    env: { ...process.env, HOME: dirs.home, TMPDIR: dirs.tmp, ...env },
  });
  const run = {
    name: 'chromium',
    browser,
    extensionUrl: (path) => `chrome-extension://${extension.chromiumId}/${path}`,
    async serviceWorker(timeout = 15_000) {
      const target = await browser.waitForTarget((t) => t.type() === 'service_worker' && t.url().startsWith(`chrome-extension://${extension.chromiumId}/`), { timeout });
      return target.worker();
    },
    async close() {
      await browser.close().catch(() => {});
      rmSync(dirs.root, { recursive: true, force: true });
    },
  };
  if (extension) {
    await run.serviceWorker().catch(async (error) => {
      await run.close();
      throw new Error(`Chromium did not start the extension's service worker: ${error.message}`);
    });
  }
  return run;
}

/** Firefox: host manifests under the temp HOME; the extension installed as a temporary add-on. */
export async function launchFirefox({ extension, hosts = [], env = {}, label }) {
  const dirs = freshDirs(`${label}-firefox`);
  const manifests = join(dirs.home, '.mozilla', 'native-messaging-hosts');
  mkdirSync(manifests, { recursive: true });
  for (const host of hosts) {
    writeFileSync(join(manifests, `${host.name}.json`), JSON.stringify({ name: host.name, description: 'benchmark', path: host.path, type: 'stdio', allowed_extensions: [host.geckoId] }));
  }
  const browser = await puppeteer.launch({
    browser: 'firefox',
    executablePath: FIREFOX_BIN,
    headless: true,
    userDataDir: dirs.profile,
    // Firefox 153+ lets WebDriver open moz-extension:// pages only with this.
    args: ['--remote-allow-system-access'],
    extraPrefsFirefox: {
      ...(extension ? { 'extensions.webextensions.uuids': JSON.stringify({ [extension.geckoId]: extension.uuid }) } : {}),
      'xpinstall.signatures.required': false,
      'extensions.autoDisableScopes': 0,
      // MV3 host access is opt-in in Firefox; grant what the manifest asks, as an install prompt would.
      'extensions.originControls.grantByDefault': true,
    },
    env: { ...process.env, HOME: dirs.home, TMPDIR: dirs.tmp, ...env },
  });
  const run = {
    name: 'firefox',
    browser,
    extensionUrl: (path) => `moz-extension://${extension.uuid}/${path}`,
    async close() {
      await browser.close().catch(() => {});
      rmSync(dirs.root, { recursive: true, force: true });
    },
  };
  if (extension) {
    try {
      await browser.installExtension(extension.dir);
    } catch (error) {
      await run.close();
      throw error;
    }
  }
  return run;
}

export const LAUNCHERS = { chromium: launchChromium, firefox: launchFirefox };

/**
 * Opens one of an extension's own pages in a new tab. Firefox's WebDriver may never
 * report the load of a moz-extension:// page: the caller waits for the page's DOM.
 */
export async function openExtensionPage(run, path, page = null) {
  const tab = page ?? (await run.browser.newPage());
  for (let attempt = 0; ; attempt += 1) {
    try {
      await tab.goto(run.extensionUrl(path), { waitUntil: 'domcontentloaded', timeout: run.name === 'firefox' ? 5_000 : 30_000 });
      return tab;
    } catch (error) {
      if (run.name === 'firefox' && /timeout/i.test(error.message)) return tab;
      // An extension that is still loading blocks its pages for a moment.
      if (attempt >= 20 || !/ERR_BLOCKED_BY_CLIENT|NS_ERROR/.test(error.message)) throw error;
      await new Promise((r) => setTimeout(r, 500));
    }
  }
}

/** Waits until fn() returns something other than null/undefined/false. */
export async function until(fn, { timeout = 15_000, interval = 10, what = 'a condition' } = {}) {
  const end = Date.now() + timeout;
  let last;
  for (;;) {
    try {
      const value = await fn();
      if (value !== null && value !== undefined && value !== false) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}${last ? `: ${last.message}` : ''}`);
    await new Promise((r) => setTimeout(r, interval));
  }
}
