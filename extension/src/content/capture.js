// SPDX-License-Identifier: MIT
// Notices when the person signs in, signs up or changes a password, so PassAgent can
// offer to save or update the login. A sign-in counts when a form is submitted (and not
// stopped by the page), or when a click on its button or Enter in one of its fields is
// followed by a navigation, by the password field going away, or by a change of URL
// (script-driven sign-ins that post with fetch/XHR). Nothing is kept here: each attempt
// goes to the background at once, which decides and keeps it where the page cannot read.
(function registerCapture(root) {
  'use strict';
  const ns = (root.PassAgent = root.PassAgent || {});
  if (ns.capture) {
    return;
  }

  const SETTLE_MS = 10_000; // How long after a click a vanished field or a new URL still counts.
  const BUTTONISH = 'button, input[type="submit"], input[type="button"], input[type="image"], [role="button"], a';

  /**
   * What a form holds right now: a login, a sign-up or a password change, or null.
   * @param {Element|Document|null} scope a form, the document (fields outside forms), or null for any
   * @param {{fieldValue?: (el: HTMLInputElement) => string}} [options] fieldValue: the values the
   *   fields had when an event came that is handled only now (detector.js)
   */
  function read(doc, scope, options = {}) {
    const value = options.fieldValue ?? ((el) => el.value);
    const changes = ns.forms.findNewPasswordForms(doc, options).filter((f) => scope === null || f.scope === scope);
    for (const form of changes) {
      const [fresh, confirm] = form.fresh;
      const password = value(fresh);
      if (!password || (confirm && value(confirm) !== password)) continue; // Confirmation differs: the page will refuse it.
      return {
        kind: form.kind,
        username: form.username ? value(form.username).trim() : '',
        password,
        current: form.current ? value(form.current) : '',
        field: fresh,
      };
    }
    const logins = ns.forms.findTargets(doc, options).filter((t) => (scope === null || t.scope === scope) && t.kind !== 'otp');
    for (const target of logins) {
      const username = target.username ? value(target.username).trim() : '';
      if (target.password && value(target.password)) {
        return { kind: 'login', username, password: value(target.password), current: '', field: target.password };
      }
      if (target.kind === 'username' && username) {
        return { kind: 'username', username, password: '', current: '', field: target.username };
      }
    }
    return null;
  }

  function scopeOf(el) {
    return el?.form ?? el?.closest?.('form') ?? null;
  }

  /**
   * @param {{doc: Document, onAttempt: (attempt: object, confirmed: boolean) => void,
   *   early?: Array<{event: Event, values: Map<HTMLInputElement, string>}>}} spec
   *   onAttempt is called with the values and whether the sign-in surely went ahead;
   *   early: submits, clicks and keys the detector kept while this script was loading,
   *   with the values the fields had then: handled now, as if seen then;
   *   options: for read() (`layout: false` in jsdom)
   */
  function start({ doc, onAttempt, early = [], options = {} }) {
    const view = doc.defaultView;
    let pending = null; // {attempt, field, url, at}: a click or Enter whose outcome is not known yet.
    let timer = null;

    function strip(attempt) {
      const { field, ...values } = attempt;
      return values;
    }

    function confirm() {
      if (!pending) return;
      const { attempt } = pending;
      pending = null;
      view.clearInterval(timer);
      timer = null;
      onAttempt(strip(attempt), true);
    }

    function watch(attempt) {
      pending = { attempt, field: attempt.field, url: view.location.href, at: Date.now() };
      onAttempt(strip(attempt), false); // The background keeps it in case a navigation follows.
      view.clearInterval(timer);
      timer = view.setInterval(() => {
        if (!pending) return;
        if (Date.now() - pending.at > SETTLE_MS) {
          pending = null;
          view.clearInterval(timer);
          return;
        }
        const gone = !pending.field.isConnected || !ns.forms.isFieldVisible(pending.field);
        if (gone || view.location.href !== pending.url) confirm();
      }, 250);
    }

    const live = options;

    function onSubmit(event, options = live) {
      const attempt = read(doc, event.target instanceof view.HTMLFormElement ? event.target : null, options);
      if (!attempt) return;
      // Listeners of the page run after ours; only afterwards is it known whether one
      // stopped the submission (a script-driven sign-in, or a form that found an error).
      view.setTimeout(() => {
        if (event.defaultPrevented) {
          watch(attempt);
        } else {
          pending = { attempt };
          confirm();
        }
      }, 0);
    }

    function onClick(event, options = live) {
      if (!event.isTrusted) return;
      const button = event.target?.closest?.(BUTTONISH);
      if (!button || (button.matches('input') && !['submit', 'button', 'image'].includes(button.type))) return;
      const scope = scopeOf(button);
      const attempt = read(doc, scope, options) ?? (scope ? null : read(doc, doc, options));
      if (attempt) watch(attempt);
    }

    function onKey(event, options = live) {
      if (!event.isTrusted || event.key !== 'Enter' || !(event.target instanceof view.HTMLInputElement)) return;
      const scope = scopeOf(event.target) ?? doc;
      const attempt = read(doc, scope, options);
      if (attempt) watch(attempt);
    }

    const handlers = { submit: onSubmit, click: onClick, keydown: onKey };
    for (const [type, handler] of Object.entries(handlers)) doc.addEventListener(type, (event) => handler(event), true);
    for (const { event, values } of early) {
      handlers[event.type]?.(event, { ...options, fieldValue: (el) => (values.has(el) ? values.get(el) : el.value) });
    }

    view.addEventListener('pagehide', () => {
      if (pending && Date.now() - pending.at <= SETTLE_MS) confirm();
    });
  }

  ns.capture = { start, read };
})(globalThis);
