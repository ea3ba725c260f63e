// SPDX-License-Identifier: MIT
// A FAKE passagent-host, for the e2e harness self-test only. It speaks the native
// messaging framing and answers hello, status, credentials.match, credentials.get,
// totp.code, vault.lock and vault.unlock with canned data, so the harness can be shown
// to work before the real host exists. It is not a model of the real host.
//
// Environment: FAKE_HOST_ORIGIN (the one origin its canned login is for),
// FAKE_HOST_LOG (a file: one JSON line per start and per request, secrets left out).
import { appendFileSync } from 'node:fs';

const ORIGIN = process.env.FAKE_HOST_ORIGIN ?? 'http://127.0.0.1';
const LOG = process.env.FAKE_HOST_LOG;
const ENTRY = { account: 'fake', id: 'entry-1', name: 'Demo login', username: 'alice@example.test', website: ORIGIN, score: 100, hasTotp: true };
const PASSWORD = 'correct horse battery staple';
let unlocked = true;

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
    : { ok: true, result: { matches: originOf(p.url) === ORIGIN ? [ENTRY] : [] } }),
  'credentials.get': (p) => {
    if (!unlocked) return fail('LOCKED', 'Locked.');
    if (p.id !== ENTRY.id) return fail('NOT_FOUND', 'No such entry.');
    if (p.purpose === 'fill' && originOf(p.url) !== ORIGIN) return fail('URL_MISMATCH', 'Not for this site.');
    return { ok: true, result: { username: ENTRY.username, password: PASSWORD } };
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
    const { masterPassword, password, ...safe } = request.params ?? {};
    log({ action: request.action, params: safe });
    const handler = actions[request.action];
    write({ id: request.id, ...(handler ? handler(request.params ?? {}) : fail('UNKNOWN_ACTION', `No action ${request.action}.`)) });
  }
});
process.stdin.on('end', () => {
  log({ exited: true });
  process.exit(0);
});
