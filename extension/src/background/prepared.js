// SPDX-License-Identifier: MIT
// Fills read ahead while the in-page chooser is shown, so that a pick is answered without
// a host round trip (in Firefox that trip alone is 5–10 ms). The chooser takes no pick it
// has not shown for 500 ms (content/guard.js), which is ample time to read the logins it
// lists. What is read stays here, in the extension's process, never in the page's: the
// page gets a password only in the reply to its `page.fill`, after the pick, as before.
// A received share is not read ahead: reading it logs a view with its owner, and the
// person has viewed nothing yet; it is read at the pick, as before.

// Read ahead only for a chooser's first few logins; a pick further down asks the host.
export const PREPARE_MAX = 5;
// How long a login read ahead is kept for a pick that has not come.
export const PREPARED_MS = 60 * 1000;

/**
 * @param {object} deps
 * @param {(action: string, params: object) => Promise<object>} deps.request the host
 * @param {() => number} [deps.now]
 * @param {{setTimeout: Function, clearTimeout: Function}} [deps.timers]
 */
export function createPrepared({ request, now = () => Date.now(), timers = globalThis }) {
  // frame key (`${tabId}:${frameId}:${origin}`) → {at, timer, logins: Map(`${account}\n${id}` → Promise<{username, password}>)}
  const frames = new Map();
  const loginKey = (account, id) => `${account}\n${id}`;

  function drop(key) {
    const entry = frames.get(key);
    if (!entry) return;
    timers.clearTimeout(entry.timer);
    frames.delete(key);
  }

  /**
   * Reads `matches` (as the host listed them for this frame; shares skipped) for a pick
   * in `frame`, replacing what was read for it before.
   */
  function prepare(frame, matches) {
    const wanted = matches.filter((x) => !x.share).slice(0, PREPARE_MAX);
    const before = frames.get(frame.key);
    // The same list shown again (the person clicked the field twice): already read.
    if (before && now() - before.at < PREPARED_MS / 2 && before.logins.size === wanted.length
      && wanted.every((m) => before.logins.has(loginKey(m.account, m.id)))) {
      return before.logins.size;
    }
    drop(frame.key);
    const logins = new Map();
    for (const m of wanted) {
      // `background`: read because a list is shown, not because the person did something:
      // it does not restart the host's idle lock (a page must not keep a vault open).
      const reading = request('credentials.get', { id: m.id, account: m.account, purpose: 'fill', url: frame.url, background: true })
        .then((secret) => ({ username: secret.username, password: secret.password }));
      reading.catch(() => {}); // A failure is met again, and reported, at the pick.
      logins.set(loginKey(m.account, m.id), reading);
    }
    if (!logins.size) return 0;
    const timer = timers.setTimeout(() => {
      if (frames.get(frame.key)?.logins === logins) frames.delete(frame.key);
    }, PREPARED_MS);
    timer?.unref?.(); // Node (the unit tests): the timer does not hold the process.
    frames.set(frame.key, { at: now(), timer, logins });
    return logins.size;
  }

  /**
   * The login read ahead for this pick, or null (none, too old, or its read failed).
   * Whatever was read for the frame is dropped: one pick, one use.
   */
  async function take(frame, match) {
    const entry = frames.get(frame.key);
    if (!entry) return null;
    drop(frame.key);
    const reading = entry.logins.get(loginKey(match.account, match.id));
    if (!reading || now() - entry.at >= PREPARED_MS) return null;
    return reading.catch(() => null);
  }

  /** A tab closed or navigated (its frame keys start with `${tabId}:`), or every tab (locked). */
  function forget(tabId) {
    for (const key of [...frames.keys()]) {
      if (tabId === undefined || key.startsWith(`${tabId}:`)) drop(key);
    }
  }

  return { prepare, take, forget, size: () => frames.size };
}
