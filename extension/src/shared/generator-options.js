// SPDX-License-Identifier: MIT
// The password generator's options as a person last set them (popup's generator view;
// used again by "generate" in the edit view). Stored in storage.local under
// `generator`: nothing secret, only the choices. The params are the host's
// passwords.generate params (docs/generate.md), kept within its limits.

export const PRESETS = Object.freeze(['strong', 'memorable', 'pin']);

export const GENERATOR_LIMITS = Object.freeze({
  strong: { min: 8, max: 128 },
  pin: { min: 4, max: 12 },
  words: { min: 3, max: 10 },
});

export const DEFAULT_GENERATOR = Object.freeze({
  preset: 'strong',
  length: 20,
  pinLength: 6,
  lower: true,
  upper: true,
  digits: true,
  symbols: true,
  excludeAmbiguous: false,
  words: 5,
  separator: '-',
  capitalize: false,
  addDigit: false,
});

const clamp = (value, { min, max }, fallback) => {
  const n = Math.round(Number(value));
  return Number.isFinite(n) ? Math.min(max, Math.max(min, n)) : fallback;
};

/** Options with every key present and in range; unknown keys dropped. */
export function cleanGenerator(raw) {
  const r = raw && typeof raw === 'object' ? raw : {};
  const d = DEFAULT_GENERATOR;
  const bool = (k) => (typeof r[k] === 'boolean' ? r[k] : d[k]);
  return {
    preset: PRESETS.includes(r.preset) ? r.preset : d.preset,
    length: clamp(r.length ?? d.length, GENERATOR_LIMITS.strong, d.length),
    pinLength: clamp(r.pinLength ?? d.pinLength, GENERATOR_LIMITS.pin, d.pinLength),
    lower: bool('lower'),
    upper: bool('upper'),
    digits: bool('digits'),
    symbols: bool('symbols'),
    excludeAmbiguous: bool('excludeAmbiguous'),
    words: clamp(r.words ?? d.words, GENERATOR_LIMITS.words, d.words),
    separator: typeof r.separator === 'string' && /^[\x21-\x7e]{0,3}$/.test(r.separator) ? r.separator : d.separator,
    capitalize: bool('capitalize'),
    addDigit: bool('addDigit'),
  };
}

/** The passwords.generate params for `options`. */
export function generateParams(options) {
  const o = cleanGenerator(options);
  if (o.preset === 'memorable') return { preset: 'memorable', words: o.words, separator: o.separator, upper: o.capitalize, digits: o.addDigit };
  if (o.preset === 'pin') return { preset: 'pin', length: o.pinLength };
  return { preset: 'strong', length: o.length, lower: o.lower, upper: o.upper, digits: o.digits, symbols: o.symbols, excludeAmbiguous: o.excludeAmbiguous };
}

export async function loadGenerator(storage) {
  const stored = await storage.local.get('generator');
  return cleanGenerator(stored?.generator);
}

export async function saveGenerator(storage, options) {
  const clean = cleanGenerator(options);
  await storage.local.set({ generator: clean });
  return clean;
}
