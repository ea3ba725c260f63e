// SPDX-License-Identifier: MIT
// Where the PassAgent account features start: buttons in an entry's details header
// (share it, make a session share, set up its one-time code) and in an account's row
// (two-factor sign-in), registered through ENTRY_ACTIONS and ACCOUNT_ACTIONS in
// ../views/index.js. Only for the owner's own entries of a PassAgent account: a received
// share cannot be shared on, and Passman and Passwork have none of these.
import { ICONS } from '../../ui/icons.js';

/** An own entry of a PassAgent account. */
export function ownPassAgentEntry(entry, account) {
  return account?.backend === 'passagent' && !entry?.share && !entry?.shared;
}

const entryAction = (id, view, icon, label) => ({
  id,
  icon,
  label,
  when: ownPassAgentEntry,
  open: (scope, entry) => scope.router.go(view, { id: entry.id, account: entry.account, name: entry.name ?? '' }),
});

export const SHARING_ENTRY_ACTIONS = [
  entryAction('share', 'share', ICONS.share, 'entryShare'),
  entryAction('session-share', 'session-share', ICONS.link, 'entrySessionShare'),
  entryAction('totp', 'entry-totp', ICONS.clock, 'entryOneTimeCode'),
];

export const SHARING_ACCOUNT_ACTIONS = [{
  id: 'twoFactor',
  icon: ICONS.shield,
  label: 'navTwoFactor',
  when: (account) => account.loggedIn && account.backend === 'passagent',
  open: (scope, account) => scope.router.go('two-factor', { account: account.account }),
}];
