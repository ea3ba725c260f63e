// SPDX-License-Identifier: MIT
// HTTP Basic (and Digest) auth: when a site asks for a user name and password, answer
// with the one login of the vault that matches the URL asking (the same rule as any
// fill: credentials.get with purpose "fill" and that URL), if the person turned this on
// in the options. Anything else (off, locked, no match, several, a proxy, a second ask
// for the same request, which means the answer was refused) leaves it to the browser's
// own dialog. Chromium: onAuthRequired with asyncBlocking (permission
// webRequestAuthProvider); Firefox: blocking webRequest, a listener that returns a promise.
import { isWebUrl } from '../shared/url.js';
import { loadRules } from '../shared/site-rules.js';

/**
 * @param {object} deps
 * @param {{request: Function}} deps.client
 * @param {() => object} deps.getState
 * @param {object} deps.storage api.storage
 */
export function createBasicAuth({ client, getState, storage }) {
  const answered = new Set(); // requestIds already given a login: a second ask means it was wrong.

  /** The credentials to answer with, or null for the browser's dialog. */
  async function credentialsFor(details) {
    if (details.isProxy || !isWebUrl(details.url) || answered.has(details.requestId)) return null;
    if (!getState().unlocked || !(await loadRules(storage)).basicAuth) return null;
    // The server asked, not the person: not activity for the idle lock.
    const { matches = [] } = await client.request('credentials.match', { url: details.url, background: true });
    if (matches.length !== 1) return null;
    const [m] = matches;
    const secret = await client.request('credentials.get', { id: m.id, account: m.account, purpose: 'fill', url: details.url });
    if (!secret.username && !secret.password) return null;
    answered.add(details.requestId);
    if (answered.size > 1000) answered.delete(answered.values().next().value);
    return { username: secret.username ?? '', password: secret.password ?? '' };
  }

  async function answer(details) {
    const creds = await credentialsFor(details).catch(() => null);
    return creds ? { authCredentials: creds } : {};
  }

  function install(api, { firefox }) {
    const onAuth = api.webRequest?.onAuthRequired;
    if (!onAuth) return false;
    const filter = { urls: ['http://*/*', 'https://*/*'] };
    if (firefox) {
      onAuth.addListener((details) => answer(details), filter, ['blocking']);
    } else {
      onAuth.addListener((details, callback) => {
        answer(details).then(callback, () => callback({}));
      }, filter, ['asyncBlocking']);
    }
    api.webRequest.onCompleted?.addListener((d) => answered.delete(d.requestId), filter);
    api.webRequest.onErrorOccurred?.addListener((d) => answered.delete(d.requestId), filter);
    return true;
  }

  return { answer, install };
}
