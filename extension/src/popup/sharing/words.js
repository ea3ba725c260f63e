// SPDX-License-Identifier: MIT
// Plain words for what sharing answers: waits, limits, conflicts, statuses, dates.
import { t } from '../../shared/i18n.js';
import { describeError } from '../../ui/format.js';

/** "45 seconds", "3 minutes", "about 1 hour". */
export function waitWords(seconds) {
  const s = Math.max(1, Math.ceil(Number(seconds) || 0));
  if (s < 90) return t('waitSeconds', s);
  if (s < 90 * 60) return t('waitMinutes', Math.round(s / 60));
  return t('waitHours', Math.round(s / 3600));
}

/**
 * Why a share was not made, for a person. CONFLICT and the share-count limits (which
 * the server answers as 429 with an hour's wait, though only revoking helps) get their
 * own words; the rest is the host's message.
 */
export function shareError(error, { recipient = '', self = '', account } = {}) {
  const text = String(error?.message ?? '');
  if (error?.code === 'CONFLICT') {
    return recipient && self && recipient.trim().toLowerCase() === self.trim().toLowerCase() ? t('shareSelf') : t('shareDuplicate', recipient);
  }
  if (error?.code === 'RATE_LIMITED') {
    if (/per password/i.test(text)) return t('shareLimitPerPassword');
    if (/active shares/i.test(text)) return t('shareLimitActive');
    return t('shareRateLimited', waitWords(error.retryAfter ?? 60));
  }
  return describeError(error, account);
}

/** A share's or session's status as a badge label and tone. */
export function statusBadge(status) {
  const tone = { active: 'ok', pending: 'warn', login_in_progress: 'warn', scheduled: 'warn', paused: 'warn', creating: 'warn' }[status] ?? '';
  const key = `shareStatus_${status}`;
  const label = t(key);
  return { label: label === key ? String(status ?? '') : label, tone };
}

/** A date for a person, in the browser's language: "6 Dec 2026, 14:05". */
export function dateWords(iso) {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return String(iso);
  return d.toLocaleString(undefined, { day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit' });
}

/** The end of the chosen day (a date input's "YYYY-MM-DD", local time) as ISO 8601, or undefined. */
export function endOfDay(dateText) {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(String(dateText ?? ''));
  if (!m) return undefined;
  return new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]), 23, 59, 59).toISOString();
}

/** A datetime-local input's value as ISO 8601, or undefined. */
export function localToIso(value) {
  if (!value) return undefined;
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
}
