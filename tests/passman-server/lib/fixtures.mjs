// The seeded accounts: who can sign in, their vaults and vault keys, and the credentials
// in plain text. buildState() encrypts them the way Passman's web client does.
import { randomUUID } from 'node:crypto';
import { encryptFields, encryptString } from './crypto.mjs';

export const USERS = Object.freeze([
  { username: 'demo', password: 'Demo-Nextcloud-Passw0rd!', displayName: 'Demo User' },
  { username: 'friend', password: 'Friend-Nextcloud-Passw0rd!', displayName: 'Friend' },
]);

const GITHUB_TOTP = 'JBSWY3DPEHPK3PXP';
const DEMO_TOTP = 'KRSXG5CTMVRXEZLUKN2XAZLSKNSWG4TF';

// `{origin}` in a URL is this server's own origin, known once it listens: the entry
// for its demo page (/demo/login), which the browser tests fill.
export const ORIGIN_PLACEHOLDER = '{origin}';
export const DEMO_SITE_LOGIN = Object.freeze({ username: 'passman-demo-user', password: 'Passman-Demo-Site-Pw1!' });
const AWS_TOTP = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';

// Passman's default for a credential without TOTP.
const NO_OTP = {};

// A credential in plain text. `key` names it for the tests; `encryptWith` overrides
// the key its fields are encrypted with (an entry that cannot be opened); `shareKey`
// makes it a shared credential (fields under the share key, the share key under the
// vault key).
const credential = (c) => ({
  description: '',
  username: '',
  email: '',
  password: '',
  url: '',
  tags: [],
  files: [],
  custom_fields: [],
  otp: NO_OTP,
  compromised: false,
  hidden: false,
  deleted: false,
  ...c,
});

export const VAULTS = Object.freeze([
  {
    owner: 'demo',
    name: 'Personal',
    vaultKey: 'correct horse battery staple',
    credentials: [
      credential({
        key: 'github',
        label: 'GitHub',
        username: 'octocat',
        email: 'octocat@example.com',
        password: 'gh-Passw0rd-1',
        url: 'https://github.com/login',
        description: 'Work account',
        // One plain and one hidden custom field, as Passman's editor makes them.
        custom_fields: [
          { label: 'Recovery email', value: 'octocat-recovery@example.com', secret: false, field_type: 'text' },
          { label: 'Backup code', value: 'ghb-7741-0093', secret: true, field_type: 'password' },
        ],
        otp: { secret: GITHUB_TOTP, algorithm: 'SHA1', period: 30, digits: 6, type: 'totp', issuer: 'GitHub', label: 'octocat' },
      }),
      credential({
        key: 'gmail',
        label: 'Google',
        email: 'demo.user@gmail.com',
        password: 'g-Passw0rd-2',
        url: 'https://accounts.google.com/',
      }),
      credential({
        key: 'aws',
        label: 'AWS console',
        username: 'admin',
        password: 'aws-Passw0rd-3',
        url: 'https://signin.aws.amazon.com/',
        // Passman keeps what its QR reader parsed: numbers may come as strings.
        otp: { secret: AWS_TOTP, algorithm: 'SHA256', period: '30', digits: '8', type: 'totp' },
      }),
      credential({
        key: 'buecher',
        label: 'Bücherei',
        username: 'jürgen',
        password: 'Pässwörd-ß-4',
        url: 'https://bücher.example/',
        custom_fields: [{ label: 'PIN', value: '1234', secret: true, field_type: 'text' }],
      }),
      credential({
        key: 'wiki',
        label: 'Team wiki (shared)',
        username: 'team',
        password: 'wiki-Passw0rd-5',
        url: 'https://wiki.example.org/',
        // Share keys are used as they are, spaces included.
        shareKey: ' share-key-with-spaces ',
      }),
      credential({
        key: 'localhost',
        label: 'Local dev',
        username: 'dev',
        password: 'local-Passw0rd-6',
        url: 'http://127.0.0.1:8080/login',
      }),
      credential({
        key: 'demo-login',
        label: 'Demo login',
        username: DEMO_SITE_LOGIN.username,
        password: DEMO_SITE_LOGIN.password,
        url: `${ORIGIN_PLACEHOLDER}/demo/login`,
        otp: { secret: DEMO_TOTP, algorithm: 'SHA1', period: 30, digits: 6, type: 'totp' },
      }),
      credential({
        key: 'trashed',
        label: 'Old forum',
        username: 'old',
        password: 'trash-Passw0rd-7',
        url: 'https://forum.example.net/',
        deleted: true,
      }),
      credential({
        key: 'unreadable',
        label: 'Imported (other key)',
        username: 'ghost',
        password: 'other-Passw0rd-8',
        url: 'https://ghost.example.com/',
        encryptWith: 'a key that is not this vault key',
      }),
    ],
  },
  {
    owner: 'demo',
    name: 'Work',
    vaultKey: 'work vault key 2024',
    credentials: [
      credential({
        key: 'jira',
        label: 'Jira',
        username: 'demo.user',
        password: 'jira-Passw0rd-9',
        url: 'https://jira.example.com/',
      }),
    ],
  },
  {
    owner: 'friend',
    name: 'Friend vault',
    vaultKey: 'friend vault key',
    credentials: [
      credential({ key: 'friend-mail', label: 'Mail', username: 'friend', password: 'friend-Passw0rd', url: 'https://mail.example.com/' }),
    ],
  },
]);

