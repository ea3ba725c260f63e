// SPDX-License-Identifier: MIT
// The popup's views in real headless Chromium and Firefox ESR, driven through the real
// background and native-messaging port, against scripted-host.mjs: the host actions
// these views need that the real host does not have yet (credentials.list / create /
// update / delete, custom fields, several backends at once) follow the contract there.
// Every screen is saved under build/e2e/screens/. The same views against the real host
// and the project's servers: popup-real-suite.mjs.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LAUNCHERS, browsersUnderTest, openExtensionPage, writeHostWrapper, eventually, SETUP_MS, TEARDOWN_MS } from './harness.mjs';
import { shot, waitView, messageText, startSite, pasteFromClipboard } from './screens.mjs';

const SCRIPTED_HOST = fileURLToPath(new URL('./scripted-host.mjs', import.meta.url));

export function scriptedSuite(name) {
  if (!browsersUnderTest().includes(name)) return;
  describe(`popup views against the scripted host, ${name}`, () => {
    let work;
    let site;
    let run;
    let logPath;
    const requests = () => (existsSync(logPath) ? readFileSync(logPath, 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l)) : []);

    before(async () => {
      work = mkdtempSync(join(tmpdir(), `pa-popup-${name}-`));
      site = await startSite();
      logPath = join(work, 'host.log');
      const hostPath = writeHostWrapper(work, process.execPath, [SCRIPTED_HOST]);
      run = await LAUNCHERS[name]({ hostPath, env: { SCRIPTED_HOST_SITE: site.origin, SCRIPTED_HOST_LOG: logPath } });
    }, { timeout: SETUP_MS });

    after(async () => {
      await run?.close();
      await site?.stop();
      rmSync(work, { recursive: true, force: true });
    }, { timeout: TEARDOWN_MS });

    /** The site in one tab, then the popup (as a tab) that speaks about it. */
    async function popupOverSite() {
      const page = await run.browser.newPage();
      await page.goto(`${site.origin}/login`);
      const popup = await openExtensionPage(run, 'src/popup/popup.html');
      await popup.bringToFront();
      await waitView(popup, 'main');
      return { page, popup };
    }

    async function openEntry(popup, id) {
      await popup.waitForSelector(`.list-item[data-id="${id}"]`, { timeout: 15_000 });
      await popup.$eval(`.list-item[data-id="${id}"] .name`, (el) => el.click());
      await waitView(popup, 'details');
    }

    it('the vault: the site\'s logins from two accounts, each labelled, then every entry', async () => {
      const { page, popup } = await popupOverSite();
      await eventually(() => popup.$$eval('#matches .match', (els) => els.length === 2), { message: 'two matches for the site' });
      const accounts = await popup.$$eval('#matches .match .account', (els) => els.map((el) => el.textContent));
      assert.ok(accounts.some((a) => a.includes('PassAgent')) && accounts.some((a) => a.includes('Passman')), `labelled by account: ${accounts}`);
      await popup.waitForSelector('#results .entry[data-id="pw-1"]');
      assert.equal(await popup.$eval('#search', (el) => el === document.activeElement), true, 'the search box has focus');
      await shot(popup, 'popup-vault', name);
      await popup.close();
      await page.close();
    });

    it('search finds entries of every unlocked account; arrows and Enter copy the password of one not for this tab', async () => {
      const { page, popup } = await popupOverSite();
      await popup.type('#search', 'bank');
      await eventually(() => popup.$$eval('#results .entry', (els) => els.length === 2), { message: 'two results' });
      await popup.$eval('#search', (el) => { el.value = ''; });
      await popup.type('#search', 'wiki');
      await eventually(() => popup.$$eval('#results .entry', (els) => els.length === 1 && els[0].dataset.id === 'pa-3'), { message: 'the wiki' });
      await shot(popup, 'popup-search', name);
      await popup.keyboard.press('Enter');
      await popup.waitForSelector('body[data-copied="password"]', { timeout: 15_000 });
      assert.match(await messageText(popup), /Password copied/);
      const copy = requests().findLast((r) => r.action === 'credentials.get');
      assert.deepEqual({ id: copy.params.id, purpose: copy.params.purpose }, { id: 'pa-3', purpose: 'copy' });
      assert.equal(await pasteFromClipboard(run, `${site.origin}/login`), 'wiki secret');
      await popup.close();
      await page.close();
    });

    it('details: username, masked password and hidden field until shown, TOTP, URLs, notes, account', async () => {
      const { page, popup } = await popupOverSite();
      await openEntry(popup, 'pa-1');
      await popup.waitForSelector('.custom-field[data-field="Security answer"]');
      assert.match(await popup.$eval('.custom-field[data-field="Security answer"] .value', (el) => el.textContent), /^•+$/);
      assert.equal(await popup.$eval('.custom-field[data-field="Customer number"] .value', (el) => el.textContent), 'C-778812');
      assert.match(await popup.$eval('#password-value', (el) => el.textContent), /^•+$/);
      await popup.waitForSelector('#prop-totp .code:not(:empty)');
      await shot(popup, 'popup-details', name);
      await popup.click('[data-reveal="password"]');
      await eventually(async () => (await popup.$eval('#password-value', (el) => el.textContent)) === 'correct horse battery staple', { message: 'the password shown' });
      await popup.click('.custom-field[data-field="Security answer"] [data-reveal]');
      await eventually(async () => (await popup.$eval('.custom-field[data-field="Security answer"] .value', (el) => el.textContent)) === 'blue whale', { message: 'the field shown' });
      await shot(popup, 'popup-details-revealed', name);
      await popup.click('.custom-field[data-field="Security answer"] [data-copy]');
      await popup.waitForSelector('body[data-copied="field"]');
      assert.equal(await pasteFromClipboard(run, `${site.origin}/login`), 'blue whale');
      await popup.close();
      await page.close();
    });

    it('a received share: "shared by", read only when shown (one view for the host to log), no edit', async () => {
      const { page, popup } = await popupOverSite();
      const before = requests().filter((r) => r.action === 'credentials.get' && r.params.id === 'pa-3').length;
      await popup.type('#search', 'wiki');
      await popup.waitForSelector('.list-item[data-id="pa-3"] .shared-by', { timeout: 15_000 });
      assert.equal(await popup.$eval('.list-item[data-id="pa-3"] .shared-by', (el) => el.textContent), 'Shared by lead@example.test');
      await openEntry(popup, 'pa-3');
      await popup.waitForSelector('#shared-by');
      assert.equal(await popup.$('#edit-entry'), null, 'no edit for a received share');
      assert.equal(requests().filter((r) => r.action === 'credentials.get' && r.params.id === 'pa-3').length, before, 'opening reads nothing');
      await popup.click('[data-reveal="password"]');
      await eventually(async () => (await popup.$eval('#password-value', (el) => el.textContent)) === 'wiki secret', { message: 'the shared password shown' });
      assert.match(await popup.$eval('#shared-by', (el) => el.textContent), /lead@example\.test/);
      await shot(popup, 'popup-details-share', name);
      const reads = requests().filter((r) => r.action === 'credentials.get' && r.params.id === 'pa-3').slice(before);
      assert.deepEqual(reads.map((r) => r.params.purpose), ['view']);
      await popup.close();
      await page.close();
    });

    it('edit: only the changed field is sent, with expectedUpdatedAt; the details show the change', async () => {
      const { page, popup } = await popupOverSite();
      await popup.type('#search', 'mail');
      await openEntry(popup, 'pa-4');
      await popup.click('#edit-entry');
      await waitView(popup, 'edit');
      await eventually(async () => (await popup.$eval('#edit-username', (el) => el.value)) === 'alice@mail.example', { message: 'the form filled' });
      await popup.$eval('#edit-username', (el) => { el.value = ''; });
      await popup.type('#edit-username', 'alice.new@mail.example');
      await shot(popup, 'popup-edit', name);
      await popup.click('#edit-save');
      await waitView(popup, 'details');
      const update = requests().findLast((r) => r.action === 'credentials.update');
      assert.deepEqual(Object.keys(update.params).sort(), ['account', 'expectedUpdatedAt', 'id', 'username']);
      await eventually(async () => (await popup.$eval('#prop-username .value', (el) => el.textContent)) === 'alice.new@mail.example', { message: 'the new username' });
      await popup.close();
      await page.close();
    });

    it('a CONFLICT is explained and nothing is overwritten; after loading the server\'s version the save goes through', async () => {
      const { page, popup } = await popupOverSite();
      await popup.type('#search', 'elsewhere');
      await openEntry(popup, 'pa-2');
      await popup.click('#edit-entry');
      await waitView(popup, 'edit');
      await eventually(async () => (await popup.$eval('#edit-password', (el) => el.value)) === 'first password', { message: 'the form filled' });
      await popup.$eval('#edit-password', (el) => { el.value = ''; });
      await popup.type('#edit-password', 'my new password');
      await popup.click('#edit-save');
      await popup.waitForSelector('#edit-conflict:not([hidden])', { timeout: 15_000 });
      assert.match(await popup.$eval('#edit-conflict', (el) => el.textContent), /Nothing was overwritten/);
      assert.equal(await popup.$eval('#edit-password', (el) => el.value), 'my new password', 'the edit is kept');
      await shot(popup, 'popup-edit-conflict', name);
      await popup.click('#edit-reload');
      await eventually(async () => (await popup.$eval('#edit-password', (el) => el.value)) === 'changed on another device', { message: "the server's version" });
      await popup.$eval('#edit-password', (el) => { el.value = ''; });
      await popup.type('#edit-password', 'my new password');
      await popup.click('#edit-save');
      await waitView(popup, 'details');
      const updates = requests().filter((r) => r.action === 'credentials.update' && r.params.id === 'pa-2');
      assert.equal(updates.length, 2);
      assert.notEqual(updates[0].params.expectedUpdatedAt, updates[1].params.expectedUpdatedAt);
      await popup.close();
      await page.close();
    });

    it('new login: saved in PassAgent and found by search; Passwork says its API is read-only', async () => {
      const { page, popup } = await popupOverSite();
      await popup.click('#new-entry');
      await waitView(popup, 'edit');
      assert.equal(await popup.$eval('#edit-url', (el) => el.value), `${site.origin}/login`, 'the tab\'s address is proposed');
      await popup.type('#edit-name', 'Forum');
      await popup.type('#edit-username', 'alice');
      await popup.click('#edit-generate');
      await eventually(async () => (await popup.$eval('#edit-password', (el) => el.value)).length >= 8, { message: 'a generated password' });
      await popup.click('#edit-add-field');
      await popup.type('.custom-field-row .field-name', 'Recovery code');
      await popup.type('.custom-field-row .field-value', 'R-1234');
      await popup.click('.custom-field-row .field-hidden');
      await shot(popup, 'popup-new', name);
      await popup.click('#edit-save');
      await waitView(popup, 'details');
      const create = requests().findLast((r) => r.action === 'credentials.create');
      assert.equal(create.params.name, 'Forum');
      assert.equal(create.hasPassword, true);
      assert.deepEqual(create.params.fields, [{ name: 'Recovery code', value: 'R-1234', hidden: true }]);

      await popup.click('#back');
      await waitView(popup, 'main');
      await popup.type('#search', 'forum');
      await eventually(async () => (await popup.$$eval('#results .entry .name', (els) => els.map((el) => el.textContent))).join() === 'Forum', { message: 'the new login found' });

      await popup.click('#new-entry');
      await waitView(popup, 'edit');
      const passwork = await popup.$$eval('#edit-account option', (els) => els.find((o) => o.textContent.includes('Passwork')).value);
      await popup.select('#edit-account', passwork);
      await popup.type('#edit-name', 'Not possible');
      await popup.click('#edit-save');
      assert.match(await messageText(popup), /Passwork's API is read-only/);
      await shot(popup, 'popup-passwork-read-only', name);
      await popup.close();
      await page.close();
    });

    it('delete asks once more, then the entry is gone from the vault', async () => {
      const { page, popup } = await popupOverSite();
      await popup.type('#search', 'nextcloud');
      await openEntry(popup, 'pm-2');
      await popup.click('#edit-entry');
      await waitView(popup, 'edit');
      await popup.click('#edit-delete');
      await shot(popup, 'popup-delete-confirm', name);
      assert.equal(requests().filter((r) => r.action === 'credentials.delete').length, 0, 'the first click deletes nothing');
      await popup.click('#edit-delete');
      await waitView(popup, 'main');
      assert.match(await messageText(popup), /deleted/);
      await popup.type('#search', 'nextcloud');
      await popup.waitForSelector('#results + .empty:not([hidden])');
      await popup.close();
      await page.close();
    });

    it('the generator: presets, length, classes; copy puts the password on the clipboard', async () => {
      const { page, popup } = await popupOverSite();
      await popup.click('#nav [data-view="generator"]');
      await waitView(popup, 'generator');
      await popup.waitForSelector('#generated span');
      await popup.click('#gen-symbols');
      await eventually(async () => /^[A-Za-z0-9]{20}$/.test(await popup.$eval('#generated', (el) => el.textContent)), { message: 'no symbols' });
      await shot(popup, 'popup-generator', name);
      await popup.click('[data-preset="memorable"]');
      await eventually(async () => /^[a-z]+(-[a-z]+){4}$/.test(await popup.$eval('#generated', (el) => el.textContent)), { message: 'five words' });
      await shot(popup, 'popup-generator-memorable', name);
      const shown = await popup.$eval('#generated', (el) => el.textContent);
      await popup.click('#gen-copy');
      await popup.waitForSelector('body[data-copied="generated"]');
      assert.equal(await pasteFromClipboard(run, `${site.origin}/login`), shown);
      await popup.click('[data-preset="strong"]'); // Leave the default for the next run.
      await popup.click('#gen-symbols');
      await popup.close();
      await page.close();
    });

    it('accounts: every account with its state; a remembered one asks only for the master password; lock one', async () => {
      const { page, popup } = await popupOverSite();
      await popup.click('#nav [data-view="accounts"]');
      await waitView(popup, 'accounts');
      const states = await popup.$$eval('.account-row', (els) => els.map((el) => el.dataset.status));
      assert.deepEqual(states, ['unlocked', 'unlocked', 'unlocked', 'remembered']);
      await shot(popup, 'popup-accounts', name);
      await popup.click('.account-row[data-status="remembered"] [data-act="unlock"]');
      await waitView(popup, 'unlock');
      assert.match(await popup.$eval('#view-unlock', (el) => el.textContent), /only your master password/);
      await shot(popup, 'popup-unlock-remembered', name);
      await popup.type('#unlock-password', 'master');
      await popup.click('#unlock-submit');
      await waitView(popup, 'accounts');
      await eventually(() => popup.$$eval('.account-row', (els) => els.every((el) => el.dataset.status === 'unlocked')), { message: 'all four unlocked' });
      await popup.click('.account-row:nth-child(2) [data-act="lock"]');
      await eventually(() => popup.$$eval('.account-row', (els) => els[1].dataset.status === 'locked'), { message: 'Passman locked' });
      assert.deepEqual(requests().findLast((r) => r.action === 'vault.lock').params, { account: 'passman:bob@https://cloud.example' });
      await popup.click('#lock-all');
      await eventually(() => popup.$$eval('.account-row', (els) => els.every((el) => ['locked', 'remembered'].includes(el.dataset.status))), { message: 'all locked' });
      assert.equal(await popup.$eval('#nav', (el) => el.hidden), true, 'no vault to browse');
      await shot(popup, 'popup-accounts-locked', name);
      await popup.close();
      // Opened again with every vault locked, the popup asks to unlock the first.
      const again = await openExtensionPage(run, 'src/popup/popup.html');
      await waitView(again, 'unlock');
      await shot(again, 'popup-unlock', name);
      await again.type('#unlock-password', 'master');
      await again.click('#unlock-submit');
      await waitView(again, 'main');
      await again.close();
      await page.close();
    });
  });

  describe(`options page, ${name}`, () => {
    it('uses the same tokens as the popup (screenshot)', async () => {
      const work = mkdtempSync(join(tmpdir(), `pa-options-${name}-`));
      const run = await LAUNCHERS[name]({ hostPath: writeHostWrapper(work, process.execPath, [SCRIPTED_HOST]) });
      try {
        const page = await openExtensionPage(run, 'src/options/options.html');
        await page.waitForSelector('#form');
        assert.equal(await page.$eval('body', (el) => getComputedStyle(el).getPropertyValue('--pa-accent').trim() !== ''), true, 'the tokens are loaded');
        await page.waitForSelector('body[data-rules="ready"]', { timeout: 20_000 });
        // No Save button: a field is saved when it is left, as a box is when it is ticked.
        assert.equal(await page.$('button[type="submit"]'), null);
        await page.$eval('#autoLockMinutes', (el) => { el.value = ''; });
        await page.type('#autoLockMinutes', '7');
        await page.keyboard.press('Tab');
        await page.waitForFunction(() => document.getElementById('status').textContent === 'Saved.', { timeout: 15_000 });
        const stored = await page.evaluate(async () => (await (globalThis.browser ?? globalThis.chrome).storage.local.get('settings')).settings);
        assert.equal(stored.autoLockMinutes, 7);
        await shot(page, 'options', name);
      } finally {
        await run.close();
        rmSync(work, { recursive: true, force: true });
      }
    });
  });

  describe(`popup without a host, ${name}`, () => {
    it('says the helper program is missing (screenshot)', async () => {
      const work = mkdtempSync(join(tmpdir(), `pa-nohost-${name}-`));
      const run = await LAUNCHERS[name]({ hostPath: join(work, 'no-such-host') });
      try {
        const popup = await openExtensionPage(run, 'src/popup/popup.html');
        await waitView(popup, 'host', 30_000);
        assert.ok((await popup.$eval('#host-problem', (el) => el.textContent)).length > 20);
        await shot(popup, 'popup-no-host', name);
      } finally {
        await run.close();
        rmSync(work, { recursive: true, force: true });
      }
    });
  });
}
