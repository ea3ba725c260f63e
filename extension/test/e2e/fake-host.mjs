// SPDX-License-Identifier: MIT
// A FAKE passagent-host, for the e2e harness self-test only. It speaks the native
// messaging framing and answers hello, status, credentials.match, credentials.get,
// totp.code, vault.lock and vault.unlock with canned data, so the harness can be shown
// to work before the real host exists. It is not a model of the real host.
//
// It also keeps written entries in memory (credentials.create / update / list, with
// expectedUpdatedAt and CONFLICT as docs/protocol.md has them) and generates passwords
// (passwords.generate), for the extension's save / update / generator tests until the
// real host has those actions.
//
// Environment: FAKE_HOST_ORIGIN (the one origin its canned login is for),
// FAKE_HOST_LOG (a file: one JSON line per start and per request; a password appears
// only as the first 16 hex digits of its SHA-256, `passwordSha`),
// FAKE_HOST_CONTROL (a file read and removed before each request: {"touch": [ids]}
// changes those entries' updatedAt, as an edit from another device would).
import { appendFileSync, existsSync, readFileSync, rmSync } from 'node:fs';
import { createHash, randomBytes } from 'node:crypto';

const ORIGIN = process.env.FAKE_HOST_ORIGIN ?? 'http://127.0.0.1';
const LOG = process.env.FAKE_HOST_LOG;
const CONTROL = process.env.FAKE_HOST_CONTROL;
const ENTRY = { account: 'fake', id: 'entry-1', name: 'Demo login', username: 'alice@example.test', website: ORIGIN, score: 300, hasTotp: true };
const PASSWORD = 'correct horse battery staple';
let unlocked = true;
let clock = 0;
const stamp = () => new Date(Date.UTC(2026, 0, 1) + (clock += 1000)).toISOString();
// Every entry, with its password: the canned one first.
const entries = [{ ...ENTRY, password: PASSWORD, updatedAt: stamp() }];
const sha = (text) => createHash('sha256').update(String(text)).digest('hex').slice(0, 16);
const summary = ({ password, score, ...rest }) => rest;

function log(record) {
  if (LOG) appendFileSync(LOG, `${JSON.stringify({ pid: process.pid, ...record })}\n`);
}

function write(message) {
  const body = Buffer.from(JSON.stringify(message), 'utf8');
  const head = Buffer.alloc(4);
  head.writeUInt32LE(body.length, 0);
  process.stdout.write(Buffer.concat([head, body]));
}

function originOf(url) {
  try {
    return new URL(url).origin;
  } catch {
    return null;
  }
}

const fail = (code, message) => ({ ok: false, error: { code, message } });
const account = () => ({ account: 'fake', backend: 'passagent', server: ORIGIN, user: { email: ENTRY.username }, loggedIn: true, unlocked, items: 1, lastSync: null });

