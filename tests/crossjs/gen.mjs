// SPDX-License-Identifier: MIT
// Writes cross-test cases made by the real JavaScript libraries the backends' web
// clients use, for the C++ host to open (tests/unit/crypto_crossjs_test.cpp):
//   node gen.mjs <outdir> [--seed n] [--count n] [--big]
// Every file is {"cases": [...]} with base64 (standard) for bytes unless a field says
// otherwise. `expect` is "ok" (the host must open it and get `plain`) or "reject".
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createHash, webcrypto } from 'node:crypto';
import sjcl from 'sjcl';
import CryptoJS from 'crypto-js';
import base32 from 'base32';
import * as OTPAuth from 'otpauth';
import { argon2id } from 'hash-wasm';

const subtle = webcrypto.subtle;
const args = process.argv.slice(2);
if (args.length < 1 || args[0].startsWith('--')) {
  console.error('usage: node gen.mjs <outdir> [--seed n] [--count n] [--big]');
  process.exit(2);
}
const outdir = args[0];
const opt = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 && i + 1 < args.length ? Number(args[i + 1]) : fallback;
};
const seed = opt('--seed', Math.floor(Math.random() * 2 ** 31));
const COUNT = opt('--count', 200);
const BIG = args.includes('--big');

// ---------- seeded choices (sizes, passwords, texts); keys/IVs/salts come from the libraries ----------
function sfc32(a, b, c, d) {
  return () => {
    a >>>= 0; b >>>= 0; c >>>= 0; d >>>= 0;
    let t = (a + b) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    d = (d + 1) | 0;
    t = (t + d) | 0;
    c = (c + t) | 0;
    return (t >>> 0) / 4294967296;
  };
}
const rand = sfc32(0x9e3779b9, 0x243f6a88, 0xb7e15162, seed);
const int = (n) => Math.floor(rand() * n);
const pick = (list) => list[int(list.length)];
const bytes = (n) => {
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = int(256);
  return out;
};
const b64 = (u8) => Buffer.from(u8).toString('base64');
const b64url = (u8) => Buffer.from(u8).toString('base64url');
const utf8 = (s) => new TextEncoder().encode(s);

// Random UTF-8 text of exactly `n` bytes: ASCII, Latin, CJK, emoji, with ASCII to fill.
const ALPHABETS = [
  [0x20, 0x7e],
  [0xa0, 0x24f],
  [0x4e00, 0x9fff],
  [0x1f300, 0x1f6ff],
];
function text(n) {
  let s = '';
  let size = 0;
  while (size < n) {
    const left = n - size;
    const [lo, hi] = left >= 4 && rand() < 0.3 ? pick(ALPHABETS) : ALPHABETS[0];
    const ch = String.fromCodePoint(lo + int(hi - lo + 1));
    const len = utf8(ch).length;
    if (len > left) continue;
    s += ch;
    size += len;
  }
  return s;
}
const password = () => text(1 + int(40));

// The sizes the issue asks for, then random ones.
const EDGE_SIZES = [0, 1, 15, 16, 17, 65535, 65536, 65537];
function sizes(count, maxRandom = 600) {
  const out = [...EDGE_SIZES];
  while (out.length < count) out.push(int(maxRandom));
  return out;
}

const files = {};
const write = (name, cases, extra = {}) => {
  files[name] = cases.length;
  writeFileSync(join(outdir, `${name}.json`), JSON.stringify({ seed, ...extra, cases }));
};

// ---------- PassAgent: AES-256-GCM records (WebCrypto) ----------
async function gcmCases() {
  const cases = [];
  for (const size of sizes(COUNT)) {
    const raw = new Uint8Array(webcrypto.getRandomValues(new Uint8Array(32)));
    const key = await subtle.importKey('raw', raw, 'AES-GCM', false, ['encrypt']);
    const iv = webcrypto.getRandomValues(new Uint8Array(12));
    const plain = bytes(size);
    const ct = new Uint8Array(await subtle.encrypt({ name: 'AES-GCM', iv }, key, plain));
    const url = rand() < 0.5;
    const enc = url ? b64url : b64;
    const box = { iv: enc(iv), ciphertext: enc(ct) };
    const asString = rand() < 0.3;
    const wrap = (b) => (asString ? JSON.stringify(b) : b);
    cases.push({ key: b64(raw), box: wrap(box), plain: b64(plain), expect: 'ok' });
    const tampered = ct.slice();
    tampered[int(tampered.length)] ^= 1 << int(8);
    cases.push({ key: b64(raw), box: wrap({ iv: box.iv, ciphertext: enc(tampered) }), expect: 'reject' });
    const wrong = webcrypto.getRandomValues(new Uint8Array(32));
    cases.push({ key: b64(wrong), box: wrap(box), expect: 'reject' });
  }
  write('gcm', cases);
}

