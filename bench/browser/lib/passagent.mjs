// SPDX-License-Identifier: MIT
// Our side: the extension as it is in extension/, the real passagent-host (release
// build), signed in and unlocked from the extension's own popup as a person would.
// Everything here observes the extension from outside: the popup's views and list, the
// chooser element the content script adds to the page. Nothing reaches into its code.
import { mkdtempSync, writeFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { LAUNCHERS, openExtensionPage, until } from './browsers.mjs';
import { REPO_ROOT } from './vault.mjs';

export const EXTENSION = {
  // PASSAGENT_BENCH_EXTENSION: another copy of extension/ (an older commit's, say) to
  // measure before and after a change on the same machine state.
  dir: resolve(process.env.PASSAGENT_BENCH_EXTENSION ?? resolve(REPO_ROOT, 'extension')),
  chromiumId: 'hipcecicbflniiemihoangdnijnmcbnf',
  geckoId: 'passagent-host@passagent.ai',
  uuid: '7d5c3a4e-2b1f-4c6d-9e8a-0f1e2d3c4b5a',
};
export const HOST_NAME = 'ai.passagent.host';
export const HOST_BIN = resolve(process.env.PASSAGENT_HOST_BIN ?? resolve(REPO_ROOT, 'build/release/host/passagent-host'));

// What the page sees when the extension offers its logins: the chooser it opens under
// the field the person clicked once it has the page's matches.
export const OFFER = 'passagent-chooser';
// What the page sees first on the login page: the PassAgent mark on the login field,
// shown as soon as the page's matches are there (content/mark.js), before any click;
// the chooser too, should it come first. The list to pick from is the chooser.
export const READY = 'passagent-mark, passagent-chooser';
export const LIST = OFFER;
// What the popup shows once its list is there.
export const POPUP_LIST = '#matches .match';

export function hostMissing() {
  return existsSync(HOST_BIN) ? null : `no ${HOST_BIN}: build it (cmake --preset release && cmake --build --preset release --target passagent-host) or set PASSAGENT_HOST_BIN`;
}

/** Starts `browserName` with our extension and host, configured for `vault`. */
export async function launchOurs(browserName, vault) {
  const work = mkdtempSync(join(tmpdir(), 'pa-bench-host-'));
  const config = join(work, 'host-config.json');
  writeFileSync(config, JSON.stringify({
    allowedOrigins: [`chrome-extension://${EXTENSION.chromiumId}/`],
    allowedExtensions: [EXTENSION.geckoId],
    server: vault.origin,
    anonKey: vault.info.anonKey,
    autoLockMinutes: 120,
  }));
  const env = { PASSAGENT_HOST_CONFIG: config, XDG_CONFIG_HOME: join(work, 'config'), XDG_STATE_HOME: join(work, 'state') };
  try {
    const run = await LAUNCHERS[browserName]({
      label: 'ours',
      extension: EXTENSION,
      hosts: [{ name: HOST_NAME, path: HOST_BIN, chromiumOrigin: `chrome-extension://${EXTENSION.chromiumId}/`, geckoId: EXTENSION.geckoId }],
      env,
    });
    const close = run.close;
    run.close = async () => {
      await close();
      rmSync(work, { recursive: true, force: true });
    };
    return run;
  } catch (error) {
    rmSync(work, { recursive: true, force: true });
    throw error;
  }
}

export async function popupView(popup) {
  return popup.evaluate(() => document.body.dataset.view ?? '');
}

async function waitForView(popup, view, timeout = 60_000) {
  await until(async () => (await popupView(popup)) === view || null, { timeout, interval: 100, what: `the popup's "${view}" view` }).catch(async (error) => {
    const message = await popup.evaluate(() => document.getElementById('message')?.textContent ?? '').catch(() => '');
    throw new Error(`${error.message} (it shows "${await popupView(popup).catch(() => '?')}"${message ? `: ${message}` : ''})`);
  });
}

async function typeInto(popup, selector, text) {
  await popup.$eval(selector, (el) => { el.value = ''; });
  await popup.type(selector, text);
}

/**
 * Signs in (if needed) and unlocks from the popup, then closes it.
 * @returns {Promise<string>} what it took: 'sign-in and unlock', 'unlock' (a remembered
 *   sign-in: the popup asked only for the master password) or 'nothing'
 */
export async function signInAndUnlock(run, vault) {
  const popup = await openExtensionPage(run, 'src/popup/popup.html');
  await popup.bringToFront();
  await until(async () => ['login', 'unlock', 'main'].includes(await popupView(popup)) || null, { timeout: 30_000, interval: 100, what: 'the popup' });
  const first = await popupView(popup);
  if (first === 'login') {
    await popup.waitForSelector('#view-login[data-ready]', { timeout: 30_000 });
    await typeInto(popup, '#login-server', vault.origin);
    await typeInto(popup, '#login-email', vault.info.email);
    await typeInto(popup, '#login-password', vault.info.password);
    await popup.click('#login-submit');
    await waitForView(popup, 'unlock');
  }
  if ((await popupView(popup)) === 'unlock') {
    await typeInto(popup, '#unlock-password', vault.info.masterPassword);
    await popup.click('#unlock-submit');
    await waitForView(popup, 'main', 120_000);
  }
  await popup.close();
  return { login: 'sign-in and unlock', unlock: 'unlock' }[first] ?? 'nothing';
}
