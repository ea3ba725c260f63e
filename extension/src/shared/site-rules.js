// SPDX-License-Identifier: MIT
// What the person decided per site, kept in storage.local under `siteRules` (nothing
// secret): sites where PassAgent never offers to save, pairs of sites where a frame of
// one may be filled inside a page of the other, and whether PassAgent answers HTTP
// Basic auth requests. The options page lists them and takes them back.
import { webOrigin } from './url.js';

export const DEFAULT_RULES = Object.freeze({ neverSave: [], frames: [], basicAuth: false });

/** Rules with every key present and only well-formed entries kept. */
export function cleanRules(raw) {
  const origins = (list) => [...new Set((Array.isArray(list) ? list : []).map(webOrigin).filter(Boolean))].sort();
  const pairs = new Map();
  for (const pair of Array.isArray(raw?.frames) ? raw.frames : []) {
    const frame = webOrigin(pair?.frame);
    const top = webOrigin(pair?.top);
    if (frame && top && frame !== top) pairs.set(`${frame} ${top}`, { frame, top });
  }
  return {
    neverSave: origins(raw?.neverSave),
    frames: [...pairs.values()].sort((a, b) => a.top.localeCompare(b.top) || a.frame.localeCompare(b.frame)),
    basicAuth: raw?.basicAuth === true,
  };
}

export async function loadRules(storage) {
  const stored = await storage.local.get('siteRules');
  return cleanRules(stored?.siteRules);
}

/** Applies change(rules) to the stored rules and stores the result. */
export async function updateRules(storage, change) {
  const next = cleanRules(change(await loadRules(storage)));
  await storage.local.set({ siteRules: next });
  return next;
}

/** May a frame showing frameUrl be filled inside a tab showing tabUrl? Same origin always; others only when allowed. */
export function frameAllowed(rules, frameUrl, tabUrl) {
  const frame = webOrigin(frameUrl);
  const top = webOrigin(tabUrl);
  if (!frame || !top) return false;
  return frame === top || rules.frames.some((p) => p.frame === frame && p.top === top);
}

export function neverSaves(rules, url) {
  return rules.neverSave.includes(webOrigin(url));
}
