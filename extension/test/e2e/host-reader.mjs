// SPDX-License-Identifier: MIT
// A second, independent passagent-host process that the test itself talks to over
// native-messaging framing (4-byte length, then JSON), with its own empty state: it
// signs in to the PassAgent test server, unlocks and lists everything afresh on every
// read. What it reads is what the server holds, not what the browser's host remembers,
// so a save, an update or a delete made in the browser is checked on the server, with
// the server's ciphertexts decrypted as any other client would.
import { spawn } from 'node:child_process';
import { mkdtempSync, mkdirSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CHROMIUM_ID } from './harness.mjs';

/**
 * @param {{hostBin: string, server: {origin: string, info: object}}} options
 * @returns {Promise<{entries: (query: string) => Promise<object[]>, stop: () => Promise<void>}>}
 */
export async function startHostReader({ hostBin, server }) {
  const work = mkdtempSync(join(tmpdir(), 'pa-reader-'));
  const config = join(work, 'host-config.json');
  // Every sync lists every entry (no incremental listing): changes and deletes show at once.
  writeFileSync(config, JSON.stringify({ allowedOrigins: [`chrome-extension://${CHROMIUM_ID}/`], server: server.origin, anonKey: server.info.anonKey, autoLockMinutes: 0, syncMinutes: 0, passagent: { fullListingMinutes: 0 } }));
  for (const dir of ['home', 'config', 'state']) mkdirSync(join(work, dir));
  const child = spawn(hostBin, [`chrome-extension://${CHROMIUM_ID}/`], {
    env: { ...process.env, HOME: join(work, 'home'), PASSAGENT_HOST_CONFIG: config, XDG_CONFIG_HOME: join(work, 'config'), XDG_STATE_HOME: join(work, 'state') },
    stdio: ['pipe', 'pipe', 'ignore'],
  });
  const waiting = new Map();
  let buffer = Buffer.alloc(0);
  let nextId = 1;
  child.stdout.on('data', (chunk) => {
    buffer = Buffer.concat([buffer, chunk]);
    while (buffer.length >= 4 && buffer.length >= 4 + buffer.readUInt32LE(0)) {
      const size = buffer.readUInt32LE(0);
      const message = JSON.parse(buffer.subarray(4, 4 + size).toString('utf8'));
      buffer = buffer.subarray(4 + size);
      if (message.id === undefined || message.event) continue; // Pushes and progress.
      const pending = waiting.get(message.id);
      waiting.delete(message.id);
      if (message.ok) pending?.resolve(message.result);
      else pending?.reject(new Error(`reader host: ${message.error?.code} ${message.error?.message}`));
    }
  });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  exited.then(() => {
    for (const pending of waiting.values()) pending.reject(new Error('the reader host exited'));
    waiting.clear();
  });

  function request(action, params = {}) {
    const id = nextId++;
    const body = Buffer.from(JSON.stringify({ id, action, params }), 'utf8');
    const head = Buffer.alloc(4);
    head.writeUInt32LE(body.length);
    return new Promise((resolve, reject) => {
      waiting.set(id, { resolve, reject });
      child.stdin.write(Buffer.concat([head, body]));
    });
  }

  async function stop() {
    if (child.exitCode === null && child.signalCode === null) {
      child.stdin.end(); // End of input: the host wipes its secrets and exits.
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000); // Teardown must not wait forever.
      await exited;
      clearTimeout(timer);
    }
    rmSync(work, { recursive: true, force: true });
  }

  try {
    await request('session.login', { backend: 'passagent', server: server.origin, email: server.info.email, password: server.info.password });
    await request('vault.unlock', { masterPassword: server.info.masterPassword });
  } catch (error) {
    await stop();
    throw error;
  }

  return {
    /** The own entries the server holds whose name, username or URL has `query`, each read in full. */
    async entries(query) {
      await request('vault.sync', {});
      const { items = [] } = await request('credentials.list', { query });
      const own = items.filter((i) => !i.share);
      return Promise.all(own.map((i) => request('credentials.get', { id: i.id, account: i.account, purpose: 'view' })));
    },
    stop,
  };
}
