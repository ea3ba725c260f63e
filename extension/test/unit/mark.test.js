// SPDX-License-Identifier: MIT
// The PassAgent mark (content/mark.js): where it goes on a field, when it stays away,
// that it says how many logins there are, and that a script's click on it opens nothing.
// jsdom has no layout: each field is given the box a browser would draw.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { JSDOM } from 'jsdom';

const source = readFileSync(new URL('../../src/content/mark.js', import.meta.url), 'utf8');

function page(html) {
  const dom = new JSDOM(`<!doctype html><html><body>${html}</body></html>`, { url: 'https://login.example/', runScripts: 'outside-only', pretendToBeVisual: true });
  // The shadow roots mark.js attaches (closed: kept here for the test to look inside).
  const roots = new Map();
  const attach = dom.window.Element.prototype.attachShadow;
  dom.window.Element.prototype.attachShadow = function attachShadow(init) {
    const root = attach.call(this, init);
    roots.set(this, root);
    return root;
  };
  dom.window.eval(source);
  const { document } = dom.window;
  /** The box a browser would draw for `el` (left, top, width, height). */
  const box = (el, left, top, width, height) => {
    el.getBoundingClientRect = () => ({ left, top, width, height, right: left + width, bottom: top + height, x: left, y: top });
  };
  return { window: dom.window, document, mark: dom.window.PassAgent.mark, box, roots, $: (s) => document.querySelector(s) };
}

/** The mark's fixed position and size, from its inline style. */
function placed(host) {
  const style = host.getAttribute('style');
  if (/display: none/.test(style)) return null;
  const px = (name) => Number(new RegExp(`${name}: (-?[\\d.]+)px`).exec(style)[1]);
  return { left: px('left'), top: px('top'), width: px('width'), height: px('height') };
}

test('the mark sits inside the right end of the field, vertically centred, clear of its centre', () => {
  const p = page('<input id="user">');
  p.box(p.$('#user'), 100, 50, 300, 36);
  p.mark.show(p.$('#user'), { count: 1, label: 'one', onOpen: () => {} });
  const hosts = p.document.querySelectorAll('passagent-mark');
  assert.equal(hosts.length, 1);
  assert.equal(hosts[0].getAttribute('data-passagent-state'), 'ready');
  const at = placed(hosts[0]);
  assert.equal(at.width, 22, 'at most 22 px');
  assert.equal(at.height, 22);
  assert.equal(at.top, 50 + (36 - 22) / 2, 'centred on the field');
  assert.equal(at.left + at.width, 400 - 7, 'as far from the right edge as from the top and bottom');
  assert.ok(at.left > 100 + 150, 'clear of the field\'s centre, where guard.js hit-tests it');
  assert.equal(p.mark.has(p.$('#user')), true);
});

test('a low field gets a smaller mark; a small, undrawn or scrolled-away field none', () => {
  const p = page('<input id="a"><input id="b"><input id="c"><input id="d"><input id="e">');
  p.box(p.$('#a'), 0, 0, 200, 20);
  p.box(p.$('#b'), 0, 0, 80, 30); // Narrower than 96 px: the mark would hide the text.
  p.box(p.$('#c'), 0, 0, 0, 0); // Not drawn (display: none).
  p.box(p.$('#d'), 0, -200, 200, 30); // Above the view.
  p.box(p.$('#e'), 0, 0, 200, 12); // Lower than 16 px.
  for (const id of ['a', 'b', 'c', 'd', 'e']) p.mark.show(p.$(`#${id}`), { count: 1, label: 'one', onOpen: () => {} });
  const [a, ...rest] = p.document.querySelectorAll('passagent-mark');
  assert.deepEqual(placed(a), { left: 200 - 4 - 14, top: 3, width: 14, height: 14 });
  assert.deepEqual(rest.map(placed), [null, null, null, null], 'kept, hidden, until the field is drawn where it fits');
});

test('a field the page covers (a dialog, a banner) gets no mark until it is seen again', async () => {
  const p = page('<input id="user"><div id="dialog"></div>');
  p.box(p.$('#user'), 0, 0, 300, 36);
  let atCentre = p.$('#user');
  p.document.elementFromPoint = (x, y) => (x === 150 && y === 18 ? atCentre : null);
  p.mark.show(p.$('#user'), { count: 1, label: 'one', onOpen: () => {} });
  const host = p.$('passagent-mark');
  assert.ok(placed(host), 'the field is what is seen: marked');
  atCentre = p.$('#dialog');
  p.window.dispatchEvent(new p.window.Event('resize'));
  await new Promise((r) => p.window.requestAnimationFrame(() => setTimeout(r, 0)));
  assert.equal(placed(host), null, 'covered: hidden');
  atCentre = p.$('#user');
  p.mark.show(p.$('#user'), { count: 1, label: 'one', onOpen: () => {} }); // The page changed: main.js shows the marks again.
  assert.ok(placed(host));
});