// ---------- PassAgent: Argon2id vault keys (hash-wasm) ----------
async function argon2Cases() {
  const cases = [];
  const params = [{ memoryKiB: 65536, iterations: 3, parallelism: 4 }];
  const n = Math.max(4, Math.floor(COUNT / 20));
  for (let i = 0; i < n; i++) {
    const parallelism = 1 + int(4);
    params.push({ memoryKiB: 8 * parallelism + int(2048), iterations: 1 + int(3), parallelism });
  }
  for (const p of params) {
    const pw = password();
    const salt = bytes(pick([8, 16, 16, 32]));
    const key = await argon2id({
      password: utf8(pw), salt, parallelism: p.parallelism, iterations: p.iterations,
      memorySize: p.memoryKiB, hashLength: 32, outputType: 'binary',
    });
    cases.push({ password: pw, salt: b64url(salt), kdf: { algorithm: 'argon2id', ...p }, key: b64(key) });
  }
  write('argon2', cases);
}

// ---------- PassAgent: HKDF and invites (WebCrypto) ----------
async function hkdfCases() {
  const cases = [];
  for (let i = 0; i < COUNT; i++) {
    const ikm = bytes(1 + int(80));
    const salt = bytes(int(40));
    const info = bytes(int(40));
    const length = 1 + int(100);
    const base = await subtle.importKey('raw', ikm, 'HKDF', false, ['deriveBits']);
    const okm = new Uint8Array(await subtle.deriveBits({ name: 'HKDF', hash: 'SHA-256', salt, info }, base, length * 8));
    cases.push({ ikm: b64(ikm), salt: b64(salt), info: b64(info), length, okm: b64(okm) });
  }
  write('hkdf', cases);
}

async function inviteWrap(token, salt, itemKey) {
  const base = await subtle.importKey('raw', token, 'HKDF', false, ['deriveKey']);
  const kek = await subtle.deriveKey(
    { name: 'HKDF', hash: 'SHA-256', salt, info: utf8('passagent-invite-v1') },
    base, { name: 'AES-GCM', length: 256 }, false, ['encrypt'],
  );
  const iv = webcrypto.getRandomValues(new Uint8Array(12));
  const ct = new Uint8Array(await subtle.encrypt({ name: 'AES-GCM', iv }, kek, itemKey));
  return { iv, ct };
}

async function inviteCases() {
  const cases = [];
  for (let i = 0; i < COUNT; i++) {
    const token = webcrypto.getRandomValues(new Uint8Array(32));
    const salt = webcrypto.getRandomValues(new Uint8Array(16));
    const itemKey = webcrypto.getRandomValues(new Uint8Array(32));
    const { iv, ct } = await inviteWrap(token, salt, itemKey);
    const json = JSON.stringify({ iv: b64(iv), ciphertext: b64(ct) });
    // The canonical form is base64 of the JSON text; the bare JSON is accepted too.
    const wrapped = rand() < 0.8 ? Buffer.from(json).toString('base64') : json;
    cases.push({ token: b64url(token), salt: b64(salt), wrapped, item_key: b64(itemKey), expect: 'ok' });
    const otherToken = webcrypto.getRandomValues(new Uint8Array(32));
    cases.push({ token: b64url(otherToken), salt: b64(salt), wrapped, expect: 'reject' });
  }
  write('invite', cases);
}

// ---------- PassAgent: RSA-OAEP-2048/SHA-256 shared item keys (WebCrypto) ----------
async function rsaCases() {
  const RSA = { name: 'RSA-OAEP', hash: 'SHA-256' };
  const keys = [];
  for (let i = 0; i < 3; i++) {
    const kp = await subtle.generateKey({ ...RSA, modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]) }, true, ['encrypt', 'decrypt']);
    keys.push({
      pair: kp,
      spki: new Uint8Array(await subtle.exportKey('spki', kp.publicKey)),
      pkcs8: new Uint8Array(await subtle.exportKey('pkcs8', kp.privateKey)),
    });
  }
  const cases = [];
  const rsaSizes = [0, 1, 15, 16, 17, 32, 190];
  while (rsaSizes.length < COUNT / 2) rsaSizes.push(pick([32, 32, 32, int(191)]));
  for (const size of rsaSizes) {
    const k = int(keys.length);
    const plain = webcrypto.getRandomValues(new Uint8Array(size));
    const ct = new Uint8Array(await subtle.encrypt({ name: 'RSA-OAEP' }, keys[k].pair.publicKey, plain));
    cases.push({ key: k, ciphertext: b64(ct), plain: b64(plain), expect: 'ok' });
    const tampered = ct.slice();
    tampered[int(tampered.length)] ^= 1 << int(8);
    cases.push({ key: k, ciphertext: b64(tampered), expect: 'reject' });
    cases.push({ key: (k + 1) % keys.length, ciphertext: b64(ct), expect: 'reject' });
  }
  write('rsa', cases, { keys: keys.map((k) => ({ spki: b64(k.spki), pkcs8: b64(k.pkcs8) })) });
}

