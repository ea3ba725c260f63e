// SPDX-License-Identifier: MIT
// What the extension takes from its npm packages; scripts/build-vendor.mjs bundles this
// into src/vendor/qr.js. Only these names reach the bundle.
export { encodeQR } from 'qr';
export { decodeQR } from 'qr/decode.js';
