// SPDX-License-Identifier: MIT
// Opens with the JavaScript libraries what the C++ host sealed:
//   node check.mjs <dir>     (reads <dir>/cpp_sealed.json, and <dir>/rsa.json for the keys)
// Exit 0 when every case opens to the expected plaintext; 1 otherwise.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { webcrypto } from 'node:crypto';
import sjcl from 'sjcl';
import CryptoJS from 'crypto-js';
import base32 from 'base32';
import { argon2id } from 'hash-wasm';

const subtle = webcrypto.subtle;
const dir = process.argv[2];
if (!dir) {
  console.error('usage: node check.mjs <dir>');
  process.exit(2);
}
const sealed = JSON.parse(readFileSync(join(dir, 'cpp_sealed.json'), 'utf8'));
const rsaKeys = JSON.parse(readFileSync(join(dir, 'rsa.json'), 'utf8')).keys;

const unb64 = (s) => new Uint8Array(Buffer.from(s, 'base64')); // Buffer reads base64url too
const same = (a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)) === 0;
const utf8 = (s) => new TextEncoder().encode(s);

let failures = 0;
const counts = {};
async function each(name, fn) {
  const cases = sealed[name];
  if (!Array.isArray(cases) || cases.length === 0) {
    console.error(`check.mjs: no C++-sealed "${name}" cases`);
    failures++;
    return;
  }
  let ok = 0;
  for (const [i, c] of cases.entries()) {
    try {
      if (await fn(c)) ok++;
      else console.error(`check.mjs: ${name}[${i}] opened to the wrong value`);
    } catch (e) {
      console.error(`check.mjs: ${name}[${i}] failed: ${e.message ?? e}`);
    }
  }
  counts[name] = `${ok}/${cases.length}`;
  failures += cases.length - ok;
}

await each('gcm', async (c) => {
  const box = typeof c.box === 'string' ? JSON.parse(c.box) : c.box;
  const key = await subtle.importKey('raw', unb64(c.key), 'AES-GCM', false, ['decrypt']);
  const plain = await subtle.decrypt({ name: 'AES-GCM', iv: unb64(box.iv) }, key, unb64(box.ciphertext));
  return same(new Uint8Array(plain), unb64(c.plain));
});

await each('argon2', async (c) => {
  const key = await argon2id({
    password: utf8(c.password), salt: unb64(c.salt), parallelism: c.kdf.parallelism,
    iterations: c.kdf.iterations, memorySize: c.kdf.memoryKiB, hashLength: 32, outputType: 'binary',
  });
  return same(key, unb64(c.key));
});

await each('invite', async (c) => {
  const json = JSON.parse(Buffer.from(c.wrapped, 'base64').toString('utf8'));
  const base = await subtle.importKey('raw', unb64(c.token), 'HKDF', false, ['deriveKey']);
  const kek = await subtle.deriveKey(
    { name: 'HKDF', hash: 'SHA-256', salt: unb64(c.salt), info: utf8('passagent-invite-v1') },
    base, { name: 'AES-GCM', length: 256 }, false, ['decrypt'],
  );
  const key = await subtle.decrypt({ name: 'AES-GCM', iv: unb64(json.iv) }, kek, unb64(json.ciphertext));
  return same(new Uint8Array(key), unb64(c.item_key));
});

await each('rsa', async (c) => {
  const key = await subtle.importKey('pkcs8', unb64(rsaKeys[c.key].pkcs8), { name: 'RSA-OAEP', hash: 'SHA-256' }, false, ['decrypt']);
  const plain = await subtle.decrypt({ name: 'RSA-OAEP' }, key, unb64(c.ciphertext));
  return same(new Uint8Array(plain), unb64(c.plain));
});

await each('sjcl', (c) => {
  const container = Buffer.from(c.field, 'base64').toString('utf8');
  // raw: 1 returns the bit array instead of a UTF-8 string (the plaintexts are bytes);
  // this build of sjcl reads it from the params argument.
  const bits = sjcl.decrypt(c.password, container, { raw: 1 });
  return sjcl.codec.hex.fromBits(bits) === Buffer.from(unb64(c.plain)).toString('hex');
});

await each('cryptojs', (c) => {
  // Passwork's decode: base32 -> CryptoJS OpenSSL-format base64 -> passphrase AES.
  const plain = CryptoJS.AES.decrypt(base32.decode(c.data), c.password).toString(CryptoJS.enc.Utf8);
  return plain === c.plain;
});

await each('passwork_base32', (c) => {
  const decoded = Buffer.from(base32.decode(c.encoded), 'latin1');
  return same(decoded, unb64(c.bytes)) && base32.encode(decoded.toString('latin1')) === c.encoded;
});

console.log(`check.mjs: JS opened what C++ sealed: ${JSON.stringify(counts)}`);
process.exit(failures === 0 ? 0 : 1);
