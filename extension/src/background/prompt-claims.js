// SPDX-License-Identifier: MIT
// Which prompt frame may answer a tab's offer. The prompt page (src/prompt/) has to be a
// web-accessible resource, so any page can frame it, and could make it invisible under a
// decoy button. So: when the background asks a tab's content script to show the prompt,
// it makes a one-time nonce (kept in storage.session for that tab) that goes into the
// frame's URL. The first extension frame of that tab that presents it claims the offer;
// from then on only that frame (its frameId and, in Chromium, its documentId) may read or
// answer it. A page that frames prompt.html itself has no nonce and gets nothing.
// A Save, Update, Never or Allow counts only when the top frame's content script also
// says the prompt frame it placed has been on screen, unmoved and uncovered where the
// person clicked, for 500 ms (content/prompt-frame.js, with content/guard.js).

const NONCE_BYTES = 16;

function frameOf(sender) {
  return `${sender?.frameId ?? ''}:${sender?.documentId ?? ''}`;
}

function freshNonce() {
  const bytes = crypto.getRandomValues(new Uint8Array(NONCE_BYTES));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * @param {object} deps
 * @param {{get: Function, set: Function, remove: Function}} deps.session offers.js's sessionStore
 * @param {(tabId: number, message: object, options?: object) => Promise<any>} deps.ask a message to a tab's frame, with its reply (null when none)
 * @param {number} deps.keepMs how long a nonce may wait to be claimed
 * @param {() => number} [deps.now]
 */
export function createPromptClaims({ session, ask, keepMs, now = () => Date.now() }) {
  const key = (tabId) => `nonce:${tabId}`;

  return {
    /** A new nonce for the prompt about to be shown in the tab; the one before is void. */
    async open(tabId) {
      const nonce = freshNonce();
      await session.set(key(tabId), { nonce, frame: null, at: now() });
      return nonce;
    },

    /** Whether `nonce` is still the tab's (no newer prompt was asked for since). */
    async current(tabId, nonce) {
      return (await session.get(key(tabId)))?.nonce === nonce;
    },

    /** The prompt page presents its nonce: true when it is this tab's, unclaimed or claimed by this same frame. */
    async claim(sender, nonce) {
      const tabId = sender?.tab?.id;
      const held = await session.get(key(tabId));
      if (!held || typeof nonce !== 'string' || nonce !== held.nonce) return false;
      if (held.frame !== null) return held.frame === frameOf(sender);
      if (now() - held.at >= keepMs) return false;
      await session.set(key(tabId), { ...held, frame: frameOf(sender) });
      return true;
    },

    /** Whether this extension frame claimed its tab's prompt. */
    async owns(sender) {
      const held = await session.get(key(sender?.tab?.id));
      return Boolean(held?.frame) && held.frame === frameOf(sender);
    },

    /**
     * Asks the tab's top frame whether the prompt frame was in full view, for long
     * enough, at the place the person clicked. Returns null when it was, else a reason.
     * @param {number} tabId
     * @param {{x: number, y: number}} click where, in the prompt page's own coordinates
     */
    async refused(tabId, click) {
      const x = Number(click?.x);
      const y = Number(click?.y);
      if (!Number.isFinite(x) || !Number.isFinite(y)) return 'no-click';
      const reply = await ask(tabId, { type: 'pa-prompt-guard', x, y }, { frameId: 0 });
      if (!reply || typeof reply !== 'object') return 'no-answer';
      return reply.refused ?? null;
    },

    async drop(tabId) {
      await session.remove(key(tabId));
    },
  };
}
