// SPDX-License-Identifier: MIT
// One t() for every word a person reads. The browser's i18n API reads
// _locales/<lang>/messages.json; tests (and any context without it) install the same
// catalog with setCatalog(). `$1`…`$9` in a message take the substitutions, as the
// browser does. An unknown key comes back as itself, so a missing message is visible.
import { api } from './browser-api.js';

let catalog = null;

/** Installs a messages.json object (tests, or a page that loads its own). */
export function setCatalog(messages) {
  catalog = messages ?? null;
}

function fromCatalog(key, subs) {
  const entry = catalog?.[key];
  if (!entry) return '';
  return String(entry.message).replace(/\$(\$|[1-9])/g, (_, d) => (d === '$' ? '$' : String(subs[Number(d) - 1] ?? '')));
}

/**
 * The message `key` with its substitutions.
 * @param {string} key
 * @param {...(string|number)} subs
 */
export function t(key, ...subs) {
  const strings = subs.map((s) => String(s));
  let text = '';
  if (!catalog && typeof api?.i18n?.getMessage === 'function') {
    // Chrome throws above 9 substitutions; fewer are all we use.
    text = api.i18n.getMessage(key, strings.length ? strings : undefined);
  }
  if (!text) text = fromCatalog(key, strings);
  return text || key;
}

/** True when `key` has a message (for optional texts, such as a backend-specific error). */
export function hasMessage(key) {
  return t(key) !== key;
}

/** Fills `[data-i18n]` elements (text) and `[data-i18n-placeholder]` / `[data-i18n-title]` / `[data-i18n-aria-label]` attributes of static HTML. */
export function localize(root) {
  for (const el of root.querySelectorAll('[data-i18n]')) el.textContent = t(el.dataset.i18n);
  for (const el of root.querySelectorAll('[data-i18n-placeholder]')) el.placeholder = t(el.dataset.i18nPlaceholder);
  for (const el of root.querySelectorAll('[data-i18n-title]')) el.title = t(el.dataset.i18nTitle);
  for (const el of root.querySelectorAll('[data-i18n-aria-label]')) el.setAttribute('aria-label', t(el.dataset.i18nAriaLabel));
}