// ---------- Passman: sjcl ----------
const SJCL_PARAMS = { ks: 256, iter: 1000, ts: 64, mode: 'ccm' };
const sjclField = (pw, plainBits) => Buffer.from(sjcl.encrypt(pw, plainBits, SJCL_PARAMS)).toString('base64');

function sjclCases() {
  const cases = [];
  const list = sizes(COUNT);
  if (BIG) list.push(16777215, 16777216);
  for (const size of list) {
    const pw = password();
    const plain = bytes(size);
    const container = sjcl.encrypt(pw, sjcl.codec.hex.toBits(Buffer.from(plain).toString("hex")), SJCL_PARAMS);
    let field = Buffer.from(container).toString('base64');
    if (rand() < 0.3) field = field.replace(/=+$/, ''); // sjcl's base64 may come unpadded
    cases.push({ password: pw, field, plain: b64(plain), expect: 'ok' });
    // Tampered: flip one bit of ct (tag included), keep everything else.
    const parsed = JSON.parse(container);
    const ct = Buffer.from(parsed.ct, 'base64');
    ct[int(ct.length)] ^= 1 << int(8);
    const bad = { ...parsed, ct: ct.toString('base64') };
    cases.push({ password: pw, field: Buffer.from(JSON.stringify(bad)).toString('base64'), expect: 'reject' });
    cases.push({ password: pw + 'x', field, expect: 'reject' });
  }
  // Parameters the host must refuse even though sjcl itself would open them.
  const pw = password();
  const strays = [
    { iter: 10000 }, { ks: 128 }, { ts: 128 }, { mode: 'ocb2', iter: 1000 },
  ];
  for (const p of strays) {
    const container = sjcl.encrypt(pw, 'x', { ...SJCL_PARAMS, ...p });
    cases.push({ password: pw, field: Buffer.from(container).toString('base64'), expect: 'reject' });
  }
  const noSalt = JSON.parse(sjcl.encrypt(pw, 'x', SJCL_PARAMS));
  delete noSalt.salt;
  cases.push({ password: pw, field: Buffer.from(JSON.stringify(noSalt)).toString('base64'), expect: 'reject' });
  const withAdata = sjcl.encrypt(pw, 'x', { ...SJCL_PARAMS, adata: 'hdr' });
  cases.push({ password: pw, field: Buffer.from(withAdata).toString('base64'), expect: 'reject' });
  write('sjcl', cases);
}

// Passman fields: JSON.stringify(value) under the vault key.
function passmanCases() {
  const cases = [];
  for (let i = 0; i < COUNT; i++) {
    const pw = password();
    const value = rand() < 0.1 ? null : text(int(120)) + (rand() < 0.2 ? ' "\\\n\t\u0001' : '');
    cases.push({ password: pw, field: sjclField(pw, JSON.stringify(value)), text: value ?? '' });
  }
  const pw = password();
  for (const empty of [null, 'null', '']) cases.push({ password: pw, field: empty, text: '' });
  write('passman', cases);
}

// ---------- Passwork: CryptoJS passphrase AES + base32@0.0.7 ----------
const passworkEncode = (plain, pw) => base32.encode(CryptoJS.AES.encrypt(plain, pw).toString());
const passworkDecode = (data, pw) => CryptoJS.AES.decrypt(base32.decode(data), pw).toString(CryptoJS.enc.Utf8);

