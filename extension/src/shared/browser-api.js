// SPDX-License-Identifier: MIT
// One name for the WebExtension API: Firefox has `browser`, Chromium `chrome`; both
// return promises in MV3.
export const api = globalThis.browser ?? globalThis.chrome;

// Chromium's service worker has no DOM (clipboard goes through an offscreen document);
// Firefox's background page has one.
export const hasOffscreen = () => Boolean(api?.offscreen?.createDocument);
