// SPDX-License-Identifier: MIT
// The command line the test servers' serve.mjs share: options (bad ones exit 2 with
// the usage, --help prints it), the start-up lines, and a clean stop on SIGINT/SIGTERM.
import { parseArgs } from 'node:util';

/**
 * The parsed option values; `help` (-h) is added to `options`.
 * @param {Record<string, object>} options node:util parseArgs options
 * @param {string} usage
 */
export function parseServeArgs(options, usage) {
  let args;
  try {
    args = parseArgs({ options: { ...options, help: { type: 'boolean', short: 'h' } } }).values;
  } catch (e) {
    process.stderr.write(`${e.message}\n${usage}\n`);
    process.exit(2);
  }
  if (args.help) {
    process.stdout.write(`${usage}\n`);
    process.exit(0);
  }
  return args;
}

// --port: 0 (any free port) when absent; out of 0..65535 exits 2 with the usage.
export function parsePort(raw, usage) {
  const port = raw === undefined ? 0 : Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    process.stderr.write(`--port: expected 0..65535\n${usage}\n`);
    process.exit(2);
  }
  return port;
}

// Prints "listening on <origin>" and the account line, then closes the server on
// SIGINT or SIGTERM and exits 0.
export function serveUntilStopped(srv, account) {
  process.stdout.write(`listening on ${srv.url}\n`);
  process.stdout.write(`${JSON.stringify(account)}\n`);
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await srv.close();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}
