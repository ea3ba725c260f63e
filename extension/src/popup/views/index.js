// SPDX-License-Identifier: MIT
// Every view of the popup, and the tabs of its bottom bar. A new view: one module in
// this folder (see extension/README.md, "How to add a popup view"), one line here.
import { ICONS } from '../../ui/icons.js';
import wait from './wait.js';
import hostProblem from './host.js';
import login from './login.js';
import unlock from './unlock.js';
import main from './main.js';
import accounts from './accounts.js';
import details from './details.js';
import edit from './edit.js';
import generator from './generator.js';
// PassAgent's account features (sharing, session shares, 2FA, an entry's one-time code).
import share from './share.js';
import shares from './shares.js';
import sessionShare from './session-share.js';
import twoFactor from './two-factor.js';
import entryTotp from './entry-totp.js';
import { SHARING_ENTRY_ACTIONS, SHARING_ACCOUNT_ACTIONS } from '../sharing/actions.js';

export const VIEWS = [wait, hostProblem, login, unlock, main, accounts, details, edit, generator,
  share, shares, sessionShare, twoFactor, entryTotp];

/** The bottom bar: view name, icon, message key of its label. Shown once a vault is unlocked. */
export const NAV = [
  { view: 'main', icon: ICONS.key, label: 'navVault' },
  { view: 'generator', icon: ICONS.dice, label: 'navGenerator' },
  { view: 'shares', icon: ICONS.share, label: 'navSharing' },
  { view: 'accounts', icon: ICONS.users, label: 'navAccounts' },
];

/**
 * Extra buttons in an entry's details header, for features that live in their own
 * views (sharing, TOTP setup): `{id, icon, label, when(entry, account) → bool,
 * open(scope, entry, account)}`. Add one here instead of editing details.js.
 */
export const ENTRY_ACTIONS = [...SHARING_ENTRY_ACTIONS];

/** The same for an account's row in the accounts view (two-factor settings, say). */
export const ACCOUNT_ACTIONS = [...SHARING_ACCOUNT_ACTIONS];
