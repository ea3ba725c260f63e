#!/usr/bin/env node
// The Passman test server. Prints "listening on <origin>", then one JSON line with the
// demo account ({username, password, vaults: [{guid, name, vaultKey}], others}).
import { parsePort, parseServeArgs, serveUntilStopped } from '../support/serve-cli.mjs';
import { startServer } from './lib/server.mjs';

const USAGE = 'usage: node serve.mjs [--port N] [--test]';

const args = parseServeArgs(
  {
    port: { type: 'string' },
    test: { type: 'boolean' },
  },
  USAGE,
);
const port = parsePort(args.port, USAGE);

const srv = await startServer({ port, test: Boolean(args.test) });
serveUntilStopped(srv, { ...srv.account, others: srv.others });
