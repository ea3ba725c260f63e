// SPDX-License-Identifier: MIT
// A SCRIPTED passagent-host for the popup's e2e screens whose host actions the real host
// does not have yet (credentials.list / create / update / delete, custom fields). It
// follows docs/protocol.md's contract ("Writing and browsing the vault") over an
// in-memory vault of three accounts (PassAgent, Passman, Passwork), so the popup is
// driven through the real browser, background and native-messaging port. It is not a
// model of the real host: the tests that can run against the real one do.
//
// Environment: SCRIPTED_HOST_SITE (the origin of the test site: entries are for it),
// SCRIPTED_HOST_LOG (a file: one JSON line per request, passwords left out).
// Scripted behaviour: the entry named "Changes elsewhere" is changed "on the server"
// just before the first update of it, so that update meets a CONFLICT.
import { appendFileSync } from 'node:fs';
import { randomInt } from 'node:crypto';

const SITE = process.env.SCRIPTED_HOST_SITE ?? 'http://127.0.0.1';
const LOG = process.env.SCRIPTED_HOST_LOG;
const log = (record) => LOG && appendFileSync(LOG, `${JSON.stringify(record)}\n`);

const accounts = [
  { account: 'passagent:alice@example.test@https://vault.example', backend: 'passagent', server: 'https://vault.example', user: { email: 'alice@example.test' }, loggedIn: true, unlocked: true, remembered: false },
  { account: 'passman:bob@https://cloud.example', backend: 'passman', server: 'https://cloud.example', user: 'bob', loggedIn: true, unlocked: true, remembered: false },
  { account: 'passwork:carol@example.test@https://passwork.example', backend: 'passwork', server: 'https://passwork.example', user: { email: 'carol@example.test' }, loggedIn: true, unlocked: true, remembered: false },
  { account: 'passagent:work@example.test@https://work.example', backend: 'passagent', server: 'https://work.example', user: { email: 'work@example.test' }, loggedIn: true, unlocked: false, remembered: true },
];
const [PA, PM, PW] = accounts.map((a) => a.account);

let clock = Date.parse('2026-12-01T10:00:00Z');
const stamp = () => new Date((clock += 60_000)).toISOString();
let nextId = 100;
const entries = [
  { account: PA, id: 'pa-1', name: 'Example Bank', username: 'alice', password: 'correct horse battery staple', website: SITE, urls: [SITE, 'https://m.bank.example'], notes: 'Card PIN is in the safe.\nCall 0800 123 456 if blocked.', fields: [{ name: 'Customer number', value: 'C-778812', hidden: false }, { name: 'Security answer', value: 'blue whale', hidden: true }], hasTotp: true, updatedAt: stamp() },
  { account: PA, id: 'pa-2', name: 'Changes elsewhere', username: 'alice.shared', password: 'first password', website: 'https://elsewhere.example', urls: ['https://elsewhere.example'], notes: '', fields: [], hasTotp: false, updatedAt: stamp() },
  { account: PA, id: 'pa-3', name: 'Team wiki', username: 'team@example.test', password: 'wiki secret', website: 'https://wiki.example', urls: ['https://wiki.example'], notes: 'Shared by the team lead.', fields: [], hasTotp: false, share: { id: 'share-7', permission: 'read', sharedBy: 'lead@example.test' }, updatedAt: stamp() },
  { account: PA, id: 'pa-4', name: 'Mail', username: 'alice@mail.example', password: 'mail pass', website: 'https://mail.example', urls: ['https://mail.example'], notes: '', fields: [], hasTotp: false, updatedAt: stamp() },
  { account: PM, id: 'pm-1', name: 'Example Bank (joint)', username: 'bob', password: 'bob bank pw', website: SITE, urls: [SITE], notes: '', fields: [{ name: 'Branch', value: '0042', hidden: false }], hasTotp: false, updatedAt: stamp() },
  { account: PM, id: 'pm-2', name: 'Nextcloud', username: 'bob', password: 'nc pw', website: 'https://cloud.example', urls: ['https://cloud.example'], notes: '', fields: [], hasTotp: false, updatedAt: stamp() },
  { account: PW, id: 'pw-1', name: 'Router admin', username: 'admin', password: 'router pw', website: 'https://192.168.1.1', urls: ['https://192.168.1.1'], notes: '', fields: [], hasTotp: false, updatedAt: stamp() },
];
let conflictArmed = true;

