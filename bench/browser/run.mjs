// SPDX-License-Identifier: MIT
// Real-browser benchmark: what a person waits for, with the real passagent-host and the
// project's PassAgent test server (1,000 entries, one match for the page), against
// KeePassXC-Browser + KeePassXC on an equal vault, on the same page in the same run.
// Prints p50/p95; asserts nothing. Run it with `bash bench/browser/run.sh` (see README.md).
import { execFileSync } from 'node:child_process';
import { loadavg, cpus } from 'node:os';
import { parseArgs } from 'node:util';
import { servePages } from './lib/pages.mjs';
import { startVault, MATCH } from './lib/vault.mjs';
import { LAUNCHERS } from './lib/browsers.mjs';
import { launchOurs, signInAndUnlock, hostMissing, HOST_BIN, OFFER, READY, LIST, POPUP_LIST } from './lib/passagent.mjs';
import { launchKeepassxc, keepassxcMissing, KPXC_OFFER } from './lib/keepassxc.mjs';
import { loginLoads, bareLoginLoads, popupPaints, serviceWorkerRestarts, plainPageCost, summary } from './lib/measure.mjs';

const { values: opts } = parseArgs({
  options: {
    loads: { type: 'string', default: '30' },
    'cost-loads': { type: 'string', default: '20' },
    restarts: { type: 'string', default: '5' },
    browsers: { type: 'string', default: 'chromium,firefox' },
    'no-keepassxc': { type: 'boolean', default: false },
    'keepassxc-only': { type: 'boolean', default: false },
    'cost-only': { type: 'boolean', default: false },
    json: { type: 'boolean', default: false },
  },
});
const N = Number(opts.loads);
const COST_N = Number(opts['cost-loads']);
const RESTARTS = Number(opts.restarts);
const BROWSERS = opts.browsers.split(',').map((s) => s.trim()).filter((b) => b in LAUNCHERS);
// run.sh --keyring: a private session bus and gnome-keyring, so a sign-in is remembered.
const KEYRING = Boolean(process.env.PASSAGENT_BENCH_KEYRING);

const results = []; // {metric, browser, side, values, note}
const notes = [];
const log = (...args) => console.error('bench:', ...args);
const record = (metric, browser, side, values, note = '') => results.push({ metric, browser, side, ...summary(values), note });

function machineState(when) {
  const [one, five] = loadavg();
  return `${when}: load average ${one.toFixed(1)} (1 min) / ${five.toFixed(1)} (5 min) on ${cpus().length} CPUs`;
}

function version(cmd, args) {
  try {
    return execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim().split('\n')[0];
  } catch {
    return 'unknown';
  }
}

/** Runs one part; a failure is noted and the rest still runs and prints. */
async function part(label, fn) {
  try {
    await fn();
  } catch (error) {
    notes.push(`${label} failed: ${error.message.split('\n')[0]}`);
    log(`${label} failed: ${error.stack}`);
  }
}

async function measureOurs(browserName, pages, vault) {
  log(`${browserName}: our extension, signing in`);
  const run = await launchOurs(browserName, vault);
  try {
    notes.push(`${browserName}: ${await run.browser.version()}`);
    const signIn = async () => {
      await vault.resetLimits();
      return signInAndUnlock(run, vault);
    };
    await signIn();
    if (!opts['cost-only']) await measureOursWaits(run, browserName, pages, signIn);
    log(`${browserName}: ${COST_N} loads of the page without a login form`);
    await part(`${browserName} ours: page without a form`, async () => {
      recordCost(browserName, 'ours', await plainPageCost(run, `${pages.origin}/plain`, { n: COST_N }));
    });
  } finally {
    await run.close();
  }
}

