// SPDX-License-Identifier: MIT
// Puts a value into a field so that the page notices, including React, Vue and Angular
// controlled inputs: the value goes through the prototype's setter (React's value
// tracker would swallow a plain assignment), then `input` and `change` fire.
(function registerFill(root) {
  'use strict';
  const ns = (root.PassAgent = root.PassAgent || {});
  if (ns.fill) {
    return;
  }

  function nativeSetter(el) {
    const view = el.ownerDocument.defaultView;
    const proto = el instanceof view.HTMLTextAreaElement ? view.HTMLTextAreaElement.prototype : view.HTMLInputElement.prototype;
    return Object.getOwnPropertyDescriptor(proto, 'value').set;
  }

  function setValue(el, value, options = {}) {
    if (!ns.forms.isFieldVisible(el, options)) {
      // WARNING: never fill what the person cannot see; hidden fields are how pages steal.
      return false;
    }
    const view = el.ownerDocument.defaultView;
    if (!options.focusAfter) el.focus();
    nativeSetter(el).call(el, value);
    const InputEventCtor = view.InputEvent || view.Event;
    el.dispatchEvent(new InputEventCtor('input', { bubbles: true, composed: true, inputType: 'insertReplacementText', data: value }));
    el.dispatchEvent(new view.Event('change', { bubbles: true }));
    if (options.focusAfter) el.focus();
    return true;
  }

  /**
   * Fills what the target has and what was given. Returns the number of fields filled.
   * The focus goes to each field before its value (a framework that reads a field on
   * blur has the username when the focus leaves it), but to the password field only once
   * its value is in: that focus is where Enter then submits, and not on the way to the
   * filled form (in Firefox, focusing a password field costs 1–2 ms).
   */
  function fillLogin(target, { username, password }, options = {}) {
    let filled = 0;
    if (target.username && typeof username === 'string' && username !== '') {
      filled += setValue(target.username, username, options) ? 1 : 0;
    }
    if (target.password && typeof password === 'string') {
      filled += setValue(target.password, password, { ...options, focusAfter: true }) ? 1 : 0;
    }
    return filled;
  }

  /** One field, or a row of one-character boxes. */
  function fillOtp(target, code, options = {}) {
    const fields = target.otp || [];
    if (fields.length === 1) {
      return setValue(fields[0], code, options) ? 1 : 0;
    }
    if (fields.length !== code.length) {
      return 0;
    }
    let filled = 0;
    fields.forEach((el, i) => {
      filled += setValue(el, code[i], options) ? 1 : 0;
    });
    return filled;
  }

  ns.fill = { setValue, fillLogin, fillOtp };
})(globalThis);