function write(message) {
  const body = Buffer.from(JSON.stringify(message), 'utf8');
  const head = Buffer.alloc(4);
  head.writeUInt32LE(body.length, 0);
  process.stdout.write(Buffer.concat([head, body]));
}

class Fail extends Error {
  constructor(code, message) {
    super(message);
    this.code = code;
  }
}

const origin = (url) => {
  try {
    return new URL(url).origin;
  } catch {
    return null;
  }
};
const summary = ({ account, id, name, username, website, hasTotp, share, updatedAt }) => ({ account, id, name, username, website, hasTotp, ...(share ? { share: { id: share.id, permission: share.permission, ...(share.sharedBy ? { sharedBy: share.sharedBy } : {}) } } : {}), updatedAt });
const stateOf = () => accounts.map((a) => ({ ...a, items: entries.filter((e) => e.account === a.account).length, lastSync: null, syncing: false }));
const openAccount = (id) => {
  const a = accounts.find((x) => x.account === id) ?? (id ? null : accounts.find((x) => x.unlocked));
  if (!a) throw new Fail('NOT_LOGGED_IN', 'No such account.');
  if (!a.unlocked) throw new Fail('LOCKED', 'This vault is locked.');
  return a;
};
const find = (p) => {
  const entry = entries.find((e) => e.id === p.id && (!p.account || e.account === p.account));
  if (!entry) throw new Fail('NOT_FOUND', 'That entry no longer exists.');
  openAccount(entry.account);
  return entry;
};
const writable = (account) => {
  if (account.backend === 'passwork') throw new Fail('UNSUPPORTED', 'This backend cannot do that.');
};

