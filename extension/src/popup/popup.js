// SPDX-License-Identifier: MIT
// The toolbar popup: wires the store, the router, the host client and the views.
// Passwords typed here go straight to the background and on to the host; a password
// copied from here goes from the host to the clipboard without passing through this page.
import { api } from '../shared/browser-api.js';
import { localize } from '../shared/i18n.js';
import { loadSettings } from '../shared/settings.js';
import { createApp } from './app.js';

localize(document);
const app = createApp({ document, runtime: api.runtime, storage: api.storage, openOptions: () => api.runtime.openOptionsPage(), loadSettings: () => loadSettings(api.storage) });
app.start();
