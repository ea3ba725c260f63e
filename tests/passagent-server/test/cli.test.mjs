// The CLI: first line "listening on …", second line the demo account JSON;
// and the start-up time of --items 10000 (printed, not asserted).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';

const SERVE = fileURLToPath(new URL('../serve.mjs', import.meta.url));

function run(args, env = process.env) {
  const t0 = Date.now();
  const child = spawn(process.execPath, [SERVE, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env });
  const lines = [];
  const rl = createInterface({ input: child.stdout });
  const ready = new Promise((resolve, reject) => {
    rl.on('line', (l) => {
      lines.push(l);
      if (lines.length === 2) resolve({ lines, ms: Date.now() - t0 });
    });
    child.on('exit', (code) => reject(new Error(`exited ${code}`)));
  });
  return { child, ready };
}

async function stop(child) {
  const done = new Promise((r) => child.on('exit', r));
  child.kill('SIGTERM');
  await done;
}

test('serve.mjs prints the listen line, then one JSON line with the accounts', async () => {
  const { child, ready } = run(['--port', '0', '--seed', '3', '--items', '20', '--kdf-memory', '19456', '--kdf-iterations', '2', '--kdf-parallelism', '1']);
  try {
    const { lines } = await ready;
    const m = /^listening on http:\/\/127\.0\.0\.1:(\d+)$/.exec(lines[0]);
    assert.ok(m, lines[0]);
    const acct = JSON.parse(lines[1]);
    assert.equal(acct.email, 'demo@passagent.test');
    assert.ok(acct.password && acct.masterPassword);
    assert.equal(acct.anonKey, 'passagent-test-anon-key');
    assert.ok(acct.others.some((o) => o.email === 'friend@passagent.test'));
    assert.deepEqual(acct.limits, { general: 100, documentedGeneral: 100, raised: false }, "the seed's limit by default");
    const r = await fetch(`http://127.0.0.1:${m[1]}/api/auth/csrf-token`);
    assert.equal(r.status, 200);
    assert.equal((await fetch(`http://127.0.0.1:${m[1]}/__test/requests`)).status, 404, 'no test routes without --test');
  } finally {
    await stop(child);
  }
});

test('PASSAGENT_TEST_GENERAL_LIMIT raises the general limit, and the account line and stderr say so', async () => {
  const fast = ['--port', '0', '--seed', '3', '--items', '5', '--kdf-memory', '19456', '--kdf-iterations', '2', '--kdf-parallelism', '1'];
  const { child, ready } = run(fast, { ...process.env, PASSAGENT_TEST_GENERAL_LIMIT: '5000' });
  let stderr = '';
  const warned = new Promise((resolve) => {
    child.stderr.on('data', (d) => {
      stderr += d;
      if (/general limit RAISED to 5000\/min/.test(stderr)) resolve(true);
    });
    child.on('exit', () => resolve(false));
  });
  try {
    const { lines } = await ready;
    assert.deepEqual(JSON.parse(lines[1]).limits, { general: 5000, documentedGeneral: 100, raised: true });
    assert.equal(await warned, true, stderr);
  } finally {
    await stop(child);
  }
});

test('bad options exit with status 2', async () => {
  const child = spawn(process.execPath, [SERVE, '--items', 'many'], { stdio: 'ignore' });
  const code = await new Promise((r) => child.on('exit', r));
  assert.equal(code, 2);
});

test('--items 10000 with the real KDF parameters starts in under a minute (figure printed)', async () => {
  const { child, ready } = run(['--port', '0', '--items', '10000', '--seed', '1', '--test']);
  try {
    const { lines, ms } = await ready;
    const url = lines[0].slice('listening on '.length);
    const acct = JSON.parse(lines[1]);
    console.log(`# startup with --items 10000 (Argon2id 64 MiB/3/4 for 4 users): ${ms} ms`);
    const login = await fetch(`${url}/auth/v1/token?grant_type=password`, { method: 'POST', headers: { apikey: acct.anonKey, 'content-type': 'application/json' }, body: JSON.stringify({ email: acct.email, password: acct.password }) });
    const { access_token } = await login.json();
    const page = await (await fetch(`${url}/api/passwords?page=1&limit=100`, { headers: { authorization: `Bearer ${access_token}` } })).json();
    assert.equal(page.pagination.total, 10000);
    assert.ok(ms < 60_000);
  } finally {
    await stop(child);
  }
});