const actions = {
  hello: () => ({ protocol: 1, version: 'scripted', backends: ['passagent', 'passman', 'passwork'], accounts: stateOf() }),
  status: () => ({ accounts: stateOf() }),
  'vault.lock': (p) => {
    for (const a of accounts) if (!p.account || a.account === p.account) a.unlocked = false;
    setImmediate(() => write({ event: 'locked', data: { account: p.account ?? null } }));
    return {};
  },
  'vault.unlock': (p) => {
    const a = accounts.find((x) => x.account === p.account) ?? accounts.find((x) => x.loggedIn && !x.unlocked);
    if (p.masterPassword !== 'master') throw new Fail('WRONG_MASTER_PASSWORD', 'That master password is wrong.');
    a.unlocked = true;
    setImmediate(() => write({ event: 'unlocked', data: { account: a.account } }));
    return { items: entries.filter((e) => e.account === a.account).length };
  },
  'session.logout': (p) => {
    const a = accounts.find((x) => x.account === p.account);
    if (a) Object.assign(a, { loggedIn: false, unlocked: false, remembered: false });
    return {};
  },
  'credentials.match': (p) => ({
    matches: entries.filter((e) => accounts.find((a) => a.account === e.account)?.unlocked && (!p.account || e.account === p.account) && origin(e.website) === origin(p.url))
      .map((e) => ({ ...summary(e), score: 500 })),
  }),
  'credentials.list': (p) => {
    const q = String(p.query ?? '').toLowerCase();
    const open = accounts.filter((a) => a.unlocked && (!p.account || a.account === p.account)).map((a) => a.account);
    const items = entries.filter((e) => open.includes(e.account) && [e.name, e.username, e.website, ...e.urls].join(' ').toLowerCase().includes(q));
    return { items: items.sort((a, b) => a.name.localeCompare(b.name)).map(summary) };
  },
  'credentials.get': (p) => {
    const e = find(p);
    if (p.purpose === 'fill' && origin(p.url) !== origin(e.website)) throw new Fail('URL_MISMATCH', 'Not for this site.');
    return { id: e.id, name: e.name, username: e.username, password: e.password, notes: e.notes || undefined, urls: e.urls, fields: e.fields, updatedAt: e.updatedAt, ...(e.share ? { share: { ...e.share, logged: p.purpose === 'copy' ? 'password_copied' : 'password_viewed', queued: false } } : {}) };
  },
  'credentials.create': (p) => {
    const account = openAccount(p.account);
    writable(account);
    if (!p.name) throw new Fail('VALIDATION', 'An entry needs a name.');
    const e = { account: account.account, id: `new-${nextId++}`, name: p.name, username: p.username ?? '', password: p.password ?? '', website: p.url ?? '', urls: p.url ? [p.url] : [], notes: p.notes ?? '', fields: p.fields ?? [], hasTotp: false, updatedAt: stamp() };
    entries.push(e);
    return { item: summary(e) };
  },
  'credentials.update': (p) => {
    const e = find(p);
    writable(openAccount(e.account));
    if (e.share) throw new Fail('FORBIDDEN', 'A received share is not yours to change.');
    if (e.name === 'Changes elsewhere' && conflictArmed) {
      conflictArmed = false;
      Object.assign(e, { password: 'changed on another device', updatedAt: stamp() });
    }
    if (p.expectedUpdatedAt && p.expectedUpdatedAt !== e.updatedAt) throw new Fail('CONFLICT', 'The entry changed on the server since it was read; nothing was written.');
    for (const key of ['name', 'username', 'password', 'notes', 'fields']) if (p[key] !== undefined) e[key] = p[key];
    if (p.url !== undefined) Object.assign(e, { website: p.url, urls: [p.url] });
    e.updatedAt = stamp();
    return { item: summary(e) };
  },
  'credentials.delete': (p) => {
    const e = find(p);
    writable(openAccount(e.account));
    if (e.share) throw new Fail('FORBIDDEN', 'A received share is not yours to delete.');
    entries.splice(entries.indexOf(e), 1);
    return { id: e.id, deleted: true };
  },
  'totp.code': (p) => {
    const e = find(p);
    if (!e.hasTotp) throw new Fail('NO_TOTP', 'No one-time code.');
    const now = Math.floor(Date.now() / 1000);
    return { code: String(Math.floor(now / 30) % 1_000_000).padStart(6, '0'), remaining: 30 - (now % 30), period: 30, digits: 6, algorithm: 'SHA1' };
  },
  'passwords.generate': (p) => {
    if (p.preset === 'pin') return { password: Array.from({ length: p.length ?? 6 }, () => randomInt(10)).join(''), entropyBits: (p.length ?? 6) * 3.3 };
    if (p.preset === 'memorable') {
      const words = ['orbit', 'maple', 'lantern', 'pepper', 'violet', 'canyon', 'harbor', 'tundra', 'meadow', 'ember'];
      return { password: Array.from({ length: p.words ?? 5 }, () => words[randomInt(words.length)]).join(p.separator ?? '-'), entropyBits: (p.words ?? 5) * 12.9 };
    }
    const sets = [p.lower !== false && 'abcdefghijkmnopqrstuvwxyz', p.upper !== false && 'ABCDEFGHJKLMNPQRSTUVWXYZ', p.digits !== false && '23456789', p.symbols !== false && '!#$%&*+-=?@^_'].filter(Boolean).join('');
    if (!sets) throw new Fail('VALIDATION', 'Choose at least one kind of character.');
    const length = p.length ?? 20;
    return { password: Array.from({ length }, () => sets[randomInt(sets.length)]).join(''), entropyBits: length * Math.log2(sets.length) };
  },
};

let buffered = Buffer.alloc(0);
process.stdin.on('data', (chunk) => {
  buffered = Buffer.concat([buffered, chunk]);
  while (buffered.length >= 4) {
    const length = buffered.readUInt32LE(0);
    if (buffered.length < 4 + length) break;
    const request = JSON.parse(buffered.subarray(4, 4 + length).toString('utf8'));
    buffered = buffered.subarray(4 + length);
    const { password, masterPassword, ...safe } = request.params ?? {};
    log({ action: request.action, params: safe, hasPassword: password !== undefined });
    try {
      const handler = actions[request.action];
      if (!handler) throw new Fail('UNKNOWN_ACTION', `Unknown action "${request.action}".`);
      write({ id: request.id, ok: true, result: handler(request.params ?? {}) });
    } catch (error) {
      write({ id: request.id, ok: false, error: { code: error.code ?? 'INTERNAL', message: error.message } });
    }
  }
});
process.stdin.on('end', () => process.exit(0));
