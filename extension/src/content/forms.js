// SPDX-License-Identifier: MIT
// Finds the fields PassAgent can fill: login forms (username + password),
// identifier-first steps (username alone, or password alone), one-time code fields.
// A classic script (content scripts cannot be modules); it only reads the DOM it is
// given, so Node tests run it inside jsdom.
(function registerForms(root) {
  'use strict';
  const ns = (root.PassAgent = root.PassAgent || {});
  if (ns.forms) {
    return;
  }

  // The field rules are the detector's (detector.js), which loaded this script.
  const { SPLIT_OTP_MIN, hints, autocompleteTokens, isPasswordField, isOtpField, isUsernameCandidate, usernameScore, isSplitOtpBox } = ns.fields;

  /**
   * A field PassAgent may fill: rendered, visible, enabled and editable.
   * `layout: false` skips the geometry checks for DOMs without layout (jsdom).
   */
  function isFieldVisible(el, { layout = true } = {}) {
    if (!el || el.disabled || el.readOnly || String(el.type).toLowerCase() === 'hidden') {
      return false;
    }
    const view = el.ownerDocument && el.ownerDocument.defaultView;
    for (let node = el; node && node.nodeType === 1; node = node.parentElement) {
      if (node.hidden || node.getAttribute('aria-hidden') === 'true' && node === el) {
        return false;
      }
      const style = view ? view.getComputedStyle(node) : null;
      if (style) {
        if (style.display === 'none' || (node === el && (style.visibility === 'hidden' || style.visibility === 'collapse'))) {
          return false;
        }
        if (style.opacity !== '' && Number(style.opacity) === 0) {
          return false;
        }
      }
    }
    if (view) {
      const own = view.getComputedStyle(el);
      if (own.visibility === 'hidden' || own.visibility === 'collapse') {
        return false;
      }
    }
    if (layout) {
      const rect = el.getBoundingClientRect();
      if (rect.width < 2 || rect.height < 2) {
        return false;
      }
      const scrollX = view ? view.scrollX : 0;
      const scrollY = view ? view.scrollY : 0;
      if (rect.right + scrollX <= 0 || rect.bottom + scrollY <= 0) {
        return false; // Pushed off the page: a trap for managers that fill blindly.
      }
    }
    return true;
  }

  /** Groups fields by form; fields outside any form share one group per document. */
  function groups(doc) {
    const byScope = new Map();
    for (const el of doc.querySelectorAll('input')) {
      const scope = el.form || doc;
      if (!byScope.has(scope)) byScope.set(scope, []);
      byScope.get(scope).push(el);
    }
    return byScope;
  }

  /** Six (four to eight) one-character boxes in a row: a split one-time code. */
  function splitOtp(fields) {
    const boxes = fields.filter(isSplitOtpBox);
    return boxes.length >= SPLIT_OTP_MIN && boxes.length <= 8 ? boxes : null;
  }

  /**
   * Every fillable target in a document (not its frames: each frame runs its own copy).
   * @returns {Array<{kind: 'login'|'username'|'password'|'otp', scope: Element|Document,
   *   username: HTMLInputElement|null, password: HTMLInputElement|null, otp: HTMLInputElement[]|null}>}
   */
  function findTargets(doc, options = {}) {
    const targets = [];
    for (const [scope, inputs] of groups(doc)) {
      const visible = inputs.filter((el) => isFieldVisible(el, options));
      const passwords = visible.filter(isPasswordField).filter((el) => !isOtpField(el));
      const current = passwords.filter((el) => autocompleteTokens(el).includes('current-password'));
      const fresh = passwords.filter((el) => autocompleteTokens(el).includes('new-password'));
      let password = null;
      if (current.length >= 1) {
        password = current[0];
      } else if (passwords.length === 1 && fresh.length === 0) {
        password = passwords[0];
      }
      // Two or more password fields without a current one: a sign-up or change form. Not ours.

      const otpFields = visible.filter(isOtpField);
      const split = splitOtp(visible);
      if (split) {
        targets.push({ kind: 'otp', scope, username: null, password: null, otp: split });
      } else if (otpFields.length === 1) {
        targets.push({ kind: 'otp', scope, username: null, password: null, otp: otpFields });
      }

      const candidates = visible.filter(isUsernameCandidate).filter((el) => !(split && split.includes(el)));
      if (password) {
        const before = candidates.filter((el) => el.compareDocumentPosition(password) & 4 /* FOLLOWING */);
        const pool = before.length ? before : candidates;
        const best = pool.slice().sort((a, b) => usernameScore(b) - usernameScore(a) || (pool.indexOf(b) - pool.indexOf(a)))[0] || null;
        targets.push({ kind: best ? 'login' : 'password', scope, username: best, password, otp: null });
      } else if (passwords.length === 0 && fresh.length === 0) {
        // Identifier-first: one clear username field and nothing else to type into.
        const named = candidates.filter((el) => usernameScore(el) > 0);
        if (named.length === 1 && candidates.length <= 2) {
          targets.push({ kind: 'username', scope, username: named[0], password: null, otp: null });
        }
      }
    }
    return targets;
  }

  const NEW_HINT = /new|confirm|repeat|again|verify|retype|re-?enter|neu|nouveau/i;
  const CURRENT_HINT = /current|old|existing|actuel|alt/i;

  function bestUsername(candidates, before) {
    const earlier = candidates.filter((el) => el.compareDocumentPosition(before) & 4 /* FOLLOWING */);
    const pool = earlier.length ? earlier : candidates;
    return pool.slice().sort((a, b) => usernameScore(b) - usernameScore(a) || (pool.indexOf(b) - pool.indexOf(a)))[0] || null;
  }

  /**
   * A password-change page often names its account only in a hidden field (as browsers ask
   * such pages to): read to know which login changes, never filled.
   */
  function hiddenUsername(inputs, visible) {
    return inputs.find((el) => !visible.includes(el) && !isPasswordField(el) && el.value && usernameScore(el) > 0) ?? null;
  }

  /**
   * Sign-up and password-change forms: the fields that take a new password (the new one
   * and its confirmation), the current password when the form asks for it, and the
   * username when there is one.
   * @returns {Array<{kind: 'signup'|'change', scope: Element|Document, username: HTMLInputElement|null,
   *   current: HTMLInputElement|null, fresh: HTMLInputElement[]}>}
   */
  function findNewPasswordForms(doc, options = {}) {
    const found = [];
    for (const [scope, inputs] of groups(doc)) {
      const visible = inputs.filter((el) => isFieldVisible(el, options));
      const passwords = visible.filter(isPasswordField).filter((el) => !isOtpField(el));
      if (!passwords.length) continue;
      let fresh = passwords.filter((el) => autocompleteTokens(el).includes('new-password'));
      let current = passwords.find((el) => autocompleteTokens(el).includes('current-password')) ?? null;
      if (!fresh.length && passwords.length >= 2 && !current) {
        // No autocomplete hints: two fields are a password and its confirmation; with
        // three, the one named like "current" or else the first is the current one.
        if (passwords.length === 2) {
          fresh = passwords;
        } else {
          current = passwords.find((el) => CURRENT_HINT.test(hints(el)) && !NEW_HINT.test(hints(el))) ?? passwords[0];
          fresh = passwords.filter((el) => el !== current);
        }
      } else if (!fresh.length && current && passwords.length >= 2) {
        fresh = passwords.filter((el) => el !== current);
      }
      if (!fresh.length) continue;
      fresh = fresh.slice(0, 2);
      const candidates = visible.filter(isUsernameCandidate);
      const username = candidates.length ? bestUsername(candidates, current ?? fresh[0]) : current ? hiddenUsername(inputs, visible) : null;
      found.push({ kind: current ? 'change' : 'signup', scope, username, current, fresh });
    }
    return found;
  }

  ns.forms = { findTargets, findNewPasswordForms, isFieldVisible, isOtpField, isPasswordField };
})(globalThis);
