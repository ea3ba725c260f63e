// SPDX-License-Identifier: MIT
// The peer: KeePassXC (Debian `keepassxc`, on Xvfb) with KeePassXC-Browser (Debian
// `webext-keepassxc-browser`, Manifest V2, so Firefox ESR only), an equal vault (the
// same 1,000 names and URLs, one entry for the benchmark page), browser integration on.
// The association is pre-seeded instead of approved in KeePassXC's dialog: the database
// (imported from KeePass XML with keepassxc-cli) carries the key `KPXC_BROWSER_bench`,
// and the extension's keyRing gets the same id and key for the database's hash, which
// KeePassXC computes as SHA-256 of the root group's UUID in hex.
import { spawn, execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, mkdirSync, writeFileSync, rmSync, existsSync, chmodSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launchFirefox, openExtensionPage, until } from './browsers.mjs';

export const KPXC_EXTENSION = {
  dir: '/usr/share/webext/keepassxc-browser',
  geckoId: 'keepassxc-browser@keepassxc.org',
  uuid: '3f0c6a1e-8d2b-4b7e-9a51-6c2e4d8f1b07',
};
const PROXY = '/usr/bin/keepassxc-proxy';
const HOST_NAME = 'org.keepassxc.keepassxc_browser';
// KeePassXC-Browser has this page's logins once it has made its autocomplete for the
// username field: it turns the browser's own autocomplete off on it then.
export const KPXC_OFFER = '#username[autocomplete="off"]';

export function keepassxcMissing() {
  for (const path of ['/usr/bin/keepassxc', '/usr/bin/keepassxc-cli', PROXY, '/usr/bin/Xvfb', `${KPXC_EXTENSION.dir}/manifest.json`]) {
    if (!existsSync(path)) return `${path} is missing (Debian packages keepassxc, webext-keepassxc-browser, xvfb)`;
  }
  return null;
}

const xml = (s) => String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const uuid64 = () => randomBytes(16).toString('base64');

/**
 * @param {{entries: Array<{title, username, password, url}>, password: string, dir: string}} options
 * @returns {{path: string, hash: string, id: string, key: string}}
 */
function makeDatabase({ entries, password, dir }) {
  const root = randomBytes(16);
  const key = randomBytes(32).toString('base64');
  const id = 'bench';
  const body = entries.map((e) => `<Entry><UUID>${uuid64()}</UUID>`
    + `<String><Key>Title</Key><Value>${xml(e.title)}</Value></String>`
    + `<String><Key>UserName</Key><Value>${xml(e.username)}</Value></String>`
    + `<String><Key>Password</Key><Value ProtectInMemory="True">${xml(e.password)}</Value></String>`
    + `<String><Key>URL</Key><Value>${xml(e.url)}</Value></String></Entry>`).join('\n');
  const text = `<?xml version="1.0" encoding="utf-8" standalone="yes"?>
<KeePassFile><Meta><Generator>passagent-bench</Generator><DatabaseName>bench</DatabaseName>
<CustomData><Item><Key>KPXC_BROWSER_${id}</Key><Value>${key}</Value></Item></CustomData></Meta>
<Root><Group><UUID>${root.toString('base64')}</UUID><Name>Root</Name>
${body}
</Group></Root></KeePassFile>`;
  const xmlPath = join(dir, 'bench.xml');
  const path = join(dir, 'bench.kdbx');
  writeFileSync(xmlPath, text, { mode: 0o600 });
  execFileSync('keepassxc-cli', ['import', '-q', '-p', xmlPath, path], { input: `${password}\n${password}\n`, stdio: ['pipe', 'ignore', 'pipe'] });
  rmSync(xmlPath);
  const hash = createHash('sha256').update(root.toString('hex')).digest('hex');
  return { path, hash, id, key };
}

function startXvfb(env) {
  const child = spawn('Xvfb', ['-displayfd', '3', '-screen', '0', '1280x1024x24', '-nolisten', 'tcp'], { stdio: ['ignore', 'ignore', 'pipe', 'pipe'], env });
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error('Xvfb did not start')), 20_000);
    child.stdio[3].on('data', (d) => {
      out += d;
      if (out.includes('\n')) {
        clearTimeout(timer);
        resolve({ display: `:${out.trim()}`, child });
      }
    });
    child.once('exit', (code) => reject(new Error(`Xvfb exited (${code})`)));
  });
}

function findSocket(dir) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    const st = statSync(path);
    if (st.isSocket() && name.includes('BrowserServer')) return path;
    if (st.isDirectory()) {
      const found = findSocket(path);
      if (found) return found;
    }
  }
  return null;
}

