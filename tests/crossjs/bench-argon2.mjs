// SPDX-License-Identifier: MIT
// Times hash-wasm's Argon2id (what PassAgent's web client runs) for bench/crypto_bench:
//   node bench-argon2.mjs [runs=3] [memoryKiB=65536] [iterations=3] [parallelism=4]
// Prints one JSON line: {"runs", "ms": [...], "best_ms", "mean_ms"}.
import { argon2id } from 'hash-wasm';
import { webcrypto } from 'node:crypto';

const [runs = 3, memorySize = 65536, iterations = 3, parallelism = 4] = process.argv.slice(2).map(Number);
const password = new TextEncoder().encode('correct horse battery staple');
const salt = webcrypto.getRandomValues(new Uint8Array(16));
// One warm-up run compiles the wasm module.
await argon2id({ password, salt, parallelism, iterations, memorySize: 64, hashLength: 32, outputType: 'binary' });
const ms = [];
for (let i = 0; i < runs; i++) {
  const t0 = performance.now();
  await argon2id({ password, salt, parallelism, iterations, memorySize, hashLength: 32, outputType: 'binary' });
  ms.push(performance.now() - t0);
}
const mean = ms.reduce((a, b) => a + b, 0) / ms.length;
console.log(JSON.stringify({ runs, ms, best_ms: Math.min(...ms), mean_ms: mean }));
