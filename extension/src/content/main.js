// SPDX-License-Identifier: MIT
// Injected by the background into a frame where detector.js found a field, or that
// needs it (a Save prompt, a shortcut, a context menu); takes over what the detector
// asked and saw meanwhile. Wires detection, the chooser, the generator, sign-in capture and filling
// to the background. This script never sees a password until the person chooses a
// login (or asks for a generated one), never keeps one, and never tells the background
// which URL it is on: the background reads that from the browser, and decides whether
// this frame may be filled at all (a frame of another origin than the tab's only when
// the person allowed that pair of sites).
(function startContent(root) {
  'use strict';
  const ns = (root.PassAgent = root.PassAgent || {});
  if (ns.started) {
    return;
  }
  ns.started = true;
  const api = root.browser ?? root.chrome;
  // The words of _locales (content scripts cannot import shared/i18n.js); the key itself if missing.
  const t = (key, ...subs) => api.i18n.getMessage(key, subs.map(String)) || key;
  const doc = root.document;
  // Firefox runs content scripts in a sandbox whose global is not the window itself.
  const isTop = root.window.parent === root.window;

  const watched = new WeakSet();
  let targets = [];
  let creators = []; // Sign-up and change-password forms: where a generated password helps.
  let answer = null; // {state, matches, remembered, frame} for this URL; no secrets in it.
  let answerUrl = null;
  let asking = null;
  let generation = 0;
  const filled = new WeakSet(); // Fields PassAgent filled: their focus coming back (window focus, a menu closing) offers nothing; a click does.
  // What the detector asked and saw before this script ran (absent in a frame it did not run in).
  const given = ns.detector?.handOver?.() ?? { early: null, events: [] };
  const lastEditable = () => ns.detector?.lastEditable?.() ?? null; // The field the context menu was opened on.
  let frameAsked = false; // This frame asked to be allowed: no notice again until the answer.
  // While a chosen login is being filled: the chooser's refocus and the fill's own focus
  // moves must not open the list again over the form the person is about to submit.
  let choosing = false;
  // The field the person last pointed at or tabbed to (trusted input only). The chooser
  // opens for that field alone: a focus the page's script sets opens nothing, so a page
  // cannot open the list under a decoy the person is about to click.
  let gestureField = null;
  let tabbedAt = -Infinity;

  function send(message) {
    return api.runtime.sendMessage(message).then(
      (reply) => reply ?? { error: { message: t('pageNoAnswer') } },
      (error) => ({ error: { message: String(error?.message ?? error) } }),
    );
  }

  /**
   * Takes the answer to a page.matches asked for `url` here, or `early` by the detector:
   * a state change before this script listened went unheard, so an early "locked" is
   * asked again.
   */
  function awaitMatches(reply, url, { early = false } = {}) {
    const asked = generation;
    const request = reply.then((answered) => {
      if (asking === request) asking = null;
      // The state changed meanwhile: this answer is stale.
      if (asked !== generation || (early && !answered.state?.unlocked && !answered.frame)) return matches();
      answer = answered;
      answerUrl = url;
      showMarks();
      return answered;
    });
    asking = request;
    return request;
  }

  /** The answer for the URL this frame shows now, if there is one. */
  const currentAnswer = () => (answer && answerUrl === root.location.href ? answer : null);

  async function matches() {
    return currentAnswer() ?? asking ?? awaitMatches(send({ type: 'page.matches' }), root.location.href);
  }
  if (given.early) awaitMatches(given.early.matches, given.early.url, { early: true });

  /**
   * The fields the PassAgent mark goes on: the first field of each login form, and the
   * first box of a one-time code, each with whether it is the code's.
   */
  function markFields() {
    return targets.map((target) => ({ field: target.username ?? target.password ?? target.otp?.[0], otp: target.kind === 'otp' })).filter((m) => m.field);
  }

  /**
   * The PassAgent mark (mark.js) on each login field while this page's answer has logins
   * (on a one-time-code field: logins with a code), none otherwise (signed out, locked, a
   * frame not allowed, nothing for this page).
   */
  function showMarks(fields = markFields()) {
    const current = currentAnswer();
    const logins = current && !current.error && current.state?.unlocked && !current.frame?.blocked ? (current.matches ?? []) : [];
    const codes = logins.filter((m) => m.hasTotp).length;
    const marks = logins.length ? fields.filter((m) => (m.otp ? codes : logins.length) > 0) : [];
    ns.mark.keepOnly(marks.map((m) => m.field));
    for (const { field, otp } of marks) {
      const count = otp ? codes : logins.length;
      const label = otp ? (count === 1 ? t('markCodeOne') : t('markCodeMany', count)) : count === 1 ? t('markOne') : t('markMany', count);
      ns.mark.show(field, { count, label, onOpen: openFromMark });
    }
  }

  /** The page's answer asked for, if it has a field to mark and none is known or on its way. */
  function askForMarks() {
    const fields = markFields();
    if (!fields.length) return;
    if (currentAnswer()) showMarks(fields);
    else matches();
  }

  /** A click on a field's mark: what a click in the field does (the mark keeps the field's focus). */
  function openFromMark(field) {
    if (choosing) return;
    if (ns.chooser.isOpen() && ns.chooser.anchor() === field) {
      ns.chooser.close({ refocus: true });
      return;
    }
    gestureField = field;
    // A field not focused gets the offer from its focus event; a focused or filled one (whose
    // focus coming back offers nothing) from here.
    const byFocus = doc.activeElement !== field && !filled.has(field);
    field.focus();
    if (!byFocus) offer(field);
  }

  /** Locked, unlocked, a frame allowed: answers asked before are stale. */
  function forgetAnswer() {
    generation += 1;
    answer = null;
    asking = null;
  }

  function targetFor(field) {
    return targets.find((t) => t.username === field || t.password === field || (t.otp && t.otp.includes(field)));
  }

  function creatorFor(field) {
    return creators.find((c) => c.fresh.includes(field));
  }

  function orderMatches(list, remembered) {
    if (!remembered) return list;
    const first = list.filter((m) => m.id === remembered.id && m.account === remembered.account);
    return first.concat(list.filter((m) => !first.includes(m)));
  }

  function label(m) {
    return { label: m.name || m.website, sublabel: [m.username, m.accountLabel, m.shared ? t('chooserSharedWithYou') : ''].filter(Boolean).join(' · ') };
  }

  function stillThere(field) {
    return root.document.activeElement === field || (ns.chooser.isOpen() && ns.chooser.anchor() === field);
  }

  /** Says why nothing can be filled here, or returns false when the list may be shown. */
  function explain(field, reply) {
    if (reply.error) {
      ns.chooser.open({ anchor: field, notice: reply.error.message });
      return true;
    }
    if (reply.frame?.blocked) {
      // Quiet unless the vault has logins for this frame's site, and once asked.
      if (reply.frame.matches > 0 && !frameAsked) {
        ns.chooser.open({
          anchor: field,
          title: t('chooserFrameTitle'),
          items: [{
            label: t('chooserFrameAllow'),
            sublabel: t('chooserFrameAllowDetail', reply.frame.frameSite, reply.frame.topSite),
          }],
          onChoose: () => {
            frameAsked = true;
            send({ type: 'page.askFrame' });
          },
        });
      }
      return true;
    }
    if (!reply.state?.unlocked) {
      // Signed out: stay quiet on every login form of the web. Locked: say how to unlock.
      if (reply.state?.loggedIn) {
        ns.chooser.open({ anchor: field, notice: t('chooserLocked') });
      }
      return true;
    }
    return false;
  }

  async function offer(field, { kind, given } = {}) {
    const creator = given ? null : creatorFor(field);
    const target = given ?? targetFor(field);
    if (!target && !creator) return;
    const reply = await matches();
    if (choosing || !stillThere(field)) return; // The person moved on.
    if (explain(field, reply)) return;
    if (creator && !target) {
      offerGenerated(field, creator);
      return;
    }
    const otp = target.kind === 'otp' || kind === 'otp';
    let list = orderMatches(reply.matches ?? [], reply.remembered);
    if (otp) list = list.filter((m) => m.hasTotp);
    if (!list.length) return;
    const chosen = kind === 'otp' ? { ...target, kind: 'otp', otp: target.otp ?? [field] } : target;
    ns.chooser.open({
      anchor: field,
      title: otp ? t('chooserFillTotp') : t('chooserFillLogin'),
      items: list.map(label),
      checkFields: () => exposedOrWhy(chosen),
      onChoose: (index, fieldsRefused) => choose(chosen, list[index], field, fieldsRefused),
      refocus: false, // The fill focuses its fields; choose() gives the focus back when it fills nothing.
    });
    // The pick's page.fill goes on a port opened now, while the list is shown, rather than
    // on a message channel opened at the pick. Only the request travels early: the
    // background asks the host for the password at the pick, as before.
    if (!otp) ns.pickPort.open();
  }

  /** On a new-password field: a generated password, or the one made for this tab earlier. */
  async function offerGenerated(field, creator) {
    const kept = await send({ type: 'page.generated' });
    if (choosing || !stillThere(field) || kept.error) return;
    const items = [];
    const actions = [];
    if (kept.kept) {
      items.push({ label: t('chooserKept'), sublabel: t('chooserKeptDetail', new Date(kept.kept.at).toLocaleTimeString()) });
      actions.push({ reuse: true });
    }
    items.push({ label: t('chooserStrong'), sublabel: t('chooserStrongDetail') });
    actions.push({ reuse: false });
    items.push({ label: t('chooserMemorable'), sublabel: t('chooserMemorableDetail') });
    actions.push({ reuse: false, preset: 'memorable' });
    ns.chooser.open({
      anchor: field,
      title: t('chooserNewPassword'),
      items,
      onChoose: (index) => fillGenerated(creator.fresh, field, actions[index]),
    });
  }

  async function fillGenerated(fields, anchor, { reuse = false, preset } = {}) {
    choosing = true;
    ns.chooser.close(); // Opened by the focus a context menu gave the field: answered now.
    let reply;
    try {
      reply = await send({ type: 'page.generate', reuse, ...(preset ? { preset } : {}) });
      if (!reply.error) {
        for (const el of fields) {
          if (ns.fill.setValue(el, reply.password)) filled.add(el);
        }
      }
      reply.password = null;
    } finally {
      choosing = false;
    }
    if (reply.error) ns.chooser.open({ anchor, notice: reply.error.message });
  }

  /** Why a field the target would fill is not fully visible (see guard.js), or null. */
  function exposedOrWhy(target) {
    const fields = target.kind === 'otp' ? target.otp : [target.username, target.password];
    return ns.guard.fieldsRefused(fields.filter(Boolean));
  }

  /** The focus back on the field a fill came from, while `choosing` (so it opens no list). */
  function refocus(field) {
    if (field?.isConnected && doc.activeElement !== field) field.focus();
  }

  /** `fieldsRefused`: the chooser's check of the target's fields at the pick (else made here). */
  async function choose(target, match, field, fieldsRefused) {
    const request = { id: match.id, account: match.account };
    let reply;
    choosing = true;
    ns.chooser.close();
    // WARNING: a field the person cannot fully see is how a page steals a fill: nothing
    // is asked of the host, so no password ever reaches this page.
    const hidden = fieldsRefused !== undefined ? fieldsRefused : exposedOrWhy(target);
    if (hidden) {
      refocus(field);
      choosing = false;
      doc.documentElement.setAttribute('data-passagent-refused', hidden);
      ns.chooser.open({ anchor: field, notice: t('chooserFieldHidden') });
      return;
    }
    try {
      if (target.kind === 'otp') {
        reply = await send({ type: 'page.fillTotp', ...request });
        if (!reply.error && ns.fill.fillOtp(target, reply.code)) target.otp.forEach((el) => filled.add(el));
      } else {
        const fields = [];
        if (target.username) fields.push('username');
        if (target.password) fields.push('password');
        const asked = ns.pickPort.send({ type: 'page.fill', ...request, fields });
        // While the background answers: the focus on the first field, where the fill puts
        // it first, so that its focus events are not on the way from the answer to the fill.
        refocus(target.username ?? target.password);
        reply = await asked;
        if (!reply.error && ns.fill.fillLogin(target, reply)) [target.username, target.password].forEach((el) => el && filled.add(el));
        reply.password = null; // Drop our only reference at once.
      }
    } finally {
      if (!reply || reply.error) refocus(field);
      choosing = false;
      ns.pickPort.close();
    }
    if (reply.error) {
      ns.chooser.open({ anchor: field, notice: reply.error.message });
    }
  }

  function onFocus(event) {
    if (choosing || filled.has(event.target)) return;
    if (event.target !== gestureField) {
      // Focus by Tab (or Shift+Tab) the person just pressed counts as their gesture.
      if (root.performance.now() - tabbedAt > 1000) return;
      gestureField = event.target;
    }
    offer(event.target);
  }

  // A click on the field that already has focus (no focus event comes) opens the list
  // the person closed, or the one that could not open when the field got focus.
  function onClick(event) {
    if (event.isTrusted) gestureField = event.target;
    if (!event.isTrusted || choosing || (ns.chooser.isOpen() && ns.chooser.anchor() === event.target)) return;
    offer(event.target);
  }

  function watch(field, found) {
    if (field && !watched.has(field)) {
      watched.add(field);
      field.addEventListener('focus', onFocus);
      field.addEventListener('click', onClick);
      found.push(field);
    }
  }

  /**
   * The focused field, if it is one of ours and no list is shown for it yet; with
   * `replace`, also when one is (it said "locked" and the matches have come since).
   */
  function offerToFocused(candidates, { replace = false } = {}) {
    const active = doc.activeElement;
    const shown = ns.chooser.isOpen() && !(replace && ns.chooser.anchor() === active);
    if (active && active === gestureField && watched.has(active) && !filled.has(active) && (!candidates || candidates.includes(active)) && !choosing && !shown) {
      offer(active);
    }
  }

  function scan() {
    targets = ns.forms.findTargets(doc);
    creators = ns.forms.findNewPasswordForms(doc);
    const found = [];
    for (const target of targets) {
      for (const field of [target.username, target.password, ...(target.otp || [])]) watch(field, found);
    }
    for (const creator of creators) creator.fresh.forEach((field) => watch(field, found));
    askForMarks();
    // A field that had focus before it was found (autofocus, a form drawn by script) gets
    // the offer its focus event would have made. Only then: after a fill or an Escape the
    // focused field must not get the list again on every change of the page.
    offerToFocused(found);
  }

  let pending = null;
  // The marks' own moves (mark.js) are not the page's changes.
  const ours = (record) => ns.mark.owns(record.target)
    || (record.type === 'childList' && [...record.addedNodes, ...record.removedNodes].every((node) => node.localName === 'passagent-mark'));
  const observer = new root.MutationObserver((records) => {
    if (pending || records.every(ours)) return;
    pending = root.setTimeout(() => {
      pending = null;
      if (answerUrl !== root.location.href) answer = null; // Single-page apps change URL in place.
      scan();
    }, 200);
  });
  observer.observe(doc.documentElement, { childList: true, subtree: true, attributes: true, attributeFilter: ['type', 'style', 'class', 'hidden', 'disabled'] });

  // Capture phase: the page cannot stop these before we see them, and sees nothing of it.
  doc.addEventListener('pointerdown', (event) => {
    if (!event.isTrusted) return;
    const field = event.composedPath().find((el) => watched.has(el));
    gestureField = field ?? null;
  }, true);
  doc.addEventListener('keydown', (event) => {
    if (event.isTrusted && event.key === 'Tab') tabbedAt = root.performance.now();
  }, true);

  /** Fill a login (or its TOTP) picked outside the page: the shortcut, or a context menu on a field. */
  async function fillFromCommand({ command, fromMenu, id, account, pick }) {
    const field = fromMenu ? lastEditable() : null;
    if (command === 'generate') {
      const el = lastEditable();
      if (!el) return;
      const creator = creatorFor(el) ?? ns.forms.findNewPasswordForms(doc).find((c) => c.fresh.includes(el));
      await fillGenerated(creator ? creator.fresh : [el], el);
      return;
    }
    targets = ns.forms.findTargets(doc);
    const otp = command === 'fill-totp';
    let target = field ? targetFor(field) : targets.find((t) => (otp ? t.kind === 'otp' : t.kind !== 'otp'));
    if (!target && field) {
      // A field the detector did not take for a login one: fill it alone.
      target = otp ? { kind: 'otp', otp: [field] }
        : ns.forms.isPasswordField(field) ? { kind: 'password', password: field } : { kind: 'username', username: field };
    }
    if (!target) return;
    const anchor = field ?? target.username ?? target.password ?? target.otp?.[0];
    if (pick || !id) {
      anchor.focus();
      forgetAnswer();
      await offer(anchor, { kind: otp ? 'otp' : undefined, given: target });
      return;
    }
    await choose(otp ? { ...target, kind: 'otp', otp: target.otp ?? [anchor] } : target, { id, account }, anchor);
  }

  api.runtime.onMessage.addListener((message, _sender, sendResponse) => {
    switch (message?.type) {
      case 'pa-state':
        forgetAnswer(); // Locked, unlocked, signed out: ask again.
        if (!message.state?.unlocked) {
          ns.chooser.close();
          ns.mark.keepOnly([]);
          if (isTop) ns.promptFrame.close(); // Its offer was wiped with the lock.
        } else {
          offerToFocused(null, { replace: true }); // The matches arrive after the field got focus: offer them now.
          askForMarks();
        }
        break;
      case 'pa-prompt':
        if (isTop) ns.promptFrame.show(message.kind, message.nonce);
        break;
      case 'pa-prompt-guard':
        // The background asks before a Save, Update, Never or Allow counts: the frame this
        // script placed was in full view where the person clicked.
        if (!isTop) return undefined;
        sendResponse({ refused: ns.promptFrame.refused(message.x, message.y) });
        return undefined;
      case 'pa-prompt-close':
        if (isTop) ns.promptFrame.close();
        break;
      case 'pa-frame-allowed':
        forgetAnswer();
        frameAsked = false;
        offerToFocused(null, { replace: true });
        askForMarks();
        break;
      case 'pa-command':
        fillFromCommand(message);
        break;
      default:
    }
    return undefined;
  });

  ns.capture.start({
    doc,
    onAttempt: (attempt, confirmed) => send({ type: 'page.submitted', attempt, confirmed }),
    early: given.events,
  });

  scan();
  if (isTop) {
    // After a navigation: a sign-in of the page before may wait for its answer. Asked
    // once the page is parsed (this script may come while it is): is the form shown again?
    const ready = () => send({ type: 'page.ready', passwordFieldShown: ns.forms.findTargets(doc).some((t) => t.password) }).then((reply) => {
      if (reply?.prompt) ns.promptFrame.show(reply.prompt, reply.nonce);
    });
    if (doc.readyState === 'loading') doc.addEventListener('DOMContentLoaded', ready, { once: true });
    else ready();
  }
})(globalThis);
