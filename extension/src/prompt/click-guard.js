// SPDX-License-Identifier: MIT
// The prompt page's half of the clickjacking guard (the content script's half checks the
// frame from the page around it: content/prompt-frame.js). A click on Save, Update,
// Never or Allow counts only when it is a real one (isTrusted), the page is visible, and
// the question has been on screen for 500 ms. Where the browser has IntersectionObserver
// v2 (Chromium), the prompt must also be reported visible: not covered, and not made
// transparent, filtered or transformed by the page that frames it.

export const MIN_SHOWN_MS = 500;

/**
 * @param {object} [deps]
 * @param {Document} [deps.doc]
 * @param {() => number} [deps.now]
 * @param {typeof IntersectionObserver} [deps.Observer]
 * @param {boolean} [deps.hasVisibility] whether IntersectionObserver entries say isVisible (v2)
 */
export function createClickGuard({
  doc = document,
  now = () => performance.now(),
  Observer = globalThis.IntersectionObserver,
  hasVisibility = Boolean(globalThis.IntersectionObserverEntry && 'isVisible' in globalThis.IntersectionObserverEntry.prototype),
} = {}) {
  let shownSince = null;
  let visible = hasVisibility ? false : null; // null: the browser cannot say.

  const restart = () => {
    shownSince = doc.visibilityState === 'visible' && visible !== false ? now() : null;
  };
  doc.addEventListener('visibilitychange', restart);

  return {
    /** The question is on screen now (a new one restarts the 500 ms). */
    shown: restart,

    /** Watches `el` (the question) with IntersectionObserver v2 where there is one. */
    watch(el) {
      if (!hasVisibility || !Observer) return;
      const observer = new Observer((entries) => {
        for (const entry of entries) {
          const was = visible;
          visible = Boolean(entry.isVisible);
          if (visible !== was) restart();
        }
      }, { trackVisibility: true, delay: 100 });
      observer.observe(el);
    },

    /** Null when the click counts, else why not. */
    refused(event) {
      if (!event?.isTrusted) return 'untrusted';
      if (doc.visibilityState !== 'visible') return 'hidden';
      if (visible === false) return 'covered';
      if (shownSince === null || now() - shownSince < MIN_SHOWN_MS) return 'too-soon';
      return null;
    },
  };
}

/** Where a click was made, in the page's coordinates: the pointer, or for a key the button's centre. */
export function clickPoint(event, button) {
  if (event.detail === 0 || (event.clientX === 0 && event.clientY === 0)) {
    const r = button.getBoundingClientRect();
    return { x: Math.round(r.left + r.width / 2), y: Math.round(r.top + r.height / 2) };
  }
  return { x: Math.round(event.clientX), y: Math.round(event.clientY) };
}
