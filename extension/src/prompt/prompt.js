// SPDX-License-Identifier: MIT
// The prompt the content script shows in an iframe: save or update the login the
// person just used, or allow a frame of another site. It is an extension page, so the
// web page around it can neither read nor click it by script; it speaks only to the
// background, which knows the tab it is in (sender.tab) and keeps the password there.
// It shows anything only to the frame the extension placed (the nonce in its URL), and a
// click on Save, Update, Never or Allow counts only when it passed the click guard here
// (click-guard.js) and in the page around it (content/prompt-frame.js).
import { api } from '../shared/browser-api.js';
import { t, localize } from '../shared/i18n.js';
import { createClickGuard, clickPoint } from './click-guard.js';

const $ = (id) => document.getElementById(id);
const guard = createClickGuard();
let view = null;

function send(message) {
  return api.runtime.sendMessage(message).then(
    (reply) => reply ?? { error: { message: t('promptNoAnswer') } },
    (error) => ({ error: { message: String(error?.message ?? error) } }),
  );
}

function say(text, kind = '') {
  $('message').textContent = text;
  $('message').hidden = !text;
  $('message').className = kind;
}

function option(value, text) {
  const el = document.createElement('option');
  el.value = value;
  el.textContent = text;
  return el;
}

function showOffer(offer) {
  const update = offer.kind === 'update';
  $('title').textContent = t(update ? 'promptUpdateTitle' : 'promptSaveTitle');
  $('lead').textContent = update
    ? t(offer.changed ? 'promptChangeLead' : 'promptUpdateLead', offer.site)
    : t('promptSaveLead', offer.username || t('promptThisUser'), offer.site);
  if (offer.generated) $('lead').textContent += ` ${t('promptGeneratedNote')}`;
  $('site').textContent = offer.site;
  $('username').textContent = offer.username || t('promptNoUsername');
  $('password').textContent = t('promptPasswordLength', '•'.repeat(Math.min(offer.passwordLength, 16)), offer.passwordLength);
  $('name-row').hidden = update;
  $('name').value = offer.site;
  $('account-row').hidden = update || offer.accounts.length === 0;
  $('account').replaceChildren(...offer.accounts.map((a) => option(a.account, a.label)));
  // One account: said in words; several: a choice.
  $('account').hidden = offer.accounts.length < 2;
  $('account-only').hidden = offer.accounts.length !== 1;
  $('account-only').textContent = offer.accounts[0]?.label ?? '';
  $('entry-row').hidden = !update;
  $('entry').replaceChildren(...offer.entries.map((e) => option(`${e.account}\n${e.id}`, t('promptEntryOption', e.name || offer.site, e.username || t('promptEntryNoUsername'), e.accountLabel))));
  // One entry: said in words (it may take two lines); several: a choice.
  $('entry').hidden = offer.entries.length < 2;
  $('entry-only').hidden = offer.entries.length !== 1;
  $('entry-only').textContent = $('entry').selectedOptions[0]?.textContent ?? '';
  $('confirm').textContent = t(update ? 'promptUpdate' : 'promptSave');
  $('view-offer').hidden = false;
  document.body.dataset.state = offer.kind;
  guard.shown();
}

function showFrame(frame) {
  $('title').textContent = t('promptFrameTitle');
  $('frame-lead').textContent = t('promptFrameLead', frame.frameSite, frame.topSite);
  $('view-frame').hidden = false;
  document.body.dataset.state = 'frame';
  guard.shown();
}

async function load() {
  localize(document);
  guard.watch(document.querySelector('main'));
  const params = new URLSearchParams(location.hash.slice(1));
  const kind = params.get('kind');
  view = await send({ type: 'prompt.get', nonce: params.get('nonce') ?? '' });
  if (view.error) {
    say(view.error.message, 'bad');
    document.body.dataset.state = view.error.code === 'PROMPT_NOT_OPENED' ? 'not-opened' : 'error';
  } else if (kind === 'frame' && view.frame) {
    showFrame(view.frame);
  } else if (view.offer) {
    showOffer(view.offer);
  } else if (view.frame) {
    showFrame(view.frame);
  } else {
    say(t('promptNothing'));
    document.body.dataset.state = 'empty';
  }
}

async function act(message, done) {
  for (const b of document.querySelectorAll('button')) b.disabled = true;
  say('');
  const reply = await send(message);
  for (const b of document.querySelectorAll('button')) b.disabled = false;
  if (reply.error) {
    if (reply.error.code === 'CONFLICT') {
      // Nothing more to do here: the rows stay as they were, Update and Never go, Close stays.
      $('confirm').hidden = true;
      $('never').hidden = true;
      $('later').textContent = t('promptClose');
    } else {
      $('details').hidden = true; // Room for the explanation; the question stays.
    }
    say(reply.error.message, 'bad');
    document.body.dataset.state = `error-${reply.error.code ?? 'unknown'}`;
    if (reply.error.reason) document.body.dataset.refused = reply.error.reason;
    return reply;
  }
  if (done) {
    $('view-offer').hidden = true;
    $('view-frame').hidden = true;
    $('title').textContent = t('promptBrand');
    say(done, 'ok');
  }
  document.body.dataset.state = 'done';
  return reply;
}

/** A click that changes something: refused here first when the guard says no, else sent with where it was made. */
function guarded(button, run) {
  button.addEventListener('click', async (event) => {
    const reason = guard.refused(event);
    if (reason) {
      $('details').hidden = true; // Room for the explanation; the question stays.
      document.body.dataset.refused = reason;
      say(t('promptClickRefused'), 'bad');
      return;
    }
    delete document.body.dataset.refused;
    await run(clickPoint(event, button));
  });
}

guarded($('confirm'), async (click) => {
  if (view.offer.kind === 'update') {
    const [account, id] = $('entry').value.split('\n');
    const reply = await act({ type: 'prompt.update', id, account, click }, t('promptUpdated', $('entry').selectedOptions[0]?.textContent ?? ''));
    if (!reply.error) closeSoon();
  } else {
    const account = $('account').selectedOptions[0]?.textContent ?? $('account-only').textContent;
    const reply = await act({ type: 'prompt.save', name: $('name').value, account: $('account').value || undefined, click }, t('promptSaved', account));
    if (!reply.error) closeSoon();
  }
});

function closeSoon() {
  for (const b of document.querySelectorAll('.actions button')) b.disabled = true;
  setTimeout(() => send({ type: 'prompt.close' }), 2500);
}
$('later').addEventListener('click', () => act({ type: 'prompt.dismiss' }));
$('close').addEventListener('click', () => act({ type: 'prompt.dismiss' }));
$('deny').addEventListener('click', () => act({ type: 'prompt.dismiss' }));
guarded($('never'), (click) => act({ type: 'prompt.never', click }));
guarded($('allow'), (click) => act({ type: 'prompt.allowFrame', click }, t('promptAllowed')));

load();
