// /api/session-shares (seed 000): create (step-up, 10/hour), the status stream
// (SSE), PATCH (pause, resume, revoke, extend, watermark) and DELETE.
// The server simulates the agent's login: login_in_progress for two poll
// intervals after creation, then active (or login_failed when the password is "fail").
import { createCipheriv, randomBytes } from 'node:crypto';
import { sha256hex } from '../crypto.mjs';
import { apiError, notFound, validationError, wireSessionShare } from '../wire.mjs';
import { validate } from '../validate.mjs';
import { created } from '../app.mjs';
import { openSse } from '../sse.mjs';

const SSE_MAX_MS = 5 * 60 * 1000;
const LOGIN_TICKS = 2;
const CENTS_PER_MINUTE = 10;

export function register(app) {
  const data = () => app.data;
  const interval = () => app.options.sseIntervalMs;

  /** The status as of now, derived from the stored state and the clock. */
  const statusOf = (s) => {
    const now = app.now();
    if (s.state === 'revoked') return 'revoked';
    if (Date.parse(s.expiresAt) <= now) return 'expired';
    if (s.scheduledStart && Date.parse(s.scheduledStart) > now) return 'scheduled';
    if (s.state === 'paused') return 'paused';
    const start = Math.max(Date.parse(s.createdAt), s.scheduledStart ? Date.parse(s.scheduledStart) : 0);
    if (now - start < LOGIN_TICKS * interval()) return 'login_in_progress';
    return s.loginFails ? 'login_failed' : 'active';
  };
  // Open status streams by session id: a viewer change (/__test/…/viewers) ticks them at once.
  const watchers = new Map();
  app.sessionShareChanged = (id) => {
    for (const tick of watchers.get(id) ?? []) tick();
  };
  const find = (user, id) => {
    const s = data().sessionShares.find((x) => x.id === id && x.ownerId === user.id);
    if (!s) throw notFound('Session share not found');
    return s;
  };

  app.route(
    'POST',
    '/api/session-shares',
    (ctx) => {
      const v = validate(ctx.body, {
        accountId: { type: 'string', required: true, min: 1 },
        decryptedUsername: { type: 'string', required: true, min: 1, max: 500 },
        decryptedPassword: { type: 'string', required: true, min: 1, max: 1000 },
        accessType: { type: 'enum', values: ['full', 'view_only'] },
        durationMinutes: { type: 'int', min: 1, max: 480 },
        maxViewers: { type: 'int', min: 1, max: 10 },
        loginMethod: { type: 'enum', values: ['ai_agent', 'manual'] },
        viewOnly: { type: 'bool' },
        watermarkEnabled: { type: 'bool' },
        scheduledStart: { type: 'iso' },
      });
      const rec = data().passwords.find((p) => p.id === v.accountId && p.owner_id === ctx.user.id);
      if (!rec) throw notFound('Password not found');
      const now = app.now();
      const duration = v.durationMinutes ?? 15;
      const start = v.scheduledStart ? Math.max(now, Date.parse(v.scheduledStart)) : now;
      const token = randomBytes(24).toString('base64url');
      // The credentials are kept encrypted under the server's own key.
      const iv = randomBytes(12);
      const c = createCipheriv('aes-256-gcm', Buffer.from(data().meta.serverKey, 'hex'), iv);
      const ct = Buffer.concat([c.update(JSON.stringify({ u: v.decryptedUsername, p: v.decryptedPassword })), c.final(), c.getAuthTag()]);
      const s = {
        id: app.newId('sess'),
        ownerId: ctx.user.id,
        accountId: rec.id,
        serviceName: rec.name,
        shareTokenHash: sha256hex(token),
        credentialsEncrypted: { iv: iv.toString('base64'), ciphertext: ct.toString('base64') },
        accessType: v.accessType ?? (v.viewOnly ? 'view_only' : 'full'),
        durationMinutes: duration,
        maxViewers: v.maxViewers ?? 1,
        loginMethod: v.loginMethod ?? 'ai_agent',
        viewOnly: v.viewOnly ?? false,
        watermarkEnabled: v.watermarkEnabled ?? false,
        scheduledStart: v.scheduledStart ? new Date(v.scheduledStart).toISOString() : null,
        createdAt: new Date(now).toISOString(),
        expiresAt: new Date(start + duration * 60_000).toISOString(),
        state: 'running',
        loginFails: v.decryptedPassword === 'fail',
      };
      data().sessionShares.push(s);
      app.store.touch('sessionShares');
      return created({
        id: s.id,
        shareToken: token,
        shareUrl: `/s/${token}`,
        status: 'login_in_progress',
        estimatedCostCents: duration * CENTS_PER_MINUTE * s.maxViewers,
        expiresAt: s.expiresAt,
        serviceName: s.serviceName,
        loginMethod: s.loginMethod,
      });
    },
    { stepUp: true, limit: 'sessionShareCreate' },
  );

  app.route(
    'GET',
    '/api/session-shares',
    (ctx) => ({ sessions: data().sessionShares.filter((s) => s.ownerId === ctx.user.id).map((s) => wireSessionShare(s, statusOf(s))) }),
    { limit: 'general' },
  );

  app.route(
    'GET',
    '/api/session-shares/:id/status',
    (ctx) => {
      const s = find(ctx.user, ctx.params.id);
      const stream = openSse(app, ctx.res);
      const started = Date.now();
      const preview = () => `${app.origin}/live/${s.id}`;
      const set = watchers.get(s.id) ?? new Set();
      watchers.set(s.id, set);
      const finish = () => {
        clearInterval(timer);
        set.delete(tick);
        if (set.size === 0) watchers.delete(s.id);
      };
      function tick() {
        if (stream.closed) return finish();
        const status = statusOf(s);
        // One viewer (the agent's browser) once active, unless a test set another count.
        const ev = { type: 'status', status, currentViewers: status === 'active' ? (s.viewers ?? 1) : 0 };
        if (status === 'active') ev.livePreviewUrl = preview();
        stream.send('status', ev);
        const final = ['revoked', 'expired', 'login_failed'];
        if (app.options.sseCompleteOn !== 'end') final.push('active');
        if (final.includes(status)) {
          const done = { type: 'complete', status };
          if (status === 'active') done.livePreviewUrl = preview();
          stream.send('complete', done);
          finish();
          stream.end();
        } else if (Date.now() - started >= SSE_MAX_MS) {
          stream.send('timeout', { type: 'timeout', status });
          finish();
          stream.end();
        }
        return undefined;
      }
      const timer = setInterval(tick, interval());
      set.add(tick);
      stream.stop = finish;
      tick();
      return undefined;
    },
    { limit: 'general' },
  );

  app.route(
    'PATCH',
    '/api/session-shares/:id',
    (ctx) => {
      const s = find(ctx.user, ctx.params.id);
      const v = validate(ctx.body, {
        action: { type: 'enum', values: ['pause', 'resume', 'revoke', 'extend'] },
        minutes: { type: 'int', min: 1, max: 480 },
        watermarkEnabled: { type: 'bool' },
      });
      if (v.action === undefined && v.watermarkEnabled === undefined) {
        throw validationError([{ field: 'action', message: 'Give action and/or watermarkEnabled' }]);
      }
      const status = statusOf(s);
      if (status === 'revoked' || status === 'expired') throw apiError(410, `Session is ${status}`, 'GONE');
      if (v.action === 'pause') s.state = 'paused';
      if (v.action === 'resume') {
        if (s.state !== 'paused') throw apiError(422, 'Session is not paused', 'UNPROCESSABLE');
        s.state = 'running';
      }
      if (v.action === 'revoke') s.state = 'revoked';
      if (v.action === 'extend') {
        s.expiresAt = new Date(Date.parse(s.expiresAt) + (v.minutes ?? 15) * 60_000).toISOString();
        s.durationMinutes += v.minutes ?? 15;
      }
      if (v.watermarkEnabled !== undefined) s.watermarkEnabled = v.watermarkEnabled;
      app.store.touch('sessionShares');
      return { success: true, session: wireSessionShare(s, statusOf(s)) };
    },
    { limit: 'general' },
  );

  app.route(
    'DELETE',
    '/api/session-shares/:id',
    (ctx) => {
      const s = find(ctx.user, ctx.params.id);
      s.state = 'revoked';
      app.store.touch('sessionShares');
      return { success: true };
    },
    { limit: 'general' },
  );
}
