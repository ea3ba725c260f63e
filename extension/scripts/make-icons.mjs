#!/usr/bin/env node
// SPDX-License-Identifier: MIT
// Draws the toolbar and store icons (a padlock on a rounded square: blue and open when a
// vault is unlocked, grey and closed when locked) and writes them as PNG under icons/.
// Drawn by code (signed distances, 8×8 supersampling) and encoded here with zlib, so the
// same script gives the same bytes on any machine: `node scripts/make-icons.mjs`.
// A unit test (test/unit/icons.test.js) checks the committed files equal its output.
import { deflateSync } from 'node:zlib';
import { writeFileSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const SIZES = [16, 32, 48, 128];
export const STATES = {
  unlocked: { background: [0x1f, 0x6f, 0xeb], open: true },
  locked: { background: [0x59, 0x63, 0x6e], open: false },
};

const box = (px, py, cx, cy, hx, hy, r) => {
  const qx = Math.abs(px - cx) - hx + r;
  const qy = Math.abs(py - cy) - hy + r;
  return Math.hypot(Math.max(qx, 0), Math.max(qy, 0)) + Math.min(Math.max(qx, qy), 0) - r;
};

/** The shackle: a half ring of radius R, stroke w, on center (cx, cy), legs down to leftEnd / rightEnd. */
function shackle(px, py, { cx, cy, R, w, leftEnd, rightEnd }) {
  if (py <= cy) return Math.abs(Math.hypot(px - cx, py - cy) - R) - w / 2;
  const leg = (x, end) => (py <= end ? Math.abs(px - x) - w / 2 : Math.hypot(px - x, py - end) - w / 2);
  return Math.min(leg(cx - R, leftEnd), leg(cx + R, rightEnd));
}

/** Colors of one point (unit square coordinates): background square, white lock, keyhole. */
function layers(x, y, state) {
  const body = { cx: 0.5, cy: 0.64, hx: 0.25, hy: 0.18, r: 0.05 };
  const s = state.open
    ? { cx: 0.5, cy: 0.30, R: 0.15, w: 0.085, leftEnd: 0.5, rightEnd: 0.36 }
    : { cx: 0.5, cy: 0.40, R: 0.15, w: 0.085, leftEnd: 0.5, rightEnd: 0.5 };
  return {
    square: box(x, y, 0.5, 0.5, 0.5, 0.5, 0.2) <= 0,
    lock: box(x, y, body.cx, body.cy, body.hx, body.hy, body.r) <= 0 || shackle(x, y, s) <= 0,
    hole: Math.hypot(x - 0.5, y - 0.6) <= 0.055 || box(x, y, 0.5, 0.69, 0.025, 0.07, 0.01) <= 0,
  };
}

/** RGBA pixels of one icon. */
export function render(size, state) {
  const N = 8;
  const pixels = Buffer.alloc(size * size * 4);
  for (let py = 0; py < size; py += 1) {
    for (let px = 0; px < size; px += 1) {
      let r = 0;
      let g = 0;
      let b = 0;
      let a = 0;
      for (let sy = 0; sy < N; sy += 1) {
        for (let sx = 0; sx < N; sx += 1) {
          const l = layers((px + (sx + 0.5) / N) / size, (py + (sy + 0.5) / N) / size, state);
          if (!l.square) continue;
          const white = l.lock && !l.hole;
          const [cr, cg, cb] = white ? [255, 255, 255] : state.background;
          r += cr;
          g += cg;
          b += cb;
          a += 1;
        }
      }
      const o = (py * size + px) * 4;
      pixels[o] = a ? Math.round(r / a) : 0;
      pixels[o + 1] = a ? Math.round(g / a) : 0;
      pixels[o + 2] = a ? Math.round(b / a) : 0;
      pixels[o + 3] = Math.round((255 * a) / (N * N));
    }
  }
  return pixels;
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k += 1) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(buf) {
  let c = 0xffffffff;
  for (const byte of buf) c = CRC_TABLE[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function chunk(type, data) {
  const head = Buffer.alloc(4);
  head.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([head, body, crc]);
}

/** A PNG file (RGBA, 8 bits, no filter) of `pixels`. */
export function png(size, pixels) {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr[8] = 8;
  ihdr[9] = 6;
  const raw = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y += 1) pixels.copy(raw, y * (size * 4 + 1) + 1, y * size * 4, (y + 1) * size * 4);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** Every icon file: name → PNG bytes. */
export function allIcons() {
  const files = {};
  for (const [name, state] of Object.entries(STATES)) {
    for (const size of SIZES) files[`${name}-${size}.png`] = png(size, render(size, state));
  }
  return files;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const dir = fileURLToPath(new URL('../icons/', import.meta.url));
  mkdirSync(dir, { recursive: true });
  for (const [name, bytes] of Object.entries(allIcons())) writeFileSync(`${dir}${name}`, bytes);
  console.log(`wrote ${Object.keys(allIcons()).length} icons to icons/`);
}
