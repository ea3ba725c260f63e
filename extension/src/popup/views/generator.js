// SPDX-License-Identifier: MIT
// The password generator: presets (strong, memorable, PIN), length or words, the
// character classes; the host generates (passwords.generate) and the background copies.
// The choices are remembered (shared/generator-options.js); the passwords are not.
import { t } from '../../shared/i18n.js';
import { PRESETS, GENERATOR_LIMITS, generateParams } from '../../shared/generator-options.js';

/** Marks each character of a password by class, for colouring digits and symbols. */
export function charClass(ch) {
  if (/[0-9]/.test(ch)) return 'digit';
  if (/[A-Za-z]/.test(ch)) return 'letter';
  return 'symbol';
}

export default {
  name: 'generator',
  needs: 'loggedIn',
  title: () => t('generatorTitle'),
  render(scope) {
    const { h, icon, ICONS, host, busy, say } = scope;
    let options = scope.cleanGenerator({});
    let current = '';
    const output = h('div', { class: 'generated mono', id: 'generated', 'aria-live': 'polite' });
    const strength = h('div', { class: 'muted small', id: 'generated-entropy' });
    const presets = h('div', { class: 'segmented', role: 'radiogroup', 'aria-label': t('generatorPreset') });
    const controls = h('div', { class: 'generator-controls' });

    async function generate() {
      const reply = await host.call('passwords.generate', generateParams(options));
      if (!scope.alive()) return;
      current = reply.password ?? '';
      output.replaceChildren(...[...current].map((ch) => h('span', { class: `ch-${charClass(ch)}` }, ch)));
      strength.textContent = Number.isFinite(reply.entropyBits) ? t('entropyBits', Math.floor(reply.entropyBits)) : '';
    }

    /** A change of choice: remember it, draw the controls, generate again. */
    function change(patch) {
      options = scope.cleanGenerator({ ...options, ...patch });
      scope.saveGenerator(options);
      draw();
      busy(null, generate);
    }

    const slider = (id, label, key, limits) => {
      const number = h('input', { type: 'number', id: `${id}-number`, min: limits.min, max: limits.max, value: options[key], class: 'narrow', 'aria-label': label,
        onchange: () => change({ [key]: number.value }) });
      return h('div', { class: 'field' },
        h('label', { for: id }, label),
        h('div', { class: 'input-row' },
          h('input', { type: 'range', id, min: limits.min, max: limits.max, value: options[key],
            oninput: (e) => { number.value = e.target.value; },
            onchange: (e) => change({ [key]: e.target.value }) }),
          number));
    };
    const check = (key, label) => h('label', { class: 'check' },
      h('input', { type: 'checkbox', id: `gen-${key}`, checked: options[key], onchange: (e) => change({ [key]: e.target.checked }) }), label);

    function draw() {
      presets.replaceChildren(...PRESETS.map((p) => h('button', {
        type: 'button', role: 'radio', 'aria-checked': String(options.preset === p), dataset: { preset: p },
        class: options.preset === p ? 'selected' : '', onclick: () => change({ preset: p }),
      }, t(`preset_${p}`))));
      if (options.preset === 'strong') {
        controls.replaceChildren(
          slider('gen-length', t('generatorLength'), 'length', GENERATOR_LIMITS.strong),
          h('div', { class: 'checks' }, check('lower', t('charsLower')), check('upper', t('charsUpper')), check('digits', t('charsDigits')), check('symbols', t('charsSymbols'))),
          check('excludeAmbiguous', t('excludeAmbiguous')));
      } else if (options.preset === 'memorable') {
        const separator = h('input', { id: 'gen-separator', value: options.separator, maxlength: 3, class: 'narrow', onchange: () => change({ separator: separator.value }) });
        controls.replaceChildren(
          slider('gen-words', t('generatorWords'), 'words', GENERATOR_LIMITS.words),
          h('div', { class: 'field' }, h('label', { for: 'gen-separator' }, t('generatorSeparator')), separator),
          h('div', { class: 'checks' }, check('capitalize', t('capitalize')), check('addDigit', t('addDigit'))));
      } else {
        controls.replaceChildren(slider('gen-pin', t('generatorLength'), 'pinLength', GENERATOR_LIMITS.pin));
      }
    }

    const again = h('button', { type: 'button', id: 'gen-again', title: t('regenerate'), onclick: () => busy(again, generate) }, icon(ICONS.refresh), t('regenerate'));
    const copy = h('button', { type: 'button', id: 'gen-copy', class: 'primary', onclick: () => busy(copy, async () => {
      const reply = await host.send('copy', { field: 'text', text: current });
      say(reply.clearAfterSeconds > 0 ? `${t('copied_password')} ${t('clipboardClearsIn', reply.clearAfterSeconds)}` : t('copied_password'), 'ok');
      globalThis.document.body.dataset.copied = 'generated';
    }) }, icon(ICONS.copy), t('copy'));

    scope.loadGenerator().then((saved) => {
      if (!scope.alive()) return;
      options = saved;
      draw();
      busy(null, generate);
    });
    draw();
    return h('section', { class: 'view-body generator' },
      h('div', { class: 'card generated-card' }, output, h('div', { class: 'row between' }, strength, h('div', { class: 'row' }, again, copy))),
      presets,
      controls);
  },
};
