// SPDX-License-Identifier: MIT
// The measurements, the same for every extension: each reads the marks the page (or the
// popup) took with its own clock, so the driver's polling does not add to a figure.
import { openExtensionPage, until } from './browsers.mjs';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Nearest-rank percentile of a list of numbers. */
export function percentile(values, p) {
  if (!values.length) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

export function summary(values) {
  return { n: values.length, p50: percentile(values, 50), p95: percentile(values, 95) };
}

// How long after the offer the person picks (not measured). Our chooser takes no pick it
// has not shown, unmoved, for 500 ms (the clickjacking guard, extension/src/content/guard.js).
const PICK_AFTER_MS = 700;

const readMarks = (page) => page.evaluate(() => window.__bench && { ...window.__bench });

/**
 * Clicks the username field as a person does (a trusted mouse event: the in-page chooser
 * opens only for a field the person clicked or tabbed to) as soon as the page has loaded,
 * and waits for `offer`. A click that came before the extension watched the field opens
 * nothing, so without an offer after `retryMs` the field is clicked again, as a person
 * would; the number of clicks is kept.
 * @returns {Promise<object>} the page's marks once `offer` matched
 */
async function clickUntilOffered(page, { retryMs = 150, timeout = 20_000, what }) {
  const deadline = Date.now() + timeout;
  for (;;) {
    await page.click('#username');
    const marks = await until(async () => {
      const m = await readMarks(page);
      return m && m.ready !== null ? m : null;
    }, { timeout: retryMs, interval: 5, what }).catch(() => null);
    if (marks) return marks;
    if (Date.now() > deadline) throw new Error(`no ${what} within ${timeout} ms`);
  }
}

/**
 * Loads the login page `n` times in one tab. Each load: the page's load event, a click
 * in the username field (clickUntilOffered), then navigation start → `offer` matches in
 * the page (ready), navigation start → the last click (clickAt: the benchmark's own
 * latency, a lower bound for any offer that waits for a click) and the last click → the
 * offer (clickToReady); with `list` (the offer is a mark shown before the list), the
 * last click → the list shown (clickToList); then ArrowDown, Enter
 * on the first login, and Enter's keydown → both fields filled (pick).
 * @returns {Promise<{ready: number[], clickToReady: number[], clickAt: number[], pick: number[], extraClicks: number, readyWhat: string, filledAs: string}>}
 */
export async function loginLoads(run, loginUrl, { offer, list = null, n, settleMs = PICK_AFTER_MS, expectUsername }) {
  const page = await run.browser.newPage();
  await page.bringToFront();
  const ready = [];
  const clickToReady = [];
  const clickAt = [];
  const pick = [];
  const loadAt = [];
  const loadToClick = [];
  const parsedAt = [];
  const clickToList = [];
  let extraClicks = 0;
  let readyWhat = '';
  let filledAs = '';
  for (let i = 0; i < n; i += 1) {
    const url = `${loginUrl}?offer=${encodeURIComponent(offer)}${list ? `&list=${encodeURIComponent(list)}` : ''}&load=${i}`;
    await page.goto(url, { waitUntil: 'load' });
    let marks = await clickUntilOffered(page, { what: `the extension's offer (${offer}) on load ${i + 1}` });
    if (list) {
      // The offer was a mark: the list to pick from opens on the click.
      marks = await until(async () => {
        const m = await readMarks(page);
        return m && m.listed !== null ? m : null;
      }, { timeout: 20_000, interval: 5, what: `the list (${list}) after the click on load ${i + 1}` });
      clickToList.push(marks.listed - marks.click);
    }
    ready.push(marks.ready);
    clickAt.push(marks.click);
    loadAt.push(marks.loaded);
    parsedAt.push(marks.parsed);
    loadToClick.push(marks.click - marks.loaded);
    // Ready before the click (an extension that shows it without one): 0.
    clickToReady.push(Math.max(0, marks.ready - marks.click));
    extraClicks += marks.clicks - 1;
    readyWhat = marks.readyWhat;
    // The pick: the keyboard, as a person would; the wait before Enter is not measured.
    await page.keyboard.press('ArrowDown');
    await sleep(settleMs);
    await page.keyboard.press('Enter');
    const filled = await until(async () => {
      const m = await readMarks(page);
      return m && m.filled !== null && m.enter !== null ? m : null;
    }, { timeout: 20_000, what: `both fields filled on load ${i + 1}` });
    pick.push(filled.filled - filled.enter);
    filledAs = await page.$eval('#username', (el) => el.value);
    if (expectUsername && filledAs !== expectUsername) throw new Error(`load ${i + 1} filled "${filledAs}", not ${expectUsername}`);
  }
  await page.close();
  return { ready, clickToReady, clickToList, clickAt, loadAt, parsedAt, loadToClick, pick, extraClicks, readyWhat, filledAs };
}

/**
 * The login page `n` times with no offer to wait for (a browser without an extension):
 * the load event and the benchmark's click, timed as loginLoads times them.
 * @returns {Promise<{clickAt: number[], loadAt: number[], parsedAt: number[], loadToClick: number[]}>}
 */
export async function bareLoginLoads(run, loginUrl, { n }) {
  const page = await run.browser.newPage();
  await page.bringToFront();
  const clickAt = [];
  const loadAt = [];
  const parsedAt = [];
  const loadToClick = [];
  for (let i = 0; i < n; i += 1) {
    await page.goto(`${loginUrl}?load=${i}`, { waitUntil: 'load' });
    await page.click('#username');
    const marks = await until(async () => {
      const m = await readMarks(page);
      return m && m.click !== null && m.loaded !== null ? m : null;
    }, { timeout: 20_000, interval: 5, what: `the click on load ${i + 1}` });
    clickAt.push(marks.click);
    loadAt.push(marks.loaded);
    parsedAt.push(marks.parsed);
    loadToClick.push(marks.click - marks.loaded);
  }
  await page.close();
  return { clickAt, loadAt, parsedAt, loadToClick };
}

// The time (since the popup's navigation started) of the first frame after its list got
// an entry. Chromium runs this before the popup's own scripts (evaluateOnNewDocument).
// Firefox does not run preload scripts in extension pages: there the driver installs it
// as soon as the popup's document answers, and when the list was already there by then
// the install time stands in, an upper bound (counted in `late`).
const POPUP_MARK = (selector) => {
  if (window.__benchPopupInstalled) return window.__benchPopup ?? null;
  window.__benchPopupInstalled = true;
  window.__benchPopup = null;
  const mark = () => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => { window.__benchPopup = performance.now(); };
    channel.port2.postMessage(0);
  };
  if (document.querySelector(selector)) {
    window.__benchPopupLate = true;
    window.__benchPopup = performance.now();
    return window.__benchPopup;
  }
  const observer = new MutationObserver(() => {
    if (!document.querySelector(selector)) return;
    observer.disconnect();
    requestAnimationFrame(mark);
  });
  observer.observe(document, { childList: true, subtree: true });
  return null;
};

