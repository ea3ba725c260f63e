// SPDX-License-Identifier: MIT
// For the test servers' own tests: runs a serve.mjs as its users do and reads its two
// start-up lines ("listening on <origin>", then the account as JSON).
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';

/**
 * @param {URL} script the serve.mjs to run, with `--port 0` and `args`
 * @returns {Promise<{first: string, origin: string, account: object, stop: () => Promise<number>}>}
 *   `stop` sends SIGTERM and resolves to the exit code.
 */
export async function runServeScript(script, args = []) {
  const child = spawn(process.execPath, [fileURLToPath(script), '--port', '0', ...args], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  child.stdout.on('data', (chunk) => {
    out += chunk;
  });
  while (out.split('\n').length < 3) await once(child.stdout, 'data');
  const [first, second] = out.split('\n');
  return {
    first,
    origin: first.replace('listening on ', ''),
    account: JSON.parse(second),
    async stop() {
      child.kill('SIGTERM');
      const [code] = await once(child, 'exit');
      return code;
    },
  };
}
