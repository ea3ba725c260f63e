#!/usr/bin/env node
// The Passwork test server. Prints "listening on <origin>", then one JSON line with the
// demo account ({email, password, masterPassword, encryption, others}).
import { parsePort, parseServeArgs, serveUntilStopped } from '../support/serve-cli.mjs';
import { DEFAULT_SESSION_TTL, startServer } from './lib/server.mjs';

const USAGE = 'usage: node serve.mjs [--port N] [--test] [--session-ttl S]';

const args = parseServeArgs(
  {
    port: { type: 'string' },
    test: { type: 'boolean' },
    'session-ttl': { type: 'string' },
  },
  USAGE,
);
const port = parsePort(args.port, USAGE);

const sessionTtl = args['session-ttl'] === undefined ? DEFAULT_SESSION_TTL : Number(args['session-ttl']);
if (!Number.isInteger(sessionTtl) || sessionTtl < 1) {
  process.stderr.write(`--session-ttl: expected seconds >= 1\n${USAGE}\n`);
  process.exit(2);
}

const srv = await startServer({ port, test: Boolean(args.test), sessionTtl });
serveUntilStopped(srv, { ...srv.account, others: srv.others });
