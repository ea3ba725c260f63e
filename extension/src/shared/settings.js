// SPDX-License-Identifier: MIT
// The options a person sets. Nothing secret lives here: no password, no token, no code.
/** The password managers the host speaks to, as `session.login` names them. */
export const BACKENDS = Object.freeze(['passagent', 'passman', 'passwork']);

export const DEFAULT_SETTINGS = Object.freeze({
  backend: 'passagent',
  serverUrl: 'https://passagent.ai',
  email: '',
  autoLockMinutes: 15,
  clipboardClearSeconds: 30,
});

export const LIMITS = Object.freeze({
  autoLockMinutes: { min: 0, max: 1440 },
  clipboardClearSeconds: { min: 0, max: 3600 },
});

/** Settings with every key present and in range; unknown keys are dropped. */
export function cleanSettings(raw) {
  const out = { ...DEFAULT_SETTINGS };
  if (raw && typeof raw === 'object') {
    if (BACKENDS.includes(raw.backend)) out.backend = raw.backend;
    if (typeof raw.serverUrl === 'string') out.serverUrl = raw.serverUrl.trim();
    if (typeof raw.email === 'string') out.email = raw.email.trim();
    for (const key of Object.keys(LIMITS)) {
      const value = Number(raw[key]);
      if (raw[key] !== undefined && raw[key] !== '' && Number.isFinite(value)) {
        out[key] = Math.min(LIMITS[key].max, Math.max(LIMITS[key].min, Math.round(value)));
      }
    }
  }
  return out;
}

export async function loadSettings(storage) {
  const stored = await storage.local.get('settings');
  return cleanSettings(stored?.settings);
}

export async function saveSettings(storage, partial) {
  const current = await loadSettings(storage);
  const next = cleanSettings({ ...current, ...partial });
  await storage.local.set({ settings: next });
  return next;
}
