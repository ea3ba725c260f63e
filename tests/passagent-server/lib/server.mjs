// startServer(options): builds the state (generated or loaded from the data
// dir), wires the routes and listens on 127.0.0.1.
import { createServer } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { App } from './app.mjs';
import { Auth } from './auth.mjs';
import { Limiter, limitTable } from './limits.mjs';
import { Store } from './store.mjs';
import { ANON_KEY, DEFAULT_ITEMS, DEFAULT_KDF, USERS, generateState } from './fixtures.mjs';
import * as authRoutes from './routes/auth.mjs';
import * as vaultRoutes from './routes/vault.mjs';
import * as passwordRoutes from './routes/passwords.mjs';
import * as twofaRoutes from './routes/twofa.mjs';
import * as sharingRoutes from './routes/sharing.mjs';
import * as sessionShareRoutes from './routes/sessionShares.mjs';
import * as demoRoutes from './routes/demo.mjs';
import * as testRoutes from './routes/test.mjs';

export const DEFAULTS = {
  port: 0,
  data: null,
  items: DEFAULT_ITEMS,
  test: false,
  seed: null,
  kdf: { memoryKiB: DEFAULT_KDF.memoryKiB, iterations: DEFAULT_KDF.iterations, parallelism: DEFAULT_KDF.parallelism },
  tokenTtl: 3600,
  generalLimit: 100,
  sseIntervalMs: 2000,
  // 'active': the status stream ends with `complete` once active (seed 000's example);
  // 'end': it stays open while active (viewer changes stream) until revoked/expired.
  sseCompleteOn: 'active',
};

function credentials(handle) {
  const { email, password, masterPassword, totpSecret, recoveryCodes } = USERS[handle];
  const c = { email, password, masterPassword };
  if (totpSecret) Object.assign(c, { totpSecret, recoveryCodes });
  return c;
}

/**
 * Starts a server. Resolves to {url, port, origin, anonKey, account, others,
 * dataDir, startupMs, generated, app, close()}.
 */
export async function startServer(opts = {}) {
  const t0 = Date.now();
  const options = { ...DEFAULTS, ...opts, kdf: { ...DEFAULTS.kdf, ...(opts.kdf ?? {}) } };
  const ownDir = !options.data;
  const dataDir = options.data ?? mkdtempSync(join(tmpdir(), 'passagent-server-'));
  const store = new Store(dataDir);
  let generated = false;
  if (store.exists()) {
    store.load();
    const m = store.data.meta;
    if ((options.seed ?? null) !== m.seed || options.items !== m.items || options.kdf.memoryKiB !== m.kdf.memoryKiB) {
      if (opts.items !== undefined || opts.seed !== undefined || opts.kdf !== undefined) {
        process.stderr.write(`passagent-server: using the existing state in the data dir (seed ${m.seed}, ${m.items} items); remove it to regenerate\n`);
      }
    }
  } else {
    store.init(await generateState({ seed: options.seed ?? undefined, items: options.items, kdf: options.kdf }));
    generated = true;
  }
  const data = store.data;
  // Creation order for cursor paging of deleted cursors.
  let seq = data.meta.nextSeq ?? 0;
  for (const r of data.passwords) if (r.seq === undefined) r.seq = seq++;
  data.meta.nextSeq = seq;

  if (!['active', 'end'].includes(options.sseCompleteOn)) throw new Error(`sseCompleteOn: expected 'active' or 'end', got ${options.sseCompleteOn}`);
  const app = new App({ options, store });
  app.defaultSseCompleteOn = options.sseCompleteOn;
  app.auth = new Auth(app);
  app.limits = new Limiter(app, limitTable(options.generalLimit));
  app.newId = (prefix) => `${prefix}_${randomBytes(8).toString('hex')}`;
  app.nextSeq = () => {
    const n = data.meta.nextSeq++;
    store.touch('meta');
    return n;
  };
  for (const mod of [authRoutes, vaultRoutes, passwordRoutes, twofaRoutes, sharingRoutes, sessionShareRoutes, demoRoutes, testRoutes]) {
    mod.register(app);
  }

  const server = createServer((req, res) => {
    app.handle(req, res);
  });
  server.keepAliveTimeout = 5000;
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', resolve);
  });
  const port = server.address().port;
  app.origin = `http://127.0.0.1:${port}`;
  const onExit = () => store.flushSync();
  process.once('exit', onExit);

  let closed = false;
  return {
    url: app.origin,
    origin: app.origin,
    port,
    anonKey: ANON_KEY,
    account: credentials('demo'),
    others: ['friend', 'alice', 'mfa'].map(credentials),
    generalLimit: options.generalLimit,
    dataDir,
    generated,
    startupMs: Date.now() - t0,
    app,
    async close() {
      if (closed) return;
      closed = true;
      for (const s of [...app.openStreams]) {
        s.stop?.();
        s.end();
      }
      await new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      store.flushSync();
      process.removeListener('exit', onExit);
      if (ownDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
