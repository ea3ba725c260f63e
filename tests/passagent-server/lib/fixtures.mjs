// Every fixed credential and fixture definition, and the generator that turns
// them into encrypted records the way PassAgent's web client makes them.
import {
  aesGcmEncrypt,
  b64,
  b64url,
  deriveVaultKey,
  generateRsaKeyPair,
  importAesKey,
  importRsaPublic,
  makeRng,
  rngHex,
  rngInt,
  rngUuid,
  rsaEncrypt,
  sha256hex,
  unb64,
  utf8,
} from './crypto.mjs';
import { FIXED_RSA_KEYS } from './fixed-rsa-keys.mjs';

export const ANON_KEY = 'passagent-test-anon-key';
export const VERIFIER_TEXT = 'passagent-vault-verifier';
export const DEFAULT_KDF = { algorithm: 'argon2id', memoryKiB: 65536, iterations: 3, parallelism: 4 };
export const DEFAULT_ITEMS = 50;

/** The accounts. `demo` is the owner whose credentials serve.mjs prints first. */
export const USERS = {
  demo: {
    email: 'demo@passagent.test',
    password: 'Demo-Login-Passw0rd!',
    masterPassword: 'correct horse battery staple',
  },
  friend: {
    email: 'friend@passagent.test',
    password: 'Friend-Login-Passw0rd!',
    masterPassword: 'friend master passphrase',
  },
  alice: {
    email: 'alice@passagent.test',
    password: 'Alice-Login-Passw0rd!',
    masterPassword: 'alice master passphrase',
  },
  // Has account 2FA enrolled: sign-in gives an aal1 session until /api/2fa/verify.
  mfa: {
    email: 'mfa@passagent.test',
    password: 'Mfa-Login-Passw0rd!',
    masterPassword: 'mfa master passphrase',
    totpSecret: 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP',
    recoveryCodes: ['a1b2c3d4', 'e5f6a7b8', 'c9d0e1f2', '0a1b2c3d', '4e5f6a7b', '8c9d0e1f', '2a3b4c5d', '6e7f8a9b'],
  },
};

/** Logins accepted by the demo pages under /demo/ (the fixtures hold them). */
export const DEMO_SITE_USERS = {
  'demo-user': 'Demo-Site-Pa55!',
  'ident-user': 'Ident-Site-Pa55!',
  'otp-user': 'Otp-Site-Pa55!',
  'team-user': 'Team-Site-Pa55!',
};
/** The /demo/otp page accepts codes for this secret (the "Demo OTP" entry's TOTP). */
export const DEMO_OTP_SECRET = 'mfrg gzdf mztw q2lk nnwg 23tp obyx e43u';

// enc: how the {iv, ciphertext} boxes of a record are written.
//   b64 | b64url  (base64 padded / base64url unpadded), str: a JSON string instead of an object.
const E = {
  obj64: { enc: 'b64', str: false },
  objUrl: { enc: 'b64url', str: false },
  str64: { enc: 'b64', str: true },
  strUrl: { enc: 'b64url', str: true },
};

/**
 * Named items, in creation order. `key` is a stable handle for tests.
 * originPath: the entry is for this server's own demo page; its url is the
 * server's origin (known per response) plus the path.
 * totp.secret is the text exactly as stored (zero-trust: the plaintext that
 * secretEncrypted decrypts to; legacy: the server-side secret).
 */
