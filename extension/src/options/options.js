// SPDX-License-Identifier: MIT
// Options: server URL, idle lock minutes, clipboard clear seconds. Nothing secret.
import { api } from '../shared/browser-api.js';
import { loadSettings, saveSettings } from '../shared/settings.js';
import { normalizeServer } from '../shared/url.js';

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
  const granted = event.target.checked ? await api.permissions.request(READ).catch(() => false) : !(await api.permissions.remove(READ).catch(() => false));
  event.target.checked = granted;
});

$('form').addEventListener('submit', async (event) => {
  event.preventDefault();
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
  status('Saved.');
});

load();
