// SPDX-License-Identifier: MIT
// Starts the project's test PassAgent server (tests/passagent-server/serve.mjs) as a
// child process on a free port, with cheap key derivation, and reads what it prints:
//   line 1: "listening on http://127.0.0.1:<port>"
//   line 2: {"email", "password", "masterPassword", "anonKey", "others": [...]} (JSON)
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
export const SERVER_SCRIPT = resolve(REPO_ROOT, 'tests/passagent-server/serve.mjs');

export function serverAvailable() {
  return existsSync(SERVER_SCRIPT);
}

export async function startServer({ timeoutMs = 30_000 } = {}) {
  const server = await spawnTestServer(SERVER_SCRIPT, ['--kdf-memory', '19456', '--kdf-iterations', '2', '--kdf-parallelism', '1'], { timeoutMs });
  return {
    ...server,
    /** The named fixtures, with plaintext usernames, passwords and TOTP secrets (needs --test). */
    async fixtures() {
      return (await fetch(`${server.origin}/__test/fixtures`)).json();
    },
    async item(key) {
      const item = (await this.fixtures()).items.find((i) => i.key === key);
      if (!item) throw new Error(`the test server has no fixture "${key}"`);
      return item;
    },
    /** The server's request log since the `since`-th request. */
    async requests(since = 0) {
      return (await (await fetch(`${server.origin}/__test/requests?since=${since}`)).json()).requests;
    },
    /** How many requests the server has seen: a `since` for requests(). */
    async requestCount() {
      return (await (await fetch(`${server.origin}/__test/requests`)).json()).total;
    },
    /** The writes to /api/passwords (anything but GET) since the `since`-th request. */
    async passwordWrites(since = 0) {
      return (await this.requests(since)).filter((r) => r.path.startsWith('/api/passwords') && r.method !== 'GET');
    },
    async views() {
      const body = await (await fetch(`${server.origin}/__test/views`)).json();
      return Array.isArray(body) ? body : body.views ?? [];
    },
  };
}

/**
 * Starts one of the project's test servers (PassAgent, Passman, Passwork: each prints
 * "listening on <origin>", then its account as one JSON line) with --port 0 --test.
 * @returns {Promise<{origin: string, info: object, stop: () => Promise<void>}>}
 */
export async function spawnTestServer(script, args = [], { timeoutMs = 30_000 } = {}) {
  const child = spawn(process.execPath, [script, '--port', '0', '--test', ...args], {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout });
  const iterator = lines[Symbol.asyncIterator]();
  const next = () => Promise.race([
    iterator.next().then((r) => (r.done ? Promise.reject(new Error('the test server exited before it was ready')) : r.value)),
    new Promise((_, reject) => setTimeout(() => reject(new Error('the test server did not start in time')), timeoutMs)),
  ]);
  try {
    const first = await next();
    const match = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(first);
    if (!match) throw new Error(`unexpected first line from the test server: ${first}`);
    const info = JSON.parse(await next());
    lines.on('line', () => {}); // Keep draining stdout.
    return {
      origin: match[1],
      info,
      /** SIGTERM, then SIGKILL if it has not exited within 5 s: teardown must not wait forever. */
      async stop() {
        if (child.exitCode !== null || child.signalCode !== null) return;
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
        await exited;
        clearTimeout(timer);
      },
    };
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
}
