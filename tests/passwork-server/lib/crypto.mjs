// Passwork's client-side encryption, with the libraries its clients use: a value is
// base32.encode(CryptoJS.AES.encrypt(text, password).toString()) (CryptoJS passphrase
// mode: "Salted__", EVP_BytesToKey-MD5, AES-256-CBC), base32 being npm base32@0.0.7.
// With client-side encryption off, a value is plain base64 of its UTF-8.
import { createHash, randomBytes } from 'node:crypto';
import CryptoJS from 'crypto-js';
import base32 from 'base32';

export function encode(text, password) {
  return base32.encode(CryptoJS.AES.encrypt(text, password).toString());
}

// The document's decode(): CryptoJS does not check the padding, so a wrong password
// may give '' or garbage (or throw "Malformed UTF-8 data") instead of an error.
export function decode(data, password) {
  return CryptoJS.AES.decrypt(base32.decode(data), password).toString(CryptoJS.enc.Utf8);
}

export const plainEncode = (text) => Buffer.from(text, 'utf8').toString('base64');
export const plainDecode = (data) => Buffer.from(data, 'base64').toString('utf8');

// openSession's `hash`: sha256 of the master password, md5 on old servers.
export const masterHash = (master, algorithm = 'sha256') => createHash(algorithm).update(master, 'utf8').digest('hex');

// A vault password as Passwork makes them: random, printable.
export function randomPassword(length = 32) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  const bytes = randomBytes(length);
  let out = '';
  for (const b of bytes) out += alphabet[b % alphabet.length];
  return out;
}

// 24 hex digits, like the MongoDB ids Passwork uses.
export const objectId = () => randomBytes(12).toString('hex');
