// PassAgent's wire formats in one place: error envelopes, auth error shapes,
// rate-limit bodies, record / share / session-share shapes, and how an
// `{iv, ciphertext}` box is read. Change them here when the real server says otherwise.
import { unb64 } from './crypto.mjs';

/** An error a route throws; app.mjs turns it into the response. */
export class HttpError extends Error {
  constructor(status, body, headers = {}) {
    super(body?.error ?? body?.message ?? `HTTP ${status}`);
    this.status = status;
    this.body = body;
    this.headers = headers;
  }
}

const CODE_FOR_STATUS = {
  400: 'VALIDATION_ERROR',
  401: 'UNAUTHORIZED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  405: 'METHOD_NOT_ALLOWED',
  409: 'CONFLICT',
  410: 'GONE',
  413: 'PAYLOAD_TOO_LARGE',
  422: 'UNPROCESSABLE',
  429: 'RATE_LIMITED',
  500: 'INTERNAL_ERROR',
};

/** Seed 001 envelope: {error, code, status}. */
export function apiError(status, error, code = CODE_FOR_STATUS[status] ?? 'INTERNAL_ERROR', extra = {}, headers = {}) {
  return new HttpError(status, { error, code, status, ...extra }, headers);
}
export const notFound = (what = 'Not found') => apiError(404, what);
export const forbidden = (what = 'Forbidden') => apiError(403, what);
export const unauthorized = (what = 'Unauthorized') => apiError(401, what);
export const conflict = (what) => apiError(409, what);

/** Seed 001 validation error: {error, code, status, details:[{field, message}]}. */
export function validationError(details) {
  return apiError(400, 'Validation failed', 'VALIDATION_ERROR', { details });
}

export const csrfError = () => apiError(403, 'Invalid CSRF token', 'FORBIDDEN');
export const mfaRequired = () => apiError(401, 'Two-factor authentication required', 'MFA_REQUIRED');

export const STEP_UP_MAX_AGE = 300;
export function stepUpRequired() {
  return apiError(
    401,
    'Recent authentication required',
    'STEP_UP_AUTH_REQUIRED',
    { maxAgeSeconds: STEP_UP_MAX_AGE },
    { 'x-require-reauth': 'true', 'x-reauth-max-age': String(STEP_UP_MAX_AGE) },
  );
}

/**
 * 429 bodies. Seed 001: {error, code:"RATE_LIMITED", status:429}. The sharing
 * routes (seed 000) use {error, error_code:"rate_limit_exceeded"}.
 */
export function rateLimited(retryAfterSeconds, shape = 'api', errorCode = 'rate_limit_exceeded', message = 'Too many requests') {
  const headers = { 'retry-after': String(retryAfterSeconds) };
  if (shape === 'sharing') {
    return new HttpError(429, { error: message, error_code: errorCode }, headers);
  }
  return new HttpError(429, { error: message, code: 'RATE_LIMITED', status: 429 }, headers);
}

// ---------- Supabase Auth errors ----------
// Three shapes occur in the wild; the default is the OAuth one. The test mode can
// switch it (POST /__test/auth-error-shape) so the host is tested on all three.
//   "error":      {error, error_description}
//   "error_code": {code: <http status>, error_code, msg}
//   "code":       {code: <error code>, message}
export function authError(shape, status, oauthError, errorCode, message, headers = {}) {
  let body;
  if (shape === 'error_code') body = { code: status, error_code: errorCode, msg: message };
  else if (shape === 'code') body = { code: errorCode, message };
  else body = { error: oauthError, error_description: message };
  return new HttpError(status, body, headers);
}

// ---------- {iv, ciphertext} boxes ----------
/** Reads an {iv, ciphertext} value given as an object or as a JSON string. */
export function parseBox(value) {
  let v = value;
  if (typeof v === 'string') {
    try {
      v = JSON.parse(v);
    } catch {
      return null;
    }
  }
  if (!v || typeof v !== 'object' || typeof v.iv !== 'string' || typeof v.ciphertext !== 'string') return null;
  try {
    const iv = unb64(v.iv);
    const ciphertext = unb64(v.ciphertext);
    if (iv.length !== 12 || ciphertext.length < 16) return null;
    return { iv, ciphertext };
  } catch {
    return null;
  }
}

// ---------- records ----------
/**
 * A password record as the API returns it. Stored records keep their boxes in the
 * form they were written (object or JSON string, base64 or base64url).
 * `origin_path` marks fixtures for the server's own demo pages: their url is the
 * server's origin (computed per response) plus that path.
 */
export function wireRecord(rec, origin) {
  const out = {
    id: rec.id,
    name: rec.name,
    website: rec.origin_path ? new URL(origin).hostname : rec.website,
    url: rec.origin_path ? origin + rec.origin_path : rec.url,
    category: rec.category,
    tags: rec.tags,
    has_totp: Boolean(rec.totp),
    created_at: rec.created_at,
    updated_at: rec.updated_at,
  };
  if (rec.wrapped_item_key !== undefined) {
    out.wrapped_item_key = rec.wrapped_item_key;
    out.encrypted_data = rec.encrypted_data;
  } else {
    out.username = rec.username;
    out.encrypted_password = rec.encrypted_password;
  }
  return out;
}

export function wireShare(share, account, origin, { received, now }) {
  const expired = share.expires_at && Date.parse(share.expires_at) <= now && share.status !== 'revoked';
  const out = {
    id: share.id,
    account_id: share.account_id,
    owner_id: share.owner_id,
    owner_email: share.owner_email,
    recipient_id: share.recipient_id,
    recipient_email: share.recipient_email,
    status: expired ? 'expired' : share.status,
    permission: share.permission,
    expires_at: share.expires_at,
    accepted_at: share.accepted_at,
    created_at: share.created_at,
    updated_at: share.updated_at,
  };
  if (account) {
    out.account = {
      id: account.id,
      name: account.name,
      website: account.origin_path ? new URL(origin).hostname : account.website,
      url: account.origin_path ? origin + account.origin_path : account.url,
    };
    if (received && !expired) {
      out.account.encrypted_data = share.encrypted_data;
      out.account.wrapped_item_key = share.wrapped_item_key;
    }
  }
  return out;
}

/** The create reply of seed 000 (no account, no owner email). */
export function wireShareCreated(share) {
  const { id, account_id, owner_id, recipient_id, recipient_email, status, permission, expires_at, created_at } = share;
  return { id, account_id, owner_id, recipient_id, recipient_email, status, permission, expires_at, created_at };
}

export function wireSessionShare(s, status) {
  return {
    id: s.id,
    accountId: s.accountId,
    serviceName: s.serviceName,
    status,
    accessType: s.accessType,
    durationMinutes: s.durationMinutes,
    maxViewers: s.maxViewers,
    loginMethod: s.loginMethod,
    viewOnly: s.viewOnly,
    watermarkEnabled: s.watermarkEnabled,
    scheduledStart: s.scheduledStart,
    expiresAt: s.expiresAt,
    createdAt: s.createdAt,
  };
}
