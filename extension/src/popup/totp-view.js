// SPDX-License-Identifier: MIT
// A TOTP code with a countdown ring, fetched again when its period turns.

/** Seconds left in the period at `nowMs`, counted from the host's answer at `fetchedAt`. */
export function secondsLeft({ remaining, period }, fetchedAt, nowMs) {
  const left = remaining - Math.floor((nowMs - fetchedAt) / 1000);
  return Math.max(0, Math.min(period, left));
}

/** Shows codes in `element`; `fetchCode` returns {code, remaining, period}. Returns a stop function. */
export function showTotp(element, fetchCode, { now = () => Date.now() } = {}) {
  const codeEl = element.querySelector('.code');
  const secondsEl = element.querySelector('.seconds');
  const ring = element.querySelector('.ring-front');
  let answer = null;
  let fetchedAt = 0;
  let tick = null;
  let stopped = false;

  function draw() {
    if (!answer) return;
    const left = secondsLeft(answer, fetchedAt, now());
    ring.style.strokeDashoffset = String(100 * (1 - left / answer.period));
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
      codeEl.textContent = next.code;
      element.hidden = false;
      draw();
    } catch (error) {
      codeEl.textContent = '';
      secondsEl.textContent = error?.message ?? 'No code';
      element.hidden = false;
    }
  }

  refresh();
  tick = setInterval(draw, 1000);
  return () => {
    stopped = true;
    clearInterval(tick);
    codeEl.textContent = '';
    element.hidden = true;
  };
}
