#!/usr/bin/env node
// The Passwork test server. Prints "listening on <origin>", then one JSON line with the
// demo account ({email, password, masterPassword, encryption, others}).
import { parseArgs } from 'node:util';
import { DEFAULT_SESSION_TTL, startServer } from './lib/server.mjs';

const USAGE = 'usage: node serve.mjs [--port N] [--test] [--session-ttl S]';

let args;
try {
  args = parseArgs({
    options: {
      port: { type: 'string' },
      test: { type: 'boolean' },
      'session-ttl': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  }).values;
} catch (e) {
  process.stderr.write(`${e.message}\n${USAGE}\n`);
  process.exit(2);
}
if (args.help) {
  process.stdout.write(`${USAGE}\n`);
  process.exit(0);
}
const port = args.port === undefined ? 0 : Number(args.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  process.stderr.write(`--port: expected 0..65535\n${USAGE}\n`);
  process.exit(2);
}

const sessionTtl = args['session-ttl'] === undefined ? DEFAULT_SESSION_TTL : Number(args['session-ttl']);
if (!Number.isInteger(sessionTtl) || sessionTtl < 1) {
  process.stderr.write(`--session-ttl: expected seconds >= 1\n${USAGE}\n`);
  process.exit(2);
}

const srv = await startServer({ port, test: Boolean(args.test), sessionTtl });
process.stdout.write(`listening on ${srv.url}\n`);
process.stdout.write(`${JSON.stringify({ ...srv.account, others: srv.others })}\n`);

let stopping = false;
const stop = async () => {
  if (stopping) return;
  stopping = true;
  await srv.close();
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
