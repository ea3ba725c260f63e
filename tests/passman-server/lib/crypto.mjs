// Passman's client-side encryption, with the library its clients use (sjcl): every
// encrypted field is btoa(sjcl.encrypt(key, JSON.stringify(value), params)).
import sjcl from 'sjcl';

// The parameters of Passman's EncryptService (and of its extension API document).
export const SJCL_PARAMS = Object.freeze({ adata: '', iter: 1000, ks: 256, mode: 'ccm', ts: 64 });

// The credential fields Passman encrypts.
export const ENCRYPTED_FIELDS = Object.freeze([
  'description',
  'username',
  'password',
  'files',
  'custom_fields',
  'otp',
  'email',
  'tags',
  'url',
  'compromised',
]);

// EncryptService.encryptString: the sjcl JSON, base64.
export function encryptString(text, key) {
  return Buffer.from(sjcl.encrypt(key, text, { ...SJCL_PARAMS })).toString('base64');
}

// EncryptService.decryptString: throws (sjcl.exception.corrupt) for a wrong key. The
// container carries its parameters (sjcl 1.0.9 refuses to be handed them again).
export function decryptString(field, key) {
  return sjcl.decrypt(key, Buffer.from(field, 'base64').toString('latin1'));
}

// A credential as Passman's client sends it: each encrypted field JSON-stringified,
// then encrypted with the vault key, or with the credential's share key when it has one.
export function encryptFields(plain, key) {
  const out = {};
  for (const field of ENCRYPTED_FIELDS) {
    if (field in plain) out[field] = encryptString(JSON.stringify(plain[field]), key);
  }
  return out;
}

export function decryptFields(credential, key) {
  const out = {};
  for (const field of ENCRYPTED_FIELDS) {
    const value = credential[field];
    if (value === null || value === undefined || value === '' || value === 'null') continue;
    out[field] = JSON.parse(decryptString(value, key));
  }
  return out;
}
