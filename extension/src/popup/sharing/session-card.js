// SPDX-License-Identifier: MIT
// One session share as the Sharing view lists it: its live status and viewers, the
// URL and token once (until the person says they have passed them on), and pause,
// resume, extend, revoke, delete.
import { t } from '../../shared/i18n.js';
import { h, icon } from '../../ui/h.js';
import { ICONS } from '../../ui/icons.js';
import { statusBadge, dateWords } from './words.js';
import { copyText } from './copy.js';

const ENDED = new Set(['revoked', 'expired', 'login_failed']);
export const EXTEND_MINUTES = 15;

/**
 * @param {object} scope the view's scope
 * @param {object} share a record from the background (session-shares.js)
 * @param {{reload: () => Promise<void>}} options
 */
export function sessionCard(scope, share, { reload }) {
  const { host, busy } = scope;
  const badge = statusBadge(share.status);
  const act = (name, label, run, cls = 'ghost small') => h('button', {
    type: 'button', class: cls, dataset: { act: name },
    onclick: (event) => busy(event.currentTarget, async () => { await run(); await reload(); }, share.account),
  }, label);
  const update = (action, extra = {}) => host.send('sessionShares.update', { key: share.key, action, ...extra });
  const ended = ENDED.has(share.status);
  // Followed live only while the status stream runs and the session has not ended.
  const live = share.watching && !ended;
  const actions = [];
  if (share.sessionId && !ended) {
    if (share.status === 'paused') actions.push(act('resume', t('sessionResume'), () => update('resume')));
    else actions.push(act('pause', t('sessionPause'), () => update('pause')));
    actions.push(act('extend', t('sessionExtend', EXTEND_MINUTES), () => update('extend', { minutes: EXTEND_MINUTES })));
    actions.push(act('revoke', t('sessionRevoke'), () => update('revoke'), 'ghost small danger'));
  }
  if (share.sessionId) actions.push(act('delete', t('deleteAction'), () => host.send('sessionShares.delete', { key: share.key }), 'ghost small danger'));

  const once = share.shareToken ? h('div', { class: 'card once', dataset: { once: 'session' } },
    h('p', { class: 'small' }, t('sessionSendHow')),
    h('div', { class: 'label' }, t('sessionLink')),
    h('div', { class: 'secret-box mono', dataset: { field: 'url' } }, share.shareUrl ?? ''),
    h('div', { class: 'label' }, t('sessionToken')),
    h('div', { class: 'secret-box mono', dataset: { field: 'token' } }, share.shareToken),
    h('div', { class: 'row wrap' },
      h('button', { type: 'button', class: 'small', dataset: { act: 'copy-url' }, onclick: (e) => busy(e.currentTarget, () => copyText(scope, share.shareUrl, t('sessionLink'))) }, icon(ICONS.copy), t('copyLink')),
      h('button', { type: 'button', class: 'small', dataset: { act: 'copy-token' }, onclick: (e) => busy(e.currentTarget, () => copyText(scope, share.shareToken, t('sessionToken'))) }, icon(ICONS.copy), t('copyToken')),
      h('span', { class: 'spacer' }),
      act('taken', t('sessionPassedOn'), () => host.send('sessionShares.taken', { key: share.key }), 'primary small')),
    h('p', { class: 'muted small' }, t('shownOnce'))) : null;

  const viewers = Number.isFinite(share.viewers) ? t('sessionViewersNow', share.viewers, share.maxViewers ?? 1) : '';
  return h('li', { class: 'card session', dataset: { key: share.key, status: share.status, sessionId: share.sessionId ?? '' } },
    h('div', { class: 'row between' },
      h('span', { class: 'primary-line ellipsis' }, share.name || share.serviceName || ''),
      h('span', { class: ['badge', badge.tone], dataset: { role: 'status' } }, live ? h('span', { class: 'live-dot', 'aria-hidden': 'true' }) : null, badge.label)),
    h('div', { class: 'row wrap small muted session-meta' },
      h('span', { dataset: { role: 'viewers' } }, viewers),
      share.expiresAt && !ended ? h('span', { dataset: { role: 'ends' } }, t(share.expiresEstimated ? 'sessionEndsAbout' : 'sessionEnds', dateWords(share.expiresAt))) : null,
      live ? h('span', { dataset: { role: 'live' } }, t('sessionLive')) : null),
    share.error ? h('p', { class: 'notice warn small' }, share.error) : null,
    once,
    actions.length ? h('div', { class: 'row wrap actions' }, actions) : null);
}
