// SPDX-License-Identifier: MIT
// The prompt page's answers (src/prompt/): what it shows of a tab's offer or frame
// question, and Save, Update, Never, Allow, Not now. Only the frame the extension placed
// may ask (its nonce, prompt-claims.js), and a click that changes something counts only
// when the page around the prompt says it was in full view (content/prompt-frame.js).
// The offers themselves are made by offers.js.
import { HostError } from './native-client.js';
import { errorReply } from './router.js';
import { siteLabel } from '../shared/url.js';
import { updateRules } from '../shared/site-rules.js';
import { t } from '../shared/i18n.js';
import { backendName, describeError } from '../ui/format.js';

/** "alice@example.com (PassAgent, vault.example.com)": which account an offer goes to. */
export function accountLabel(account) {
  if (!account) return '';
  const who = account.user?.email ?? account.user?.name ?? (typeof account.user === 'string' ? account.user : '') ?? '';
  const where = account.server ? siteLabel(account.server) : '';
  return `${who || account.account} (${[backendName(account.backend), where].filter(Boolean).join(', ')})`;
}

/**
 * Words for an error of a save or update, naming the account's password manager;
 * CONFLICT, UNSUPPORTED and FORBIDDEN say what happened to the data.
 * @param {unknown} error
 * @param {{site?: string}} [offer]
 * @param {{backend?: string}} [account] the account the login was going to
 */
export function writeErrorReply(error, offer, account) {
  const reply = errorReply(error);
  const code = reply.error.code;
  if (code === 'CONFLICT') {
    reply.error.message = t('promptConflict');
  } else if (code === 'FORBIDDEN') {
    reply.error.message = t('promptForbidden');
  } else {
    reply.error.message = `${describeError(reply.error, account)} ${t('promptNothingSaved')}`;
  }
  return reply;
}

/**
 * @param {object} deps
 * @param {{request: Function}} deps.client
 * @param {() => object} deps.getState
 * @param {{isExtensionPage: Function}} deps.router
 * @param {{get: Function, set: Function, remove: Function}} deps.session offers.js's sessionStore
 * @param {object} deps.storage api.storage (site rules in storage.local)
 * @param {(tabId: number, message: object, options?: {frameId?: number}) => Promise<void>} deps.tell
 * @param {ReturnType<import('./prompt-claims.js').createPromptClaims>} deps.claims
 * @param {(record: object) => boolean} deps.fresh whether a stored record is younger than ten minutes
 * @returns {Record<string, (message: object, sender: object) => Promise<object>>} handlers by message type
 */
