// SPDX-License-Identifier: MIT
// Errors for people: what happened and what to do. The host's own `message` is already
// written for a person (protocol.md), so it wins when present; these texts cover the
// codes the extension makes itself and a host that gave no message.
import { t, hasMessage } from './i18n.js';

/** Codes made by the extension, not the host. */
export const LOCAL_CODES = Object.freeze({
  HOST_NOT_INSTALLED: 'HOST_NOT_INSTALLED',
  HOST_FORBIDDEN: 'HOST_FORBIDDEN',
  HOST_DISCONNECTED: 'HOST_DISCONNECTED',
  TIMEOUT: 'TIMEOUT',
  FRAME_NOT_ALLOWED: 'FRAME_NOT_ALLOWED',
  NOT_ALLOWED_HERE: 'NOT_ALLOWED_HERE',
});

/**
 * The message key of a code's words: `err_<CODE>` in messages.json, for the host's codes
 * (docs/error-codes.json, beside docs/protocol.md; test/unit/errors.test.js checks the
 * two agree) and LOCAL_CODES. `err_<CODE>_<backend>` words one backend's case (Passwork's
 * read-only API); ui/format.js describeError() prefers it when the account is known.
 */
export function messageKey(code, backend) {
  if (backend && hasMessage(`err_${code}_${backend}`)) return `err_${code}_${backend}`;
  return hasMessage(`err_${code}`) ? `err_${code}` : null;
}

/**
 * The error as a person should read it. Accepts a HostError, a wire error object or
 * anything thrown. With the `backend` it came from, that backend's own words win.
 */
export function plainMessage(error, backend) {
  const code = error?.code;
  const own = backend ? messageKey(code, backend) : null;
  if (own?.endsWith(`_${backend}`)) return t(own);
  const said = typeof error?.message === 'string' && error.message ? error.message : null;
  const key = messageKey(code);
  let text = (said && code && !(code in LOCAL_CODES) ? said : null) ?? (key ? t(key) : null) ?? said ?? t('errUnknown');
  if (code === 'RATE_LIMITED' && Number.isFinite(error?.retryAfter)) {
    text = `${text.replace(/\s*$/, '')} ${t('errRetryAfter', Math.ceil(error.retryAfter))}`;
  }
  return text;
}

/** Maps `runtime.lastError` text of a dropped native port to an extension code. */
export function codeForDisconnect(lastErrorMessage) {
  const text = String(lastErrorMessage ?? '');
  if (/not found|no such native application/i.test(text)) {
    return LOCAL_CODES.HOST_NOT_INSTALLED;
  }
  if (/forbidden|not allowed/i.test(text)) {
    return LOCAL_CODES.HOST_FORBIDDEN;
  }
  return LOCAL_CODES.HOST_DISCONNECTED;
}
