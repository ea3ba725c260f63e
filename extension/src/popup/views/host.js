// SPDX-License-Identifier: MIT
// The host is not there (not installed, refused, stopped): say which and offer a retry.
import { t } from '../../shared/i18n.js';
import { plainMessage } from '../../shared/errors.js';
export default {
  name: 'host',
  needs: 'none',
  gate: true,
  title: () => '',
  render({ h, icon, ICONS, store, busy, refreshState }) {
    const problem = store.get().hostState?.hostError;
    // The browser's own words ("Specified native messaging host not found.") are not for a person.
    const text = problem?.code && problem.code !== 'HOST_DISCONNECTED' ? plainMessage(problem) : t('hostNotRunning');
    const retry = h('button', { id: 'retry', type: 'button', class: 'primary', onclick: () => busy(retry, refreshState) }, t('tryAgain'));
    return h('section', { class: 'center' },
      icon(ICONS.shield, { size: 40 }),
      h('h2', {}, t('hostProblemTitle')),
      h('p', { id: 'host-problem' }, text),
      retry);
  },
};
