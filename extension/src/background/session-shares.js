// SPDX-License-Identifier: MIT
// Session shares made from this browser, kept here while the browser runs: the host's
// sessionShares.create follows the server's status stream and sends each status as a
// progress event until `complete`, which can outlast an open popup. So the background
// makes the request and keeps the latest status of each session, and any popup opened
// later shows it. The share URL and token arrive with the final reply; they are kept
// only until the popup has shown them and the person says they have passed them on.
import { HostError } from './native-client.js';
import { plainMessage } from '../shared/errors.js';
import { t } from '../shared/i18n.js';

// The server ends its status stream after 5 minutes (`timeout`); a little more here.
export const WATCH_MS = 6 * 60 * 1000;
export const SESSION_MESSAGES = Object.freeze(['sessionShares.start', 'sessionShares.list', 'sessionShares.taken', 'sessionShares.update', 'sessionShares.delete']);
const OPTION_KEYS = ['accessType', 'durationMinutes', 'maxViewers', 'loginMethod', 'viewOnly', 'watermarkEnabled', 'scheduledStart'];

function wireError(error) {
  const wire = error instanceof HostError ? error.toJSON() : { code: error?.code ?? 'INTERNAL', message: String(error?.message ?? error) };
  return { code: wire.code, message: plainMessage(wire), otpRequired: wire.otpRequired === true, retryAfter: wire.retryAfter };
}

/** An absolute share URL: the server answers a path (`/s/<token>`). */
export function absoluteUrl(shareUrl, server) {
  try {
    return new URL(String(shareUrl ?? ''), server).href;
  } catch {
    return String(shareUrl ?? '');
  }
}

/**
 * @param {{client: {request: Function}, serverOf: (account: string) => string|undefined, now?: () => number}} deps
 */
export function createSessionShares({ client, serverOf = () => undefined, now = () => Date.now() }) {
  const sessions = new Map(); // key → record
  let nextKey = 1;

  const view = (r) => ({ ...r });

  function apply(record, data) {
    if (typeof data.status === 'string') record.status = data.status;
    if (Number.isFinite(data.currentViewers)) record.viewers = data.currentViewers;
    if (typeof data.livePreviewUrl === 'string') record.livePreviewUrl = data.livePreviewUrl;
    if (typeof data.sessionId === 'string') record.sessionId = data.sessionId;
    if (data.type === 'complete' || data.type === 'timeout') record.watching = false;
    record.updatedAt = now();
  }

  function applySession(record, session) {
    if (!session || typeof session !== 'object') return;
    if (typeof session.status === 'string') record.status = session.status;
    if (typeof session.expiresAt === 'string') {
      record.expiresAt = session.expiresAt;
      record.expiresEstimated = false;
    }
    if (Number.isFinite(session.maxViewers)) record.maxViewers = session.maxViewers;
    if (Number.isFinite(session.durationMinutes)) record.durationMinutes = session.durationMinutes;
    if (typeof session.watermarkEnabled === 'boolean') record.watermarkEnabled = session.watermarkEnabled;
    record.updatedAt = now();
  }

  /**
   * Creates a session share and follows it. Resolves when the server has made it (the
   * first status event) or the request has ended, whichever comes first; rejects when
   * nothing was made (a step-up, a limit), so the popup can say why.
   */
  function start({ id, account, name, options = {} }) {
    const key = `s${nextKey++}`;
    const record = {
      key, entryId: id, account, name: name ?? '', status: 'creating', viewers: 0, watching: true,
      maxViewers: options.maxViewers ?? 1, durationMinutes: options.durationMinutes ?? 15,
      options: Object.fromEntries(OPTION_KEYS.filter((k) => options[k] !== undefined).map((k) => [k, options[k]])),
      createdAt: now(), updatedAt: now(),
    };
    // The server names the end only in its final reply, after the status stream: until
    // then, the start (now or the chosen later start) plus the duration, marked as an estimate.
    const startsAt = Date.parse(options.scheduledStart ?? '');
    record.expiresAt = new Date((Number.isFinite(startsAt) ? startsAt : now()) + record.durationMinutes * 60_000).toISOString();
    record.expiresEstimated = true;
    const params = { id, ...record.options, watch: true, ...(account ? { account } : {}) };
    return new Promise((resolve, reject) => {
      let answered = false;
      const answer = () => {
        if (answered) return;
        answered = true;
        sessions.set(key, record);
        resolve({ share: view(record) });
      };
      client.request('sessionShares.create', params, {
        timeoutMs: WATCH_MS,
        onProgress: (event, data) => {
          if (event !== 'sessionShare.status') return;
          apply(record, data ?? {});
          answer();
        },
      }).then((result) => {
        record.sessionId = result.id ?? record.sessionId;
        record.shareToken = result.shareToken ?? null;
        record.shareUrl = absoluteUrl(result.shareUrl, serverOf(account));
        if (typeof result.expiresAt === 'string') {
          record.expiresAt = result.expiresAt;
          record.expiresEstimated = false;
        }
        record.estimatedCostCents = result.estimatedCostCents;
        record.serviceName = result.serviceName;
        if (result.final) apply(record, result.final);
        else if (typeof result.status === 'string' && record.status === 'creating') record.status = result.status;
        record.watching = false;
        answer();
      }, (error) => {
        record.watching = false;
        if (error?.sessionId) {
          // Made, but the stream failed: it can still be managed.
          record.sessionId = error.sessionId;
          record.error = wireError(error).message;
          answer();
        } else if (!answered) {
          answered = true;
          reject(error);
        } else {
          record.error = wireError(error).message;
        }
      });
    });
  }

  function find(key) {
    const record = sessions.get(key);
    if (!record?.sessionId) throw new HostError({ code: 'NOT_FOUND', message: t('sessionShareGone') });
    return record;
  }

  const handlers = {
    async 'sessionShares.start'({ id, account, name, options }) {
      return start({ id, account, name, options });
    },
    async 'sessionShares.list'() {
      return { shares: [...sessions.values()].reverse().map(view) };
    },
    /** The person has passed the URL and token on: they are not kept any longer. */
    async 'sessionShares.taken'({ key }) {
      const record = sessions.get(key);
      if (record) {
        record.shareToken = null;
        record.tokenShown = true;
      }
      return { share: record ? view(record) : null };
    },
    async 'sessionShares.update'({ key, action, minutes }) {
      const record = find(key);
      const params = { sessionId: record.sessionId, action, ...(minutes ? { minutes } : {}), ...(record.account ? { account: record.account } : {}) };
      const reply = await client.request('sessionShares.update', params);
      applySession(record, reply.session);
      return { share: view(record) };
    },
    async 'sessionShares.delete'({ key }) {
      const record = find(key);
      await client.request('sessionShares.delete', { sessionId: record.sessionId, ...(record.account ? { account: record.account } : {}) });
      sessions.delete(key);
      return { deleted: true };
    },
  };

  /** runtime.onMessage listener: answers only its own types, from the extension's pages. */
  function listen(message, sender, sendResponse, isExtensionPage) {
    const type = message?.type;
    if (!SESSION_MESSAGES.includes(type)) return undefined;
    if (!isExtensionPage(sender)) {
      sendResponse({ error: { code: 'NOT_ALLOWED_HERE', message: t('err_NOT_ALLOWED_HERE') } });
      return false;
    }
    handlers[type](message).then(sendResponse, (error) => sendResponse({ error: wireError(error) }));
    return true;
  }

  return { handlers, listen, sessions };
}
