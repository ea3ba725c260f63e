// POST /credentials and PATCH /credentials/{guid} as Passman's server does them
// (CredentialController::createCredential / updateCredential, CredentialMapper::create /
// updateCredential): a create takes the fields it is given; an update REPLACES the
// credential: every field below that the body leaves out is stored as null.
// Stricter than Passman on purpose: an encrypted field must be an sjcl container (or
// null), so a client that forgets to encrypt one fails here instead of leaking it.
import { randomUUID } from 'node:crypto';
import { HttpError } from '../../support/node-server.mjs';
import { ENCRYPTED_FIELDS, SJCL_PARAMS } from './crypto.mjs';

// The fields updateCredential() copies from the request (the rest — id, guid, vault_id,
// user_id, created, shared_key — come from the stored credential).
export const REPLACED_FIELDS = Object.freeze([
  'label',
  ...ENCRYPTED_FIELDS,
  'icon',
  'renew_interval',
  'expire_time',
  'delete_time',
  'hidden',
]);
const INT_FIELDS = ['renew_interval', 'expire_time', 'delete_time'];

// An encrypted value: base64 of sjcl's JSON with Passman's parameters.
function checkEncrypted(field, value) {
  if (value === null) return;
  if (typeof value !== 'string') throw new HttpError(400, `${field} must be an encrypted string (sjcl, base64) or null`);
  let container = null;
  try {
    container = JSON.parse(Buffer.from(value, 'base64').toString('utf8'));
  } catch {
    // reported below
  }
  const ok =
    container &&
    typeof container.ct === 'string' &&
    typeof container.iv === 'string' &&
    typeof container.salt === 'string' &&
    container.iter === SJCL_PARAMS.iter &&
    container.ks === SJCL_PARAMS.ks &&
    container.ts === SJCL_PARAMS.ts &&
    container.mode === SJCL_PARAMS.mode;
  if (!ok) throw new HttpError(400, `${field} is not an sjcl container (base64 JSON, iter 1000, ks 256, ts 64, ccm)`);
}

// The value a field is stored as; null when absent.
function fieldValue(body, field) {
  const value = body[field] ?? null;
  if (ENCRYPTED_FIELDS.includes(field)) {
    checkEncrypted(field, value);
    return value;
  }
  if (value === null) return null;
  if (field === 'label' && typeof value !== 'string') throw new HttpError(400, 'label must be a string');
  if (INT_FIELDS.includes(field)) {
    const n = Number(value);
    if (!Number.isFinite(n)) throw new HttpError(400, `${field} must be a number`);
    return Math.trunc(n);
  }
  // Passman's entity stores hidden as an integer.
  if (field === 'hidden') return value === true || value === 1 || value === '1' ? 1 : 0;
  return value;
}

export function createCredential(state, user, body, now) {
  if (typeof body.label !== 'string' || body.label === '' || body.vault_id === undefined || body.vault_id === null) {
    throw new HttpError(400, 'label and vault_id are required');
  }
  const vault = state.vaults.find((v) => v.vault_id === Number(body.vault_id) && v.owner === user.username);
  if (!vault) throw new HttpError(404, 'Vault not found');
  const stored = {
    credential_id: state.nextCredentialId++,
    guid: randomUUID().toUpperCase(),
    user_id: user.username,
    vault_id: vault.vault_id,
    created: now,
    changed: now,
    favicon: null,
    shared_key: null,
  };
  for (const field of REPLACED_FIELDS) stored[field] = fieldValue(body, field);
  // What Passman's web client always sends; the entity has no other default.
  stored.expire_time ??= 0;
  stored.delete_time ??= 0;
  stored.hidden ??= 0;
  state.credentials.push(stored);
  return stored;
}

export function updateCredential(state, user, guid, body, now) {
  const stored = state.credentials.find((c) => c.guid === guid);
  if (!stored) throw new HttpError(404, 'Credential not found');
  // Passman checks the owner (or a write ACL of a share) and answers this.
  if (stored.user_id !== user.username) throw new HttpError(401, 'Not authorized', {}, { msg: 'Not authorized' });
  // CredentialMapper::updateCredential finds the row by the body's guid.
  if (typeof body.guid !== 'string') throw new HttpError(400, 'guid is required in the body: Passman finds the credential by it');
  if (body.guid !== guid) throw new HttpError(400, 'The body guid is not the guid of the URL');
  const next = { ...stored, changed: now };
  for (const field of REPLACED_FIELDS) next[field] = fieldValue(body, field);
  Object.assign(stored, next);
  return stored;
}
