// SPDX-License-Identifier: MIT
// The host is not there (not installed, refused, stopped): say which and offer a retry.
export default {
  name: 'host',
  needs: 'none',
  gate: true,
  title: () => '',
  render({ h, t, icon, ICONS, store, busy, refreshState }) {
    const problem = store.get().hostState?.hostError;
    const text = problem?.message && problem.code !== 'HOST_DISCONNECTED' ? problem.message : t('hostNotRunning');
    const retry = h('button', { id: 'retry', type: 'button', class: 'primary', onclick: () => busy(retry, refreshState) }, t('tryAgain'));
    return h('section', { class: 'center' },
      icon(ICONS.shield, { size: 40 }),
      h('p', { id: 'host-problem' }, text),
      retry);
  },
};
