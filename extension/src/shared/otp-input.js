// SPDX-License-Identifier: MIT
// What a person pastes (or a scanned QR code holds) as a TOTP secret: a base32 secret
// or an otpauth://totp/ link. Checked here only to say what is wrong in plain words
// before anything is sent; the host parses it again and encrypts the secret itself.
import { t } from './i18n.js';

const BASE32 = /^[A-Z2-7]+$/;

function cleanSecret(text) {
  return text.replace(/[\s-]/g, '').replace(/=+$/, '').toUpperCase();
}

/**
 * @param {string} text
 * @returns {{ok: true, params: {secret: string} | {otpauthUri: string}, label?: string, issuer?: string}
 *   | {ok: false, message: string}}
 */
export function parseOtpInput(text) {
  const input = String(text ?? '').trim();
  if (!input) {
    return { ok: false, message: t('otpEmpty') };
  }
  if (/^otpauth:/i.test(input)) {
    let url;
    try {
      url = new URL(input);
    } catch {
      return { ok: false, message: t('otpBadLink') };
    }
    // URL() puts "totp" in host for otpauth://totp/… and in pathname for otpauth:totp/….
    const kind = (url.host || url.pathname.replace(/^\/+/, '').split('/')[0]).toLowerCase();
    if (kind === 'hotp') {
      return { ok: false, message: t('otpHotp') };
    }
    if (kind !== 'totp') {
      return { ok: false, message: t('otpNotTotp') };
    }
    const secret = cleanSecret(url.searchParams.get('secret') ?? '');
    if (!secret || !BASE32.test(secret)) {
      return { ok: false, message: t('otpNoSecret') };
    }
    const label = decodeURIComponent(url.pathname.replace(/^\/+/, '').replace(/^totp\//i, ''));
    const issuer = url.searchParams.get('issuer') ?? (label.includes(':') ? label.split(':')[0] : '');
    return { ok: true, params: { otpauthUri: input }, label, issuer };
  }
  const secret = cleanSecret(input);
  if (!BASE32.test(secret)) {
    return { ok: false, message: t('otpBadChars') };
  }
  if (secret.length < 16) {
    return { ok: false, message: t('otpTooShort') };
  }
  return { ok: true, params: { secret } };
}
