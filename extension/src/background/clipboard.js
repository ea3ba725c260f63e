// SPDX-License-Identifier: MIT
// Copies a value and wipes it after the configured time. In Chromium the writes go
// through an offscreen document (reason CLIPBOARD); Firefox's background page writes
// itself. The pending clear lives in storage.session (the digest of what was written and
// when to clear) with a chrome.alarms alarm, so it survives the service worker being
// stopped and started again; a timer in memory keeps it on time while the worker lives.
import { api, hasOffscreen } from '../shared/browser-api.js';
import { writeText, clearIfUnchanged, digestText } from '../shared/clipboard-dom.js';
import { t } from '../shared/i18n.js';

const OFFSCREEN_URL = 'src/offscreen/offscreen.html';
export const CLEAR_ALARM = 'passagent-clipboard-clear';
export const CLEAR_KEY = 'clipboardClear';

/**
 * @param {object} deps
 * @param {() => Promise<number>} deps.getClearSeconds
 * @param {{get: Function, set: Function, remove: Function}} [deps.session] storage.session
 * @param {{create: Function, clear: Function, onAlarm: object}} [deps.alarms]
 * @param {(type: string, payload: object) => Promise<object>} [deps.run] the clipboard itself (tests)
 */
export function createClipboard({ getClearSeconds, session = api.storage.session, alarms = api.alarms, run = runInDocument, canRead = mayRead }) {
  let timer = null;
  let clearing = null;

  async function clearNow() {
    clearing ??= (async () => {
      clearTimeout(timer);
      timer = null;
      const job = (await session.get(CLEAR_KEY))[CLEAR_KEY];
      await session.remove(CLEAR_KEY);
      await alarms.clear(CLEAR_ALARM);
      if (!job) return null;
      return run('clipboard.clear', { digest: job.digest, canRead: await canRead() });
    })().finally(() => { clearing = null; });
    return clearing;
  }

  /** @returns {Promise<{clearAfterSeconds: number}>} */
  async function copy(text) {
    const written = await run('clipboard.write', { text });
    if (!written?.ok) {
      throw Object.assign(new Error(t('clipboardRefused')), { code: 'CLIPBOARD' });
    }
    const seconds = await getClearSeconds();
    clearTimeout(timer);
    timer = null;
    if (seconds > 0) {
      const at = Date.now() + seconds * 1000;
      await session.set({ [CLEAR_KEY]: { digest: await digestText(text), at } });
      await alarms.create(CLEAR_ALARM, { when: at });
      timer = setTimeout(() => { clearNow().catch(() => {}); }, seconds * 1000);
    } else {
      await session.remove(CLEAR_KEY);
      await alarms.clear(CLEAR_ALARM);
    }
    return { clearAfterSeconds: seconds };
  }

  alarms.onAlarm.addListener((alarm) => {
    if (alarm.name === CLEAR_ALARM) clearNow().catch(() => {});
  });
  // A worker started after the clear was due (the alarm fired while it was starting, or
  // was lost): clear now.
  session.get(CLEAR_KEY).then((got) => {
    if (got[CLEAR_KEY] && got[CLEAR_KEY].at <= Date.now()) clearNow().catch(() => {});
  }, () => {});

  return { copy, clearNow };
}

let creating = null;

async function ensureOffscreen() {
  const contexts = await api.runtime.getContexts({ contextTypes: ['OFFSCREEN_DOCUMENT'] });
  if (contexts.length > 0) return;
  creating ??= api.offscreen
    .createDocument({ url: OFFSCREEN_URL, reasons: ['CLIPBOARD'], justification: 'Copy a login to the clipboard and clear it later.' })
    .finally(() => { creating = null; });
  await creating;
}

async function runInDocument(type, payload) {
  if (hasOffscreen()) {
    await ensureOffscreen();
    return api.runtime.sendMessage({ target: 'offscreen', type, ...payload });
  }
  if (type === 'clipboard.write') return { ok: await writeText(document, payload.text) };
  return { outcome: await clearIfUnchanged(document, payload.digest, payload.canRead) };
}

async function mayRead() {
  try {
    return await api.permissions.contains({ permissions: ['clipboardRead'] });
  } catch {
    return false;
  }
}
