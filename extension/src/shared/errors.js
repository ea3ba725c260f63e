// SPDX-License-Identifier: MIT
// Errors for people: what happened and what to do. The host's own `message` is already
// written for a person (protocol.md), so it wins when present; these texts cover the
// codes the extension makes itself and a host that gave no message.

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
 * Words for each code: the host's codes (docs/error-codes.json, beside docs/protocol.md;
 * test/unit/errors.test.js checks this table against it) and LOCAL_CODES.
 */
export const TEXTS = Object.freeze({
  HOST_NOT_INSTALLED: 'The PassAgent helper program (passagent-host) is not installed for this browser. Install it, then reopen this window.',
  HOST_FORBIDDEN: 'The PassAgent helper program refused this browser extension. Reinstall passagent-host so that it knows this extension.',
  HOST_DISCONNECTED: 'The connection to the PassAgent helper program was lost. It is being restarted; try again in a moment.',
  TIMEOUT: 'The PassAgent helper program did not answer in time. Check your network connection and try again.',
  FRAME_NOT_ALLOWED: 'PassAgent fills only pages and frames from the site shown in the address bar.',
  NOT_ALLOWED_HERE: 'This request is not allowed from a web page.',
  ORIGIN_NOT_ALLOWED: 'The PassAgent helper program does not accept this extension. Reinstall passagent-host, or add this extension to its allow-list.',
  NOT_LOGGED_IN: 'You are not signed in. Sign in with your PassAgent email and password.',
  BAD_CREDENTIALS: 'The email or password is wrong. Check them and try again.',
  LOCKED: 'Your vault is locked. Unlock it with your master password.',
  WRONG_MASTER_PASSWORD: 'That master password is wrong. Check it (and Caps Lock) and try again.',
  NOT_FOUND: 'That entry no longer exists. Refresh the list and try again.',
  URL_MISMATCH: 'This login is not for this site, so PassAgent will not fill it here.',
  NO_TOTP: 'This entry has no one-time code set up.',
  STEP_UP_REQUIRED: 'For this action, sign in again first.',
  RATE_LIMITED: 'Too many attempts. Wait a little and try again.',
  FORBIDDEN: 'You do not have permission to do that.',
  NETWORK: 'The PassAgent server cannot be reached. Check your network connection and the server address, then try again.',
  SERVER: 'The PassAgent server had a problem. Try again in a few minutes.',
  BAD_REQUEST: 'The helper program did not understand the request. Update the PassAgent extension and passagent-host.',
  UNKNOWN_ACTION: 'The helper program is too old for this extension. Update passagent-host.',
  UNSUPPORTED: 'The helper program cannot do that. Update passagent-host.',
  TOO_LARGE: 'The answer was too large to pass to the browser.',
  INTERNAL: 'The helper program hit an internal error. Try again; if it keeps happening, restart the browser.',
  BAD_FRAME: 'The helper program could not read the request. Update the PassAgent extension and passagent-host.',
  CONFLICT: 'That already exists.',
  GONE: 'That has been removed or is no longer offered.',
  VALIDATION: 'The server did not accept one of the values. Check them and try again.',
  OTP_REQUIRED: 'This account uses two-factor sign-in. Enter the code from your authenticator app.',
  BAD_FORMAT: 'Data from the server could not be read. Update passagent-host; if it keeps happening, tell your administrator.',
  WEAK_KDF: 'The server asks for a weaker protection of your master password than is safe (or than before), so the vault stays locked. Tell your administrator.',
});

/** The error as a person should read it. Accepts a HostError, a wire error object or anything thrown. */
export function plainMessage(error) {
  const code = error?.code;
  let text = (typeof error?.message === 'string' && error.message && code && !(code in LOCAL_CODES) ? error.message : null)
    ?? TEXTS[code]
    ?? (typeof error?.message === 'string' && error.message)
    ?? 'Something went wrong. Try again.';
  if (code === 'RATE_LIMITED' && Number.isFinite(error?.retryAfter)) {
    text = `${text.replace(/\s*$/, '')} (You can try again in ${Math.ceil(error.retryAfter)} seconds.)`;
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
