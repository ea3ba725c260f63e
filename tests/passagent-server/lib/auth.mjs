// Supabase-style auth: HS256 JWTs, sessions, single-use refresh tokens with a
// 10 s reuse window, and the CSRF tokens of /api/auth/csrf-token.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { passwordHash } from './fixtures.mjs';
import { apiError, authError, mfaRequired, stepUpRequired, STEP_UP_MAX_AGE, unauthorized } from './wire.mjs';

export const REFRESH_REUSE_WINDOW_MS = 10_000;
export const CSRF_TTL_MS = 60 * 60 * 1000;
const MAX_CSRF_TOKENS = 5000;

const b64u = (buf) => Buffer.from(buf).toString('base64url');
const rand = (n) => randomBytes(n).toString('base64url');

export class Auth {
  constructor(app) {
    this.app = app;
  }
  get data() {
    return this.app.data;
  }
  get state() {
    return this.app.data.auth;
  }

  // ---------- JWT ----------
  sign(payload) {
    const header = b64u(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));
    const body = b64u(JSON.stringify(payload));
    const sig = createHmac('sha256', this.data.meta.jwtSecret).update(`${header}.${body}`).digest();
    return `${header}.${body}.${b64u(sig)}`;
  }
  /** Returns the payload of a valid, unexpired token, or null. */
  verify(token) {
    const parts = typeof token === 'string' ? token.split('.') : [];
    if (parts.length !== 3) return null;
    const expect = createHmac('sha256', this.data.meta.jwtSecret).update(`${parts[0]}.${parts[1]}`).digest();
    const got = Buffer.from(parts[2], 'base64url');
    if (got.length !== expect.length || !timingSafeEqual(got, expect)) return null;
    let payload;
    try {
      payload = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8'));
    } catch {
      return null;
    }
    if (typeof payload.exp !== 'number' || payload.exp * 1000 <= this.app.now()) return null;
    return payload;
  }

  // ---------- users and sessions ----------
  userByEmail(email) {
    const e = String(email ?? '').trim().toLowerCase();
    return this.data.users.find((u) => u.email === e) ?? null;
  }
  userById(id) {
    return this.data.users.find((u) => u.id === id) ?? null;
  }
  session(id) {
    return this.state.sessions.find((s) => s.id === id) ?? null;
  }

  wireUser(user) {
    return {
      id: user.id,
      aud: 'authenticated',
      role: 'authenticated',
      email: user.email,
      email_confirmed_at: user.created_at,
      confirmed_at: user.created_at,
      last_sign_in_at: user.last_sign_in_at ?? null,
      app_metadata: { provider: 'email', providers: ['email'] },
      user_metadata: {},
      factors: user.twofa?.enrolled ? [{ id: `factor_${user.id.slice(0, 8)}`, factor_type: 'totp', status: 'verified' }] : [],
      created_at: user.created_at,
      updated_at: user.created_at,
    };
  }

  issueAccessToken(session, user) {
    const now = this.app.now();
    const ttl = this.app.options.tokenTtl;
    const jti = rand(12);
    const payload = {
      iss: `${this.app.origin}/auth/v1`,
      sub: user.id,
      aud: 'authenticated',
      exp: Math.floor(now / 1000) + ttl,
      iat: Math.floor(now / 1000),
      email: user.email,
      phone: '',
      role: 'authenticated',
      aal: session.aal,
      amr: [{ method: 'password', timestamp: Math.floor(session.loginAt / 1000) }],
      session_id: session.id,
      is_anonymous: false,
      jti,
    };
    session.issuedJtis.push(jti);
    if (session.issuedJtis.length > 50) session.issuedJtis.shift();
    return { token: this.sign(payload), exp: payload.exp };
  }

  tokenReply(session, user, refreshToken) {
    const { token, exp } = this.issueAccessToken(session, user);
    this.app.store.touch('auth');
    return {
      access_token: token,
      token_type: 'bearer',
      expires_in: this.app.options.tokenTtl,
      expires_at: exp,
      refresh_token: refreshToken,
      user: this.wireUser(user),
    };
  }

  newRefreshToken(session) {
    const rt = { token: rand(16), sessionId: session.id, createdAt: this.app.now(), usedAt: null, child: null };
    this.state.refreshTokens.push(rt);
    return rt;
  }

  passwordGrant(email, password) {
    const shape = this.app.authErrorShape;
    const user = this.userByEmail(email);
    if (!user || user.passwordHash !== passwordHash(user.id, String(password))) {
      throw authError(shape, 400, 'invalid_grant', 'invalid_credentials', 'Invalid login credentials');
    }
    const now = this.app.now();
    const session = {
      id: this.app.newUuid(),
      userId: user.id,
      loginAt: now,
      aal: 'aal1',
      revoked: false,
      issuedJtis: [],
      revokedJtis: [],
      createdAt: now,
    };
    this.state.sessions.push(session);
    user.last_sign_in_at = new Date(now).toISOString();
    this.app.store.touch('users');
    const rt = this.newRefreshToken(session);
    return this.tokenReply(session, user, rt.token);
  }

  refreshGrant(token) {
    const shape = this.app.authErrorShape;
    const rt = this.state.refreshTokens.find((r) => r.token === token);
    if (!rt) {
      throw authError(shape, 400, 'invalid_grant', 'refresh_token_not_found', 'Invalid Refresh Token: Refresh Token Not Found');
    }
    const session = this.session(rt.sessionId);
    const user = session && this.userById(session.userId);
    if (!session || session.revoked || !user) {
      throw authError(shape, 400, 'invalid_grant', 'session_not_found', 'Invalid Refresh Token: Session Expired');
    }
    const now = this.app.now();
    if (rt.usedAt === null) {
      const child = this.newRefreshToken(session);
      rt.usedAt = now;
      rt.child = child.token;
      return this.tokenReply(session, user, child.token);
    }
    if (now - rt.usedAt <= REFRESH_REUSE_WINDOW_MS) {
      // Reuse window: answer with the token that replaced it (as Supabase does),
      // so two racing refreshes both get a working pair.
      let active = this.state.refreshTokens.find((r) => r.token === rt.child);
      while (active && active.usedAt !== null && active.child) {
        active = this.state.refreshTokens.find((r) => r.token === active.child);
      }
      return this.tokenReply(session, user, active.token);
    }
    // Reuse after the window: treat as theft and revoke the whole session.
    this.revokeSession(session);
    throw authError(shape, 400, 'invalid_grant', 'refresh_token_already_used', 'Invalid Refresh Token: Already Used');
  }

  revokeSession(session) {
    session.revoked = true;
    this.app.store.touch('auth');
  }

  logout(session, scope) {
    const all = this.state.sessions.filter((s) => s.userId === session.userId && !s.revoked);
    const targets = scope === 'local' ? [session] : scope === 'others' ? all.filter((s) => s.id !== session.id) : all;
    for (const s of targets) this.revokeSession(s);
  }

  /** Test mode: makes every current access token of a user (or of everyone) invalid. */
  expireTokens(userId) {
    for (const s of this.state.sessions) {
      if (userId && s.userId !== userId) continue;
      s.revokedJtis.push(...s.issuedJtis);
      s.issuedJtis = [];
    }
    this.app.store.touch('auth');
  }

  /**
   * Resolves `Authorization: Bearer` to {user, session, claims}, or throws 401.
   * With mfa=true, also refuses aal1 sessions of users who enrolled 2FA.
   */
  authenticate(req, { mfa = true } = {}) {
    const h = req.headers.authorization ?? '';
    const m = /^Bearer\s+(\S+)$/i.exec(h);
    if (!m) throw unauthorized('Authentication required');
    const claims = this.verify(m[1]);
    if (!claims) throw unauthorized('Invalid or expired token');
    const session = this.session(claims.session_id);
    if (!session || session.revoked || session.revokedJtis.includes(claims.jti)) {
      throw unauthorized('Invalid or expired token');
    }
    const user = this.userById(claims.sub);
    if (!user) throw unauthorized('Invalid or expired token');
    if (mfa && user.twofa?.enrolled && session.aal !== 'aal2') throw mfaRequired();
    return { user, session, claims };
  }

  requireStepUp(session) {
    if (this.app.now() - session.loginAt > STEP_UP_MAX_AGE * 1000) throw stepUpRequired();
  }

  // ---------- CSRF ----------
  newCsrfToken() {
    const now = this.app.now();
    const list = this.state.csrf.filter((c) => c.expiresAt > now);
    const token = rand(24);
    list.push({ token, expiresAt: now + CSRF_TTL_MS });
    while (list.length > MAX_CSRF_TOKENS) list.shift();
    this.state.csrf = list;
    this.app.store.touch('auth');
    return token;
  }
  checkCsrf(req) {
    const token = req.headers['x-csrf-token'];
    const now = this.app.now();
    const ok = typeof token === 'string' && this.state.csrf.some((c) => c.token === token && c.expiresAt > now);
    if (!ok) throw apiError(403, 'Invalid CSRF token', 'FORBIDDEN');
  }
  rotateCsrf() {
    this.state.csrf = [];
    this.app.store.touch('auth');
  }
}
