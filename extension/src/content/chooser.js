// SPDX-License-Identifier: MIT
// The list of matching logins shown under a field. It lives in a closed shadow root so
// the page cannot restyle or script it, and it acts only on trusted (real) input.
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
    .box { position: fixed; z-index: 2147483647; min-width: 240px; max-width: 360px; background: #fff; color: #1b1f24;
      border: 1px solid #8c959f; border-radius: 6px; box-shadow: 0 4px 16px rgba(0,0,0,.18);
      font: 14px/1.35 system-ui, sans-serif; padding: 4px; }
    .title { font-size: 12px; color: #57606a; padding: 4px 8px; }
    button { display: block; width: 100%; text-align: left; border: 0; background: none; padding: 6px 8px; border-radius: 4px;
      font: inherit; color: inherit; cursor: pointer; }
    button:hover, button:focus { background: #ddf4ff; outline: 2px solid #0969da; outline-offset: -2px; }
    .name { font-weight: 600; display: block; }
    .sub { color: #57606a; font-size: 12px; display: block; }
    .notice { padding: 6px 8px; color: #1b1f24; }
  `;

  let current = null;

  function close({ refocus = false } = {}) {
    if (!current) return;
    const { host, anchor, cleanup } = current;
    current = null;
    cleanup();
    host.remove();
    if (refocus && anchor.isConnected) anchor.focus();
  }

  function place(box, anchor) {
    const rect = anchor.getBoundingClientRect();
    const view = anchor.ownerDocument.defaultView;
    box.style.left = `${Math.max(0, Math.min(rect.left, view.innerWidth - 250))}px`;
    box.style.top = `${rect.bottom + 2}px`;
  }

  /**
   * @param {{anchor: HTMLElement, title?: string, items?: Array<{label: string, sublabel?: string}>,
   *          notice?: string, onChoose?: (index: number) => void}} spec
   */
  function open({ anchor, title = 'PassAgent', items = [], notice = '', onChoose = () => {} }) {
    close();
    const doc = anchor.ownerDocument;
    const host = doc.createElement('passagent-chooser');
    host.setAttribute('data-passagent-state', 'open');
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
        if (!event.isTrusted) return; // A page script cannot choose for the person.
        event.preventDefault();
        event.stopPropagation();
        close({ refocus: true });
        onChoose(index);
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
    shadow.append(style, box);
    place(box, anchor);
    (doc.body || doc.documentElement).append(host);

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
      if (event.composedPath().includes(host) || event.target === anchor) return;
      close();
    };
    box.addEventListener('keydown', onBoxKey);
    anchor.addEventListener('keydown', onAnchorKey, true);
    doc.addEventListener('mousedown', onOutside, true);
    current = {
      host,
      anchor,
      cleanup() {
        anchor.removeEventListener('keydown', onAnchorKey, true);
        doc.removeEventListener('mousedown', onOutside, true);
      },
    };
    return { focusFirst: () => buttons[0]?.focus() };
  }

  ns.chooser = { open, close, isOpen: () => current !== null, anchor: () => current?.anchor ?? null };
})(globalThis);