export const NAMED_ITEMS = {
  demo: [
    { key: 'github-work', name: 'GitHub (work)', url: 'https://github.com/login', website: 'github.com', category: 'Development', tags: ['work'], version: 3, username: 'demo-work', password: 'gh-W0rk-Secret!', notes: 'Work account', urls: ['https://github.com/login'], fields: [{ name: 'Team', value: 'platform', hidden: false }, { name: 'Recovery code', value: 'gh-rc-4417-9023', hidden: true }], e: E.obj64 },
    { key: 'github-personal', name: 'GitHub (personal)', url: 'https://github.com/login', website: 'github.com', category: 'Development', tags: ['personal'], version: 2, username: 'demo-personal', password: 'gh-Pers0nal-Secret!', e: E.objUrl },
    { key: 'google', name: 'Google', url: 'https://accounts.google.com/signin/v2/identifier', website: 'accounts.google.com', category: 'Email', tags: [], version: 3, username: 'demo.passagent@gmail.com', password: 'G00gle-Account-Pw', e: E.str64, totp: { mode: 'zero-trust', secret: 'JBSWY3DPEHPK3PXP', algorithm: 'SHA-1', digits: 6, period: 30, e: E.obj64 } },
    { key: 'gmail', name: 'Gmail', url: 'https://mail.google.com/mail/u/0/', website: 'mail.google.com', category: 'Email', tags: [], version: 2, username: 'demo.passagent@gmail.com', password: 'G00gle-Account-Pw', e: E.str64 },
    { key: 'example-uk', name: 'Example UK app', url: 'https://app.example.co.uk:8443/login', website: 'app.example.co.uk', category: 'Work', tags: ['port'], version: 3, username: 'demo@example.co.uk', password: 'Uk-App-8443-Pw', e: E.strUrl, totp: { mode: 'legacy', secret: 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ', algorithm: 'SHA-1', digits: 6, period: 30 } },
    { key: 'router', name: 'Home router', url: 'http://192.168.1.1/admin', website: '192.168.1.1', category: 'Network', tags: ['ip'], version: 2, username: 'admin', password: 'R0uter-Admin-Pw', e: E.obj64 },
    { key: 'buecher-unicode', name: 'Bücher (Unicode)', url: 'https://bücher.example/konto/anmelden', website: 'bücher.example', category: 'Shopping', tags: ['idn'], version: 3, username: 'leser@example.de', password: 'B\u00fccher-Pw-1', e: E.objUrl },
    { key: 'buecher-punycode', name: 'Bücher (punycode)', url: 'https://xn--bcher-kva.example/login', website: 'xn--bcher-kva.example', category: 'Shopping', tags: ['idn'], version: 2, username: 'leser2@example.de', password: 'Buecher-Pw-2', e: E.strUrl },
    { key: 'localhost', name: 'Local dev server', url: 'http://localhost:3000/login', website: 'localhost', category: 'Development', tags: [], version: 3, username: 'dev', password: 'Local-Dev-Pw', e: E.obj64 },
    { key: 'dropbox', name: 'Dropbox', url: 'https://www.dropbox.com/login', website: 'www.dropbox.com', category: 'Storage', tags: [], version: 2, username: 'demo@passagent.test', password: 'Dr0pbox-Pw', e: E.obj64, totp: { mode: 'zero-trust', secret: 'gezd gnbv gy3t qojq gezd gnbv gy3t qojq', algorithm: 'SHA-1', digits: 6, period: 30, e: E.objUrl } },
    { key: 'aws', name: 'AWS console', url: 'https://signin.aws.amazon.com/signin', website: 'signin.aws.amazon.com', category: 'Work', tags: ['sha256'], version: 3, username: 'demo-iam', password: 'Aws-C0nsole-Pw', e: E.str64, totp: { mode: 'zero-trust', secret: 'gezdgnbvgy3tqojqgezdgnbvgy3tqojqgezdgnbvgy3tqojqgeza', algorithm: 'SHA-256', digits: 8, period: 30, e: E.obj64 } },
    { key: 'demo-login', name: 'Demo login', originPath: '/demo/login', category: 'Demo', tags: ['demo'], version: 3, username: 'demo-user', password: DEMO_SITE_USERS['demo-user'], notes: 'For the e2e tests', e: E.obj64 },
    { key: 'demo-identifier-first', name: 'Demo identifier-first', originPath: '/demo/identifier-first', category: 'Demo', tags: ['demo'], version: 2, username: 'ident-user', password: DEMO_SITE_USERS['ident-user'], e: E.objUrl },
    { key: 'demo-otp', name: 'Demo OTP', originPath: '/demo/otp', category: 'Demo', tags: ['demo'], version: 3, username: 'otp-user', password: DEMO_SITE_USERS['otp-user'], e: E.strUrl, totp: { mode: 'zero-trust', secret: DEMO_OTP_SECRET, algorithm: 'SHA-1', digits: 6, period: 30, e: E.obj64 } },
    { key: 'travel-bank', name: 'Bank (travel mode)', url: 'https://bank.example.com/login', website: 'bank.example.com', category: 'Finance', tags: ['travel'], version: 3, username: 'demo-bank', password: 'Bank-Hidden-Pw', e: E.obj64, travel: true },
  ],
  friend: [
    { key: 'friend-github', name: 'GitHub', url: 'https://github.com/login', website: 'github.com', category: 'Development', tags: [], version: 3, username: 'friend-gh', password: 'Friend-Gh-Pw', e: E.obj64 },
  ],
  alice: [
    { key: 'alice-netflix', name: 'Netflix (family)', url: 'https://www.netflix.com/login', website: 'www.netflix.com', category: 'Entertainment', tags: ['family'], version: 3, username: 'family@example.com', password: 'Netfl1x-Family-Pw', e: E.obj64 },
    { key: 'alice-team-demo', name: 'Team demo login', originPath: '/demo/login', category: 'Demo', tags: ['team'], version: 3, username: 'team-user', password: DEMO_SITE_USERS['team-user'], e: E.strUrl },
    { key: 'alice-wiki', name: 'Team wiki', url: 'https://wiki.example.org/login', website: 'wiki.example.org', category: 'Work', tags: ['team'], version: 3, username: 'team-wiki', password: 'W1ki-Team-Pw', e: E.str64 },
    { key: 'alice-mail', name: 'Alice mail', url: 'https://mail.example.org/', website: 'mail.example.org', category: 'Email', tags: [], version: 2, username: 'alice', password: 'Alice-Mail-Pw', e: E.obj64 },
  ],
  mfa: [
    { key: 'mfa-mail', name: 'Mail', url: 'https://mail.example.net/login', website: 'mail.example.net', category: 'Email', tags: [], version: 3, username: 'mfa-user', password: 'Mfa-Mail-Pw', e: E.obj64 },
  ],
};

/** Shares made at generation time: [owner, item key, recipient, status, permission]. */
export const SHARES = [
  ['demo', 'github-work', 'friend', 'active', 'read'],
  ['demo', 'example-uk', 'friend', 'pending', 'write'],
  ['demo', 'google', 'friend', 'revoked', 'read'],
  ['alice', 'alice-netflix', 'demo', 'active', 'read'],
  ['alice', 'alice-team-demo', 'demo', 'active', 'read'],
  ['alice', 'alice-wiki', 'demo', 'pending', 'read'],
];

// Hosts for the bulk of a large generated vault.
const BULK_SITES = [
  (i) => `https://shop${i}.example.com/account/login`,
  (i) => `https://login.service${i}.example.net/`,
  (i) => `https://portal-${i}.example.org:8443/signin`,
  (i) => `https://www.forum${i}.example.com/member/login?next=%2F`,
  (i) => `https://app${i}.example.io/auth`,
  (i) => `http://intranet${i}.corp.example/login`,
];
const PW_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789!#%+-=?';

export function passwordHash(userId, password) {
  return sha256hex(`${userId}:${password}`);
}

function box({ iv, ciphertext }, e) {
  const f = e.enc === 'b64url' ? b64url : b64;
  const obj = { iv: f(iv), ciphertext: f(ciphertext) };
  return e.str ? JSON.stringify(obj) : obj;
}

const BASE_TIME = Date.UTC(2025, 0, 1, 9, 0, 0);
const CHUNK = 500;

/**
 * One account as PassAgent's web client sets it up: a random salt, Argon2id, the
 * verifier, an RSA-OAEP key pair with the private key under the vault key.
 * `rsaKeys` ({spki, pkcs8} base64) for seeded runs; else a fresh pair.
 * Resolves to {user, vaultKey, publicKey}.
 */
export async function makeUser({ handle, creds, rng, kdf, stamp, rsaKeys = null }) {
  const id = rngUuid(rng);
  const salt = rng.bytes(16);
  const vaultRaw = await deriveVaultKey(creds.masterPassword, salt, kdf);
  const vaultKey = await importAesKey(vaultRaw);
  const rsa = rsaKeys ? { spki: unb64(rsaKeys.spki), pkcs8: unb64(rsaKeys.pkcs8) } : await generateRsaKeyPair();
  const verifier = await aesGcmEncrypt(vaultKey, VERIFIER_TEXT, rng.bytes(12));
  const encPriv = await aesGcmEncrypt(vaultKey, rsa.pkcs8, rng.bytes(12));
  const user = {
    id,
    handle,
    email: creds.email,
    passwordHash: passwordHash(id, creds.password),
    created_at: stamp(),
    vault: { salt: b64url(salt), kdf: { ...kdf }, verifier: box(verifier, E.obj64) },
    keys: { publicKey: b64(rsa.spki), encryptedPrivateKey: box(encPriv, E.obj64) },
    twofa: creds.totpSecret
      ? { enrolled: true, secret: creds.totpSecret, enrolledAt: stamp(), recoveryCodes: (creds.recoveryCodes ?? []).map((c) => sha256hex(c)) }
      : { enrolled: false },
  };
  return { user, vaultKey, publicKey: await importRsaPublic(rsa.spki) };
}

/**
 * Generates the whole initial state. Deterministic with `seed` (except RSA-OAEP
 * ciphertexts, whose padding WebCrypto randomises).
 */
export async function generateState({ seed, items = DEFAULT_ITEMS, kdf = DEFAULT_KDF }) {
  const rng = makeRng(seed);
  const kdfParams = { algorithm: 'argon2id', memoryKiB: kdf.memoryKiB, iterations: kdf.iterations, parallelism: kdf.parallelism };
  let clock = 0;
  const stamp = () => new Date(BASE_TIME + clock++ * 60_000).toISOString();

  const users = [];
  const ctx = {}; // per user: { user, vaultKey, publicKey }
  for (const [handle, creds] of Object.entries(USERS)) {
    const made = await makeUser({ handle, creds, rng, kdf: kdfParams, stamp, rsaKeys: rng.seeded ? FIXED_RSA_KEYS[handle] : null });
    users.push(made.user);
    ctx[handle] = made;
  }

  const passwords = [];
  const itemKeys = new Map(); // record id -> raw item key (v3)
  const byKey = new Map(); // fixture key -> record
  const manifest = [];

  async function makeItem(handle, def) {
    const { user, vaultKey } = ctx[handle];
    // Draw all randomness before the first await, so concurrent calls stay deterministic.
    const id = `pwd_${rngHex(rng, 8)}`;
    const ts = stamp();
    const r = {
      itemKey: def.version === 3 ? rng.bytes(32) : null,
      travelKey: def.travel ? rng.bytes(32) : null,
      iv1: rng.bytes(12),
      iv2: rng.bytes(12),
      totpIv: def.totp ? rng.bytes(12) : null,
    };
    const rec = {
      id,
      owner_id: user.id,
      name: def.name,
      website: def.website ?? null,
      url: def.url ?? null,
      category: def.category ?? null,
      tags: def.tags ?? [],
      created_at: ts,
      updated_at: ts,
    };
    if (def.originPath) {
      rec.origin_path = def.originPath;
      rec.url = null;
      rec.website = null;
    }
    if (def.version === 3) {
      const itemKey = r.itemKey;
      const wrapKey = def.travel ? await importAesKey(r.travelKey) : vaultKey;
      const wrapped = await aesGcmEncrypt(wrapKey, itemKey, r.iv1);
      const plain = { username: def.username, password: def.password };
      if (def.notes) plain.notes = def.notes;
      if (def.urls) plain.urls = def.urls;
      if (def.fields) plain.fields = def.fields;
      const data = await aesGcmEncrypt(await importAesKey(itemKey), JSON.stringify(plain), r.iv2);
      rec.wrapped_item_key = box(wrapped, def.e);
      rec.encrypted_data = box(data, def.e);
      itemKeys.set(id, itemKey);
    } else {
      rec.username = def.username;
      rec.encrypted_password = box(await aesGcmEncrypt(vaultKey, def.password, r.iv1), def.e);
    }
    if (def.totp) {
      const t = def.totp;
      rec.totp = { zeroTrust: t.mode === 'zero-trust', algorithm: t.algorithm, digits: t.digits, period: t.period };
      if (t.mode === 'zero-trust') {
        rec.totp.secretEncrypted = box(await aesGcmEncrypt(vaultKey, t.secret, r.totpIv), t.e);
      } else {
        rec.totp.secret = t.secret;
      }
    }
    return rec;
  }

  for (const [handle, defs] of Object.entries(NAMED_ITEMS)) {
    for (const def of defs) {
      const rec = await makeItem(handle, def);
      passwords.push(rec);
      byKey.set(def.key, rec);
      manifest.push({
        key: def.key,
        id: rec.id,
        owner: USERS[handle].email,
        name: def.name,
        url: def.url ?? null,
        originPath: def.originPath ?? null,
        website: def.website ?? null,
        version: def.version,
        username: def.username,
        password: def.password,
        notes: def.notes ?? null,
        fields: def.fields ?? null,
        boxEncoding: def.e.enc,
        boxAsJsonString: def.e.str,
        travelMode: Boolean(def.travel),
        totp: def.totp ? { mode: def.totp.mode, secret: def.totp.secret, algorithm: def.totp.algorithm, digits: def.totp.digits, period: def.totp.period } : null,
      });
    }
  }

  // Bulk items for the demo vault, up to `items` own entries.
  const bulk = Math.max(0, items - NAMED_ITEMS.demo.length);
  const encs = [E.obj64, E.objUrl, E.str64, E.strUrl];
  for (let start = 0; start < bulk; start += CHUNK) {
    const defs = [];
    for (let i = start; i < Math.min(bulk, start + CHUNK); i++) {
      const n = i + 1;
      const url = BULK_SITES[i % BULK_SITES.length](n);
      let pw = '';
      for (const b of rng.bytes(16)) pw += PW_ALPHABET[b % PW_ALPHABET.length];
      defs.push({
        name: `Site ${String(n).padStart(5, '0')}`,
        url,
        website: new URL(url).hostname,
        category: ['Shopping', 'Social', 'Work', 'Finance', 'Other'][rngInt(rng, 5)],
        tags: [],
        version: i % 3 === 0 ? 2 : 3,
        username: `user${n}@example.com`,
        password: pw,
        e: encs[i % 4],
      });
    }
    // Sequential ids/IVs from the rng keep seeded runs deterministic; the
    // WebCrypto work of a chunk then runs concurrently.
    const recs = await Promise.all(defs.map((d) => makeItem('demo', d)));
    passwords.push(...recs);
  }

  // Shares, made as the owner's client would: the item key RSA-OAEP-wrapped to the
  // recipient's public key, and the item's encrypted_data (a JSON string, base64).
  const shares = [];
  for (const [ownerH, itemKey, recipH, status, permission] of SHARES) {
    const rec = byKey.get(itemKey);
    const owner = ctx[ownerH].user;
    const recip = ctx[recipH].user;
    const raw = itemKeys.get(rec.id);
    const data = typeof rec.encrypted_data === 'string' ? JSON.parse(rec.encrypted_data) : rec.encrypted_data;
    const ts = stamp();
    const share = {
      id: `shr_${rngHex(rng, 8)}`,
      account_id: rec.id,
      owner_id: owner.id,
      owner_email: owner.email,
      recipient_id: recip.id,
      recipient_email: recip.email,
      status,
      permission,
      expires_at: null,
      accepted_at: status === 'active' ? ts : null,
      created_at: ts,
      updated_at: ts,
      wrapped_item_key: b64(await rsaEncrypt(ctx[recipH].publicKey, raw)),
      encrypted_data: JSON.stringify({ iv: b64(unb64(data.iv)), ciphertext: b64(unb64(data.ciphertext)) }),
    };
    shares.push(share);
    const m = manifest.find((x) => x.key === itemKey);
    (m.sharedWith ??= []).push({ shareId: share.id, recipient: recip.email, status, permission });
  }

  const meta = {
    version: 1,
    generatedAt: new Date().toISOString(),
    seed: seed ?? null,
    items,
    kdf: kdfParams,
    jwtSecret: rngHex(rng, 32),
    serverKey: rngHex(rng, 32),
    manifest,
  };
  return {
    meta,
    users,
    passwords,
    shares,
    sessionShares: [],
    auth: { sessions: [], refreshTokens: [], csrf: [] },
    events: { views: [], notifications: [] },
  };
}
