// SPDX-License-Identifier: MIT
// The one store of state for an extension page. State is a plain object replaced (never
// mutated) on each set(); subscribers get (next, previous). Views keep what only they
// need (a form's fields) to themselves and put here what others read: the host's state,
// the accounts, the current tab, the last message shown.

export function createStore(initial = {}) {
  let state = Object.freeze({ ...initial });
  const subscribers = new Set();
  return {
    get: () => state,
    /** Merges `patch` (an object, or a function of the state returning one) into the state. */
    set(patch) {
      const previous = state;
      const partial = typeof patch === 'function' ? patch(previous) : patch;
      if (!partial) return state;
      state = Object.freeze({ ...previous, ...partial });
      for (const fn of [...subscribers]) fn(state, previous);
      return state;
    },
    /** Calls fn(next, previous) on every change; returns the unsubscribe function. */
    subscribe(fn) {
      subscribers.add(fn);
      return () => subscribers.delete(fn);
    },
  };
}
