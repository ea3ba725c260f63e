// SPDX-License-Identifier: MIT
// The one router of an extension page: views by name, a back stack, one view shown at a
// time. A view is a plain object:
//
//   export default {
//     name: 'details',                      // unique; also <body data-view="details">
//     title: (params) => t('detailsTitle'), // the header's title (string or function)
//     needs: 'unlocked',                    // 'none' | 'host' | 'loggedIn' | 'unlocked' (default)
//     render(scope, params) { return h('section', {}, …); },
//   };
//
// render() returns a Node at once and may fill it later: async work checks
// scope.alive() before touching the DOM, and registers timers and listeners to undo with
// scope.onCleanup(fn), which runs when the view is left or shown again.

export function createRouter({ root, context = {}, beforeShow = () => {}, onChange = () => {}, document = globalThis.document }) {
  const views = new Map();
  let stack = [];
  let current = null; // {name, params, cleanups, alive}

  function register(view) {
    if (!view?.name || typeof view.render !== 'function') throw new Error('A view needs a name and a render function.');
    if (views.has(view.name)) throw new Error(`Two views are named "${view.name}".`);
    views.set(view.name, view);
  }

  function leave() {
    if (!current) return;
    current.alive = false;
    for (const fn of current.cleanups.splice(0).reverse()) {
      try {
        fn();
      } catch {
        // A cleanup that fails must not keep the next view from showing.
      }
    }
  }

  function show(entry) {
    const view = views.get(entry.name);
    if (!view) throw new Error(`No view named "${entry.name}".`);
    leave();
    beforeShow({ name: entry.name, params: entry.params });
    const shown = { name: entry.name, params: entry.params, cleanups: [], alive: true };
    current = shown;
    const scope = {
      ...context,
      router: api,
      params: entry.params,
      alive: () => shown.alive && current === shown,
      onCleanup: (fn) => shown.cleanups.push(fn),
    };
    const node = view.render(scope, entry.params);
    root.replaceChildren(node);
    document.body.dataset.view = entry.name;
    const title = typeof view.title === 'function' ? view.title(entry.params) : view.title ?? '';
    onChange({ name: entry.name, params: entry.params, title, canGoBack: stack.length > 1, view });
    const first = root.querySelector('[autofocus]');
    if (first) first.focus();
  }

  const api = {
    register,
    /** Shows `name`, remembering the current view for back(). */
    go(name, params = {}) {
      stack.push({ name, params });
      show(stack.at(-1));
    },
    /** Shows `name` in place of the current view (no new back step). */
    replace(name, params = {}) {
      stack[stack.length ? stack.length - 1 : 0] = { name, params };
      show(stack.at(-1));
    },
    /** Forgets the back stack and shows `name`: for a new start (signed in, locked). */
    reset(name, params = {}) {
      stack = [{ name, params }];
      show(stack[0]);
    },
    /** Back to the view before; false when there is none. */
    back() {
      if (stack.length < 2) return false;
      stack.pop();
      show(stack.at(-1));
      return true;
    },
    /** Shows the current view again with the same params (after a change it depends on). */
    refresh() {
      if (stack.length) show(stack.at(-1));
    },
    /** Leaves the current view (its cleanups run) and shows nothing: the page is closing. */
    close() {
      leave();
      current = null;
      stack = [];
      root.replaceChildren();
    },
    current: () => (current ? { name: current.name, params: current.params } : null),
    view: (name) => views.get(name),
    canGoBack: () => stack.length > 1,
    depth: () => stack.length,
  };
  return api;
}
