// SPDX-License-Identifier: MIT
// Copying what a sharing view shows once (an invite token, a session token, a 2FA secret,
// recovery codes): through the background, which clears the clipboard after the time
// set in the options, as it does for passwords.
import { t } from '../../shared/i18n.js';

export async function copyText(scope, text, what) {
  const reply = await scope.host.send('copy', { field: 'text', text: String(text ?? '') });
  const done = t('copiedWhat', what);
  scope.say(reply.clearAfterSeconds > 0 ? `${done} ${t('clipboardClearsIn', reply.clearAfterSeconds)}` : done, 'ok');
  globalThis.document.body.dataset.copied = 'text'; // e2e tests wait on it
  return reply;
}

/** Offers `text` as a file download named `name` (recovery codes as a .txt file). */
export function saveTextFile(document, name, text) {
  const url = URL.createObjectURL(new Blob([text], { type: 'text/plain;charset=utf-8' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.hidden = true;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
