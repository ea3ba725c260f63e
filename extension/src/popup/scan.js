// SPDX-License-Identifier: MIT
// Reads the QR code shown in the current tab: the browser captures the visible part of
// the page (tabs.captureVisibleTab, allowed by `activeTab` once the person has opened
// PassAgent from its toolbar button on that page), and the bundled decoder reads it here.
// The picture goes nowhere else and is dropped at once.
import { decodeQR } from '../vendor/qr.js';
import { isWebUrl } from '../shared/url.js';
import { t } from '../shared/i18n.js';

/** The message key of each way a scan can fail (CAPTURE_FAILED carries the browser's reason). */
export const SCAN_ERRORS = Object.freeze({
  NO_TAB: 'scanNoTab',
  NO_PERMISSION: 'scanNoPermission',
  NOT_FOUND: 'scanNotFound',
  CAPTURE_FAILED: 'scanCaptureFailed',
});

/** The web page the popup speaks about: the active tab of the window last used, else any active web tab. */
export async function findPageTab(tabs) {
  const [focused] = await tabs.query({ active: true, lastFocusedWindow: true });
  if (focused && isWebUrl(focused.url)) return focused;
  const active = (await tabs.query({ active: true })).filter((t) => isWebUrl(t.url));
  return active.sort((a, b) => (b.lastAccessed ?? 0) - (a.lastAccessed ?? 0))[0] ?? null;
}

/** A data: URL image as ImageData, through a canvas of this document. */
export async function imageDataOf(document, dataUrl) {
  const image = document.createElement('img');
  image.src = dataUrl;
  await image.decode();
  const canvas = document.createElement('canvas');
  canvas.width = image.naturalWidth;
  canvas.height = image.naturalHeight;
  const context = canvas.getContext('2d', { willReadFrequently: true });
  context.drawImage(image, 0, 0);
  return context.getImageData(0, 0, canvas.width, canvas.height);
}

/** The text of the first QR code in the picture, or null. */
export function decodePicture({ width, height, data }, decode = decodeQR) {
  try {
    return decode({ width, height, data }, { effort: 3, timeLimit: 2000 });
  } catch {
    return null; // The decoder throws when it finds no code.
  }
}

/**
 * @param {{tabs: object, document: Document, decode?: Function}} deps
 * @returns {Promise<{ok: true, text: string, tab: object} | {ok: false, code: string, message: string}>}
 */
export async function scanVisibleTab({ tabs, document, decode = decodeQR }) {
  const tab = await findPageTab(tabs);
  if (!tab) return { ok: false, code: 'NO_TAB', message: t(SCAN_ERRORS.NO_TAB) };
  let dataUrl;
  try {
    dataUrl = await tabs.captureVisibleTab(tab.windowId, { format: 'png' });
  } catch (error) {
    const text = String(error?.message ?? error);
    if (/activeTab|all_urls|permission/i.test(text)) return { ok: false, code: 'NO_PERMISSION', message: t(SCAN_ERRORS.NO_PERMISSION) };
    return { ok: false, code: 'CAPTURE_FAILED', message: t(SCAN_ERRORS.CAPTURE_FAILED, text) };
  }
  const text = decodePicture(await imageDataOf(document, dataUrl), decode);
  dataUrl = null;
  if (!text) return { ok: false, code: 'NOT_FOUND', message: t(SCAN_ERRORS.NOT_FOUND) };
  return { ok: true, text, tab: { id: tab.id, title: tab.title ?? '', url: tab.url } };
}