/** What a person waits for on the login page, in the popup, and after a worker restart. */
async function measureOursWaits(run, browserName, pages, signIn) {
  log(`${browserName}: ${N} loads of the login page`);
  await part(`${browserName} ours: login page`, async () => {
    const loads = await loginLoads(run, `${pages.origin}/login`, { offer: READY, list: LIST, n: N, expectUsername: MATCH.username });
    recordLoads(browserName, 'ours', loads);
  });
  log(`${browserName}: ${N} popup opens`);
  await part(`${browserName} ours: popup`, async () => {
    const tab = await run.browser.newPage();
    await tab.goto(`${pages.origin}/login`);
    const popup = await popupPaints(run, tab, { path: 'src/popup/popup.html', listSelector: POPUP_LIST, n: N });
    record('toolbar popup open → list painted', browserName, 'ours', popup.times,
      popup.late ? `${popup.late} of ${N}: the list was there before the mark was installed (upper bound)` : '');
    await tab.close();
  });
  if (browserName === 'chromium' && RESTARTS > 0) await part(`${browserName} ours: service-worker restarts`, async () => {
    log(`${browserName}: ${RESTARTS} service-worker restarts`);
    const sw = await serviceWorkerRestarts(run, `${pages.origin}/login`, { offer: OFFER, expectUsername: MATCH.username, n: RESTARTS, recover: signIn });
    if (sw.outcome === 'offer') {
      record('service-worker restart → matches ready', browserName, 'ours', sw.toReady);
      record('service-worker restart → first pick filled (Enter → filled)', browserName, 'ours', sw.firstPick);
    } else if (sw.recovered.every((r) => r === 'unlock')) {
      record('service-worker restart → first fill, unlocking again (typing included)', browserName, 'ours', sw.toFilledWithSignIn,
        'the host exits with the worker\'s port; the sign-in was remembered in the keyring: no offer until the unlock');
    } else {
      record('service-worker restart → first fill, signing in again (typing included)', browserName, 'ours', sw.toFilledWithSignIn,
        `the host exits with the worker's port: signed out, no offer until sign-in + unlock (${KEYRING ? 'recovered by: ' + sw.recovered.join(', ') : 'no keyring: run.sh --keyring remembers the sign-in'})`);
    }
  });
}

function recordLoads(browserName, side, loads) {
  const again = loads.extraClicks ? `${loads.extraClicks} click(s) in ${loads.ready.length} loads came before the extension watched the field and were repeated` : '';
  record('navigation → matches ready (field clicked at load)', browserName, side, loads.ready, [`seen as ${loads.readyWhat}`, again].filter(Boolean).join('; '));
  recordClick(browserName, side, loads);
  record('click in the field → matches ready', browserName, side, loads.clickToReady, again);
  if (loads.clickToList.length) record('click in the field → the list to pick from shown', browserName, side, loads.clickToList);
  record('pick → both fields filled', browserName, side, loads.pick);
}

/** When the page's load event came, and the benchmark's click after it (what "ready" waits for first). */
function recordClick(browserName, side, loads) {
  record('navigation → DOMContentLoaded (the form parsed: a floor for "ready")', browserName, side, loads.parsedAt);
  record('navigation → the load event', browserName, side, loads.loadAt);
  record('the load event → the click (the benchmark\'s own)', browserName, side, loads.loadToClick);
  record('navigation → the click (the benchmark\'s own, at the load event)', browserName, side, loads.clickAt);
}

function recordCost(browserName, side, cost) {
  record('page without a form: main-thread time lost in the first 1.5 s', browserName, side, cost.busy);
  if (cost.script.length) record('page without a form: ScriptDuration (CDP, all worlds)', browserName, side, cost.script);
  if (cost.heap.length) record('page without a form: JSHeapUsedSize MiB (CDP)', browserName, side, cost.heap);
}

async function measureNone(browserName, pages) {
  const run = await LAUNCHERS[browserName]({ label: 'none' });
  try {
    if (!opts['cost-only']) {
      log(`${browserName}: no extension, ${N} loads of the login page (the load event and the click)`);
      recordClick(browserName, 'none', await bareLoginLoads(run, `${pages.origin}/login`, { n: N }));
    }
    log(`${browserName}: no extension, ${COST_N} loads of the page without a login form`);
    recordCost(browserName, 'none', await plainPageCost(run, `${pages.origin}/plain`, { n: COST_N }));
  } finally {
    await run.close();
  }
}

