// SPDX-License-Identifier: MIT
// A TOTP code with a countdown ring, fetched again when its period turns.
import { h } from './h.js';
import { t } from '../shared/i18n.js';

/** Seconds left in the period at `nowMs`, counted from the host's answer at `fetchedAt`. */
export function secondsLeft({ remaining, period }, fetchedAt, nowMs) {
  const left = remaining - Math.floor((nowMs - fetchedAt) / 1000);
  return Math.max(0, Math.min(period, left));
}

/** The markup showTotp() fills: a ring, the code, the seconds. */
export function totpElement() {
  return h('div', { class: 'totp', hidden: true },
    h('svg', { class: 'ring', viewBox: '0 0 36 36', 'aria-hidden': 'true' },
      h('circle', { class: 'ring-back', cx: 18, cy: 18, r: 15.9 }),
      h('circle', { class: 'ring-front', cx: 18, cy: 18, r: 15.9 })),
    h('span', { class: 'code', 'aria-live': 'polite' }),
    h('span', { class: 'seconds muted small' }));
}

/** Groups a code for reading: "123 456". */
export function groupCode(code) {
  const s = String(code ?? '');
  return s.length >= 6 ? `${s.slice(0, Math.ceil(s.length / 2))} ${s.slice(Math.ceil(s.length / 2))}` : s;
}

/** Shows codes in `element`; `fetchCode` resolves to {code, remaining, period}. Returns a stop function. */
export function showTotp(element, fetchCode, { now = () => Date.now(), describe = (e) => e?.message ?? t('totpNoCode') } = {}) {
  const codeEl = element.querySelector('.code');
  const secondsEl = element.querySelector('.seconds');
  const ring = element.querySelector('.ring-front');
  let answer = null;
  let fetchedAt = 0;
  let stopped = false;

  function draw() {
    if (!answer) return;
    const left = secondsLeft(answer, fetchedAt, now());
    ring.style.strokeDashoffset = String(100 * (1 - left / answer.period));
    element.querySelector('.ring').classList.toggle('low', left <= 5);
    secondsEl.textContent = `${left}s`;
    if (left <= 0) refresh();
  }

  async function refresh() {
    if (stopped) return;
    answer = null;
    try {
      const next = await fetchCode();
      if (stopped) return;
      if (next.error) throw next.error;
      answer = next;
      fetchedAt = now();
      codeEl.textContent = groupCode(next.code);
      element.dataset.code = next.code;
      element.hidden = false;
      draw();
    } catch (error) {
      if (stopped) return;
      codeEl.textContent = '';
      secondsEl.textContent = describe(error);
      element.hidden = false;
    }
  }

  refresh();
  const tick = setInterval(draw, 1000);
  return () => {
    stopped = true;
    clearInterval(tick);
  };
}
