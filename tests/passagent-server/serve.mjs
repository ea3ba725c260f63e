#!/usr/bin/env node
// The PassAgent-compatible test server. See README.md for every option and route.
import { parsePort, parseServeArgs, serveUntilStopped } from '../support/serve-cli.mjs';
import { startServer, DEFAULTS } from './lib/server.mjs';

const USAGE = `usage: node serve.mjs [--port N] [--data DIR] [--items N] [--seed N] [--test]
  [--token-ttl S] [--general-limit N] [--sse-interval-ms MS] [--sse-complete-on active|end]
  [--kdf-memory KIB] [--kdf-iterations N] [--kdf-parallelism N]`;

const args = parseServeArgs(
  {
    port: { type: 'string' },
    data: { type: 'string' },
    items: { type: 'string' },
    seed: { type: 'string' },
    test: { type: 'boolean' },
    'token-ttl': { type: 'string' },
    'general-limit': { type: 'string' },
    'sse-interval-ms': { type: 'string' },
    'sse-complete-on': { type: 'string' },
    'kdf-memory': { type: 'string' },
    'kdf-iterations': { type: 'string' },
    'kdf-parallelism': { type: 'string' },
  },
  USAGE,
);

// The general limit may also come from the environment (for benchmark scripts);
// --general-limit wins.
if (args['general-limit'] === undefined && process.env.PASSAGENT_TEST_GENERAL_LIMIT !== undefined) {
  args['general-limit'] = process.env.PASSAGENT_TEST_GENERAL_LIMIT;
}

function int(name, def, min = 0) {
  const raw = args[name];
  if (raw === undefined) return def;
  if (!/^\d+$/.test(raw) || Number(raw) < min) {
    process.stderr.write(`--${name}: expected an integer >= ${min}\n${USAGE}\n`);
    process.exit(2);
  }
  return Number(raw);
}

function completeOn() {
  const raw = args['sse-complete-on'] ?? DEFAULTS.sseCompleteOn;
  if (raw !== 'active' && raw !== 'end') {
    process.stderr.write(`--sse-complete-on: expected active or end\n${USAGE}\n`);
    process.exit(2);
  }
  return raw;
}

const srv = await startServer({
  port: parsePort(args.port, USAGE),
  data: args.data ?? null,
  items: int('items', DEFAULTS.items),
  seed: args.seed ?? null,
  test: Boolean(args.test),
  tokenTtl: int('token-ttl', DEFAULTS.tokenTtl, 1),
  generalLimit: int('general-limit', DEFAULTS.generalLimit, 1),
  sseIntervalMs: int('sse-interval-ms', DEFAULTS.sseIntervalMs, 1),
  sseCompleteOn: completeOn(),
  kdf: {
    memoryKiB: int('kdf-memory', DEFAULTS.kdf.memoryKiB, 8),
    iterations: int('kdf-iterations', DEFAULTS.kdf.iterations, 1),
    parallelism: int('kdf-parallelism', DEFAULTS.kdf.parallelism, 1),
  },
});

// `limits` labels a run whose general limit is not the documented 100/min, so that a
// figure measured against it can say so.
const limits = { general: srv.generalLimit, documentedGeneral: DEFAULTS.generalLimit, raised: srv.generalLimit > DEFAULTS.generalLimit };
if (limits.raised) {
  process.stderr.write(`passagent-server: general limit RAISED to ${srv.generalLimit}/min (PassAgent documents ${DEFAULTS.generalLimit}/min): for benchmarks only\n`);
}
serveUntilStopped(srv, { ...srv.account, anonKey: srv.anonKey, others: srv.others, limits });
process.stderr.write(`passagent-server: ${srv.generated ? 'generated' : 'loaded'} state in ${srv.startupMs} ms (data dir ${srv.dataDir})\n`);
