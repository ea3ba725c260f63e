// SPDX-License-Identifier: MIT
// The prompt the content script shows in an iframe: save or update the login the
// person just used, or allow a frame of another site. It is an extension page, so the
// web page around it can neither read nor click it by script; it speaks only to the
// background, which knows the tab it is in (sender.tab) and keeps the password there.
import { api } from '../shared/browser-api.js';

const $ = (id) => document.getElementById(id);
let view = null;

function send(message) {
  return api.runtime.sendMessage(message).then(
    (reply) => reply ?? { error: { message: 'PassAgent did not answer.' } },
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
  $('title').textContent = update ? 'Update this login?' : 'Save this login?';
  $('lead').textContent = update
    ? `You signed in to ${offer.site} with a new password.`
    : `PassAgent has no login for ${offer.username || 'this user'} on ${offer.site}.`;
  if (offer.generated) $('lead').textContent += ' The password is the one PassAgent generated.';
  $('site').textContent = offer.site;
  $('username').textContent = offer.username || '(none)';
  $('password').textContent = `${'•'.repeat(Math.min(offer.passwordLength, 16))} (${offer.passwordLength} characters)`;
  $('name-row').hidden = update;
  $('name').value = offer.site;
  $('account-row').hidden = update || offer.accounts.length === 0;
  $('account').replaceChildren(...offer.accounts.map((a) => option(a.account, a.label)));
  // One account: said in words; several: a choice.
  $('account').hidden = offer.accounts.length < 2;
  $('account-only').hidden = offer.accounts.length !== 1;
  $('account-only').textContent = offer.accounts[0]?.label ?? '';
  $('entry-row').hidden = !update;
  $('entry').replaceChildren(...offer.entries.map((e) => option(`${e.account}\n${e.id}`, `${e.name || offer.site} (${e.username || 'no username'}) in ${e.accountLabel}`)));
  $('entry').disabled = offer.entries.length < 2;
  $('entry').title = $('entry').selectedOptions[0]?.textContent ?? '';
  $('confirm').textContent = update ? 'Update' : 'Save';
  $('view-offer').hidden = false;
  document.body.dataset.state = offer.kind;
}

function showFrame(frame) {
  $('title').textContent = 'Fill this frame?';
  $('frame-lead').textContent = `Allow filling frames from ${frame.frameSite} on ${frame.topSite}?`;
  $('view-frame').hidden = false;
  document.body.dataset.state = 'frame';
}

async function load() {
  const kind = decodeURIComponent(location.hash.slice(1));
  view = await send({ type: 'prompt.get' });
  if (view.error) {
    say(view.error.message, 'bad');
    document.body.dataset.state = 'error';
  } else if (kind === 'frame' && view.frame) {
    showFrame(view.frame);
  } else if (view.offer) {
    showOffer(view.offer);
  } else if (view.frame) {
    showFrame(view.frame);
  } else {
    say('Nothing to save any more.');
    document.body.dataset.state = 'empty';
  }
}

async function act(message, button) {
  for (const b of document.querySelectorAll('button')) b.disabled = true;
  say('');
  const reply = await send(message);
  for (const b of document.querySelectorAll('button')) b.disabled = false;
  if (reply.error) {
    $('details').hidden = true; // Room for the explanation; the question stays.
    say(reply.error.message, 'bad');
    document.body.dataset.state = `error-${reply.error.code ?? 'unknown'}`;
    return reply;
  }
  if (button) {
    $('view-offer').hidden = true;
    $('view-frame').hidden = true;
    $('title').textContent = 'PassAgent';
    say(button, 'ok');
  }
  document.body.dataset.state = 'done';
  return reply;
}

$('confirm').addEventListener('click', async () => {
  if (view.offer.kind === 'update') {
    const [account, id] = $('entry').value.split('\n');
    const reply = await act({ type: 'prompt.update', id, account }, `Updated ${$('entry').selectedOptions[0]?.textContent ?? ''}.`);
    if (!reply.error) closeSoon();
  } else {
    const account = $('account').selectedOptions[0]?.textContent ?? $('account-only').textContent;
    const reply = await act({ type: 'prompt.save', name: $('name').value, account: $('account').value || undefined }, `Saved to ${account}.`);
    if (!reply.error) closeSoon();
  }
});

function closeSoon() {
  for (const b of document.querySelectorAll('.actions button')) b.disabled = true;
  setTimeout(() => send({ type: 'prompt.close' }), 2500);
}
$('later').addEventListener('click', () => act({ type: 'prompt.dismiss' }));
$('close').addEventListener('click', () => act({ type: 'prompt.dismiss' }));
$('never').addEventListener('click', () => act({ type: 'prompt.never' }));
$('allow').addEventListener('click', () => act({ type: 'prompt.allowFrame' }, 'Allowed.'));
$('deny').addEventListener('click', () => act({ type: 'prompt.dismiss' }));

load();