async function stopChild(child) {
  if (child && child.exitCode === null && child.signalCode === null) {
    child.kill('SIGTERM');
    await Promise.race([new Promise((r) => child.once('exit', r)), new Promise((r) => setTimeout(r, 5_000))]);
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
}

/**
 * Starts Xvfb, KeePassXC with the database open, and Firefox ESR with KeePassXC-Browser
 * associated. close() stops all three (by the handles started here) and removes the folder.
 */
export async function launchKeepassxc({ entries }) {
  const work = mkdtempSync(join(tmpdir(), 'pa-bench-kpxc-'));
  const runtime = join(work, 'runtime');
  mkdirSync(runtime, { recursive: true });
  chmodSync(runtime, 0o700);
  const env = { ...process.env, HOME: join(work, 'home'), XDG_CONFIG_HOME: join(work, 'config'), XDG_CACHE_HOME: join(work, 'cache'), XDG_DATA_HOME: join(work, 'data'), XDG_RUNTIME_DIR: runtime };
  const password = randomBytes(12).toString('hex');
  const parts = { xvfb: null, app: null, run: null };
  const close = async () => {
    await parts.run?.close();
    await stopChild(parts.app);
    await stopChild(parts.xvfb);
    rmSync(work, { recursive: true, force: true });
  };
  try {
    const db = makeDatabase({ entries, password, dir: work });
    mkdirSync(join(env.XDG_CONFIG_HOME, 'keepassxc'), { recursive: true });
    writeFileSync(join(env.XDG_CONFIG_HOME, 'keepassxc', 'keepassxc.ini'), [
      '[General]', 'ConfigVersion=2', 'UpdateCheckMessageShown=true', 'RememberLastDatabases=false', '',
      '[GUI]', 'CheckForUpdates=false', 'MinimizeOnStartup=false', 'ShowTrayIcon=false', '',
      '[Browser]', 'Enabled=true', 'AlwaysAllowAccess=true', 'AlwaysAllowUpdate=true', 'SearchInAllDatabases=false', 'UpdateBinaryPath=false', '',
      '[Security]', 'LockDatabaseIdle=false', '',
    ].join('\n'));
    const x = await startXvfb(env);
    parts.xvfb = x.child;
    env.DISPLAY = x.display;
    env.QT_QPA_PLATFORM = 'xcb';
    let log = '';
    parts.app = spawn('keepassxc', ['--pw-stdin', db.path], { env, stdio: ['pipe', 'pipe', 'pipe'] });
    parts.app.stdout.on('data', (d) => { log += d; });
    parts.app.stderr.on('data', (d) => { log += d; });
    parts.app.stdin.end(`${password}\n`);
    await until(() => findSocket(runtime), { timeout: 60_000, interval: 200, what: 'KeePassXC\'s browser socket' }).catch((error) => {
      throw new Error(`${error.message}; KeePassXC said: ${log.trim().slice(-400)}`);
    });
    parts.run = await launchFirefox({
      label: 'kpxc',
      extension: KPXC_EXTENSION,
      hosts: [{ name: HOST_NAME, path: PROXY, geckoId: KPXC_EXTENSION.geckoId }],
      env: { XDG_RUNTIME_DIR: runtime, DISPLAY: env.DISPLAY },
    });
    await associate(parts.run, db);
    const run = parts.run;
    return { run, close, log: () => log };
  } catch (error) {
    await close();
    throw error;
  }
}

/** Gives the extension the key the database already holds, then has it reconnect. */
async function associate(run, db) {
  const page = await openExtensionPage(run, 'options/options.html');
  await until(() => page.evaluate(() => typeof browser !== 'undefined' && !!browser.storage), { timeout: 20_000, interval: 200, what: 'KeePassXC-Browser\'s options page' });
  const now = Date.now();
  await page.evaluate(async (entry) => {
    await browser.storage.local.set({ keyRing: { [entry.hash]: entry } });
    await browser.runtime.sendMessage({ action: 'load_keyring' });
  }, { id: db.id, key: db.key, hash: db.hash, created: now, lastUsed: now });
  // The extension connects on its own at start; a reconnect of ours in the middle of its
  // key exchange makes both fail ("Cannot decrypt message"), so ask for the status and
  // reconnect only when it stays disconnected.
  let status = null;
  const end = Date.now() + 45_000;
  for (let attempt = 0; Date.now() < end; attempt += 1) {
    status = await page.evaluate(() => browser.runtime.sendMessage({ action: 'get_status', args: [false, false] }).catch((e) => ({ error: String(e) })));
    if (status?.associated) break;
    if (attempt % 10 === 9) await page.evaluate(() => browser.runtime.sendMessage({ action: 'reconnect' }).catch(() => null));
    await new Promise((r) => setTimeout(r, 500));
  }
  await page.close();
  if (!status?.associated) {
    throw new Error(`KeePassXC-Browser is not associated with KeePassXC: ${JSON.stringify(status)}`);
  }
}
