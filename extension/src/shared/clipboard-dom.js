// SPDX-License-Identifier: MIT
// Clipboard writes and the timed clear, for a document with a DOM: Chromium's offscreen
// document, or Firefox's background page. Both run this same code.

/** Writes text; the `copy` event route works where navigator.clipboard needs focus. */
export async function writeText(doc, text) {
  try {
    await doc.defaultView.navigator.clipboard.writeText(text);
    return true;
  } catch {
    // Offscreen documents cannot take focus; fall back to a copy command.
  }
  const onCopy = (event) => {
    event.clipboardData.setData('text/plain', text);
    event.preventDefault();
  };
  doc.addEventListener('copy', onCopy, true);
  try {
    return doc.execCommand('copy');
  } finally {
    doc.removeEventListener('copy', onCopy, true);
  }
}

/** The clipboard's text, or null when it cannot be read (no clipboardRead permission). */
export async function readText(doc) {
  try {
    return await doc.defaultView.navigator.clipboard.readText();
  } catch {
    // Try the paste command below.
  }
  const area = doc.createElement('textarea');
  doc.body.append(area);
  area.focus();
  try {
    return doc.execCommand('paste') ? area.value : null;
  } finally {
    area.remove();
  }
}

/**
 * SHA-256 of a text, in hex: what the pending clear remembers of a copied secret, so that
 * the secret itself is never kept to compare with (not even in session storage).
 */
export async function digestText(text) {
  const bytes = new Uint8Array(await globalThis.crypto.subtle.digest('SHA-256', new TextEncoder().encode(text)));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * Best effort: with permission to read, the clipboard is wiped only if it still holds
 * what PassAgent wrote (its digest matches; something copied since is left alone);
 * without it, it is wiped.
 */
export async function clearIfUnchanged(doc, writtenDigest, canRead) {
  if (canRead) {
    const now = await readText(doc);
    if (now !== null && (await digestText(now)) !== writtenDigest) {
      return 'changed';
    }
  }
  await writeText(doc, '');
  return 'cleared';
}
