// SPDX-License-Identifier: MIT
// The toolbar button: a closed grey padlock while every vault is locked (or the host is
// away), an open blue one when a vault is unlocked, and on each web tab the number of
// logins that match it. Counting asks the host with `background: true`, so a badge that
// refreshes by itself never keeps a vault from locking when the person is idle.
import { isWebUrl } from '../shared/url.js';
import { t } from '../shared/i18n.js';

const ICON_SIZES = [16, 32];
export const iconPaths = (name) => Object.fromEntries(ICON_SIZES.map((s) => [s, `/icons/${name}-${s}.png`]));

/**
 * @param {object} deps
 * @param {object} deps.action browser.action
 * @param {{request: Function}} deps.client the NativeClient
 * @param {() => object} deps.getState
 */
export function createBadge({ action, client, getState }) {
  let shown = null;

  async function showState() {
    const state = getState();
    const name = state.connected && state.unlocked ? 'unlocked' : 'locked';
    if (name !== shown) {
      shown = name;
      await action.setIcon({ path: iconPaths(name) }).catch(() => {});
      await action.setTitle({ title: name === 'unlocked' ? t('toolbarUnlocked') : t('toolbarLocked') }).catch(() => {});
    }
    if (name === 'locked') await action.setBadgeText({ text: '' }).catch(() => {});
  }

  /**
   * Counts the logins for one tab and shows the number on its button ('' for none).
   * `asked`: the host's reply for this tab's URL when already asked (router.matchAhead).
   */
  async function countFor(tab, asked = null) {
    if (!tab || tab.id === undefined || tab.id < 0) return;
    const state = getState();
    let text = '';
    if (state.connected && state.unlocked && isWebUrl(tab.url)) {
      try {
        const { matches = [] } = await (asked ?? client.request('credentials.match', { url: tab.url, background: true }));
        text = matches.length ? String(Math.min(matches.length, 99)) : '';
      } catch {
        text = '';
      }
    }
    await action.setBadgeText({ tabId: tab.id, text }).catch(() => {});
    if (text) await action.setBadgeBackgroundColor({ tabId: tab.id, color: '#1f6feb' }).catch(() => {});
  }

  return { showState, countFor };
}
