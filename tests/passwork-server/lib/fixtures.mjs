// The seeded accounts and their vaults in plain text; buildState() encrypts them the way
// Passwork's web client does (lib/crypto.mjs).
import { encode, masterHash, objectId, plainEncode, randomPassword } from './crypto.mjs';

export const USERS = Object.freeze([
  // Client-side encryption on, sha256 hash (Passwork 4, and always on SaaS).
  { email: 'demo@passwork.test', password: 'Demo-Passwork-Login1!', masterPassword: 'Passwork master 2024!', encryption: true, hash: 'sha256' },
  // An old server: md5 hash of the master password.
  { email: 'legacy@passwork.test', password: 'Legacy-Passwork-Login1!', masterPassword: 'old master', encryption: true, hash: 'md5' },
  // Client-side encryption off (the self-hosted default): values are base64, no master password.
  { email: 'plain@passwork.test', password: 'Plain-Passwork-Login1!', masterPassword: '', encryption: false, hash: null },
]);

const GITHUB_TOTP = 'JBSWY3DPEHPK3PXP';
const JIRA_TOTP = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';
const DEMO_TOTP = 'KRSXG5CTMVRXEZLUKN2XAZLSKNSWG4TF';

// `{origin}` in a URL is this server's own origin, known once it listens: the entry
// for its demo page (/demo/login, tests/support/demo-site.mjs), which the browser tests fill.
export const ORIGIN_PLACEHOLDER = '{origin}';
export const DEMO_SITE_LOGIN = Object.freeze({ username: 'passwork-demo-user', password: 'Passwork-Demo-Site-Pw1!' });

// Vaults: scope 'user' (private: the vault password under the master password) or
// 'domain' (organisation: a domain password under the master password, the vault
// password under the domain password). `foreignMaster` encrypts the vault password
// with another master password: nothing in that vault can be opened.
export const VAULTS = Object.freeze([
  {
    owner: 'demo@passwork.test',
    name: 'Private',
    scope: 'user',
    folders: [{ key: 'web', name: 'Web', folders: [{ key: 'social', name: 'Social' }] }],
    passwords: [
      {
        key: 'github',
        name: 'GitHub',
        login: 'octocat',
        password: 'gh-Passw0rd-1',
        url: 'https://github.com/login',
        description: 'Work account',
        custom: [{ name: 'TOTP', value: `otpauth://totp/GitHub:octocat?secret=${GITHUB_TOTP}&issuer=GitHub`, type: 'totp' }],
        totp: { secret: GITHUB_TOTP, algorithm: 'SHA1', digits: 6, period: 30 },
      },
      {
        key: 'gmail',
        folder: 'web',
        name: 'Google',
        login: 'demo.user@gmail.com',
        password: 'g-Passw0rd-2',
        url: 'https://accounts.google.com/',
        // A plain and a hidden (type "password") custom field, no TOTP.
        custom: [
          { name: 'Recovery phone', value: '+1 555 0100', type: 'text' },
          { name: 'Backup PIN', value: '8080-2211', type: 'password' },
        ],
      },
      {
        key: 'demo-login',
        name: 'Demo login',
        login: DEMO_SITE_LOGIN.username,
        password: DEMO_SITE_LOGIN.password,
        url: `${ORIGIN_PLACEHOLDER}/demo/login`,
        custom: [{ name: 'TOTP', value: `otpauth://totp/Demo:${DEMO_SITE_LOGIN.username}?secret=${DEMO_TOTP}&issuer=Demo`, type: 'totp' }],
        totp: { secret: DEMO_TOTP, algorithm: 'SHA1', digits: 6, period: 30 },
      },
      { key: 'mastodon', folder: 'social', name: 'Mastodon', login: 'demo', password: 'm-Passw0rd-3', url: 'https://mastodon.social/' },
    ],
  },
  {
    owner: 'demo@passwork.test',
    name: 'Company',
    scope: 'domain',
    folders: [{ key: 'it', name: 'IT' }],
    passwords: [
      {
        key: 'jira',
        name: 'Jira',
        login: 'demo.user',
        password: 'jira-Passw0rd-4',
        url: 'https://jira.example.com/',
        custom: [
          { name: 'PIN', value: '4321', type: 'text' },
          { name: '2FA', value: `otpauth://totp/Jira:demo?secret=${JIRA_TOTP}&algorithm=SHA256&digits=8`, type: 'totp' },
        ],
        totp: { secret: JIRA_TOTP, algorithm: 'SHA256', digits: 8, period: 30 },
      },
      { key: 'buecher', folder: 'it', name: 'Bücherei', login: 'jürgen', password: 'Pässwörd-ß-5', url: 'https://bücher.example/' },
      { key: 'localhost', name: 'Local dev', login: 'dev', password: 'local-Passw0rd-6', url: 'http://127.0.0.1:8080/login' },
    ],
  },
  {
    owner: 'demo@passwork.test',
    name: 'Archive',
    scope: 'user',
    foreignMaster: 'a master password that is not this one',
    folders: [],
    passwords: [{ key: 'unreadable', name: 'Old router', login: 'admin', password: 'router-Passw0rd-7', url: 'https://192.168.1.1/' }],
  },
  {
    owner: 'legacy@passwork.test',
    name: 'Legacy vault',
    scope: 'user',
    folders: [],
    passwords: [{ key: 'legacy-mail', name: 'Mail', login: 'legacy', password: 'legacy-Passw0rd-8', url: 'https://mail.example.net/' }],
  },
  {
    owner: 'plain@passwork.test',
    name: 'Plain vault',
    scope: 'user',
    folders: [],
    passwords: [
      {
        key: 'plain-wiki',
        name: 'Wiki',
        login: 'plain',
        password: 'plain-Passw0rd-9',
        url: 'https://wiki.example.org/',
        custom: [{ name: 'Space', value: 'ENG', type: 'text' }],
      },
    ],
  },
]);

