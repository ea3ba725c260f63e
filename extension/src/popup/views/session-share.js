// SPDX-License-Identifier: MIT
// A session share of one login (seed 000): PassAgent's server signs in for the viewers
// and shows them the session, never the password. All the server's options: how long,
// how many viewers, view only, watermark, who signs in (the AI agent or by hand), and a
// later start. The background makes it and follows its status (../../background/session-shares.js).
import { t } from '../../shared/i18n.js';
import { withStepUp } from '../step-up.js';
import { localToIso, waitWords } from '../sharing/words.js';

export default {
  name: 'session-share',
  needs: 'loggedIn', // see share.js: a step-up may close the vault for a moment
  title: () => t('sessionShareTitle'),
  render(scope, params) {
    const { h, icon, ICONS, host, router, say, fail } = scope;
    const number = (id, value, min, max) => h('input', { id, type: 'number', inputmode: 'numeric', value: String(value), min: String(min), max: String(max), step: '1', required: true });
    const duration = number('session-duration', 15, 1, 480);
    const viewers = number('session-viewers', 1, 1, 10);
    const accessType = h('select', { id: 'session-access' },
      h('option', { value: 'full' }, t('sessionAccess_full')),
      h('option', { value: 'view_only' }, t('sessionAccess_view_only')));
    const watermark = h('input', { id: 'session-watermark', type: 'checkbox', checked: true });
    const method = h('select', { id: 'session-method' },
      h('option', { value: 'ai_agent' }, t('sessionMethod_ai_agent')),
      h('option', { value: 'manual' }, t('sessionMethod_manual')));
    const later = h('input', { id: 'session-start', type: 'datetime-local' });
    const submit = h('button', { id: 'session-submit', type: 'submit', class: 'primary' }, icon(ICONS.link), t('sessionCreate'));
    // The seed's accessType ("full" or "view_only") and viewOnly say the same thing twice:
    // one choice here, sent as both so the server reads the same from either.

    function options() {
      const out = {
        durationMinutes: Number(duration.value),
        maxViewers: Number(viewers.value),
        accessType: accessType.value,
        viewOnly: accessType.value === 'view_only',
        watermarkEnabled: watermark.checked,
        loginMethod: method.value,
      };
      const start = localToIso(later.value);
      if (start) out.scheduledStart = start;
      return out;
    }

    const form = h('form', { id: 'session-form', class: 'view-body', autocomplete: 'off', onsubmit: (event) => {
      event.preventDefault();
      submit.disabled = true;
      say('');
      withStepUp(scope, params.account, () => host.send('sessionShares.start', { id: params.id, account: params.account, name: params.name, options: options() }))
        .then(({ share }) => { if (scope.alive()) router.replace('shares', { tab: 'sessions', key: share.key }); })
        .catch((error) => {
          if (!scope.alive() || error.code === 'CANCELLED') return;
          if (error.code === 'RATE_LIMITED') say(t('sessionRateLimited', waitWords(error.retryAfter ?? 60)), 'error');
          else fail(error, params.account);
        })
        .finally(() => { submit.disabled = false; });
    } },
      h('p', { class: 'lead' }, t('sessionShareLead', params.name ?? '')),
      h('div', { class: 'grid-2' },
        h('div', { class: 'field' }, h('label', { for: 'session-duration' }, t('sessionDuration')), duration),
        h('div', { class: 'field' }, h('label', { for: 'session-viewers' }, t('sessionViewers')), viewers)),
      h('div', { class: 'field' }, h('label', { for: 'session-access' }, t('sessionAccess')), accessType),
      h('div', { class: 'field' }, h('label', { for: 'session-method' }, t('sessionMethod')), method),
      h('label', { class: 'check spaced' }, watermark, t('sessionWatermark')),
      h('div', { class: 'field' }, h('label', { for: 'session-start' }, t('sessionStart')), later, h('span', { class: 'hint' }, t('sessionStartHint'))),
      h('p', { class: 'muted small' }, t('sessionCostNote')),
      h('div', { class: 'view-foot' }, submit));
    return form;
  },
};