// What a strict opener would say: valid PKCS#7 and UTF-8.
function strictlyValid(data, pw) {
  const raw = CryptoJS.AES.decrypt(base32.decode(data), pw, { padding: CryptoJS.pad.NoPadding });
  const hex = raw.toString(CryptoJS.enc.Hex);
  const buf = Buffer.from(hex, 'hex');
  if (buf.length === 0) return false;
  const pad = buf[buf.length - 1];
  if (pad < 1 || pad > 16) return false;
  for (let i = 1; i <= pad; i++) if (buf[buf.length - i] !== pad) return false;
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(buf.subarray(0, buf.length - pad));
    return true;
  } catch {
    return false;
  }
}

function cryptojsCases() {
  const cases = [];
  let garbage = 0;
  let indistinguishable = 0;
  for (const size of sizes(COUNT)) {
    const pw = password();
    const plain = text(size);
    const data = passworkEncode(plain, pw);
    cases.push({ password: pw, data, plain, expect: 'ok' });
    // Tamper: flip the top bit of the byte that XORs into the last padding byte, which
    // always breaks the padding; single-block messages lose their header instead.
    const raw = Buffer.from(base32.decode(data), 'base64');
    if (raw.length >= 48) raw[raw.length - 17] ^= 0x80;
    const tampered = raw.length >= 48 ? raw : raw.subarray(8);
    cases.push({ password: pw, data: base32.encode(tampered.toString('base64')), expect: 'reject' });
    // Wrong passwords that CryptoJS "opens" without throwing (garbage or empty).
    for (let tries = 0; tries < 50; tries++) {
      const wrong = pw + text(1 + int(3));
      let out;
      try {
        out = passworkDecode(data, wrong);
      } catch {
        continue;
      }
      if (strictlyValid(data, wrong)) {
        indistinguishable++; // needs the master-hash check; not a case for the decoder
        continue;
      }
      cases.push({ password: wrong, data, js_result: out, expect: 'reject' });
      garbage++;
      break;
    }
  }
  const hashes = [];
  for (let i = 0; i < 20; i++) {
    const master = password();
    hashes.push({
      master,
      sha256: createHash('sha256').update(master).digest('hex'),
      md5: createHash('md5').update(master).digest('hex'),
    });
  }
  write('cryptojs', cases, { garbage, indistinguishable, hashes });
}

function passworkBase32Cases() {
  const cases = [];
  for (let i = 0; i < COUNT; i++) {
    // base32@0.0.7 works on "binary strings" (one char per byte).
    const raw = bytes(int(64));
    const latin1 = Buffer.from(raw).toString('latin1');
    const encoded = base32.encode(latin1);
    cases.push({ bytes: b64(raw), encoded });
    // Junk decodes too (unknown characters are skipped): the C++ must agree byte for byte.
    const junk = Array.from({ length: int(40) }, () => String.fromCharCode(32 + int(95))).join('');
    cases.push({ encoded: junk, bytes: b64(Buffer.from(base32.decode(junk), 'latin1')), decode_only: true });
  }
  write('passwork_base32', cases);
}

// ---------- TOTP: otpauth ----------
function totpCases() {
  const cases = [];
  for (let i = 0; i < COUNT; i++) {
    const secret = new OTPAuth.Secret({ size: pick([10, 16, 20, 32, 64, 1 + int(70)]) });
    const algorithm = pick(['SHA1', 'SHA256', 'SHA512']);
    const digits = pick([6, 7, 8]);
    const period = pick([30, 30, 60, 15, 1 + int(300)]);
    const totp = new OTPAuth.TOTP({
      issuer: rand() < 0.5 ? text(int(20)) : undefined,
      label: text(1 + int(20)).replace(/:/g, ''),
      secret, algorithm, digits, period,
    });
    const timestamp = int(2 ** 31) * 1000 + (rand() < 0.2 ? int(2 ** 21) * 2 ** 32 : 0);
    cases.push({
      uri: totp.toString(),
      secret: secret.base32,
      algorithm, digits, period, timestamp_ms: timestamp,
      code: totp.generate({ timestamp }),
    });
    const counter = int(2 ** 30) * 2 ** 21 + int(2 ** 21);
    const hotp = new OTPAuth.HOTP({ secret, algorithm, digits });
    cases.push({ secret: secret.base32, algorithm, digits, counter, code: hotp.generate({ counter }) });
  }
  write('totp', cases);
}

mkdirSync(outdir, { recursive: true });
const started = Date.now();
await gcmCases();
await argon2Cases();
await hkdfCases();
await inviteCases();
await rsaCases();
sjclCases();
passmanCases();
cryptojsCases();
passworkBase32Cases();
totpCases();
console.log(`gen.mjs: seed ${seed}, ${JSON.stringify(files)} in ${Date.now() - started} ms`);