test('the count shows from two logins on, and follows the answer', () => {
  const p = page('<input id="user">');
  p.box(p.$('#user'), 0, 0, 300, 36);
  p.mark.show(p.$('#user'), { count: 1, label: 'one login', onOpen: () => {} });
  const host = p.$('passagent-mark');
  const root = p.roots.get(host);
  assert.equal(root.mode, 'closed');
  const button = root.querySelector('button');
  const count = root.querySelector('.count');
  assert.equal(button.getAttribute('aria-label'), 'one login');
  assert.equal(button.tabIndex, -1, 'the keyboard stays in the field');
  assert.equal(count.hidden, true);
  p.mark.show(p.$('#user'), { count: 3, label: 'three logins', onOpen: () => {} });
  assert.equal(p.document.querySelectorAll('passagent-mark').length, 1, 'updated, not added again');
  assert.equal(p.$('passagent-mark'), host);
  assert.equal(button.getAttribute('aria-label'), 'three logins');
  assert.equal(count.hidden, false);
  assert.equal(count.textContent, '3');
  p.mark.show(p.$('#user'), { count: 250, label: 'many', onOpen: () => {} });
  assert.equal(count.textContent, '99', 'two digits at most');
});

test('keepOnly removes the marks of other fields; a field gone takes its mark with it', async () => {
  const p = page('<input id="a"><input id="b">');
  p.box(p.$('#a'), 0, 0, 300, 36);
  p.box(p.$('#b'), 0, 50, 300, 36);
  p.mark.show(p.$('#a'), { count: 1, label: 'one', onOpen: () => {} });
  p.mark.show(p.$('#b'), { count: 1, label: 'one', onOpen: () => {} });
  assert.equal(p.document.querySelectorAll('passagent-mark').length, 2);
  p.mark.keepOnly([p.$('#b')]);
  assert.equal(p.document.querySelectorAll('passagent-mark').length, 1);
  assert.equal(p.mark.has(p.$('#a')), false);
  p.$('#b').remove();
  p.mark.refresh(); // The next frame places the marks again and drops the orphans.
  await new Promise((r) => p.window.requestAnimationFrame(() => setTimeout(r, 0)));
  assert.equal(p.document.querySelectorAll('passagent-mark').length, 0);
  p.mark.keepOnly([]);
});

test('a scroll places the mark again at the field\'s new place', async () => {
  const p = page('<input id="user">');
  p.box(p.$('#user'), 10, 100, 300, 36);
  p.mark.show(p.$('#user'), { count: 1, label: 'one', onOpen: () => {} });
  const host = p.$('passagent-mark');
  p.box(p.$('#user'), 10, 40, 300, 36);
  p.document.dispatchEvent(new p.window.Event('scroll'));
  await new Promise((r) => p.window.requestAnimationFrame(() => setTimeout(r, 0)));
  assert.equal(placed(host).top, 40 + 7);
});

test('owns() knows the marks and nothing the page made with the same name', () => {
  const p = page('<input id="user"><passagent-mark id="fake"></passagent-mark>');
  p.box(p.$('#user'), 0, 0, 300, 36);
  p.mark.show(p.$('#user'), { count: 1, label: 'one', onOpen: () => {} });
  const mine = [...p.document.querySelectorAll('passagent-mark')].find((el) => el.id !== 'fake');
  assert.equal(p.mark.owns(mine), true);
  assert.equal(p.mark.owns(p.$('#fake')), false);
  assert.equal(p.mark.owns(p.$('#user')), false);
});

test('a click the page\'s script makes on the mark opens nothing', () => {
  const p = page('<input id="user">');
  p.box(p.$('#user'), 0, 0, 300, 36);
  let opened = 0;
  p.mark.show(p.$('#user'), { count: 1, label: 'one', onOpen: () => { opened += 1; } });
  const host = p.$('passagent-mark');
  host.click(); // The host: a closed shadow root gives the page nothing else to click.
  p.roots.get(host).querySelector('button').click(); // Nor does one inside it count.
  assert.equal(opened, 0);
});
