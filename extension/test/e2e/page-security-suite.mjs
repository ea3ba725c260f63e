// SPDX-License-Identifier: MIT
// The clickjacking variants of Marek Tóth's DEF CON 33 talk (2025), replayed against the
// in-page chooser in real headless Chromium and Firefox ESR, with the real host and the
// project's PassAgent test server. Each attack is the page's own script (run in the
// page's world by page.evaluate), aimed at the demo login; each click is a real, trusted
// mouse click where the chooser's first login is drawn. Each variant must fill nothing
// and must be refused for its reason (the chooser says which in data-passagent-refused),
// so a test cannot pass by missing the chooser; a genuine pick at the same place fills.
// Also (Chromium): the clipboard clear survives the extension's service worker being
// stopped. Screens: build/e2e/screens/clickjack-*.png.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { browsersUnderTest, eventually, openExtensionPage, CHOOSER_SETTLE_MS, CHROMIUM_ID, SETUP_MS, TEARDOWN_MS } from './harness.mjs';
import { startServer, serverAvailable, REPO_ROOT } from './passagent-server.mjs';
import { HOST_BIN, launchRealHost, signInFromPopup, unlockFromPopup, popupMatches } from './real-host-suite.mjs';

const SCREENS = resolve(REPO_ROOT, 'build/e2e/screens');
const pause = (ms) => new Promise((r) => setTimeout(r, ms));
const value = (page, selector) => page.$eval(selector, (el) => el.value);

// Where the first login sits in the chooser (chooser.js: 4 px box padding, a 12 px title
// line, then 6 px button padding around a name line).
const FIRST_ITEM = { dx: 60, dy: 44 };

async function shot(page, name) {
  mkdirSync(SCREENS, { recursive: true });
  await page.screenshot({ path: join(SCREENS, `${name}.png`) });
}

async function chooserBox(page) {
  return page.$eval('passagent-chooser[data-passagent-state="open"]', (el) => {
    const r = el.getBoundingClientRect();
    return { left: r.left, top: r.top, width: r.width, height: r.height };
  }).catch(() => null);
}

/** A real click on the username field, until the chooser is open under it. */
async function openChooser(page) {
  return eventually(async () => {
    if (!(await chooserBox(page))) await page.click('#username');
    const box = await chooserBox(page);
    return box && box.height > 40 ? box : null;
  }, { timeout: 15_000, message: 'the chooser under #username' });
}

async function clickFirstItem(page, box) {
  await page.mouse.click(box.left + FIRST_ITEM.dx, box.top + FIRST_ITEM.dy);
}

const refusedReason = (page) => page.evaluate(() => document.querySelector('passagent-chooser')?.getAttribute('data-passagent-refused')
  ?? document.documentElement.getAttribute('data-passagent-refused'));

async function assertNothingFilled(page) {
  await pause(1000); // A fill would have come by now (the host answers in milliseconds).
  assert.equal(await value(page, '#username'), '', 'the username stays empty');
  assert.equal(await value(page, '#password'), '', 'the password stays empty');
}

