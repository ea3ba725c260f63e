// SPDX-License-Identifier: MIT
// Screenshots of extension pages under build/e2e/screens/ (from the repository root),
// and small helpers the popup suites share.
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
export const SCREENS = process.env.PASSAGENT_E2E_SCREENS ?? join(REPO, 'build/e2e/screens');

/** Saves the popup as a person sees it: its body, not the rest of the tab. */
export async function shot(page, name, browserName) {
  mkdirSync(SCREENS, { recursive: true });
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  const body = await page.$('body');
  const path = join(SCREENS, `${name}-${browserName}.png`);
  await body.screenshot({ path });
  return path;
}

/** Waits for the popup's view and, on a timeout, says which one shows and its message. */
export async function waitView(page, view, timeout = 20_000) {
  try {
    await page.waitForSelector(`body[data-view="${view}"]`, { timeout });
  } catch {
    const seen = await page.evaluate(() => ({ view: document.body.dataset.view, message: document.getElementById('message')?.textContent })).catch(() => ({}));
    throw new Error(`the popup shows "${seen.view}", not ${view}${seen.message ? `; message: ${seen.message}` : ''}`);
  }
}

/** The message line's text, once it shows. */
export async function messageText(page, timeout = 15_000) {
  await page.waitForSelector('#message:not([hidden])', { timeout });
  return page.$eval('#message', (el) => el.textContent);
}

/** A tiny web site with a sign-in form, on 127.0.0.1 (the tab the popup talks about). */
export async function startSite() {
  const server = createServer((req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(`<!doctype html><title>Example Bank</title><h1>Example Bank</h1>
<form id="f" method="post" action="/done"><label>User <input id="username" name="u" autocomplete="username"></label>
<label>Password <input id="password" name="p" type="password" autocomplete="current-password"></label><button id="submit">Sign in</button></form>
<textarea id="pa-paste"></textarea>`);
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const origin = `http://127.0.0.1:${server.address().port}`;
  return { origin, stop: () => new Promise((r) => server.close(r)) };
}

/** What the clipboard holds, pasted into a textarea of a web page of `origin`. */
export async function pasteFromClipboard(run, url) {
  const page = await run.browser.newPage();
  await page.goto(url);
  await page.evaluate(() => {
    const area = document.getElementById('pa-paste') ?? document.body.appendChild(Object.assign(document.createElement('textarea'), { id: 'pa-paste' }));
    area.value = '';
  });
  await page.click('#pa-paste');
  await page.keyboard.down('Control');
  await page.keyboard.press('KeyV');
  await page.keyboard.up('Control');
  const text = await page.$eval('#pa-paste', (el) => el.value);
  await page.close();
  return text;
}

export function writeJsonLines(path, records) {
  writeFileSync(path, records.map((r) => JSON.stringify(r)).join('\n'));
}
