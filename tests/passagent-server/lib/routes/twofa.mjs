// Account 2FA (seed 002) with real RFC 6238 checks and one-time recovery codes.
// A verified code also lifts the session to aal2 (see the MFA gate in auth.mjs).
import { randomBytes } from 'node:crypto';
import { base32Encode, sha256hex, totpVerify } from '../crypto.mjs';
import { apiError, HttpError } from '../wire.mjs';
import { validate } from '../validate.mjs';

const CODE = { code: { type: 'string', required: true, min: 6, max: 64 } };
const invalidCode = () => new HttpError(401, { error: 'Invalid verification code', verified: false });

export function register(app) {
  const opts = { mfa: false };

  app.route(
    'POST',
    '/api/2fa/enroll',
    ({ user }) => {
      if (user.twofa?.enrolled) throw apiError(409, '2FA is already enabled', 'CONFLICT');
      const secret = base32Encode(randomBytes(20)).replace(/=+$/, '');
      const recoveryCodes = Array.from({ length: 8 }, () => randomBytes(4).toString('hex'));
      user.twofa = { enrolled: false, pending: { secret, recoveryCodes: recoveryCodes.map((c) => sha256hex(c)) } };
      app.store.touch('users');
      const label = encodeURIComponent(`PassAgent:${user.email}`);
      return { qrCodeUri: `otpauth://totp/${label}?secret=${secret}&issuer=PassAgent`, secret, recoveryCodes };
    },
    { ...opts, limit: 'twofaEnroll' },
  );

  app.route(
    'POST',
    '/api/2fa/verify',
    ({ user, session, body }) => {
      const { code } = validate(body, CODE);
      const tf = user.twofa ?? { enrolled: false };
      const now = app.now();
      if (!tf.enrolled) {
        if (!tf.pending || !totpVerify(tf.pending.secret, code, { timeMs: now })) throw invalidCode();
        user.twofa = { enrolled: true, secret: tf.pending.secret, recoveryCodes: tf.pending.recoveryCodes, enrolledAt: new Date(now).toISOString() };
      } else if (!totpVerify(tf.secret, code, { timeMs: now })) {
        // A recovery code works once.
        const h = sha256hex(code.trim().toLowerCase());
        const idx = tf.recoveryCodes.indexOf(h);
        if (idx < 0) throw invalidCode();
        tf.recoveryCodes.splice(idx, 1);
      }
      session.aal = 'aal2';
      app.store.touch('users', 'auth');
      return { verified: true };
    },
    { ...opts, limit: 'general' },
  );

  app.route(
    'GET',
    '/api/2fa/status',
    ({ user }) =>
      user.twofa?.enrolled
        ? { enrolled: true, method: 'totp', enrolledAt: user.twofa.enrolledAt }
        : { enrolled: false, method: null, enrolledAt: null },
    { ...opts, limit: 'general' },
  );

  app.route(
    'POST',
    '/api/2fa/disable',
    ({ user, body }) => {
      const { code } = validate(body, CODE);
      if (!user.twofa?.enrolled) throw apiError(422, '2FA is not enabled', 'UNPROCESSABLE');
      if (!totpVerify(user.twofa.secret, code, { timeMs: app.now() })) throw invalidCode();
      user.twofa = { enrolled: false };
      app.store.touch('users');
      return { success: true };
    },
    { ...opts, limit: 'general' },
  );
}
