// SPDX-License-Identifier: MIT
// URL and origin helpers. No browser API but the words of its messages (shared/i18n.js), so Node
// tests run them as they are.
import { t } from './i18n.js';

/** The origin (`scheme://host[:port]`) of a URL, or null for anything that is not http(s). */
export function webOrigin(url) {
  let parsed;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    return null;
  }
  return parsed.origin;
}

export function isWebUrl(url) {
  return webOrigin(url) !== null;
}

export function sameOrigin(a, b) {
  const oa = webOrigin(a);
  return oa !== null && oa === webOrigin(b);
}

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

export function isLoopbackHost(hostname) {
  return LOOPBACK_HOSTS.has(hostname) || /^127(\.\d{1,3}){3}$/.test(hostname);
}

/**
 * Checks a server address typed by a person and returns its origin, the form the host
 * takes (`server` is an origin; the API lives under `/api` on it).
 * Plain http is accepted only for loopback, the same rule the host applies.
 * With `keepPath` (Passman, Passwork: Nextcloud may live under `/nextcloud`), `base` is
 * the origin plus the path without its trailing slash.
 * @returns {{ok: true, origin: string, base: string} | {ok: false, message: string}}
 */
export function normalizeServer(input, { keepPath = false } = {}) {
  const text = String(input ?? '').trim();
  if (text === '') {
    return { ok: false, message: t('serverEmpty') };
  }
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `https://${text}`;
  let parsed;
  try {
    parsed = new URL(withScheme);
  } catch {
    return { ok: false, message: t('serverNotAddress', text) };
  }
  if (parsed.protocol === 'http:' && !isLoopbackHost(parsed.hostname)) {
    return { ok: false, message: t('serverNeedsHttps') };
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
    return { ok: false, message: t('serverScheme') };
  }
  if (parsed.username || parsed.password) {
    return { ok: false, message: t('serverNoCredentials') };
  }
  if (!keepPath) {
    return { ok: true, origin: parsed.origin };
  }
  const path = parsed.pathname.replace(/\/+$/, '');
  return { ok: true, origin: parsed.origin, base: parsed.origin + path };
}

/** The frame a content script runs in may be filled only when it has the tab's origin. */
export function frameMayFill({ frameUrl, tabUrl }) {
  const frame = webOrigin(frameUrl);
  return frame !== null && frame === webOrigin(tabUrl);
}

/** A short label for a site, for people: the host name without a leading www. */
export function siteLabel(url) {
  try {
    return new URL(url).hostname.replace(/^www\./, '');
  } catch {
    return String(url ?? '');
  }
}
