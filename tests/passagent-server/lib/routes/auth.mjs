// Supabase Auth on the same origin (/auth/v1) and the CSRF token route.
export function register(app) {
  const a = app.auth;

  app.route(
    'POST',
    '/auth/v1/token',
    (ctx) => {
      const grant = ctx.query.get('grant_type') ?? ctx.body.grant_type;
      if (grant === 'password') {
        const { email, password } = ctx.body;
        if (typeof email !== 'string' || typeof password !== 'string' || !email || !password) {
          throw app.authErr(400, 'invalid_request', 'validation_failed', 'Missing email or password');
        }
        return a.passwordGrant(email, password);
      }
      if (grant === 'refresh_token') {
        const token = ctx.body.refresh_token;
        if (typeof token !== 'string' || !token) {
          throw app.authErr(400, 'invalid_request', 'validation_failed', 'Missing refresh_token');
        }
        return a.refreshGrant(token);
      }
      throw app.authErr(400, 'unsupported_grant_type', 'unsupported_grant_type', 'Unsupported grant_type');
    },
    {
      auth: false,
      csrf: false,
      apikey: true,
      body: 'any',
      // 10 password sign-ins per 15 minutes per IP + email (seed 001 "Authentication").
      limit: (ctx) => (ctx.query.get('grant_type') === 'password' ? ['auth', `${ctx.ip}|${String(ctx.body?.email ?? '').toLowerCase()}`] : [null]),
    },
  );

  const bearer = (ctx) => {
    try {
      return a.authenticate(ctx.req, { mfa: false });
    } catch {
      throw app.authErr(401, 'invalid_token', 'bad_jwt', 'invalid JWT: unable to parse or verify signature, token is expired or revoked');
    }
  };

  app.route(
    'POST',
    '/auth/v1/logout',
    (ctx) => {
      const { session } = bearer(ctx);
      a.logout(session, ctx.query.get('scope') ?? 'global');
      return { __status: 204, body: null };
    },
    { auth: false, csrf: false, apikey: true, body: 'any' },
  );

  app.route('GET', '/auth/v1/user', (ctx) => a.wireUser(bearer(ctx).user), { auth: false, apikey: true });

  app.route('GET', '/api/auth/csrf-token', () => ({ csrfToken: a.newCsrfToken() }), { auth: false });
}
