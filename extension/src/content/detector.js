// SPDX-License-Identifier: MIT
// The one content script the manifest puts in every frame of every page, at
// document_start. It watches for a field PassAgent could fill or capture (a password,
// a one-time code, a username of an identifier-first step) and only then asks the
// background to inject the rest (forms.js … main.js) into this frame, asking for the
// page's matches at the same time so they are there before the person reaches the form.
// On a page without such a field it costs one querySelector at DOMContentLoaded, a
// MutationObserver from then on that looks at added elements only, and two capture
// listeners (submit, contextmenu); it sends no message. When a frame without such a
// field needs the rest (a Save prompt after a sign-in on the page before, a shortcut,
// a context menu), the background injects it itself (background/content-loader.js).
// It also holds the field rules forms.js builds on (ns.fields): what wakes the rest and
// what the rest looks for are the same rules. Like forms.js, it reads the DOM only in
// the top document of its frame, not inside shadow roots.
// A classic script (content scripts cannot be modules); the browser wiring runs only
// where there is an extension API, so Node tests run the rest inside jsdom.
(function registerDetector(root) {
  'use strict';
  const ns = (root.PassAgent = root.PassAgent || {});
  if (ns.fields) {
    return;
  }

  const TEXTUAL_TYPES = new Set(['', 'text', 'email', 'tel', 'number']);
  const USERNAME_HINT = /user|e-?mail|login|account|identifier|member|customer|^id$|^uid$|nick/i;
  const NOT_USERNAME_HINT = /search|query|^q$|captcha|coupon|promo|zip|postal|city|phone-?code|address/i;
  const OTP_HINT = /one[-_ ]?time|otp|totp|2fa|two[-_ ]?factor|mfa|verification[-_ ]?code|auth(entication)?[-_ ]?code|security[-_ ]?code|\bcode\b|token|passcode/i;
  const OTP_NOT_HINT = /zip|postal|promo|coupon|country|area|phone/i;
  const SPLIT_OTP_MIN = 4; // One-character boxes in a row that make a split one-time code (forms.js).

  function hints(el) {
    const label = el.labels && el.labels.length ? Array.from(el.labels, (l) => l.textContent).join(' ') : '';
    return [el.name, el.id, el.getAttribute('placeholder'), el.getAttribute('aria-label'), label]
      .filter(Boolean)
      .join(' ');
  }

  function autocompleteTokens(el) {
    return String(el.getAttribute('autocomplete') || '').toLowerCase().split(/\s+/).filter(Boolean);
  }

  function isTextual(el) {
    return TEXTUAL_TYPES.has(String(el.type).toLowerCase());
  }

  function isPasswordField(el) {
    return String(el.type).toLowerCase() === 'password';
  }

  function isOtpField(el) {
    if (!isTextual(el) && !isPasswordField(el)) {
      return false;
    }
    const tokens = autocompleteTokens(el);
    if (tokens.includes('one-time-code')) {
      return true;
    }
    if (tokens.includes('username') || tokens.includes('email') || tokens.includes('current-password')) {
      return false;
    }
    const text = hints(el);
    return OTP_HINT.test(text) && !OTP_NOT_HINT.test(text) && !USERNAME_HINT.test(el.name || '');
  }

  function isUsernameCandidate(el) {
    if (!isTextual(el) || isOtpField(el)) {
      return false;
    }
    if (el.getAttribute('role') === 'combobox' && !autocompleteTokens(el).some((t) => t === 'username' || t === 'email')) {
      return false;
    }
    return !NOT_USERNAME_HINT.test(hints(el));
  }

  function usernameScore(el) {
    const tokens = autocompleteTokens(el);
    if (tokens.includes('username')) return 3;
    if (tokens.includes('email') || String(el.type).toLowerCase() === 'email') return 2;
    if (USERNAME_HINT.test(hints(el))) return 1;
    return 0;
  }

  function isSplitOtpBox(el) {
    return isTextual(el) && Number(el.getAttribute('maxlength')) === 1;
  }

  /**
   * Whether this input makes the rest worth loading. A superset of what forms.js finds:
   * that also asks for visibility, which a page changes without adding anything.
   */
  function wakes(el) {
    if (isPasswordField(el) || isOtpField(el)) return true;
    if (!isTextual(el)) return false;
    if (usernameScore(el) > 0 && isUsernameCandidate(el)) return true;
    if (isSplitOtpBox(el)) {
      const scope = el.form ?? el.ownerDocument;
      let boxes = 0;
      for (const other of scope.querySelectorAll('input[maxlength="1"]')) {
        if (isSplitOtpBox(other) && (boxes += 1) >= SPLIT_OTP_MIN) return true;
      }
    }
    return false;
  }

  // Inputs that may be a password, code or username field: every type but those the
  // browser never treats as text (an unknown type is text). A page without one costs one
  // querySelector, and no element of it is wrapped for this script.
  const NOT_TEXT = ['search', 'hidden', 'checkbox', 'radio', 'submit', 'button', 'image', 'reset', 'file', 'range', 'color',
    'date', 'datetime-local', 'month', 'time', 'week', 'url'];
  const CANDIDATE = `input${NOT_TEXT.map((t) => `:not([type="${t}" i])`).join('')}`;

  ns.fields = { TEXTUAL_TYPES, SPLIT_OTP_MIN, hints, autocompleteTokens, isTextual, isPasswordField, isOtpField, isUsernameCandidate, usernameScore, isSplitOtpBox, wakes };

  /**
   * Watches `doc` until it holds an input that wakes the rest, then calls found() once
   * and stops. Nothing runs while the parser does (a MutationObserver then would see
   * every element of the page, each record a wrapper in this world: about 4 ms on a
   * plain page of a few hundred elements, measured): at DOMContentLoaded one look at
   * the inputs, then an observer that looks at added elements only (and at a `type`
   * that changes: a text field turned into a password).
   * @returns {{flush: () => boolean, stop: () => void}} flush: look now, at what is
   *   queued (or, before DOMContentLoaded, at the inputs parsed so far); true once found
   */
  function watch(doc, found) {
    const view = doc.defaultView;
    let done = false;
    let observer = null;

    function check(el) {
      if (done || el.localName !== 'input' || !wakes(el)) return;
      stop();
      found(el);
    }

    function within(root) {
      if (!root.querySelector(CANDIDATE)) return;
      for (const el of root.querySelectorAll(CANDIDATE)) {
        check(el);
        if (done) return;
      }
    }

    function added(node) {
      if (node.nodeType !== 1) return;
      if (node.localName === 'input') {
        check(node);
      } else if (node.firstElementChild) {
        within(node);
      }
    }

    function records(list) {
      for (const record of list) {
        if (record.type === 'attributes') {
          check(record.target);
        } else {
          for (const node of record.addedNodes) added(node);
        }
        if (done) return;
      }
    }

    function begin() {
      if (done || observer) return;
      doc.removeEventListener('DOMContentLoaded', begin);
      observer = new view.MutationObserver(records);
      observer.observe(doc, { childList: true, subtree: true, attributes: true, attributeFilter: ['type'] });
      within(doc);
    }

    function stop() {
      done = true;
      observer?.disconnect();
      doc.removeEventListener('DOMContentLoaded', begin);
    }

    if (doc.readyState === 'loading') doc.addEventListener('DOMContentLoaded', begin);
    else begin();

    return {
      flush() {
        if (!done && observer) records(observer.takeRecords());
        else if (!done) begin(); // A sign-in before the page finished parsing.
        return done;
      },
      stop,
    };
  }

  ns.detector = { watch };

  // Only whether the global is there: in Chromium the first use of `chrome.runtime` in a
  // page's content-script world costs about 2 ms of script (measured here), so it waits
  // for a field.
  if (!(root.browser || root.chrome) || !root.document) {
    return; // Not in an extension (the unit tests): the rules and watch() only.
  }
  startInBrowser(root.document);

  function startInBrowser(doc) {
    let loading = null; // The promise of the rest being injected into this frame.
    let early = null; // {matches, url}: the matches asked for when the form was found.
    let events = []; // Submits, clicks and Enter keys while the rest loads, with the values then.
    let lastEditable = null; // The field the context menu was opened on (for pa-command).
    let handedOver = false;

    function send(message) {
      const browserApi = root.browser ?? root.chrome;
      return browserApi.runtime.sendMessage(message).then(
        (reply) => reply ?? { error: { message: browserApi.i18n.getMessage('pageNoAnswer') || 'pageNoAnswer' } },
        (error) => ({ error: { message: String(error?.message ?? error) } }),
      );
    }

    let watcher = null;
    function load() {
      if (!loading) {
        const request = send({ type: 'page.load' }).then((reply) => {
          if (reply.error || !ns.started) throw new Error(reply.error?.message ?? 'PassAgent did not load its page scripts.');
        });
        // Not loaded: nothing is kept meanwhile (a prompt or command still loads it).
        request.catch(() => {
          if (loading === request) loading = null;
          events = [];
        });
        loading = request;
        doc.addEventListener('keydown', onKey, true);
        doc.addEventListener('click', onClick, true);
      }
      return loading;
    }

    // A sign-in may come in the moment the rest is still on its way: kept with the values
    // the fields had then, and handed to capture.js, which decides as if it had seen it.
    function keep(event) {
      if (!loading || handedOver) return;
      const values = new Map();
      for (const el of doc.getElementsByTagName('input')) values.set(el, el.value);
      events.push({ event, values });
    }
    // Before the detector has woken, a submit makes it look once more first: a form
    // added and submitted in one task, or submitted before DOMContentLoaded.
    const onSubmit = (event) => {
      if (loading || watcher.flush()) keep(event);
    };
    const onKey = (event) => {
      if (event.key === 'Enter') keep(event);
    };
    const onClick = (event) => keep(event);
    const onMenu = (event) => {
      if (event.isTrusted) lastEditable = event.target?.closest?.('input, textarea, [contenteditable]') ?? null;
    };
    doc.addEventListener('submit', onSubmit, true);
    doc.addEventListener('contextmenu', onMenu, true);

    /** main.js, as it starts: what was asked and seen before it was there. */
    function handOver() {
      handedOver = true;
      watcher.stop(); // main.js watches the page from now on (it may come without a field: a prompt).
      doc.removeEventListener('submit', onSubmit, true);
      doc.removeEventListener('keydown', onKey, true);
      doc.removeEventListener('click', onClick, true);
      const given = { early, events };
      early = null;
      events = [];
      return given;
    }

    ns.detector = { watch, handOver, lastEditable: () => lastEditable };
    watcher = watch(doc, () => {
      early = { matches: send({ type: 'page.matches' }), url: root.location.href };
      load();
    });
  }
})(globalThis);
