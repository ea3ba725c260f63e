// SPDX-License-Identifier: MIT
// The one content script the manifest puts in every frame of every page, at
// document_start. It watches for a field PassAgent could fill or capture (a password,
// a one-time code, a username of an identifier-first step) and only then asks the
// background to inject the rest (forms.js … main.js) into this frame, asking for the
// page's matches at the same time so they are there before the person reaches the form.
// On a page without such a field it costs a MutationObserver that looks at added
// elements only, four capture listeners that return at once and, in the top frame, one
// page.ready message (a sign-in on the page before may want its Save prompt here).
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

  ns.fields = { TEXTUAL_TYPES, SPLIT_OTP_MIN, hints, autocompleteTokens, isTextual, isPasswordField, isOtpField, isUsernameCandidate, usernameScore, isSplitOtpBox, wakes };

  /**
   * Watches `doc` until it holds an input that wakes the rest, then calls found() once
   * and stops. Added elements are looked at once each (and a `type` that changes, the
   * text field that becomes a password); textual fields seen while the parser is still
   * running are looked at again at DOMContentLoaded, when their labels are there.
   * @returns {{flush: () => boolean, stop: () => void}} flush: handle what is queued now
   */
  function watch(doc, found) {
    const view = doc.defaultView;
    let done = false;
    let later = []; // Textual fields parsed before their labels.

    function check(el) {
      if (done || el.localName !== 'input') return;
      if (wakes(el)) {
        stop();
        found(el);
      } else if (doc.readyState === 'loading' && isTextual(el)) {
        later.push(el);
      }
    }

    function added(node) {
      if (node.nodeType !== 1) return;
      if (node.localName === 'input') {
        check(node);
      } else if (node.firstElementChild) {
        // A subtree added by script (the parser adds one element at a time).
        for (const el of node.getElementsByTagName('input')) {
          check(el);
          if (done) return;
        }
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

    const observer = new view.MutationObserver(records);
    observer.observe(doc, { childList: true, subtree: true, attributes: true, attributeFilter: ['type'] });

    function parsed() {
      const queued = later;
      later = [];
      for (const el of queued) {
        if (el.isConnected) check(el);
      }
    }
    if (doc.readyState === 'loading') doc.addEventListener('DOMContentLoaded', parsed, { once: true });

    function stop() {
      done = true;
      later = [];
      observer.disconnect();
      doc.removeEventListener('DOMContentLoaded', parsed);
    }

    for (const el of doc.getElementsByTagName('input')) {
      check(el);
      if (done) break;
    }

    return {
      /** Handles the mutations not delivered yet (a form added and submitted in one task). */
      flush() {
        if (!done) records(observer.takeRecords());
        return done;
      },
      stop,
    };
  }

  ns.detector = { watch };

  const api = root.browser ?? root.chrome;
  if (!api?.runtime?.id || !root.document) {
    return; // Not in an extension (the unit tests): the rules and watch() only.
  }
  startInBrowser(api, root.document);

  function startInBrowser(browserApi, doc) {
    // Firefox runs content scripts in a sandbox whose global is not the window itself.
    const isTop = root.window.parent === root.window;
    let loading = null; // The promise of the rest being injected into this frame.
    let early = null; // {matches, url}: the matches asked for when the form was found.
    let events = []; // Submits, clicks and Enter keys while the rest loads, with the values then.
    let lastEditable = null; // The field the context menu was opened on (for pa-command).
    let handedOver = false;

    function send(message) {
      return browserApi.runtime.sendMessage(message).then(
        (reply) => reply ?? { error: { message: 'PassAgent did not answer.' } },
        (error) => ({ error: { message: String(error?.message ?? error) } }),
      );
    }

    let watcher = null;
    function load() {
      if (!loading) {
        watcher?.stop();
        const request = send({ type: 'page.load' }).then((reply) => {
          if (reply.error || !ns.started) throw new Error(reply.error?.message ?? 'PassAgent did not load its page scripts.');
        });
        // Not loaded: nothing is kept meanwhile, and the next prompt or command asks again.
        request.catch(() => {
          if (loading === request) loading = null;
          events = [];
        });
        loading = request;
      }
      return loading;
    }

    watcher = watch(doc, () => {
      early = { matches: send({ type: 'page.matches' }), url: root.location.href };
      load();
    });

    // A sign-in may come in the moment the rest is still on its way: kept with the values
    // the fields had then, and handed to capture.js, which decides as if it had seen it.
    function keep(event) {
      if (!loading || handedOver) return;
      const values = new Map();
      for (const el of doc.getElementsByTagName('input')) values.set(el, el.value);
      events.push({ event, values });
    }
    const onSubmit = (event) => {
      if (!loading && !watcher.flush()) return; // A form added and submitted in one task.
      keep(event);
    };
    const onKey = (event) => {
      if (loading && event.key === 'Enter') keep(event);
    };
    const onClick = (event) => {
      if (loading) keep(event);
    };
    const onMenu = (event) => {
      if (event.isTrusted) lastEditable = event.target?.closest?.('input, textarea, [contenteditable]') ?? null;
    };
    doc.addEventListener('submit', onSubmit, true);
    doc.addEventListener('keydown', onKey, true);
    doc.addEventListener('click', onClick, true);
    doc.addEventListener('contextmenu', onMenu, true);

    /** main.js, as it starts: what was asked and seen before it was there. */
    function handOver() {
      handedOver = true;
      doc.removeEventListener('submit', onSubmit, true);
      doc.removeEventListener('keydown', onKey, true);
      doc.removeEventListener('click', onClick, true);
      const given = { early, events };
      early = null;
      events = [];
      return given;
    }

    // Before the rest is there, the background may still ask for it: a Save prompt for a
    // sign-in of the page before, a shortcut, a context menu. State changes make an
    // early answer stale. Once main.js runs it answers everything itself.
    browserApi.runtime.onMessage.addListener((message) => {
      if (ns.started) return undefined;
      switch (message?.type) {
        case 'pa-state':
        case 'pa-frame-allowed':
          early = null;
          break;
        case 'pa-prompt':
        case 'pa-command':
          load().then(() => ns.handleMessage(message, () => {}), () => {});
          break;
        default:
      }
      return undefined;
    });

    /** The top frame, once parsed: a sign-in of the page before may wait for its answer. */
    async function ready() {
      let passwordFieldShown = false;
      if (loading) {
        await loading.catch(() => {});
        passwordFieldShown = Boolean(ns.forms?.findTargets(doc).some((t) => t.password));
      }
      const reply = await send({ type: 'page.ready', passwordFieldShown });
      if (!reply?.prompt) return;
      await load();
      ns.handleMessage({ type: 'pa-prompt', kind: reply.prompt, nonce: reply.nonce }, () => {});
    }
    if (isTop) {
      if (doc.readyState === 'loading') doc.addEventListener('DOMContentLoaded', () => ready().catch(() => {}), { once: true });
      else ready().catch(() => {});
    }

    ns.detector = { watch, handOver, lastEditable: () => lastEditable };
  }
})(globalThis);
