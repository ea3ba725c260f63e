// SPDX-License-Identifier: MIT
// Wires detection, the chooser and filling to the background. This script never sees a
// password until the person chooses a login, never keeps one, and never tells the
// background which URL it is on: the background reads that from the browser.
(function startContent(root) {
  'use strict';
  const ns = (root.PassAgent = root.PassAgent || {});
  if (ns.started) {
    return;
  }
  ns.started = true;
  const api = root.browser ?? root.chrome;
  const doc = root.document;

  // Only the top page and frames of its own origin. The background checks it again.
  try {
    if (root.top !== root && root.top.location.origin !== root.location.origin) {
      return;
    }
  } catch {
    return; // Cross-origin parent: reading its location throws.
  }

  const watched = new WeakSet();
  let targets = [];
  let answer = null; // {state, matches, remembered} for this URL; no secrets in it.
  let answerUrl = null;
  let asking = null;
  // While a chosen login is being filled: the chooser's refocus and the fill's own focus
  // moves must not open the list again over the form the person is about to submit.
  let choosing = false;

  function send(message) {
    return api.runtime.sendMessage(message).then(
      (reply) => reply ?? { error: { message: 'PassAgent did not answer.' } },
      (error) => ({ error: { message: String(error?.message ?? error) } }),
    );
  }

  async function matches() {
    if (answer && answerUrl === root.location.href) return answer;
    if (!asking) {
      asking = send({ type: 'page.matches' }).then((reply) => {
        answer = reply;
        answerUrl = root.location.href;
        asking = null;
        return reply;
      });
    }
    return asking;
  }

  function targetFor(field) {
    return targets.find((t) => t.username === field || t.password === field || (t.otp && t.otp.includes(field)));
  }

  function orderMatches(list, remembered) {
    if (!remembered) return list;
    const first = list.filter((m) => m.id === remembered.id && m.account === remembered.account);
    return first.concat(list.filter((m) => !first.includes(m)));
  }

  async function offer(field) {
    const target = targetFor(field);
    if (!target) return;
    const reply = await matches();
    if (choosing) return;
    if (root.document.activeElement !== field && !(ns.chooser.isOpen() && ns.chooser.anchor() === field)) {
      return; // The person moved on.
    }
    if (reply.error) {
      ns.chooser.open({ anchor: field, notice: reply.error.message });
      return;
    }
    if (!reply.state?.unlocked) {
      // Signed out: stay quiet on every login form of the web. Locked: say how to unlock.
      if (reply.state?.loggedIn) {
        ns.chooser.open({ anchor: field, notice: 'PassAgent is locked. Unlock it from its toolbar button to fill this page.' });
      }
      return;
    }
    let list = orderMatches(reply.matches ?? [], reply.remembered);
    if (target.kind === 'otp') list = list.filter((m) => m.hasTotp);
    if (!list.length) return;
    ns.chooser.open({
      anchor: field,
      title: target.kind === 'otp' ? 'PassAgent: fill the one-time code' : 'PassAgent: fill this login',
      items: list.map((m) => ({ label: m.name || m.website, sublabel: [m.username, m.shared ? 'shared with you' : ''].filter(Boolean).join(' · ') })),
      onChoose: (index) => choose(target, list[index], field),
    });
  }

  async function choose(target, match, field) {
    const request = { id: match.id, account: match.account };
    let reply;
    choosing = true;
    try {
      if (target.kind === 'otp') {
        reply = await send({ type: 'page.fillTotp', ...request });
        if (!reply.error) ns.fill.fillOtp(target, reply.code);
      } else {
        const fields = [];
        if (target.username) fields.push('username');
        if (target.password) fields.push('password');
        reply = await send({ type: 'page.fill', ...request, fields });
        if (!reply.error) ns.fill.fillLogin(target, reply);
        reply.password = null; // Drop our only reference at once.
      }
    } finally {
      choosing = false;
    }
    if (reply.error) {
      ns.chooser.open({ anchor: field, notice: reply.error.message });
    }
  }

  function onFocus(event) {
    if (choosing) return;
    offer(event.target);
  }

  function scan() {
    targets = ns.forms.findTargets(doc);
    const found = [];
    for (const target of targets) {
      for (const field of [target.username, target.password, ...(target.otp || [])]) {
        if (field && !watched.has(field)) {
          watched.add(field);
          field.addEventListener('focus', onFocus);
          found.push(field);
        }
      }
    }
    // A field that had focus before it was found (autofocus, a form drawn by script) gets
    // the offer its focus event would have made. Only then: after a fill or an Escape the
    // focused field must not get the list again on every change of the page.
    const active = doc.activeElement;
    if (active && found.includes(active) && !choosing && !ns.chooser.isOpen()) {
      offer(active);
    }
  }

  let pending = null;
  const observer = new root.MutationObserver(() => {
    if (pending) return;
    pending = root.setTimeout(() => {
      pending = null;
      if (answerUrl !== root.location.href) answer = null; // Single-page apps change URL in place.
      scan();
    }, 200);
  });
  observer.observe(doc.documentElement, { childList: true, subtree: true, attributes: true, attributeFilter: ['type', 'style', 'class', 'hidden', 'disabled'] });

  api.runtime.onMessage.addListener((message) => {
    if (message?.type !== 'pa-state') return;
    answer = null; // Locked, unlocked, signed out: ask again when a field gets focus.
    if (!message.state?.unlocked) ns.chooser.close();
  });

  scan();
})(globalThis);
