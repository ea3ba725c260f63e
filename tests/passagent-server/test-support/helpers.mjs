// Shared test helpers: start a server in-process and talk real HTTP to it.
import { startServer } from '../lib/server.mjs';

// The cheapest parameters at the host's floor (RFC 9106 / OWASP: 19 MiB, 2 passes).
export const FAST_KDF = { memoryKiB: 19456, iterations: 2, parallelism: 1 };

export async function start(opts = {}) {
  const srv = await startServer({ test: true, seed: 1, items: 30, kdf: FAST_KDF, sseIntervalMs: 50, ...opts });
  return srv;
}

export class Client {
  constructor(srv) {
    this.srv = srv;
    this.base = srv.url;
    this.token = null;
    this.refreshToken = null;
    this.csrf = null;
  }

  async raw(method, path, { body, headers = {}, token = this.token, csrf } = {}) {
    const h = { ...headers };
    if (token) h.authorization = `Bearer ${token}`;
    if (csrf) h['x-csrf-token'] = csrf;
    let payload;
    if (body !== undefined) {
      payload = typeof body === 'string' ? body : JSON.stringify(body);
      h['content-type'] ??= 'application/json';
    }
    const res = await fetch(this.base + path, { method, headers: h, body: payload });
    const text = await res.text();
    let json = null;
    try {
      json = text ? JSON.parse(text) : null;
    } catch {
      json = null;
    }
    return { status: res.status, headers: res.headers, body: json, text };
  }

  /** An API call with the bearer token and (for mutations) a CSRF token. */
  async api(method, path, body, opts = {}) {
    let csrf;
    if (method !== 'GET') {
      if (!this.csrf) this.csrf = (await this.raw('GET', '/api/auth/csrf-token')).body.csrfToken;
      csrf = this.csrf;
    }
    return this.raw(method, path, { body, csrf, ...opts });
  }

  async auth(grant, body, headers = { apikey: this.srv.anonKey }) {
    return this.raw('POST', `/auth/v1/token?grant_type=${grant}`, { body, headers, token: null });
  }

  async login(creds = this.srv.account) {
    const r = await this.auth('password', { email: creds.email, password: creds.password });
    if (r.status !== 200) throw new Error(`login failed: ${r.status} ${r.text}`);
    this.token = r.body.access_token;
    this.refreshToken = r.body.refresh_token;
    return r.body;
  }

  test(method, path, body) {
    return this.raw(method, `/__test/${path}`, { body, token: null });
  }
}

export function jwtPayload(token) {
  return JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString('utf8'));
}

export async function loggedIn(srv, creds) {
  const c = new Client(srv);
  await c.login(creds);
  return c;
}

/** Opens an SSE stream; next() resolves to the next {event, data}, or null at its end. */
export async function openSse(srv, path, token) {
  const res = await fetch(srv.url + path, { headers: { authorization: `Bearer ${token}` } });
  if (res.status !== 200) throw new Error(`SSE ${path}: ${res.status}`);
  const reader = res.body.getReader();
  const decoder = new TextDecoder();
  let buf = '';
  return {
    contentType: res.headers.get('content-type'),
    async next() {
      for (;;) {
        const cut = buf.indexOf('\n\n');
        if (cut >= 0) {
          const block = buf.slice(0, cut);
          buf = buf.slice(cut + 2);
          const ev = /^event: (.*)$/m.exec(block);
          if (!ev) continue;
          return { event: ev[1], data: JSON.parse(/^data: (.*)$/m.exec(block)[1]) };
        }
        const { done, value } = await reader.read();
        if (done) return null;
        buf += decoder.decode(value, { stream: true });
      }
    },
    cancel: () => reader.cancel(),
  };
}
