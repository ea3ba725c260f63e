// /__test/… endpoints, served only with --test (no auth, no CSRF, not logged).
import { validationError } from '../wire.mjs';

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
  app.route('POST', '/__test/reset', () => {
    app.faults = [];
    app.requestLog = [];
    app.limits.reset();
    app.authErrorShape = 'error';
    app.clockOffsetMs = 0;
    data().events.views = [];
    data().events.notifications = [];
    app.store.touch('events');
    return { success: true };
  });
}
