// SPDX-License-Identifier: MIT
// Does Chromium find the host through the system-wide manifest alone? installer/test-deb.sh
// runs this after `dpkg -i` (expect found) and after `dpkg -r` (expect missing).
//
//   node test/e2e/installed-host-check.mjs found <host-path> <package-version>
//   node test/e2e/installed-host-check.mjs missing
//
// Chromium starts on a fresh profile with no NativeMessagingHosts folder and a temp HOME
// (so no user-level manifest anywhere); the extension's service worker opens
// connectNative and sends `hello`. found: the reply's protocol, version and backends must
// equal the package's version and what `<host-path> call hello` says from a terminal, and
// the process Chromium started must be <host-path> itself, run for this extension's
// origin. missing: Chromium must report that it found no host. Exit 0 when the
// expectation holds, 1 with the reason otherwise, 2 on bad usage.
import { existsSync, readFileSync, readlinkSync, readdirSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { CHROMIUM_BIN, CHROMIUM_ID, HOST_NAME, eventually, startChromium } from './harness.mjs';

const NOT_FOUND = 'Specified native messaging host not found.';

function usage(message) {
  console.error(`installed-host-check: ${message}`);
  console.error('usage: installed-host-check.mjs found <host-path> <package-version> | missing');
  process.exit(2);
}

const [mode, hostPath, packageVersion] = process.argv.slice(2);
if (mode === 'found') {
  if (!hostPath?.startsWith('/') || !packageVersion) usage('found needs an absolute host path and the package version');
} else if (mode !== 'missing') {
  usage(`unknown mode ${JSON.stringify(mode)}`);
}
if (!existsSync(CHROMIUM_BIN)) {
  console.error(`installed-host-check: FAIL: no Chromium at ${CHROMIUM_BIN} (install Debian's chromium: bash scripts/setup.sh)`);
  process.exit(1);
}

/** Runs in the service worker: opens a port, sends hello, keeps the port open (globalThis.debPort). */
function probeInWorker(hostName) {
  return new Promise((resolve) => {
    const port = chrome.runtime.connectNative(hostName);
    globalThis.debPort = port;
    const timer = setTimeout(() => resolve({ error: 'no reply within 10 s' }), 10_000);
    port.onMessage.addListener((message) => {
      if (message?.id !== 'test-deb-hello') return;
      clearTimeout(timer);
      resolve({ reply: message });
    });
    port.onDisconnect.addListener(() => {
      clearTimeout(timer);
      resolve({ error: chrome.runtime.lastError?.message ?? 'the host closed the port' });
    });
    port.postMessage({ id: 'test-deb-hello', action: 'hello' });
  });
}

/** Processes below `ancestor` whose executable is `exe`: [{pid, argv}]. */
function descendantsRunning(ancestor, exe) {
  const parentOf = (pid) => Number(/^PPid:\s+(\d+)$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
  const found = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      if (readlinkSync(`/proc/${name}/exe`) !== exe) continue;
      let pid = Number(name);
      while (pid > 1 && pid !== ancestor) pid = parentOf(pid);
      if (pid !== ancestor) continue;
      found.push({ pid: Number(name), argv: readFileSync(`/proc/${name}/cmdline`, 'utf8').split('\0').filter(Boolean) });
    } catch {
      // The process ended while we looked.
    }
  }
  return found;
}

function fail(message) {
  console.error(`installed-host-check: FAIL: ${message}`);
  process.exitCode = 1;
}

const run = await startChromium();
try {
  // Chromium makes <profile>/NativeMessagingHosts itself; it and ~/.config/chromium's must hold nothing.
  for (const dir of [join(run.root, 'profile', 'NativeMessagingHosts'), join(run.root, 'home', '.config', 'chromium', 'NativeMessagingHosts')]) {
    const entries = existsSync(dir) ? readdirSync(dir) : [];
    if (entries.length > 0) throw new Error(`${dir} holds ${entries.join(', ')}: this check must see no user-level manifest`);
  }
  // Right after start-up puppeteer may reach the worker before its extension APIs exist.
  const worker = await eventually(async () => {
    const candidate = await run.serviceWorker();
    return (await candidate.evaluate(() => typeof globalThis.chrome?.runtime?.connectNative === 'function')) && candidate;
  }, { timeout: 15_000, message: "the extension's service worker with chrome.runtime.connectNative" });
  const outcome = await worker.evaluate(probeInWorker, HOST_NAME);

  if (mode === 'missing') {
    if (outcome.error === NOT_FOUND) {
      console.log(`installed-host-check: OK: Chromium says "${NOT_FOUND}"`);
    } else {
      fail(`expected "${NOT_FOUND}", got ${JSON.stringify(outcome)}`);
    }
  } else if (!outcome.reply) {
    fail(`the extension did not reach the host: ${outcome.error}`);
  } else if (outcome.reply.ok !== true) {
    fail(`hello failed: ${JSON.stringify(outcome.reply)}`);
  } else {
    const hello = outcome.reply.result;
    // What the same binary says from a terminal, with the same empty HOME (no config).
    const terminal = JSON.parse(execFileSync(hostPath, ['call', 'hello'], { env: { PATH: '/usr/bin:/bin', HOME: join(run.root, 'home') } })).result;
    const processes = descendantsRunning(run.browser.process().pid, hostPath);
    const origin = `chrome-extension://${CHROMIUM_ID}/`;
    const problems = [];
    if (hello.version !== packageVersion) problems.push(`version ${hello.version}, the package is ${packageVersion}`);
    for (const key of ['protocol', 'version', 'backends']) {
      if (JSON.stringify(hello[key]) !== JSON.stringify(terminal[key])) {
        problems.push(`${key} ${JSON.stringify(hello[key])}, but ${hostPath} says ${JSON.stringify(terminal[key])}`);
      }
    }
    if ('configError' in hello) problems.push(`configError: ${hello.configError}`);
    const ours = processes.filter((p) => p.argv[1] === origin);
    if (ours.length === 0) {
      problems.push(`no ${hostPath} process started by Chromium for ${origin} (found: ${JSON.stringify(processes)})`);
    }
    if (problems.length > 0) {
      fail(`hello came back, but: ${problems.join('; ')}`);
    } else {
      console.log(`installed-host-check: OK: hello from ${hostPath} (pid ${ours.map((p) => p.pid).join(',')}, argv[1] ${origin}): ` +
        `version ${hello.version}, protocol ${hello.protocol}, backends ${hello.backends.join(',')}`);
    }
  }
  await worker.evaluate(() => globalThis.debPort?.disconnect()).catch(() => {});
} catch (error) {
  fail(error.message);
} finally {
  await run.close();
}
