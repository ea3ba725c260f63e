// SPDX-License-Identifier: MIT
// Injects the page scripts into a frame whose detector (content/detector.js, the one
// script the manifest runs everywhere) found a field to fill or capture (page.load), and
// into a frame the background is about to ask something of (a Save prompt, a shortcut,
// a context menu: ensure()): pages without a login form never parse or run them. They
// go into the content scripts' isolated world of that frame only (for page.load in
// Chromium into the very document that asked, so a frame that navigated meanwhile does
// not get them). Injecting twice is harmless: each script returns if it ran already.
import { t } from '../shared/i18n.js';

/** The rest of the content scripts, in their order (each builds on the ones before). */
export const PAGE_SCRIPTS = Object.freeze([
  'src/content/forms.js',
  'src/content/fill.js',
  'src/content/guard.js',
  'src/content/chooser.js',
  'src/content/mark.js',
  'src/content/capture.js',
  'src/content/prompt-frame.js',
  'src/content/pick-port.js',
  'src/content/main.js',
]);

/**
 * @param {{executeScript: Function}} scripting api.scripting
 * @param {(url: string) => boolean} isWebUrl
 */
export function createContentLoader({ scripting, isWebUrl }) {
  async function inject(target) {
    try {
      await scripting.executeScript({ target, files: [...PAGE_SCRIPTS] });
      return { loaded: true };
    } catch (error) {
      return { error: { code: 'INTERNAL', message: t('pageScriptsFailed', String(error?.message ?? error)) } };
    }
  }

  function load(sender) {
    const tabId = sender?.tab?.id;
    if (!Number.isInteger(tabId) || !Number.isInteger(sender.frameId) || !isWebUrl(sender.url)) {
      return Promise.resolve({ error: { code: 'NOT_ALLOWED_HERE', message: t('pageScriptsWebOnly') } });
    }
    return inject(sender.documentId ? { tabId, documentIds: [sender.documentId] } : { tabId, frameIds: [sender.frameId] });
  }

  /** Before a message to a frame that may have only its detector: the page scripts, there. */
  function ensure(tabId, frameId = 0) {
    return inject({ tabId, frameIds: [frameId] });
  }

  /** Returns a promise of the reply, or undefined when the message is not for this module. */
  function handle(message, sender) {
    return message?.type === 'page.load' ? load(sender) : undefined;
  }

  return { handle, ensure };
}