const actions = {
  hello: () => ({ ok: true, result: { protocol: 1, version: 'fake', backends: ['passagent'], accounts: [account()] } }),
  status: () => ({ ok: true, result: { accounts: [account()] } }),
  'vault.lock': () => {
    unlocked = false;
    setImmediate(() => write({ event: 'locked', data: { account: 'fake' } }));
    return { ok: true, result: {} };
  },
  'vault.unlock': (p) => {
    if (p.masterPassword !== PASSWORD) return fail('WRONG_MASTER_PASSWORD', 'That master password is wrong.');
    unlocked = true;
    setImmediate(() => write({ event: 'unlocked', data: { account: 'fake' } }));
    return { ok: true, result: { items: 1 } };
  },
  'credentials.match': (p) => (!unlocked ? fail('LOCKED', 'Locked.')
    : { ok: true, result: { matches: entries.filter((e) => originOf(e.website) === originOf(p.url)).map(({ password, updatedAt, ...m }) => ({ ...m, score: 300 })) } }),
  'credentials.get': (p) => {
    if (!unlocked) return fail('LOCKED', 'Locked.');
    const entry = entries.find((e) => e.id === p.id);
    if (!entry) return fail('NOT_FOUND', 'No such entry.');
    if (p.purpose === 'fill' && originOf(p.url) !== originOf(entry.website)) return fail('URL_MISMATCH', 'Not for this site.');
    return { ok: true, result: { username: entry.username, password: entry.password } };
  },
  'credentials.list': (p) => {
    if (!unlocked) return fail('LOCKED', 'Locked.');
    const q = String(p.query ?? '').toLowerCase();
    return { ok: true, result: { items: entries.filter((e) => !q || [e.name, e.username, e.website].some((v) => String(v).toLowerCase().includes(q))).map(summary) } };
  },
  'credentials.create': (p) => {
    if (!unlocked) return fail('LOCKED', 'Locked.');
    if (typeof p.name !== 'string' || p.name === '') return fail('VALIDATION', 'An entry needs a name.');
    const entry = { account: 'fake', id: `entry-${entries.length + 1}`, name: p.name, username: p.username ?? '', website: p.url ?? '', hasTotp: false, password: p.password ?? '', updatedAt: stamp() };
    entries.push(entry);
    return { ok: true, result: { item: summary(entry) } };
  },
  'credentials.update': (p) => {
    if (!unlocked) return fail('LOCKED', 'Locked.');
    const entry = entries.find((e) => e.id === p.id);
    if (!entry) return fail('NOT_FOUND', 'No such entry.');
    if (p.expectedUpdatedAt !== undefined && p.expectedUpdatedAt !== entry.updatedAt) {
      return fail('CONFLICT', 'This entry was changed on the server since you read it; nothing was written.');
    }
    for (const key of ['name', 'username', 'password']) if (typeof p[key] === 'string') entry[key] = p[key];
    if (typeof p.url === 'string') entry.website = p.url;
    entry.updatedAt = stamp();
    return { ok: true, result: { item: summary(entry) } };
  },
  'passwords.generate': (p) => {
    const length = Number.isInteger(p.length) ? p.length : 20;
    const alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789!#%+-=?@_';
    const bytes = randomBytes(length);
    return { ok: true, result: { password: Array.from(bytes, (b) => alphabet[b % alphabet.length]).join(''), entropyBits: Math.round(length * Math.log2(alphabet.length)) } };
  },
  'totp.code': (p) => (!unlocked ? fail('LOCKED', 'Locked.') : p.id !== ENTRY.id ? fail('NOT_FOUND', 'No such entry.')
    : { ok: true, result: { code: '123456', remaining: 30 - (Math.floor(Date.now() / 1000) % 30), period: 30, digits: 6, algorithm: 'SHA1' } }),
};

log({ started: true, argv: process.argv.slice(2) });

let buffered = Buffer.alloc(0);
process.stdin.on('data', (chunk) => {
  buffered = Buffer.concat([buffered, chunk]);
  while (buffered.length >= 4) {
    const length = buffered.readUInt32LE(0);
    if (buffered.length < 4 + length) break;
    const text = buffered.subarray(4, 4 + length).toString('utf8');
    buffered = buffered.subarray(4 + length);
    let request;
    try {
      request = JSON.parse(text);
    } catch {
      write({ id: null, ...fail('BAD_FRAME', 'Not JSON.') });
      continue;
    }
    if (CONTROL && existsSync(CONTROL)) {
      const control = JSON.parse(readFileSync(CONTROL, 'utf8'));
      rmSync(CONTROL);
      for (const e of entries) if ((control.touch ?? []).includes(e.id)) e.updatedAt = stamp();
    }
    const { masterPassword, password, ...safe } = request.params ?? {};
    log({ action: request.action, params: password === undefined ? safe : { ...safe, passwordSha: sha(password) } });
    const handler = actions[request.action];
    write({ id: request.id, ...(handler ? handler(request.params ?? {}) : fail('UNKNOWN_ACTION', `No action ${request.action}.`)) });
  }
});
process.stdin.on('end', () => {
  log({ exited: true });
  process.exit(0);
});
