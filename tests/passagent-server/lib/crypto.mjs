// Crypto the way PassAgent's web client does it: Argon2id (hash-wasm), and
// WebCrypto for AES-256-GCM, RSA-OAEP-2048/SHA-256 and HKDF. node:crypto is used
// only for HMAC, SHA and randomness, which a browser would also do natively.
import { createHash, createHmac, randomBytes, createCipheriv } from 'node:crypto';
import { argon2id } from 'hash-wasm';

const subtle = globalThis.crypto.subtle;
const enc = new TextEncoder();
const dec = new TextDecoder('utf-8', { fatal: true });

export const utf8 = (s) => enc.encode(s);
export const fromUtf8 = (b) => dec.decode(b);

// ---------- base64 / base64url ----------
export function b64(bytes) {
  return Buffer.from(bytes).toString('base64');
}
export function b64url(bytes) {
  return Buffer.from(bytes).toString('base64url'); // no padding
}
/** Decodes base64 or base64url, padded or not. Throws on anything else. */
export function unb64(text) {
  if (typeof text !== 'string' || !/^[A-Za-z0-9+/_-]*={0,2}$/.test(text)) {
    throw new Error('not base64');
  }
  const norm = text.replace(/-/g, '+').replace(/_/g, '/').replace(/=+$/, '');
  if (norm.length % 4 === 1) throw new Error('bad base64 length');
  return new Uint8Array(Buffer.from(norm, 'base64'));
}
export function isB64(text) {
  try {
    unb64(text);
    return true;
  } catch {
    return false;
  }
}

// ---------- randomness ----------
/**
 * A byte source: seeded (AES-256-CTR keystream over SHA-256(seed)) for
 * deterministic fixtures, or the system CSPRNG.
 */
export function makeRng(seed) {
  if (seed === undefined || seed === null) {
    return { seeded: false, bytes: (n) => new Uint8Array(randomBytes(n)) };
  }
  const key = createHash('sha256').update(`passagent-fixtures:${seed}`).digest();
  const ctr = createCipheriv('aes-256-ctr', key, Buffer.alloc(16));
  return {
    seeded: true,
    bytes: (n) => new Uint8Array(ctr.update(Buffer.alloc(n))),
  };
}
export function rngHex(rng, nBytes) {
  return Buffer.from(rng.bytes(nBytes)).toString('hex');
}
export function rngInt(rng, max) {
  const b = rng.bytes(4);
  return (((b[0] << 24) | (b[1] << 16) | (b[2] << 8) | b[3]) >>> 0) % max;
}
export function rngUuid(rng) {
  const b = rng.bytes(16);
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = Buffer.from(b).toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

export const sha256hex = (data) => createHash('sha256').update(data).digest('hex');
export const hmac = (alg, key, data) => createHmac(alg, key).update(data).digest();

// ---------- Argon2id ----------
export async function deriveVaultKey(masterPassword, saltBytes, kdf) {
  return argon2id({
    password: utf8(masterPassword),
    salt: saltBytes,
    parallelism: kdf.parallelism,
    iterations: kdf.iterations,
    memorySize: kdf.memoryKiB,
    hashLength: 32,
    outputType: 'binary',
  });
}

// ---------- AES-256-GCM ----------
export function importAesKey(raw) {
  return subtle.importKey('raw', raw, { name: 'AES-GCM' }, false, ['encrypt', 'decrypt']);
}
/** Returns {iv, ciphertext} as bytes; the 16-byte tag is at the end of ciphertext. */
export async function aesGcmEncrypt(key, plaintext, iv) {
  const data = typeof plaintext === 'string' ? utf8(plaintext) : plaintext;
  const ct = await subtle.encrypt({ name: 'AES-GCM', iv }, key, data);
  return { iv, ciphertext: new Uint8Array(ct) };
}
export async function aesGcmDecrypt(key, iv, ciphertext) {
  return new Uint8Array(await subtle.decrypt({ name: 'AES-GCM', iv }, key, ciphertext));
}

// ---------- RSA-OAEP-2048 / SHA-256 ----------
const RSA = { name: 'RSA-OAEP', hash: 'SHA-256' };
export async function generateRsaKeyPair() {
  const kp = await subtle.generateKey(
    { ...RSA, modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]) },
    true,
    ['encrypt', 'decrypt'],
  );
  return {
    spki: new Uint8Array(await subtle.exportKey('spki', kp.publicKey)),
    pkcs8: new Uint8Array(await subtle.exportKey('pkcs8', kp.privateKey)),
  };
}
export function importRsaPublic(spki) {
  return subtle.importKey('spki', spki, RSA, false, ['encrypt']);
}
export function importRsaPrivate(pkcs8) {
  return subtle.importKey('pkcs8', pkcs8, RSA, false, ['decrypt']);
}
export async function rsaEncrypt(publicKey, data) {
  return new Uint8Array(await subtle.encrypt({ name: 'RSA-OAEP' }, publicKey, data));
}
export async function rsaDecrypt(privateKey, data) {
  return new Uint8Array(await subtle.decrypt({ name: 'RSA-OAEP' }, privateKey, data));
}

