// SPDX-License-Identifier: MIT
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createCommands, shortcutPick } from '../../src/background/commands.js';

const m = (id, score, extra = {}) => ({ account: 'a1', id, score, ...extra });

test('the shortcut fills a same-host match that no other ties, and nothing else without a pick', () => {
  assert.equal(shortcutPick([m('a', 355), m('b', 305)]).id, 'a');
  assert.equal(shortcutPick([m('a', 305), m('b', 305)]), null, 'a tie needs a pick');
  assert.equal(shortcutPick([m('parent', 199)]), null, 'a parent-domain match needs a pick');
  assert.equal(shortcutPick([]), null);
});

test('fill-login sends the pick to the top frame, or asks the page for a pick', async () => {
  const told = [];
  let matches = [m('a', 305, { hasTotp: true })];
  const commands = createCommands({
    client: { request: async (action) => (action === 'credentials.match' ? { matches } : { code: '123456' }) },
    getState: () => ({ unlocked: true, loggedIn: true }),
    clipboard: { copy: async () => ({ clearAfterSeconds: 30 }) },
    tell: async (tabId, message, options) => told.push({ tabId, message, options }),
    resolveTab: async () => ({ id: 3, url: 'https://accounts.example.com/' }),
  });
  const tab = { id: 3, url: 'https://accounts.example.com/' };
  assert.deepEqual(await commands.run('fill-login', tab), { done: true, picked: true });
  assert.deepEqual(told.at(-1), { tabId: 3, message: { type: 'pa-command', command: 'fill-login', id: 'a', account: 'a1' }, options: { frameId: 0 } });
  matches = [m('parent', 198)];
  assert.deepEqual(await commands.run('fill-login', tab), { done: true, picked: false });
  assert.deepEqual(told.at(-1).message, { type: 'pa-command', command: 'fill-login', pick: true });
  assert.equal((await commands.run('copy-totp', tab)).done, false, 'no code copied for a parent-domain match');
});
