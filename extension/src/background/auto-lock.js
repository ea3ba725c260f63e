// SPDX-License-Identifier: MIT
// Locks the vault when this computer goes idle for the configured minutes, or its
// screen locks. The host has an idle timer of its own (its config `autoLockMinutes`);
// this one follows the person's activity anywhere on the computer, which the host
// cannot see. 0 minutes turns it off.
import { api } from '../shared/browser-api.js';

export function createAutoLock({ lock }) {
  let minutes = 0;

  function onState(state) {
    if (minutes > 0 && (state === 'idle' || state === 'locked')) {
      lock(state).catch(() => {});
    }
  }

  function configure(newMinutes) {
    minutes = Number(newMinutes) || 0;
    if (!api.idle) return;
    // The browser's floor is 15 seconds.
    api.idle.setDetectionInterval(Math.max(15, Math.round(minutes * 60)));
  }

  api.idle?.onStateChanged.addListener(onState);
  return { configure };
}