/**
 * Opens the toolbar popup (as a tab, the page in `pageTab` being the one it lists for)
 * `n` times: the popup's navigation start → its list painted.
 * @returns {Promise<{times: number[], late: number}>}
 */
export async function popupPaints(run, pageTab, { path, listSelector, n }) {
  const times = [];
  let late = 0;
  for (let i = 0; i < n; i += 1) {
    await pageTab.bringToFront();
    const popup = await run.browser.newPage();
    if (run.name === 'chromium') await popup.evaluateOnNewDocument(POPUP_MARK, listSelector);
    const opening = openExtensionPage(run, path, popup);
    const t = await until(async () => {
      const v = await popup.evaluate(POPUP_MARK, listSelector);
      return typeof v === 'number' ? v : null;
    }, { timeout: 20_000, interval: 5, what: `the popup's list (${listSelector})` });
    await opening;
    if (await popup.evaluate(() => window.__benchPopupLate === true)) late += 1;
    times.push(t);
    await popup.close();
  }
  return { times, late };
}

/**
 * Chromium: the text our in-page chooser shows. Its shadow root is closed to the page's
 * scripts, so the page's marks see only that it opened; the DevTools protocol's DOM,
 * pierced, sees inside (a login offered, or "PassAgent is locked").
 */
async function chooserText(page, element) {
  const cdp = await page.createCDPSession();
  try {
    const { root } = await cdp.send('DOM.getDocument', { depth: -1, pierce: true });
    const texts = [];
    const walk = (node, inside) => {
      const here = inside || node.nodeName === element.toUpperCase();
      if (here && node.nodeType === 3) texts.push(node.nodeValue);
      for (const child of [...(node.children ?? []), ...(node.shadowRoots ?? [])]) walk(child, here);
    };
    walk(root, false);
    return texts.join(' ');
  } finally {
    await cdp.detach();
  }
}