// The attacks: each runs in the page (a plain page script could do the same).
const VARIANTS = [
  {
    name: "opacity 0 on the chooser's host element, set by script as it appears",
    before: () => {
      new MutationObserver(() => {
        const host = document.querySelector('passagent-chooser');
        if (host) host.style.setProperty('opacity', '0', 'important');
      }).observe(document.documentElement, { childList: true, subtree: true, attributes: true });
    },
    reason: /^opacity$/,
  },
  {
    name: 'opacity 0.01 on html',
    before: () => { document.documentElement.style.opacity = '0.01'; },
    reason: /^opacity$/,
  },
  {
    name: 'opacity 0.01 on body',
    before: () => { document.body.style.opacity = '0.01'; },
    reason: /^opacity$/,
  },
  {
    name: 'a filter that makes body invisible',
    before: () => { document.body.style.filter = 'opacity(0)'; },
    reason: /^filter$/,
  },
  {
    name: 'a decoy popover on top of the chooser, passing the click through',
    after: () => {
      const decoy = document.createElement('div');
      decoy.setAttribute('popover', 'manual');
      decoy.style.cssText = 'inset:0;width:100vw;height:100vh;margin:0;border:0;background:#fffbe6;pointer-events:none;font:24px sans-serif';
      decoy.textContent = 'Click anywhere to claim your prize!';
      document.body.append(decoy);
      decoy.showPopover();
    },
    reason: /^covered$/,
    screen: 'clickjack-blocked-overlay',
  },
  {
    name: 'a pass-through frame in a popover over the chooser',
    after: () => {
      const holder = document.createElement('div');
      holder.setAttribute('popover', 'manual');
      holder.style.cssText = 'inset:0;width:100vw;height:100vh;margin:0;border:0;padding:0;background:transparent;pointer-events:none';
      const frame = document.createElement('iframe');
      frame.srcdoc = '<body style="background:#e6f4ff;font:22px sans-serif">Accept cookies</body>';
      frame.style.cssText = 'width:100%;height:100%;border:0;pointer-events:none';
      holder.append(frame);
      document.body.append(holder);
      holder.showPopover();
    },
    reason: /^covered$/,
  },
  {
    name: 'the login fields at opacity 0.01',
    before: () => { for (const el of document.querySelectorAll('input')) el.style.opacity = '0.01'; },
    reason: /^opacity$/,
  },
  {
    name: 'the chooser moved under the pointer just before the click',
    after: () => {
      const host = document.querySelector('passagent-chooser');
      host.style.setProperty('top', `${host.getBoundingClientRect().top + 60}px`, 'important');
    },
    moved: 60,
    reason: /^too-soon$/,
  },
];