const upperUuid = () => randomUUID().toUpperCase();

// What Passman stores for a credential (Credential::jsonSerialize).
export function storedCredential(plain, { id, vaultId, userId, vaultKey, now }) {
  let key = plain.encryptWith ?? vaultKey;
  let sharedKey = null;
  if (plain.shareKey !== undefined) {
    // A share key is a plain string (not JSON) under the vault key.
    sharedKey = encryptString(plain.shareKey, vaultKey);
    key = plain.shareKey;
  }
  return {
    credential_id: id,
    guid: upperUuid(),
    user_id: userId,
    vault_id: vaultId,
    label: plain.label,
    created: now,
    changed: now,
    favicon: null,
    renew_interval: null,
    expire_time: 0,
    delete_time: plain.deleted ? now : 0,
    hidden: plain.hidden ? 1 : 0,
    shared_key: sharedKey,
    ...encryptFields(plain, key),
  };
}

// Passman's vault creation adds a hidden credential that proves the vault key.
function testCredential(name) {
  return credential({
    key: `test-key-${name}`,
    label: `Test key for vault ${name}`,
    password: 'lorum ipsum',
    description: 'This is a test credential',
    hidden: true,
  });
}

export function buildState(origin) {
  const now = Math.floor(Date.now() / 1000);
  const vaults = [];
  const credentials = [];
  const manifest = [];
  let nextCredentialId = 1;
  VAULTS.forEach((spec, index) => {
    const vault = {
      vault_id: index + 1,
      guid: upperUuid(),
      name: spec.name,
      owner: spec.owner,
      vaultKey: spec.vaultKey,
      created: now,
      last_access: now,
      public_sharing_key: null,
      private_sharing_key: null,
      sharing_keys_generated: null,
      vault_settings: null,
    };
    vaults.push(vault);
    for (const entry of [testCredential(spec.name), ...spec.credentials]) {
      const plain = { ...entry, url: entry.url.replaceAll(ORIGIN_PLACEHOLDER, origin) };
      const stored = storedCredential(plain, {
        id: nextCredentialId++,
        vaultId: vault.vault_id,
        userId: spec.owner,
        vaultKey: spec.vaultKey,
        now,
      });
      credentials.push(stored);
      manifest.push({
        key: plain.key,
        guid: stored.guid,
        vault: vault.guid,
        owner: spec.owner,
        label: plain.label,
        username: plain.username,
        email: plain.email,
        password: plain.password,
        url: plain.url,
        description: plain.description,
        otp: plain.otp,
        custom_fields: plain.custom_fields,
        hidden: plain.hidden,
        deleted: plain.deleted,
        shared: plain.shareKey !== undefined,
        readable: plain.encryptWith === undefined,
      });
    }
  });
  return { vaults, credentials, manifest, nextCredentialId, users: USERS.map((u) => ({ ...u })) };
}
