// SPDX-License-Identifier: MIT
// The project's PassAgent test server (tests/passagent-server) with a 1,000-entry vault
// in which exactly one entry matches the benchmark's login page. The server's named
// fixtures point three entries (and one shared one) at its own demo pages; here the
// state is generated once into a data folder, those entries are moved to a port nothing
// listens on, and "Demo login" is pointed at the benchmark page. Only plaintext metadata
// (url, website) changes; the encrypted parts stay as the server made them.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { tmpdir } from 'node:os';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEMO_SITE_USERS } from '../../../tests/passagent-server/lib/fixtures.mjs';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const SERVER = resolve(REPO_ROOT, 'tests/passagent-server/serve.mjs');
// The cheapest key derivation the host accepts (its floor); unlocking is not measured.
const KDF = ['--kdf-memory', '19456', '--kdf-iterations', '2', '--kdf-parallelism', '1'];

// The one entry that matches, as the server's fixtures define it.
export const MATCH = { name: 'Demo login', username: 'demo-user', password: DEMO_SITE_USERS['demo-user'] };

function start(args) {
  const child = spawn(process.execPath, [SERVER, '--port', '0', '--test', ...args], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d) => { stderr += d; });
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const next = async () => {
    const r = await lines.next();
    if (r.done) throw new Error(`the PassAgent test server exited: ${stderr.trim()}`);
    return r.value;
  };
  return (async () => {
    const first = await next();
    const origin = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(first)?.[1];
    if (!origin) throw new Error(`unexpected first line from the PassAgent test server: ${first}`);
    const info = JSON.parse(await next());
    return {
      origin,
      info,
      async stop() {
        if (child.exitCode === null) {
          child.kill('SIGTERM');
          await new Promise((r) => child.once('exit', r));
        }
      },
    };
  })();
}

/**
 * @param {{pageUrl: string, items?: number}} options pageUrl: the one URL that must match one entry
 * @returns {Promise<{origin, info, items: number, stop}>}
 */
export async function startVault({ pageUrl, items = 1000 }) {
  const data = mkdtempSync(join(tmpdir(), 'pa-bench-vault-'));
  const first = await start(['--data', data, '--items', String(items), '--seed', '1', ...KDF]);
  await first.stop(); // SIGTERM writes the state.
  const file = join(data, 'passwords.json');
  const passwords = JSON.parse(readFileSync(file, 'utf8'));
  let moved = 0;
  for (const rec of passwords) {
    if (!rec.origin_path) continue;
    rec.url = rec.name === MATCH.name ? pageUrl : `http://127.0.0.1:9${rec.origin_path}`;
    rec.website = new URL(rec.url).hostname;
    delete rec.origin_path;
    moved += 1;
  }
  if (moved === 0) throw new Error('the PassAgent test server made no demo entries to point at the benchmark page');
  writeFileSync(file, JSON.stringify(passwords));
  // The same entries, in plain text, for the peer's equal vault.
  const owner = passwords.find((rec) => rec.name === MATCH.name).owner_id;
  const entries = passwords.filter((rec) => rec.owner_id === owner).map((rec, i) => ({
    title: rec.name,
    url: rec.url ?? `https://${rec.website}/`,
    username: rec.name === MATCH.name ? MATCH.username : `user${i}@example.com`,
    password: rec.name === MATCH.name ? MATCH.password : `not-the-password-${i}`,
  }));
  const server = await start(['--data', data]);
  return {
    ...server,
    items: entries.length,
    entries,
    // Sign-in is rate limited per minute; the restart figure signs in again and again.
    async resetLimits() {
      const reply = await fetch(`${server.origin}/__test/reset-limits`, { method: 'POST' });
      if (!reply.ok) throw new Error(`reset-limits: HTTP ${reply.status}`);
    },
    async stop() {
      await server.stop();
      rmSync(data, { recursive: true, force: true });
    },
  };
}
