// SPDX-License-Identifier: MIT
// What the build scripts share: each makes its files in memory, then either writes them
// or, with --check (the unit tests), fails when a committed file is not what the build
// makes now. Committed, so the extension loads unpacked from a clean clone with no build.
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname, relative } from 'node:path';

/**
 * Writes `files`, or with `check` compares each with what is on disk.
 * @param {string} root the folder the names are printed relative to
 * @param {{path: string, text: string}[]} files
 * @param {{check: boolean}} options
 * @returns {boolean} false when a file was stale (check) and not rewritten
 */
export function writeOrCheck(root, files, { check }) {
  let current = true;
  for (const { path, text } of files) {
    const name = relative(root, path);
    if (!check) {
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, text);
      console.log(`wrote ${name} (${text.length} bytes)`);
      continue;
    }
    let committed = '';
    try {
      committed = readFileSync(path, 'utf8');
    } catch {
      // Missing: stale too.
    }
    if (committed === text) {
      console.log(`${name} is up to date (${text.length} bytes)`);
    } else {
      console.error(`${name} is not what the build makes now: run \`npm run build\` in extension/ and commit it.`);
      current = false;
    }
  }
  return current;
}

/** esbuild's options every bundle here shares: one ES module, built in memory, for the
 * oldest browsers the manifest admits (minimum_chrome_version, strict_min_version). */
export const BROWSER_BUNDLE = Object.freeze({
  bundle: true,
  format: 'esm',
  platform: 'browser',
  target: ['chrome116', 'firefox128'],
  charset: 'utf8',
  write: false,
  logLevel: 'silent',
});

/** Whether this module is the script node was started with. */
export const isMain = (metaUrl, fileURLToPath) => Boolean(process.argv[1]) && process.argv[1] === fileURLToPath(metaUrl);