// ---------- HKDF (invites) ----------
export async function hkdfKey(ikm, salt, info) {
  const base = await subtle.importKey('raw', ikm, 'HKDF', false, ['deriveKey']);
  return subtle.deriveKey(
    { name: 'HKDF', hash: 'SHA-256', salt, info: utf8(info) },
    base,
    { name: 'AES-GCM', length: 256 },
    false,
    ['encrypt', 'decrypt'],
  );
}

// ---------- base32 + TOTP (RFC 4648, RFC 4226/6238) ----------
const B32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
export function base32Encode(bytes) {
  let bits = 0;
  let value = 0;
  let out = '';
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += B32[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += B32[(value << (5 - bits)) & 31];
  while (out.length % 8) out += '=';
  return out;
}
/** Tolerant: ignores case, spaces and padding. Throws on other characters. */
export function base32Decode(text) {
  const clean = text.replace(/[\s=-]/g, '').toUpperCase();
  let bits = 0;
  let value = 0;
  const out = [];
  for (const ch of clean) {
    const idx = B32.indexOf(ch);
    if (idx < 0) throw new Error('not base32');
    value = (value << 5) | idx;
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return new Uint8Array(out);
}

const HMAC_ALG = { 'SHA-1': 'sha1', 'SHA-256': 'sha256', 'SHA-512': 'sha512' };
export function hotp(keyBytes, counter, digits = 6, algorithm = 'SHA-1') {
  const msg = Buffer.alloc(8);
  msg.writeBigUInt64BE(BigInt(counter));
  const mac = hmac(HMAC_ALG[algorithm] ?? 'sha1', keyBytes, msg);
  const off = mac[mac.length - 1] & 0x0f;
  const bin = ((mac[off] & 0x7f) << 24) | (mac[off + 1] << 16) | (mac[off + 2] << 8) | mac[off + 3];
  return String(bin % 10 ** digits).padStart(digits, '0');
}
export function totp(secretBase32, { timeMs, digits = 6, period = 30, algorithm = 'SHA-1' }) {
  const counter = Math.floor(timeMs / 1000 / period);
  return hotp(base32Decode(secretBase32), counter, digits, algorithm);
}
/** Accepts the code of the current step and of one step either side. */
export function totpVerify(secretBase32, code, { timeMs, digits = 6, period = 30, algorithm = 'SHA-1' }) {
  if (typeof code !== 'string' || !/^\d{6,8}$/.test(code)) return false;
  const key = base32Decode(secretBase32);
  const counter = Math.floor(timeMs / 1000 / period);
  for (const d of [0, -1, 1]) {
    if (hotp(key, counter + d, digits, algorithm) === code) return true;
  }
  return false;
}
