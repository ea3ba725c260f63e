// SPDX-License-Identifier: MIT
// Chromium only: the service worker has no clipboard, so it asks this hidden document.
import { writeText, clearIfUnchanged } from '../shared/clipboard-dom.js';

chrome.runtime.onMessage.addListener((message, _sender, sendResponse) => {
  if (message?.target !== 'offscreen') {
    return undefined;
  }
  const work = message.type === 'clipboard.write'
    ? writeText(document, message.text).then((ok) => ({ ok }))
    : message.type === 'clipboard.clear'
      ? clearIfUnchanged(document, message.digest, message.canRead).then((outcome) => ({ outcome }))
      : Promise.resolve({ error: 'unknown request' });
  work.then(sendResponse, (error) => sendResponse({ error: String(error?.message ?? error) }));
  return true;
});