// What getGroups returns for a folder tree (ids, ancestors, levels, hasChild).
function buildFolders(groupId, specs, ancestors, folderIds) {
  return specs.map((spec) => {
    const id = objectId();
    folderIds[spec.key] = id;
    const folder = {
      groupId,
      name: spec.name,
      ancestors: [...ancestors],
      id,
      level: ancestors.length,
      hasChild: (spec.folders ?? []).length > 0,
      categories: [],
    };
    if (ancestors.length > 0) folder.parentId = ancestors.at(-1);
    folder.categories = buildFolders(groupId, spec.folders ?? [], [...ancestors, id], folderIds);
    return folder;
  });
}

export function buildState(origin) {
  const users = USERS.map((u) => ({ ...u, hashValue: u.hash ? masterHash(u.masterPassword, u.hash) : '' }));
  const groups = [];
  const passwords = [];
  const manifest = [];
  for (const spec of VAULTS) {
    const user = users.find((u) => u.email === spec.owner);
    const enc = (text, pwd) => (user.encryption ? encode(text, pwd) : plainEncode(text));
    const master = spec.foreignMaster ?? user.masterPassword;
    const groupPassword = randomPassword();
    const id = objectId();
    const group = { groupId: id, name: spec.name, access: 'admin', scope: spec.scope, id, owner: spec.owner };
    if (spec.scope === 'domain') {
      const domainPassword = randomPassword();
      group.domainMaster = enc(domainPassword, master);
      group.passwordCrypted = enc(groupPassword, domainPassword);
      group.visible = true;
    } else {
      group.passwordCrypted = enc(groupPassword, master);
    }
    const folderIds = {};
    group.categories = buildFolders(id, spec.folders, [], folderIds);
    groups.push(group);
    for (const entry of spec.passwords) {
      const p = { ...entry, url: entry.url.replaceAll(ORIGIN_PLACEHOLDER, origin) };
      const stored = {
        name: p.name,
        login: p.login,
        cryptedPassword: enc(p.password, groupPassword),
        url: p.url,
        description: p.description ?? '',
        groupId: id,
        categoryId: p.folder ? folderIds[p.folder] : null,
        attachments: [],
        id: objectId(),
        tags: [],
      };
      if (p.custom) {
        stored.custom = p.custom.map((c) => ({ name: enc(c.name, groupPassword), value: enc(c.value, groupPassword), type: c.type }));
      }
      passwords.push(stored);
      manifest.push({
        key: p.key,
        id: stored.id,
        owner: spec.owner,
        vault: id,
        vaultName: spec.name,
        folder: stored.categoryId,
        name: p.name,
        login: p.login,
        password: p.password,
        url: p.url,
        description: p.description ?? '',
        totp: p.totp ?? null,
        custom: p.custom ?? [],
        readable: spec.foreignMaster === undefined,
      });
    }
  }
  return { users, groups, passwords, manifest };
}
