// SPDX-License-Identifier: MIT
// Keyboard shortcuts (manifest `commands`) and the context menu on editable fields.
//   fill-login: fills the best match of the page. Only a match on the page's own host
//     that no other match ties is filled at once; a match that holds only through a
//     parent domain (score below 300, docs/matching.md), or several equal ones, open the
//     chooser on the page instead, so the person picks.
//   copy-totp: copies the current code of the page's login that has one.
//   _execute_action opens the popup (the browser does that itself).
// Menu items: fill a login (the chooser on that field), fill the TOTP, generate a password.
import { isWebUrl } from '../shared/url.js';
import { errorReply } from './router.js';
import { t } from '../shared/i18n.js';

export const SAME_HOST_SCORE = 300;

export const MENU_ITEMS = Object.freeze([
  { id: 'pa-fill-login', title: 'menuFillLogin', command: 'fill-login' },
  { id: 'pa-fill-totp', title: 'menuFillTotp', command: 'fill-totp' },
  { id: 'pa-generate', title: 'menuGenerate', command: 'generate' },
]);

/**
 * The login a shortcut may fill without asking, or null when the person must pick.
 * @param {Array<{score: number}>} matches best first
 */
export function shortcutPick(matches) {
  const [best, next] = matches;
  if (!best || !(best.score >= SAME_HOST_SCORE)) return null;
  if (next && next.score === best.score) return null;
  return best;
}

/**
 * @param {object} deps
 * @param {{request: Function}} deps.client
 * @param {() => object} deps.getState
 * @param {{copy: (text: string) => Promise<object>}} deps.clipboard
 * @param {(tabId: number, message: object, options?: {frameId?: number}) => Promise<void>} deps.tell
 * @param {(tabId?: number) => Promise<object|null>} deps.resolveTab
 */
export function createCommands({ client, getState, clipboard, tell, resolveTab }) {
  async function run(command, tab) {
    if (!tab || !isWebUrl(tab.url)) return { done: false, reason: 'no web page' };
    if (command === 'fill-login' || command === 'fill-totp') {
      const state = getState();
      if (!state.unlocked) return { done: false, reason: state.loggedIn ? 'locked' : 'signed out' };
      const { matches = [] } = await client.request('credentials.match', { url: tab.url });
      const pool = command === 'fill-totp' ? matches.filter((m) => m.hasTotp) : matches;
      if (!pool.length) return { done: false, reason: 'no match' };
      const pick = shortcutPick(pool);
      await tell(tab.id, { type: 'pa-command', command, ...(pick ? { id: pick.id, account: pick.account } : { pick: true }) }, { frameId: 0 });
      return { done: true, picked: Boolean(pick) };
    }
    if (command === 'copy-totp') {
      const state = getState();
      if (!state.unlocked) return { done: false, reason: 'locked' };
      const { matches = [] } = await client.request('credentials.match', { url: tab.url });
      const pick = shortcutPick(matches.filter((m) => m.hasTotp));
      if (!pick) return { done: false, reason: 'no single match with a one-time code' };
      const { code } = await client.request('totp.code', { id: pick.id, account: pick.account });
      return { done: true, ...(await clipboard.copy(code)) };
    }
    return { done: false, reason: `unknown command ${command}` };
  }

  async function menu(itemId, tab, frameId) {
    const item = MENU_ITEMS.find((i) => i.id === itemId);
    if (!item || !tab || !isWebUrl(tab.url)) return { done: false };
    // The content script of that frame knows the field; it asks for the fill itself,
    // so the background checks the frame's URL as for any fill.
    await tell(tab.id, { type: 'pa-command', command: item.command, fromMenu: true, pick: item.command === 'fill-login' }, { frameId: frameId ?? 0 });
    return { done: true };
  }

  /** Registers the menu (once per install) and the listeners. */
  function install(api) {
    api.commands?.onCommand.addListener(async (command, tab) => {
      const target = tab?.id !== undefined ? tab : await resolveTab();
      run(command, target).catch(() => {});
    });
    if (api.contextMenus) {
      const create = () => {
        api.contextMenus.removeAll(() => {
          const parent = api.contextMenus.create({ id: 'pa-root', title: 'PassAgent', contexts: ['editable'] });
          for (const item of MENU_ITEMS) api.contextMenus.create({ id: item.id, parentId: parent, title: t(item.title), contexts: ['editable'] });
        });
      };
      api.runtime.onInstalled.addListener(create);
      api.contextMenus.onClicked.addListener((info, tab) => {
        menu(info.menuItemId, tab, info.frameId).catch(() => {});
      });
    }
  }

  /** Extension pages (and the e2e tests, which cannot press a browser shortcut) run the same code. */
  const extensionHandlers = {
    async 'command.run'({ command, tabId }) {
      return run(command, await resolveTab(tabId));
    },
    async 'menu.run'({ itemId, tabId, frameId }) {
      return menu(itemId, await resolveTab(tabId), frameId);
    },
  };

  function handle(message, sender, isExtensionPage) {
    const type = message?.type;
    if (!Object.hasOwn(extensionHandlers, type)) return undefined;
    if (!isExtensionPage(sender)) return Promise.resolve({ error: { code: 'NOT_ALLOWED_HERE', message: t('err_NOT_ALLOWED_HERE') } });
    return Promise.resolve().then(() => extensionHandlers[type](message)).catch((error) => errorReply(error));
  }

  return { run, menu, install, handle };
}
