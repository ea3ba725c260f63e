// SPDX-License-Identifier: MIT
// Options: server URL, idle lock minutes, clipboard clear seconds, and the site rules
// (Basic auth answers, frames allowed per pair of sites, sites never to save). Nothing secret.
// Every change is saved as soon as it is made (a field when it is left or Enter is
// pressed, a box when it is ticked), and the header says so: one way for the whole page.
import { api } from '../shared/browser-api.js';
import { t, localize } from '../shared/i18n.js';
import { loadSettings, saveSettings } from '../shared/settings.js';
import { normalizeServer } from '../shared/url.js';
import { loadRules, updateRules } from '../shared/site-rules.js';

const $ = (id) => document.getElementById(id);
const READ = { permissions: ['clipboardRead'] };

function status(text, bad = false) {
  $('status').textContent = text;
  $('status').classList.toggle('bad', bad);
}

async function load() {
  const settings = await loadSettings(api.storage);
  $('serverUrl').value = settings.serverUrl;
  $('autoLockMinutes').value = settings.autoLockMinutes;
  $('clipboardClearSeconds').value = settings.clipboardClearSeconds;
  $('onlyIfUnchanged').checked = await api.permissions.contains(READ).catch(() => false);
}

$('onlyIfUnchanged').addEventListener('change', async (event) => {
  // Permission requests must come straight from the click.
  const wanted = event.target.checked;
  const granted = wanted ? await api.permissions.request(READ).catch(() => false) : !(await api.permissions.remove(READ).catch(() => false));
  event.target.checked = granted;
  status(granted === wanted ? t('optionsSaved') : t('optionsPermissionRefused'), granted !== wanted);
});

/** Saves the three settings fields; a server address that is not one is said, not saved. */
async function saveFields() {
  // Passman and Passwork may live under a path; PassAgent's server is an origin.
  const settings = await loadSettings(api.storage);
  const server = normalizeServer($('serverUrl').value, { keepPath: settings.backend !== 'passagent' });
  if (!server.ok) {
    status(server.message, true);
    $('serverUrl').focus();
    return;
  }
  const saved = await saveSettings(api.storage, {
    serverUrl: settings.backend === 'passagent' ? server.origin : server.base,
    autoLockMinutes: $('autoLockMinutes').value,
    clipboardClearSeconds: $('clipboardClearSeconds').value,
  });
  $('serverUrl').value = saved.serverUrl;
  $('autoLockMinutes').value = saved.autoLockMinutes;
  $('clipboardClearSeconds').value = saved.clipboardClearSeconds;
  status(t('optionsSaved'));
}

for (const id of ['serverUrl', 'autoLockMinutes', 'clipboardClearSeconds']) $(id).addEventListener('change', saveFields);
$('form').addEventListener('submit', (event) => {
  event.preventDefault();
  saveFields();
});

/** host[:port] of an origin: the pair exactly as it is kept. */
const hostOf = (origin) => new URL(origin).host;

function ruleRow(text, removeLabel, onRemove) {
  const li = document.createElement('li');
  const span = document.createElement('span');
  span.textContent = text;
  const button = document.createElement('button');
  button.type = 'button';
  button.className = 'small';
  button.textContent = removeLabel;
  button.addEventListener('click', onRemove);
  li.append(span, button);
  return li;
}

function emptyRow(text) {
  const li = document.createElement('li');
  li.className = 'none';
  li.textContent = text;
  return li;
}

async function renderRules() {
  const rules = await loadRules(api.storage);
  $('basicAuth').checked = rules.basicAuth;
  $('frames').replaceChildren(...(rules.frames.length ? rules.frames.map((pair) => ruleRow(
    t('optionsFramePair', hostOf(pair.frame), hostOf(pair.top)),
    t('optionsRemove'),
    () => updateRules(api.storage, (r) => ({ ...r, frames: r.frames.filter((p) => !(p.frame === pair.frame && p.top === pair.top)) })).then(renderRules),
  )) : [emptyRow(t('optionsNone'))]));
  $('neverSave').replaceChildren(...(rules.neverSave.length ? rules.neverSave.map((origin) => ruleRow(
    hostOf(origin),
    t('optionsRemove'),
    () => updateRules(api.storage, (r) => ({ ...r, neverSave: r.neverSave.filter((o) => o !== origin) })).then(renderRules),
  )) : [emptyRow(t('optionsNone'))]));
  document.body.dataset.rules = 'ready';
}

$('basicAuth').addEventListener('change', async (event) => {
  await updateRules(api.storage, (r) => ({ ...r, basicAuth: event.target.checked }));
  await renderRules();
  status(t('optionsSaved'));
});

api.storage.onChanged.addListener((changes, area) => {
  if (area === 'local' && changes.siteRules) renderRules();
});

localize(document);
load();
renderRules();
