// Vault key material (assumptions in passagent-api.md): salt + KDF parameters,
// the RSA key pair, and public-key lookup for sharing.
import { notFound } from '../wire.mjs';
import { validate } from '../validate.mjs';

export function register(app) {
  app.route(
    'GET',
    '/api/vault/salt',
    ({ user }) => ({ salt: user.vault.salt, kdf: user.vault.kdf, verifier: user.vault.verifier }),
    { limit: 'general' },
  );

  app.route(
    'GET',
    '/api/vault/keys',
    ({ user }) => ({ publicKey: user.keys.publicKey, encryptedPrivateKey: user.keys.encryptedPrivateKey }),
    { limit: 'general' },
  );

  app.route(
    'GET',
    '/api/users/public-key',
    (ctx) => {
      const { email } = validate({ email: ctx.query.get('email') ?? undefined }, { email: { type: 'email', required: true } });
      const u = app.auth.userByEmail(email);
      if (!u) throw notFound('User not found');
      return { publicKey: u.keys.publicKey };
    },
    { limit: 'general' },
  );
}