export function pageSecuritySuite(name) {
  if (!browsersUnderTest().includes(name)) return;
  const missing = !HOST_BIN ? 'no passagent-host built (cmake --build --preset dev --target passagent-host)' : !serverAvailable() ? 'no test server' : null;
  describe(`in-page security (clickjacking, clipboard), ${name}`, { skip: missing && !process.env.CI ? missing : false }, () => {
    let server;
    let host;
    let run;
    let url;

    before(async () => {
      server = await startServer();
      host = await launchRealHost(name, 'clickjack', { server: server.origin, anonKey: server.info.anonKey, autoLockMinutes: 30 });
      run = host.run;
      const popup = await signInFromPopup(run, server);
      await unlockFromPopup(popup, server);
      await popup.close();
      url = `${server.origin}/demo/login`;
    }, { timeout: SETUP_MS });

    after(async () => {
      await host?.close();
      await server?.stop();
    }, { timeout: TEARDOWN_MS });

    it('a genuine pick (a trusted click on the visible chooser after 500 ms) fills', async () => {
      const page = await run.browser.newPage();
      await page.goto(url);
      const box = await openChooser(page);
      await pause(CHOOSER_SETTLE_MS);
      await shot(page, `clickjack-chooser-${name}`);
      assert.equal(await page.evaluate(() => document.querySelector('passagent-chooser').matches(':popover-open')), true, 'the chooser is in the top layer');
      await clickFirstItem(page, box);
      await eventually(async () => (await value(page, '#password')) !== '', { message: 'the fill' });
      assert.notEqual(await value(page, '#username'), '');
      await page.close();
    });

    it('a click sooner than 500 ms after the chooser appears fills nothing', async () => {
      const page = await run.browser.newPage();
      await page.goto(url);
      await page.click('#username');
      const box = await eventually(() => chooserBox(page), { timeout: 15_000, message: 'the chooser' });
      await clickFirstItem(page, box);
      assert.equal(await refusedReason(page), 'too-soon');
      await assertNothingFilled(page);
      await shot(page, `clickjack-refused-${name}`);
      await page.close();
    });

    for (const variant of VARIANTS) {
      it(`blocked: ${variant.name}`, async () => {
        const page = await run.browser.newPage();
        await page.goto(url);
        if (variant.before) await page.evaluate(variant.before);
        const box = await openChooser(page);
        await pause(CHOOSER_SETTLE_MS);
        if (variant.after) await page.evaluate(variant.after);
        await clickFirstItem(page, { ...box, top: box.top + (variant.moved ?? 0) });
        if (variant.screen) await shot(page, `${variant.screen}-${name}`);
        await eventually(() => refusedReason(page), { message: 'the refusal' });
        assert.match(await refusedReason(page), variant.reason);
        await assertNothingFilled(page);
        await page.close();
      });
    }

    it('blocked: a focus the page sets (after a click on its decoy) opens no chooser', async () => {
      const page = await run.browser.newPage();
      await page.goto(url);
      await page.evaluate(() => {
        const decoy = document.createElement('button');
        decoy.id = 'decoy';
        decoy.textContent = 'Play the game';
        decoy.addEventListener('click', () => document.getElementById('username').focus());
        document.body.prepend(decoy);
      });
      await page.click('#decoy');
      await pause(1500);
      assert.equal(await page.evaluate(() => document.activeElement?.id), 'username', 'the page did focus the field');
      assert.equal(await chooserBox(page), null, 'no chooser under a focus the page set');
      await page.keyboard.press('ArrowDown');
      await page.keyboard.press('Enter');
      await assertNothingFilled(page);
      await page.close();
    });

    it('the clipboard is cleared on time although the service worker was stopped meanwhile', { skip: name !== 'chromium' && 'a service worker to stop is Chromium\'s' }, async () => {
      const page = await run.browser.newPage();
      await page.goto(url);
      const { popup, matches } = await popupMatches(run, page);
      await popup.evaluate(async () => {
        const { settings } = await chrome.storage.local.get('settings');
        await chrome.storage.local.set({ settings: { ...settings, clipboardClearSeconds: 8 } });
      });
      await popup.click('.match [data-copy="username"]');
      await popup.waitForSelector('body[data-copied="username"]', { timeout: 15_000 });
      assert.equal(await paste(page), matches[0].username, 'the copy reached the clipboard');
      // Stop the worker (as Chromium does to an idle one): its memory, timers included, is
      // gone. A mark left in the old one's globals tells a new worker from it.
      await (await run.serviceWorker()).evaluate(() => { globalThis.paOldWorker = true; });
      const cdp = await popup.createCDPSession();
      await cdp.send('ServiceWorker.enable');
      await cdp.send('ServiceWorker.stopAllWorkers');
      await popup.close();
      await eventually(async () => {
        const workers = run.browser.targets().filter((t) => t.type() === 'service_worker' && t.url().includes(CHROMIUM_ID));
        if (!workers.length) return true; // Stopped, not started again yet.
        const marks = await Promise.all(workers.map(async (t) => (await t.worker())?.evaluate(() => globalThis.paOldWorker === true).catch(() => false)));
        return marks.every((old) => !old);
      }, { timeout: 20_000, message: 'the old worker gone' });
      // A new worker (started here by an extension page, as any event would start it) has
      // no timer of the old one: the alarm and storage.session entry it left clear on time.
      // (Headless Chromium did not start the stopped worker for the alarm by itself in
      // our runs; the startup check in clipboard.js covers a worker started late.)
      const view = await openExtensionPage(run, 'src/options/options.html');
      await view.waitForSelector('body[data-rules="ready"]', { timeout: 20_000 });
      await eventually(async () => (await paste(page)) === '', { timeout: 40_000, interval: 1000, message: 'the clipboard cleared' });
      await view.close();
      await page.close();
    });
  });
}

/** What a paste into the page gives (a real Ctrl+V into a new textarea). */
async function paste(page) {
  await page.bringToFront();
  await page.evaluate(() => {
    document.getElementById('pa-paste')?.remove();
    const area = document.createElement('textarea');
    area.id = 'pa-paste';
    document.body.append(area);
  });
  await page.click('#pa-paste');
  await page.keyboard.down('Control');
  await page.keyboard.press('KeyV');
  await page.keyboard.up('Control');
  return page.$eval('#pa-paste', (el) => el.value);
}
