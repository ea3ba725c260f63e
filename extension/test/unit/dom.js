// SPDX-License-Identifier: MIT
// Loads the content scripts into a jsdom window, as the browser would in a page.
import { readFileSync } from 'node:fs';
import { JSDOM } from 'jsdom';

const scripts = ['detector.js', 'forms.js', 'fill.js', 'capture.js'].map((name) => readFileSync(new URL(`../../src/content/${name}`, import.meta.url), 'utf8'));

export function page(html, url = 'https://login.example/') {
  const dom = new JSDOM(`<!doctype html><html><body>${html}</body></html>`, { url, runScripts: 'outside-only', pretendToBeVisual: true });
  for (const source of scripts) dom.window.eval(source);
  const { PassAgent } = dom.window;
  const $ = (selector) => dom.window.document.querySelector(selector);
  // jsdom has no layout: geometry checks are off, style checks stay on.
  // Array.from: arrays made in the jsdom realm fail deepStrictEqual against ours.
  const find = (doc = dom.window.document) => Array.from(PassAgent.forms.findTargets(doc, { layout: false }));
  return { dom, window: dom.window, document: dom.window.document, PassAgent, $, find };
}
