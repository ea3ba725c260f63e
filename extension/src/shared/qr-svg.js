// SPDX-License-Identifier: MIT
// A QR code drawn as an SVG element, made in this document from the bundled encoder: the
// text (a 2FA enrolment link holds its secret) never leaves the extension.
import { encodeQR } from '../vendor/qr.js';
import { t } from './i18n.js';

const SVG_NS = 'http://www.w3.org/2000/svg';

/** One path of unit squares for the dark modules, with a quiet zone of `border` modules. */
export function qrPath(text, { border = 4, ecc = 'medium' } = {}) {
  // The matrix comes with the quiet zone around it (all light).
  const rows = encodeQR(String(text), 'raw', { ecc, border });
  const parts = [];
  rows.forEach((row, y) => {
    row.forEach((dark, x) => {
      if (dark) parts.push(`M${x} ${y}h1v1h-1z`);
    });
  });
  return { d: parts.join(''), modules: rows.length - 2 * border, viewBox: rows.length };
}

/**
 * @param {Document} document
 * @param {string} text
 * @param {{label?: string, pixels?: number}} [options]
 * @returns {SVGSVGElement}
 */
export function qrSvg(document, text, { label = t('qrCode'), pixels = 192 } = {}) {
  const { d, viewBox } = qrPath(text);
  const svg = document.createElementNS(SVG_NS, 'svg');
  svg.setAttribute('viewBox', `0 0 ${viewBox} ${viewBox}`);
  svg.setAttribute('width', String(pixels));
  svg.setAttribute('height', String(pixels));
  svg.setAttribute('role', 'img');
  svg.setAttribute('aria-label', label);
  svg.setAttribute('shape-rendering', 'crispEdges');
  svg.classList.add('qr');
  const background = document.createElementNS(SVG_NS, 'rect');
  background.setAttribute('width', String(viewBox));
  background.setAttribute('height', String(viewBox));
  background.setAttribute('fill', '#fff');
  const path = document.createElementNS(SVG_NS, 'path');
  path.setAttribute('d', d);
  path.setAttribute('fill', '#000');
  svg.append(background, path);
  return svg;
}