/**
 * Chromium only: stops the extension's service worker (as Chromium stops an idle or
 * crashed one), then loads the login page and clicks the field. If the extension offers its logins again
 * within `offerWaitMs`, the figures are: the stop → the offer (toReady), and the first
 * pick (Enter → both fields filled). If it does not (the host went with the worker and
 * the person is signed out), `recover()` signs in and unlocks as a person would, and
 * the figure is the stop → the first fill with that sign-in (typing included; the
 * `offerWaitMs` spent waiting for an offer and the pause before Enter left out). A
 * chooser that opens without `expectUsername` in it (a remembered sign-in: "PassAgent is
 * locked") is no offer either. `recover()` says what it took ('sign-in and unlock', or 'unlock' when the sign-in was
 * remembered in a keyring): `recovered` lists it for each restart.
 * @returns {Promise<{toReady: number[], firstPick: number[], toFilledWithSignIn: number[], recovered: string[], outcome: string}>}
 */
export async function serviceWorkerRestarts(run, loginUrl, { offer, expectUsername, n, settleMs = PICK_AFTER_MS, offerWaitMs = 5_000, recover }) {
  const toReady = [];
  const firstPick = [];
  const toFilledWithSignIn = [];
  const recovered = [];
  let outcome = 'offer';
  const page = await run.browser.newPage();
  const offers = async (marks) => marks && (await chooserText(page, offer)).includes(expectUsername) ? marks : null;
  for (let i = 0; i < n; i += 1) {
    await page.bringToFront();
    const worker = await run.serviceWorker();
    await worker.close();
    const stopped = Date.now();
    await page.goto(`${loginUrl}?offer=${encodeURIComponent(offer)}&restart=${i}`, { waitUntil: 'load' });
    const navStartedAt = await page.evaluate(() => performance.timeOrigin);
    const loadedAt = Date.now();
    let marks = await offers(await clickUntilOffered(page, { timeout: offerWaitMs, what: 'the offer' }).catch(() => null));
    let waited = 0; // Waiting to see whether an offer comes is the benchmark's, not the person's.
    if (!marks) {
      outcome = 'signed out';
      waited = Date.now() - loadedAt;
      recovered.push(await recover());
      await page.bringToFront();
      await page.goto(`${loginUrl}?offer=${encodeURIComponent(offer)}&restart=${i}&again=1`, { waitUntil: 'load' });
      marks = await offers(await clickUntilOffered(page, { timeout: 30_000, what: `the offer after signing in again (${i + 1})` }));
      if (!marks) throw new Error(`the chooser did not offer ${expectUsername} after signing in again (${i + 1})`);
    } else {
      toReady.push(navStartedAt + marks.ready - stopped);
    }
    await page.keyboard.press('ArrowDown');
    await sleep(settleMs);
    await page.keyboard.press('Enter');
    const filled = await until(async () => {
      const m = await readMarks(page);
      return m && m.filled !== null && m.enter !== null ? m : null;
    }, { timeout: 30_000, what: `the first fill after a service-worker restart (${i + 1})` });
    const filledAt = (await page.evaluate(() => performance.timeOrigin)) + filled.filled;
    if (outcome === 'signed out') {
      toFilledWithSignIn.push(filledAt - stopped - settleMs - waited);
    } else {
      firstPick.push(filled.filled - filled.enter);
    }
  }
  await page.close();
  return { toReady, firstPick, toFilledWithSignIn, recovered, outcome };
}

/**
 * The page without a login form, `n` loads, each in a new tab: the main-thread time the
 * page did not get in its first 1.5 s (any browser) and, in Chromium, the renderer's
 * script time and JS heap (CDP Performance.getMetrics: all worlds of the page, so the
 * content scripts' isolated worlds too).
 */
export async function plainPageCost(run, plainUrl, { n, idleMs = 1500 }) {
  const busy = [];
  const script = [];
  const heap = [];
  for (let i = 0; i < n; i += 1) {
    const page = await run.browser.newPage();
    await page.goto(`${plainUrl}?busy=1&load=${i}`, { waitUntil: 'load' });
    busy.push(await until(() => page.evaluate(() => window.__bench?.busy ?? null), { timeout: 20_000, what: 'the plain page\'s busy figure' }));
    await page.close();
    if (run.name !== 'chromium') continue;
    // Without the busy loop: the renderer's own figures, once the content scripts ran.
    const quiet = await run.browser.newPage();
    const cdp = await quiet.createCDPSession();
    await cdp.send('Performance.enable', { timeDomain: 'timeTicks' });
    await quiet.goto(`${plainUrl}?load=${i}`, { waitUntil: 'load' });
    await sleep(idleMs);
    const { metrics } = await cdp.send('Performance.getMetrics');
    const get = (name) => metrics.find((m) => m.name === name)?.value ?? NaN;
    script.push(get('ScriptDuration') * 1000);
    heap.push(get('JSHeapUsedSize') / 1024 / 1024);
    await cdp.detach();
    await quiet.close();
  }
  return { busy, script, heap };
}
