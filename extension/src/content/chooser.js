// SPDX-License-Identifier: MIT
// The list of matching logins shown under a field. It lives in a closed shadow root so
// the page cannot restyle or script it, is shown in the top layer (a popover: no z-index
// of the page covers it), and acts only on trusted (real) input that guard.js accepts as
// a pick the person saw: visible, on top where the click is, unmoved for 500 ms.
// Keyboard: ArrowDown from the field enters the list, arrows move, Enter chooses,
// Escape closes and returns to the field.
(function registerChooser(root) {
  'use strict';
  const ns = (root.PassAgent = root.PassAgent || {});
  if (ns.chooser) {
    return;
  }

  const STYLE = `
    :host { all: initial; }
    .box { box-sizing: border-box; min-width: min(240px, 100vw); max-width: min(360px, 100vw); background: #fff; color: #1b1f24;
      border: 1px solid #8c959f; border-radius: 6px; box-shadow: 0 4px 16px rgba(0,0,0,.18);
      font: 14px/1.35 system-ui, sans-serif; padding: 4px; }
    .title { font-size: 12px; color: #57606a; padding: 4px 8px; }
    button { display: block; width: 100%; text-align: left; border: 0; background: none; padding: 6px 8px; border-radius: 4px;
      font: inherit; color: inherit; cursor: pointer; }
    button:hover, button:focus { background: #ddf4ff; outline: 2px solid #0969da; outline-offset: -2px; }
    .name { font-weight: 600; display: block; }
    .sub { color: #57606a; font-size: 12px; display: block; }
    .title, .name, .sub, .notice, .refused { overflow-wrap: anywhere; }
    .notice { padding: 6px 8px; color: #1b1f24; }
    .refused { padding: 6px 8px; color: #8c1d18; font-size: 12px; }
  `;

  // The host element as the top layer shows it; inline and !important, so that only a
  // script (which guard.js then catches) can change it.
  const HOST_STYLE = 'position: fixed !important; inset: auto !important; margin: 0 !important; padding: 0 !important;'
    + ' border: 0 !important; background: transparent !important; overflow: visible !important; width: auto !important;'
    + ' height: auto !important; opacity: 1 !important; display: block !important; z-index: 2147483647 !important;';

  const HIDDEN_STYLE = 'display: none !important;';

  let current = null;
  // The words of _locales (content scripts cannot import shared/i18n.js); the key itself if missing.
  const t = (key) => (root.browser ?? root.chrome)?.i18n?.getMessage(key) || key;

  /** With `keep`, the list is only hidden, and the caller removes it (later, off the pick's path). */
  function close({ refocus = false, keep = false } = {}) {
    if (!current) return;
    const { host, anchor, cleanup } = current;
    current = null;
    cleanup();
    try {
      if (host.matches(':popover-open')) host.hidePopover();
    } catch {
      // No popover support: removing it is enough.
    }
    if (keep) {
      host.setAttribute('style', HIDDEN_STYLE);
      return;
    }
    host.remove();
    if (refocus && anchor.isConnected) anchor.focus();
  }

  /** Under the field, or above it when the list would not fit below (a small frame). */
  function place(host, anchor) {
    const rect = anchor.getBoundingClientRect();
    const view = anchor.ownerDocument.defaultView;
    // Within the view's width (a small frame): as wide as it is drawn, else its minimum.
    const width = host.getBoundingClientRect().width || 240;
    const left = Math.max(0, Math.min(rect.left, view.innerWidth - width));
    host.setAttribute('style', `${HOST_STYLE} left: ${left}px !important; top: ${rect.bottom + 2}px !important;`);
    const height = host.getBoundingClientRect().height;
    if (rect.bottom + 2 + height <= view.innerHeight) return;
    // Above the field if it fits there; else as low as the view allows (it may then lie
    // over the field): a pick counts only on a login in full view.
    const top = rect.top - 2 - height >= 0 ? rect.top - 2 - height : Math.max(0, view.innerHeight - height);
    host.setAttribute('style', `${HOST_STYLE} left: ${left}px !important; top: ${top}px !important;`);
  }

  /**
   * @param {{anchor: HTMLElement, title?: string, items?: Array<{label: string, sublabel?: string}>,
   *          notice?: string, onChoose?: (index: number, fieldsRefused?: string|null) => void,
   *          checkFields?: (index: number) => string|null, refocus?: boolean}} spec
   *   checkFields: why the fields a choice would fill may not be (guard.fieldsRefused), checked
   *     with the pick's own hit test once the list is hidden; its answer goes to onChoose.
   *   refocus: false when onChoose moves the focus itself (a fill focuses its fields)
   */
  function open({ anchor, title = 'PassAgent', items = [], notice = '', onChoose = () => {}, checkFields = null, refocus = true }) {
    close();
    const doc = anchor.ownerDocument;
    const host = doc.createElement('passagent-chooser');
    host.setAttribute('data-passagent-state', 'open');
    host.setAttribute('popover', 'manual');
    const shadow = host.attachShadow({ mode: 'closed' });
    const style = doc.createElement('style');
    style.textContent = STYLE;
    const box = doc.createElement('div');
    box.className = 'box';
    box.setAttribute('role', 'dialog');
    box.setAttribute('aria-label', title);
    const heading = doc.createElement('div');
    heading.className = 'title';
    heading.textContent = title;
    box.append(heading);
    const buttons = items.map((item, index) => {
      const button = doc.createElement('button');
      button.type = 'button';
      const name = doc.createElement('span');
      name.className = 'name';
      name.textContent = item.label;
      button.append(name);
      if (item.sublabel) {
        const sub = doc.createElement('span');
        sub.className = 'sub';
        sub.textContent = item.sublabel;
        button.append(sub);
      }
      button.addEventListener('click', (event) => {
        event.preventDefault();
        event.stopPropagation();
        // A page script cannot choose for the person, nor make them choose unseen.
        let fieldsRefused;
        const refused = current?.host !== host ? 'closed' : ns.guard.hitAll(doc, () => {
          const why = ns.guard.pickRefused({ event, host, shadow, box, button, shown });
          if (why || !checkFields) return why;
          // The pick counts: hidden (so no longer hit) before the fields under it are checked.
          host.setAttribute('style', HIDDEN_STYLE);
          fieldsRefused = checkFields(index);
          return null;
        });
        if (refused) {
          refuse(refused);
          return;
        }
        close({ keep: true });
        onChoose(index, fieldsRefused);
        // Removed, and the focus given back to the field, once the choice is on its way,
        // so that neither delays the request (nor its answer: a fill moves the focus itself).
        host.remove();
        if (refocus && anchor.isConnected && doc.activeElement !== anchor) anchor.focus();
      });
      box.append(button);
      return button;
    });
    if (notice) {
      const text = doc.createElement('div');
      text.className = 'notice';
      text.setAttribute('role', 'status');
      text.textContent = notice;
      box.append(text);
    }
    const note = doc.createElement('div');
    note.className = 'refused';
    note.setAttribute('role', 'alert');
    note.hidden = true;
    box.append(note);
    shadow.append(style, box);
    place(host, anchor);
    (doc.body || doc.documentElement).append(host);
    try {
      host.showPopover();
    } catch {
      // Firefox before 125: the fixed box with the highest z-index is the fallback.
    }
    place(host, anchor); // Again, now that its height is known.
    const shown = ns.guard.watchShown(host);
    // A refused pick says so and starts the 500 ms again: a second click right after the
    // cover is gone is not taken either.
    const refuse = (reason) => {
      host.setAttribute('data-passagent-refused', reason);
      note.textContent = t('chooserPickRefused');
      note.hidden = false;
      shown.restart();
    };

    const onBoxKey = (event) => {
      if (!event.isTrusted) return;
      const at = buttons.indexOf(shadow.activeElement);
      if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
        event.preventDefault();
        const step = event.key === 'ArrowDown' ? 1 : -1;
        if (buttons.length) buttons[(at + step + buttons.length) % buttons.length].focus();
      } else if (event.key === 'Escape') {
        event.preventDefault();
        close({ refocus: true });
      } else if (event.key === 'Tab') {
        close();
      }
      event.stopPropagation();
    };
    const onAnchorKey = (event) => {
      if (!event.isTrusted) return;
      if (event.key === 'ArrowDown' && buttons.length) {
        event.preventDefault();
        event.stopPropagation();
        buttons[0].focus();
      } else if (event.key === 'Escape') {
        close();
      }
    };
    const onOutside = (event) => {
      // A press on the field's PassAgent mark (mark.js) is the mark's to answer: it closes the list itself.
      if (event.composedPath().includes(host) || event.target === anchor || ns.mark?.owns(event.target)) return;
      close();
    };
    box.addEventListener('keydown', onBoxKey);
    anchor.addEventListener('keydown', onAnchorKey, true);
    doc.addEventListener('mousedown', onOutside, true);
    current = {
      host,
      anchor,
      cleanup() {
        shown.stop();
        anchor.removeEventListener('keydown', onAnchorKey, true);
        doc.removeEventListener('mousedown', onOutside, true);
      },
    };
    return { focusFirst: () => buttons[0]?.focus() };
  }

  ns.chooser = { open, close, isOpen: () => current !== null, anchor: () => current?.anchor ?? null };
})(globalThis);