export function createPromptAnswers({ client, getState, router, session, storage, tell, claims, fresh }) {
  const accountOf = (id) => (getState().accounts ?? []).find((a) => a.account === id);

  /** The offer is answered; with `close` the prompt goes at once (else it says "Saved." and asks to close). */
  async function finish(tabId, { generated = false, close = true } = {}) {
    await session.remove(`offer:${tabId}`);
    if (generated) await session.remove(`gen:${tabId}`);
    if (close) await tell(tabId, { type: 'pa-prompt-close' }, { frameId: 0 });
  }

  function promptTab(sender) {
    if (!router.isExtensionPage(sender) || !Number.isInteger(sender?.tab?.id)) {
      throw new HostError({ code: 'NOT_ALLOWED_HERE' });
    }
    return sender.tab.id;
  }

  const notOpened = () => ({ error: { code: 'PROMPT_NOT_OPENED', message: t('promptNotOpened') } });

  /**
   * The tab of a prompt frame allowed to answer: the one the extension placed (its nonce),
   * clicked in full view. Returns {tabId} or {error}.
   */
  async function answering(sender, click, { guarded = true } = {}) {
    const tabId = promptTab(sender);
    if (!(await claims.owns(sender))) return notOpened();
    if (guarded) {
      const reason = await claims.refused(tabId, click);
      if (reason) return { error: { code: 'CLICK_REFUSED', reason, message: t('promptClickRefused') } };
    }
    return { tabId };
  }

  return {
    async 'prompt.get'({ nonce }, sender) {
      const tabId = promptTab(sender);
      if (!(await claims.claim(sender, nonce))) return notOpened();
      const ask = await session.get(`frame:${tabId}`);
      const offer = await session.get(`offer:${tabId}`);
      const accounts = (getState().accounts ?? []).filter((a) => a.unlocked).map((a) => ({ account: a.account, label: accountLabel(a), backend: a.backend }));
      const byId = new Map(accounts.map((a) => [a.account, a.label]));
      const view = {};
      if (fresh(offer)) {
        view.offer = {
          kind: offer.kind,
          site: offer.site,
          username: offer.username,
          passwordLength: offer.password.length,
          generated: offer.generated,
          changed: Boolean(offer.changed),
          entries: offer.entries.map((e) => ({ id: e.id, account: e.account, name: e.name, username: e.username, accountLabel: byId.get(e.account) ?? e.account })),
          // Passwork's API is read-only: its accounts cannot take a new entry.
          accounts: accounts.filter((a) => a.backend !== 'passwork'),
        };
      }
      if (fresh(ask)) view.frame = { frameSite: siteLabel(ask.frame), topSite: siteLabel(ask.top), frame: ask.frame, top: ask.top };
      return view;
    },

    async 'prompt.save'({ name, account, click }, sender) {
      const { tabId, error } = await answering(sender, click);
      if (error) return { error };
      const offer = await session.get(`offer:${tabId}`);
      if (!fresh(offer)) return { error: { code: 'GONE', message: t('promptExpiredSave') } };
      try {
        const params = { name: String(name ?? '').trim() || offer.site, url: offer.origin, username: offer.username, password: offer.password };
        if (account) params.account = String(account);
        const { item } = await client.request('credentials.create', params);
        await finish(tabId, { generated: true, close: false });
        return { done: true, item: { id: item?.id, account: item?.account, name: item?.name } };
      } catch (error) {
        const target = account ? accountOf(String(account)) : (getState().accounts ?? []).find((a) => a.unlocked && a.backend !== 'passwork');
        return writeErrorReply(error, offer, target);
      }
    },

    async 'prompt.update'({ id, account, click }, sender) {
      const { tabId, error } = await answering(sender, click);
      if (error) return { error };
      const offer = await session.get(`offer:${tabId}`);
      const entry = fresh(offer) && offer.entries.find((e) => e.id === id && e.account === account);
      if (!entry) return { error: { code: 'GONE', message: t('promptExpiredUpdate') } };
      try {
        const params = { id: entry.id, account: entry.account, password: offer.password };
        if (entry.updatedAt !== undefined) params.expectedUpdatedAt = entry.updatedAt;
        const { item } = await client.request('credentials.update', params);
        await finish(tabId, { generated: true, close: false });
        return { done: true, item: { id: item?.id, account: item?.account, name: item?.name } };
      } catch (error) {
        return writeErrorReply(error, offer, accountOf(entry.account));
      }
    },

    async 'prompt.never'({ click }, sender) {
      const { tabId, error } = await answering(sender, click);
      if (error) return { error };
      const offer = await session.get(`offer:${tabId}`);
      if (offer?.origin) await updateRules(storage, (r) => ({ ...r, neverSave: [...r.neverSave, offer.origin] }));
      await finish(tabId);
      return { done: true };
    },

    async 'prompt.close'(_message, sender) {
      const { tabId, error } = await answering(sender, null, { guarded: false });
      if (error) return { error };
      await claims.drop(tabId);
      await tell(tabId, { type: 'pa-prompt-close' }, { frameId: 0 });
      return { done: true };
    },

    // Not now: no click guard (it changes nothing), but only from the frame the extension placed.
    async 'prompt.dismiss'(_message, sender) {
      const { tabId, error } = await answering(sender, null, { guarded: false });
      if (error) return { error };
      await claims.drop(tabId);
      await session.remove(`frame:${tabId}`);
      await finish(tabId);
      return { done: true };
    },

    async 'prompt.allowFrame'({ click }, sender) {
      const { tabId, error } = await answering(sender, click);
      if (error) return { error };
      const ask = await session.get(`frame:${tabId}`);
      if (!fresh(ask)) return { error: { code: 'GONE', message: t('promptExpiredFrame') } };
      await updateRules(storage, (r) => ({ ...r, frames: [...r.frames, { frame: ask.frame, top: ask.top }] }));
      await session.remove(`frame:${tabId}`);
      await tell(tabId, { type: 'pa-prompt-close' }, { frameId: 0 });
      await tell(tabId, { type: 'pa-frame-allowed' }); // Every frame: the one that asked offers its logins now.
      return { done: true, allowed: { frame: ask.frame, top: ask.top } };
    },
  };
}
