// SPDX-License-Identifier: MIT
// Copies a value and wipes it after the configured time. In Chromium the writes go
// through an offscreen document (reason CLIPBOARD); Firefox's background page writes
// itself. The value is held only until the clear has run.
import { api, hasOffscreen } from '../shared/browser-api.js';
import { writeText, clearIfUnchanged } from '../shared/clipboard-dom.js';

const OFFSCREEN_URL = 'src/offscreen/offscreen.html';

export function createClipboard({ getClearSeconds }) {
  let creating = null;
  let pendingClear = null; // {timer, text}

  async function ensureOffscreen() {
    const contexts = await api.runtime.getContexts({ contextTypes: ['OFFSCREEN_DOCUMENT'] });
    if (contexts.length > 0) return;
    creating ??= api.offscreen
      .createDocument({ url: OFFSCREEN_URL, reasons: ['CLIPBOARD'], justification: 'Copy a login to the clipboard and clear it later.' })
      .finally(() => { creating = null; });
    await creating;
  }

  async function run(type, payload) {
    if (hasOffscreen()) {
      await ensureOffscreen();
      return api.runtime.sendMessage({ target: 'offscreen', type, ...payload });
    }
    if (type === 'clipboard.write') return { ok: await writeText(document, payload.text) };
    return { outcome: await clearIfUnchanged(document, payload.text, payload.canRead) };
  }

  async function canRead() {
    try {
      return await api.permissions.contains({ permissions: ['clipboardRead'] });
    } catch {
      return false;
    }
  }

  async function clearNow() {
    const job = pendingClear;
    pendingClear = null;
    if (!job) return null;
    clearTimeout(job.timer);
    return run('clipboard.clear', { text: job.text, canRead: await canRead() });
  }

  /** @returns {Promise<{clearAfterSeconds: number}>} */
  async function copy(text) {
    const written = await run('clipboard.write', { text });
    if (!written?.ok) {
      throw Object.assign(new Error('The browser did not let PassAgent use the clipboard. Try again.'), { code: 'CLIPBOARD' });
    }
    const seconds = await getClearSeconds();
    if (pendingClear) clearTimeout(pendingClear.timer);
    pendingClear = null;
    if (seconds > 0) {
      pendingClear = { text, timer: setTimeout(() => { clearNow().catch(() => {}); }, seconds * 1000) };
    }
    return { clearAfterSeconds: seconds };
  }

  return { copy, clearNow };
}