async function measureKeepassxc(pages, vault) {
  const missing = keepassxcMissing();
  if (missing) {
    notes.push(`KeePassXC-Browser skipped: ${missing}`);
    return;
  }
  log('firefox: KeePassXC-Browser + KeePassXC, associating');
  let kp;
  try {
    kp = await launchKeepassxc({ entries: vault.entries });
    notes.push(`KeePassXC ${version('keepassxc-cli', ['--version'])}, KeePassXC-Browser ${version('dpkg-query', ['-W', '-f=${Version}', 'webext-keepassxc-browser'])}, ${vault.entries.length} entries`);
    log(`firefox: KeePassXC-Browser, ${N} loads of the login page`);
    const loads = await loginLoads(kp.run, `${pages.origin}/login`, { offer: KPXC_OFFER, n: N, expectUsername: MATCH.username });
    recordLoads('firefox', 'keepassxc', loads);
    log(`firefox: KeePassXC-Browser, ${COST_N} loads of the page without a login form`);
    recordCost('firefox', 'keepassxc', await plainPageCost(kp.run, `${pages.origin}/plain`, { n: COST_N }));
  } catch (error) {
    notes.push(`KeePassXC-Browser skipped: ${error.message}`);
  } finally {
    await kp?.close();
  }
}

const fmt = (v) => (Number.isFinite(v) ? (v >= 100 ? v.toFixed(0) : v.toFixed(1)) : '—');

function report() {
  const rows = [];
  const keys = [...new Set(results.map((r) => `${r.metric}\u0000${r.browser}`))];
  for (const key of keys) {
    const [metric, browser] = key.split('\u0000');
    const get = (side) => results.find((r) => r.metric === metric && r.browser === browser && r.side === side);
    const ours = get('ours');
    const kpxc = get('keepassxc');
    const none = get('none');
    const ratio = (a, b, label) => (a && b && b.p50 > 0 ? `${label} ×${(a.p50 / b.p50).toFixed(2)}` : '');
    const ratios = [ratio(ours, kpxc, 'ours/KeePassXC'), ratio(ours, none, 'ours/none'), ratio(kpxc, none, 'KeePassXC/none')].filter(Boolean).join(', ');
    const cell = (r) => (r ? `${fmt(r.p50)} / ${fmt(r.p95)}` : '—');
    rows.push([metric, browser, cell(ours), cell(kpxc), cell(none), ratios, [ours?.note && `ours: ${ours.note}`, kpxc?.note && `KeePassXC: ${kpxc.note}`].filter(Boolean).join('; ')]);
  }
  const head = ['metric (ms unless said; p50 / p95)', 'browser', 'ours', 'KeePassXC', 'no extension', 'ratio of p50s', 'note'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (r) => r.map((c, i) => c.padEnd(widths[i])).join(' | ').trimEnd();
  console.log(line(head));
  console.log(widths.map((w) => '-'.repeat(w)).join('-|-'));
  for (const r of rows) console.log(line(r));
  console.log('');
  for (const n of notes) console.log(`- ${n}`);
}

const problem = hostMissing();
if (problem) {
  console.error(`bench: ${problem}`);
  process.exit(2);
}
notes.push(machineState('start'));
notes.push(KEYRING ? 'a private gnome-keyring (run.sh --keyring): sign-ins are remembered' : 'no keyring: sign-ins are not remembered (run.sh --keyring gives one)');
notes.push(opts['cost-only'] ? `host ${HOST_BIN.replace(/.*\/build\//, 'build/')}, only the page without a form (--cost-only), ${COST_N} loads`
  : `host ${HOST_BIN.replace(/.*\/build\//, 'build/')}, ${N} loads per figure, ${COST_N} for the page without a form, ${RESTARTS} service-worker restarts`);
const pages = await servePages();
log('starting the PassAgent test server (1,000 entries)');
const vault = await startVault({ pageUrl: `${pages.origin}/login` });
try {
  for (const browserName of opts['keepassxc-only'] ? [] : BROWSERS) {
    await part(`${browserName} ours`, () => measureOurs(browserName, pages, vault));
    await part(`${browserName} without an extension`, () => measureNone(browserName, pages));
  }
  if (BROWSERS.includes('firefox') && !opts['no-keepassxc']) await measureKeepassxc(pages, vault);
  else notes.push('KeePassXC-Browser not run (Firefox not selected, or --no-keepassxc)');
  notes.push('KeePassXC-Browser in Chromium: not run; Debian\'s build is Manifest V2, which Chromium no longer loads');
  notes.push('KeePassXC-Browser toolbar popup: not comparable; it shows the connection state, its list of logins is the in-page menu (pick)');
} finally {
  await vault.stop();
  await pages.close();
}
notes.push(machineState('end'));
report();
if (opts.json) console.log(JSON.stringify({ results, notes }));
