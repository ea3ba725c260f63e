// SPDX-License-Identifier: MIT
// Shown until the background answers with the host's state.
export default {
  name: 'wait',
  needs: 'none',
  gate: true,
  title: '',
  render({ h, t }) {
    return h('section', { class: 'center' }, h('p', { class: 'muted' }, t('waitConnecting')));
  },
};
