// SPDX-License-Identifier: MIT
// HARNESS SELF-TEST. Shows that the e2e harness can start real headless Chromium and
// Firefox ESR with this extension, that the browser starts a native host for it with
// the extension's fixed id, and that autofill works end to end. The host here is
// test/e2e/fake-host.mjs (canned data), NOT passagent-host: the real-host tests are in
// real-host.test.mjs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, existsSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LAUNCHERS, browsersUnderTest, writeHostWrapper, eventually, openExtensionPage, CHROMIUM_ID, GECKO_ID, CHOOSER_SETTLE_MS } from './harness.mjs';
import { servePages } from './pages.mjs';

const FAKE_HOST = new URL('./fake-host.mjs', import.meta.url).pathname;

function readLog(path) {
  return existsSync(path) ? readFileSync(path, 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l)) : [];
}

for (const name of browsersUnderTest()) {
  test(`harness self-test (fake host): ${name} loads the extension, starts the host and autofills a 127.0.0.1 page`, async (t) => {
    const work = mkdtempSync(join(tmpdir(), 'pa-selftest-'));
    const site = await servePages();
    const logPath = join(work, 'host.log');
    const hostPath = writeHostWrapper(work, process.execPath, [FAKE_HOST]);
    const run = await LAUNCHERS[name]({ hostPath, env: { FAKE_HOST_ORIGIN: site.origin, FAKE_HOST_LOG: logPath } });
    t.after(async () => {
      await run.close();
      await site.close();
      rmSync(work, { recursive: true, force: true });
    });

    // The browser started the host and named the caller the way the host's allow-list expects.
    const started = await eventually(() => readLog(logPath).find((r) => r.started), { timeout: 20_000, message: 'the host to start' });
    if (name === 'chromium') assert.deepEqual(started.argv.slice(0, 1), [`chrome-extension://${CHROMIUM_ID}/`]);
    else assert.equal(started.argv[1], GECKO_ID);
    await eventually(() => readLog(logPath).some((r) => r.action === 'hello'), { message: 'hello' });

    const page = await run.browser.newPage();
    await page.goto(`${site.origin}/login`);
    await eventually(async () => {
      await page.click('#username');
      return page.$('passagent-chooser[data-passagent-state="open"]');
    }, { timeout: 15_000, message: 'the chooser under the username field' });
    await new Promise((r) => setTimeout(r, CHOOSER_SETTLE_MS)); // A pick counts once the list has been on screen 500 ms.
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await eventually(async () => (await page.$eval('#password', (el) => el.value)) !== '', { message: 'the password to be filled' });
    assert.equal(await page.$eval('#username', (el) => el.value), 'alice@example.test');
    assert.equal(await page.$eval('#password', (el) => el.value), 'correct horse battery staple');
    assert.equal(await page.$eval('#trap', (el) => el.value), '', 'the hidden field stays empty');
    assert.match(await page.$eval('#events', (el) => el.textContent), /username password/, 'the page saw input events');

    const get = readLog(logPath).find((r) => r.action === 'credentials.get');
    assert.equal(get.params.purpose, 'fill');
    assert.equal(get.params.url, `${site.origin}/login`, 'the URL is the one the browser reports for the frame');

    // The popup (opened as a tab) lists the match for the page used last.
    await page.bringToFront();
    const popup = await openExtensionPage(run, 'src/popup/popup.html');
    await popup.waitForSelector('body[data-view="main"] .match', { timeout: 15_000 }).catch(async (error) => {
      const seen = await popup.evaluate(() => `view=${document.body.dataset.view} message=${document.getElementById('message').textContent}`);
      throw new Error(`${error.message} (popup shows ${seen})`);
    });
    assert.equal(await popup.$eval('.match .user', (el) => el.textContent), 'alice@example.test');

    // Copy the code from the popup; a paste into a page shows what the clipboard holds.
    await popup.click('.match [data-copy="totp"]');
    await popup.waitForSelector('body[data-copied="totp"]', { timeout: 10_000 });
    const paste = await run.browser.newPage();
    await paste.goto(`${site.origin}/paste`);
    await paste.click('#paste');
    await paste.keyboard.down('Control');
    await paste.keyboard.press('KeyV');
    await paste.keyboard.up('Control');
    await eventually(async () => (await paste.$eval('#paste', (el) => el.value)) === '123456', { message: 'the pasted TOTP code' });
  });
}
