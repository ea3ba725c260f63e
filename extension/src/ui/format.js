// SPDX-License-Identifier: MIT
// Words shown about accounts, backends and errors, the same on every page.
import { t, hasMessage } from '../shared/i18n.js';
import { siteLabel } from '../shared/url.js';

const BACKEND_KEYS = { passagent: 'backendPassagent', passman: 'backendPassman', passwork: 'backendPasswork' };

/** "PassAgent", "Passman", "Passwork". */
export function backendName(backend) {
  return BACKEND_KEYS[backend] ? t(BACKEND_KEYS[backend]) : String(backend ?? '');
}

/** Who an account is, for a person: the user (email or name) or, failing that, the server. */
export function accountUser(account) {
  const user = account?.user;
  return (typeof user === 'object' ? user?.email ?? user?.username ?? user?.name : user) || '';
}

const BACKEND_SHORT = { passagent: 'PA', passman: 'PM', passwork: 'PW' };

/** Two letters for a backend's avatar: the three names all start with P. */
export function backendShort(backend) {
  return BACKEND_SHORT[backend] ?? String(backend ?? '?').slice(0, 2).toUpperCase();
}

/** An account's avatar: its backend's two letters on its backend's color. */
export function accountAvatar(h, account) {
  return h('span', { class: 'avatar backend', dataset: { backend: account?.backend }, style: { background: `var(--pa-${account?.backend}, var(--pa-accent))` }, 'aria-hidden': 'true' }, backendShort(account?.backend));
}

/** A short label of an account: "alice@example.com · Passman", or its server when no user is known. */
export function accountLabel(account) {
  if (!account) return '';
  const who = accountUser(account) || siteLabel(account.server ?? '') || String(account.account ?? '');
  return `${who} · ${backendName(account.backend)}`;
}

/**
 * An error as a person reads it, naming the password manager it came from when known.
 * A backend-specific message (`err_<CODE>_<backend>` in messages.json, such as
 * Passwork's read-only API) wins over the host's words; otherwise the host's message
 * (already written for a person), prefixed by the backend's name.
 * @param {{code?: string, message?: string, retryAfter?: number}} error
 * @param {{backend?: string}} [account]
 */
export function describeError(error, account) {
  const code = error?.code ?? 'INTERNAL';
  const backend = account?.backend;
  if (backend && hasMessage(`err_${code}_${backend}`)) return t(`err_${code}_${backend}`);
  let text = error?.message || (hasMessage(`err_${code}`) ? t(`err_${code}`) : t('errUnknown'));
  if (code === 'RATE_LIMITED' && Number.isFinite(error?.retryAfter) && !/\d+ ?s/.test(text)) {
    text = `${text} ${t('errRetryAfter', Math.ceil(error.retryAfter))}`;
  }
  const name = backend ? backendName(backend) : '';
  return name && !text.includes(name) ? `${name}: ${text}` : text;
}

/** The first letter of a name, for an entry's avatar. */
export function initial(name) {
  const ch = String(name ?? '').trim().match(/[\p{L}\p{N}]/u);
  return ch ? ch[0].toUpperCase() : '?';
}

/** A stable hue for an entry's avatar, from its name. */
export function hueOf(text) {
  let hash = 0;
  for (const ch of String(text ?? '')) hash = (hash * 31 + ch.codePointAt(0)) >>> 0;
  return hash % 360;
}
