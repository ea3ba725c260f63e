// /__test/… endpoints, served only with --test (no auth, no CSRF, not logged).
import { apiError, notFound, validationError } from '../wire.mjs';
import { validate } from '../validate.mjs';
import { created } from '../app.mjs';
import { makeRng } from '../crypto.mjs';
import { makeUser } from '../fixtures.mjs';

export function register(app) {
  const data = () => app.data;
  const userOr400 = (email, required = true) => {
    if (!email) {
      if (required) throw validationError([{ field: 'email', message: 'Required' }]);
      return null;
    }
    const u = app.auth.userByEmail(email);
    if (!u) throw validationError([{ field: 'email', message: 'Unknown user' }]);
    return u;
  };

  app.route('GET', '/__test/views', () => ({ views: data().events.views }));
  app.route('GET', '/__test/notifications', () => ({ notifications: data().events.notifications }));
  app.route('GET', '/__test/requests', (ctx) => {
    const since = Number(ctx.query.get('since') ?? 0);
    return { requests: app.requestLog.slice(since), total: app.requestLog.length };
  });
  app.route('GET', '/__test/fixtures', () => ({
    users: data().users.map((u) => ({ id: u.id, email: u.email, handle: u.handle })),
    items: data().meta.manifest.map((m) => ({ ...m, url: m.originPath ? app.origin + m.originPath : m.url })),
    total: data().passwords.length,
    origin: app.origin,
  }));
  app.route('GET', '/__test/session-shares', () => ({ sessions: data().sessionShares }));
  app.route('GET', '/__test/faults', () => ({ faults: app.faults }));

  app.route('POST', '/__test/fault', ({ body }) => {
    const m = body.match ?? {};
    if (!m.path && !m.pathRegex) throw validationError([{ field: 'match.path', message: 'Give match.path (prefix) or match.pathRegex' }]);
    if (m.pathRegex) new RegExp(m.pathRegex); // throws on a bad regex -> 500 is fine for a test tool
    const f = app.addFault({
      match: { method: m.method, path: m.path, pathRegex: m.pathRegex },
      times: body.times ?? 1,
      status: body.status,
      body: body.body,
      headers: body.headers,
      delayMs: body.delayMs,
      drop: body.drop === true,
      truncate: body.truncate === true,
    });
    return { id: f.id };
  });

  app.route('POST', '/__test/expire-token', ({ body }) => {
    const u = userOr400(body.email, false);
    app.auth.expireTokens(u?.id);
    return { success: true };
  });
  app.route('POST', '/__test/rotate-csrf', () => {
    app.auth.rotateCsrf();
    return { success: true };
  });
  app.route('POST', '/__test/reset-limits', () => {
    app.limits.reset();
    return { success: true };
  });
  app.route('POST', '/__test/age-login', ({ body }) => {
    const u = userOr400(body.email);
    const secs = Number(body.seconds ?? 301);
    for (const s of data().auth.sessions) if (s.userId === u.id) s.loginAt -= secs * 1000;
    app.store.touch('auth');
    return { success: true };
  });
  app.route('POST', '/__test/auth-error-shape', ({ body }) => {
    if (!['error', 'error_code', 'code'].includes(body.shape)) {
      throw validationError([{ field: 'shape', message: "Expected 'error' | 'error_code' | 'code'" }]);
    }
    app.authErrorShape = body.shape;
    return { shape: app.authErrorShape };
  });
  app.route('GET', '/__test/clock', () => ({ now: new Date(app.now()).toISOString(), offsetSeconds: app.clockOffsetMs / 1000 }));
  app.route('POST', '/__test/clock', ({ body }) => {
    app.clockOffsetMs = Number(body.offsetSeconds ?? 0) * 1000;
    return { now: new Date(app.now()).toISOString(), offsetSeconds: app.clockOffsetMs / 1000 };
  });
  // A new account (empty vault, its own salt and RSA key pair, the server's KDF
  // parameters): it can sign in, unlock and receive shares.
  app.route('POST', '/__test/users', async ({ body }) => {
    const v = validate(body, {
      email: { type: 'email', required: true },
      password: { type: 'string', required: true, min: 1, max: 200 },
      masterPassword: { type: 'string', required: true, min: 1, max: 1000 },
      totpSecret: { type: 'string', min: 16, max: 128 },
    });
    if (app.auth.userByEmail(v.email)) throw apiError(409, 'A user with this email already exists', 'CONFLICT');
    const stamp = () => new Date(app.now()).toISOString();
    const handle = `user-${data().users.length + 1}`;
    const { user } = await makeUser({ handle, creds: v, rng: makeRng(null), kdf: data().meta.kdf, stamp });
    // Checked again: the key derivation above yields to other requests.
    if (app.auth.userByEmail(v.email)) throw apiError(409, 'A user with this email already exists', 'CONFLICT');
    data().users.push(user);
    app.store.touch('users');
    return created({ id: user.id, email: user.email, handle });
  });

  // Session shares: the viewer count the status stream reports, and whether the
  // stream ends with `complete` once the share is active (seed 000's example) or
  // stays open while it is active, so viewer changes show as new `status` events.
  app.route('POST', '/__test/session-shares/:id/viewers', ({ params, body }) => {
    const s = data().sessionShares.find((x) => x.id === params.id);
    if (!s) throw notFound('Session share not found');
    const v = validate(body, { count: { type: 'int', min: 0, max: 10 }, add: { type: 'int', min: -10, max: 10 } });
    if ((v.count === undefined) === (v.add === undefined)) throw validationError([{ field: 'count', message: 'Give exactly one of count and add' }]);
    const next = v.count ?? (s.viewers ?? 1) + v.add;
    if (next < 0 || next > s.maxViewers) throw validationError([{ field: v.count === undefined ? 'add' : 'count', message: `Viewers must stay within 0..${s.maxViewers} (maxViewers)` }]);
    s.viewers = next;
    app.store.touch('sessionShares');
    app.sessionShareChanged?.(s.id);
    return { id: s.id, currentViewers: next, maxViewers: s.maxViewers };
  });
  app.route('GET', '/__test/session-shares/stream-mode', () => ({ completeOn: app.options.sseCompleteOn }));
  app.route('POST', '/__test/session-shares/stream-mode', ({ body }) => {
    const v = validate(body, { completeOn: { type: 'enum', values: ['active', 'end'], required: true } });
    app.options.sseCompleteOn = v.completeOn;
    return { completeOn: v.completeOn };
  });

  app.route('POST', '/__test/reset', () => {
    app.faults = [];
    app.requestLog = [];
    app.limits.reset();
    app.authErrorShape = 'error';
    app.clockOffsetMs = 0;
    app.options.sseCompleteOn = app.defaultSseCompleteOn;
    data().events.views = [];
    data().events.notifications = [];
    app.store.touch('events');
    return { success: true };
  });
}
