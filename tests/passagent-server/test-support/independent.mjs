// Independent implementations for cross-checking the server: a client-side
// decryptor written from the assumptions (WebCrypto + hash-wasm, nothing from
// lib/), and RFC 6238 TOTP with node:crypto.
import { createHmac } from 'node:crypto';
import { argon2id } from 'hash-wasm';

const subtle = globalThis.crypto.subtle;

export function decodeB64Any(s) {
  const norm = s.replace(/-/g, '+').replace(/_/g, '/');
  return new Uint8Array(Buffer.from(norm + '='.repeat((4 - (norm.length % 4)) % 4), 'base64'));
}
export function readBox(v) {
  const o = typeof v === 'string' ? JSON.parse(v) : v;
  return { iv: decodeB64Any(o.iv), ciphertext: decodeB64Any(o.ciphertext) };
}
export async function vaultKeyFrom(saltReply, masterPassword) {
  const raw = await argon2id({
    password: new TextEncoder().encode(masterPassword),
    salt: decodeB64Any(saltReply.salt),
    parallelism: saltReply.kdf.parallelism,
    iterations: saltReply.kdf.iterations,
    memorySize: saltReply.kdf.memoryKiB,
    hashLength: 32,
    outputType: 'binary',
  });
  return aesKey(raw);
}
export const aesKey = (raw) => subtle.importKey('raw', raw, 'AES-GCM', false, ['decrypt', 'encrypt']);
export async function openBox(key, value) {
  const { iv, ciphertext } = readBox(value);
  return new Uint8Array(await subtle.decrypt({ name: 'AES-GCM', iv }, key, ciphertext));
}
export const text = (bytes) => new TextDecoder().decode(bytes);
export async function sealBox(key, plaintext) {
  const iv = globalThis.crypto.getRandomValues(new Uint8Array(12));
  const ct = new Uint8Array(await subtle.encrypt({ name: 'AES-GCM', iv }, key, typeof plaintext === 'string' ? new TextEncoder().encode(plaintext) : plaintext));
  return { iv: Buffer.from(iv).toString('base64'), ciphertext: Buffer.from(ct).toString('base64') };
}
export async function privateKeyFrom(keysReply, vaultKey) {
  const pkcs8 = await openBox(vaultKey, keysReply.encryptedPrivateKey);
  return subtle.importKey('pkcs8', pkcs8, { name: 'RSA-OAEP', hash: 'SHA-256' }, false, ['decrypt']);
}
export async function publicKeyFrom(b64) {
  return subtle.importKey('spki', decodeB64Any(b64), { name: 'RSA-OAEP', hash: 'SHA-256' }, false, ['encrypt']);
}
export async function rsaOpen(privateKey, b64) {
  return new Uint8Array(await subtle.decrypt({ name: 'RSA-OAEP' }, privateKey, decodeB64Any(b64)));
}
export async function rsaSeal(publicKey, bytes) {
  return Buffer.from(await subtle.encrypt({ name: 'RSA-OAEP' }, publicKey, bytes)).toString('base64');
}

/** Decrypts a record per the assumptions; returns {username, password, ...}. */
export async function openRecord(rec, vaultKey) {
  if (rec.wrapped_item_key !== undefined) {
    const itemKey = await aesKey(await openBox(vaultKey, rec.wrapped_item_key));
    return JSON.parse(text(await openBox(itemKey, rec.encrypted_data)));
  }
  return { username: rec.username, password: text(await openBox(vaultKey, rec.encrypted_password)) };
}

// ---------- RFC 4648 base32 + RFC 6238 ----------
export function b32decode(s) {
  const A = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  const clean = s.toUpperCase().replace(/[^A-Z2-7]/g, '');
  let bits = '';
  for (const c of clean) bits += A.indexOf(c).toString(2).padStart(5, '0');
  const out = [];
  for (let i = 0; i + 8 <= bits.length; i += 8) out.push(parseInt(bits.slice(i, i + 8), 2));
  return Buffer.from(out);
}
export function rfc6238(keyBytes, unixSeconds, { digits = 6, period = 30, algorithm = 'sha1' } = {}) {
  const t = BigInt(Math.floor(unixSeconds / period));
  const msg = Buffer.alloc(8);
  msg.writeBigUInt64BE(t);
  const h = createHmac(algorithm, keyBytes).update(msg).digest();
  const o = h[h.length - 1] & 15;
  const n = (h.readUInt32BE(o) & 0x7fffffff) % 10 ** digits;
  return String(n).padStart(digits, '0');
}
