// The request pipeline and router, on plain node:http.
// Order for a route: test faults -> apikey (/auth/v1) -> body read (413) ->
// CSRF (mutations under /api) -> bearer auth -> 2FA gate -> rate limit ->
// step-up -> body parse (400) -> handler.
import { randomUUID } from 'node:crypto';
import { ANON_KEY } from './fixtures.mjs';
import { authError, apiError, HttpError, validationError } from './wire.mjs';

export const MAX_BODY = 1024 * 1024;
const MUTATIONS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const MAX_LOG = 10_000;

export class App {
  constructor({ options, store }) {
    this.options = options;
    this.store = store;
    this.data = store.data;
    this.routes = [];
    this.testRoutes = [];
    this.clockOffsetMs = 0;
    this.authErrorShape = 'error';
    this.faults = [];
    this.requestLog = [];
    this.origin = 'http://127.0.0.1';
    this.openStreams = new Set();
    this.nextFaultId = 1;
  }

  now() {
    return Date.now() + this.clockOffsetMs;
  }
  newUuid() {
    return randomUUID();
  }
  authErr(status, oauthError, errorCode, message, headers) {
    return authError(this.authErrorShape, status, oauthError, errorCode, message, headers);
  }

  /**
   * Adds a route. opts: auth (bearer required, default true), csrf (default: true
   * for mutations), mfa (apply the 2FA gate, default true), limit (category name or
   * (ctx) => [category, key] or null), stepUp, apikey, body ('json' | 'form' | 'any').
   */
  route(method, path, handler, opts = {}) {
    const keys = [];
    const re = new RegExp(
      `^${path.replace(/:([a-zA-Z]+)/g, (_, k) => {
        keys.push(k);
        return '([^/]+)';
      })}/?$`,
    );
    const list = path.startsWith('/__test/') ? this.testRoutes : this.routes;
    list.push({ method, path, re, keys, handler, opts });
  }

  match(list, method, pathname) {
    let pathMatched = false;
    for (const r of list) {
      const m = r.re.exec(pathname);
      if (!m) continue;
      pathMatched = true;
      if (r.method !== method) continue;
      const params = {};
      r.keys.forEach((k, i) => {
        params[k] = decodeURIComponent(m[i + 1]);
      });
      return { route: r, params };
    }
    return { route: null, pathMatched };
  }

  // ---------- test-mode faults ----------
  addFault(spec) {
    const f = { id: this.nextFaultId++, ...spec, remaining: spec.times ?? 1, hits: 0 };
    this.faults.push(f);
    return f;
  }
  takeFault(method, pathname, search) {
    for (const f of this.faults) {
      const m = f.match ?? {};
      if (m.method && m.method.toUpperCase() !== method) continue;
      if (m.pathRegex && !new RegExp(m.pathRegex).test(pathname + search)) continue;
      if (m.path && !(pathname + search).startsWith(m.path)) continue;
      f.hits++;
      if (f.remaining > 0) f.remaining--;
      if (f.remaining === 0) this.faults = this.faults.filter((x) => x !== f);
      return f;
    }
    return null;
  }

  log(entry) {
    this.requestLog.push(entry);
    if (this.requestLog.length > MAX_LOG) this.requestLog.shift();
  }

  // ---------- the handler ----------
  async handle(req, res) {
    const started = Date.now();
    const url = new URL(req.url, 'http://127.0.0.1');
    const method = req.method;
    const isTest = url.pathname.startsWith('/__test/');
    const ctx = {
      app: this,
      req,
      res,
      url,
      query: url.searchParams,
      params: {},
      ip: req.socket.remoteAddress ?? '',
      fault: null,
      status: 0,
    };
    res.on('finish', () => {
      if (!isTest) {
        this.log({
          time: new Date(started).toISOString(),
          method,
          path: url.pathname,
          query: url.search,
          status: res.statusCode,
          durationMs: Date.now() - started,
          email: ctx.user?.email ?? null,
          fault: ctx.fault?.id ?? null,
        });
      }
    });
    try {
      if (isTest) {
        if (!this.options.test) throw apiError(404, 'Not found');
        const { route, params } = this.match(this.testRoutes, method, url.pathname);
        if (!route) throw apiError(404, 'Not found');
        ctx.params = params;
        ctx.body = await this.readJson(req, true);
        const out = await route.handler(ctx);
        return this.finish(ctx, out);
      }

      if (this.options.test) {
        const f = this.takeFault(method, url.pathname, url.search);
        if (f) {
          ctx.fault = f;
          if (f.delayMs) await new Promise((r) => setTimeout(r, f.delayMs));
          if (f.drop) {
            req.socket.destroy();
            return;
          }
          if (f.status) {
            const body = f.body ?? { error: 'Injected fault', code: codeFor(f.status), status: f.status };
            const headers = { ...(f.headers ?? {}) };
            if (f.status === 429 && !headers['retry-after']) headers['retry-after'] = '1';
            return this.sendJson(ctx, f.status, body, headers);
          }
        }
      }

      const { route, params, pathMatched } = this.match(this.routes, method, url.pathname);
      if (!route) {
        if (pathMatched) throw apiError(405, 'Method not allowed', 'METHOD_NOT_ALLOWED');
        throw apiError(404, 'Not found');
      }
      ctx.params = params;
      const o = route.opts;
      if (o.apikey && req.headers.apikey !== ANON_KEY) {
        throw new HttpError(401, { message: 'No API key found in request', hint: 'No `apikey` request header or url param was found.' });
      }
      const raw = MUTATIONS.has(method) ? await this.readBody(req) : '';
      // Parsed now (limit keys may need it); a parse error is answered after the checks.
      try {
        ctx.body = parseBody(raw, o.body ?? 'json', req.headers['content-type'] ?? '');
      } catch (e) {
        ctx.body = {};
        ctx.bodyError = e;
      }
      const csrf = o.csrf ?? (MUTATIONS.has(method) && url.pathname.startsWith('/api/'));
      if (csrf) this.auth.checkCsrf(req);
      if (o.auth ?? true) Object.assign(ctx, this.auth.authenticate(req, { mfa: o.mfa ?? true }));
      if (o.limit) {
        const [cat, key] = typeof o.limit === 'function' ? o.limit(ctx) : [o.limit, ctx.user?.id ?? ctx.ip];
        if (cat) this.limits.enforce(cat, key);
      }
      if (o.stepUp) this.auth.requireStepUp(ctx.session);
      if (ctx.bodyError) throw ctx.bodyError;
      const out = await route.handler(ctx);
      return this.finish(ctx, out);
    } catch (err) {
      if (err instanceof HttpError) return this.sendJson(ctx, err.status, err.body, err.headers);
      process.stderr.write(`passagent-server: ${method} ${url.pathname}: ${err?.stack ?? err}\n`);
      return this.sendJson(ctx, 500, { error: 'Internal server error', code: 'INTERNAL_ERROR', status: 500 });
    }
  }

  finish(ctx, out) {
    if (ctx.res.headersSent || ctx.res.writableEnded || out === undefined) return;
    if (out && out.__raw) {
      ctx.res.writeHead(out.status ?? 200, out.headers ?? {});
      ctx.res.end(out.body);
      return;
    }
    if (out && out.__status) return this.sendJson(ctx, out.__status, out.body, out.headers);
    return this.sendJson(ctx, 200, out);
  }

  sendJson(ctx, status, body, headers = {}) {
    const res = ctx.res;
    if (res.headersSent) return;
    const text = body === null ? '' : JSON.stringify(body);
    const buf = Buffer.from(text, 'utf8');
    const h = { 'content-type': 'application/json; charset=utf-8', 'content-length': buf.length, 'cache-control': 'no-store', ...headers };
    if (status === 204) {
      res.writeHead(204, headers);
      res.end();
      return;
    }
    res.writeHead(status, h);
    if (ctx.fault?.truncate) {
      // Announce the full length, send half, then cut the connection.
      res.write(buf.subarray(0, Math.floor(buf.length / 2)));
      setImmediate(() => ctx.req.socket.destroy());
      return;
    }
    res.end(buf);
  }

  readBody(req) {
    return new Promise((resolve, reject) => {
      const chunks = [];
      let size = 0;
      let over = false;
      req.on('data', (c) => {
        size += c.length;
        if (size > MAX_BODY) over = true;
        else chunks.push(c);
      });
      req.on('end', () => {
        if (over) reject(apiError(413, 'Request body too large', 'PAYLOAD_TOO_LARGE'));
        else resolve(Buffer.concat(chunks).toString('utf8'));
      });
      req.on('error', reject);
    });
  }

  async readJson(req, lenient = false) {
    if (!MUTATIONS.has(req.method)) return {};
    const raw = await this.readBody(req);
    return parseBody(raw, lenient ? 'json-lenient' : 'json', req.headers['content-type'] ?? '');
  }
}

function codeFor(status) {
  return { 400: 'VALIDATION_ERROR', 401: 'UNAUTHORIZED', 403: 'FORBIDDEN', 404: 'NOT_FOUND', 409: 'CONFLICT', 410: 'GONE', 422: 'UNPROCESSABLE', 429: 'RATE_LIMITED' }[status] ?? 'INTERNAL_ERROR';
}

function parseBody(raw, kind, contentType) {
  if (kind === 'form' || (kind === 'any' && contentType.includes('application/x-www-form-urlencoded') && !raw.trimStart().startsWith('{'))) {
    return Object.fromEntries(new URLSearchParams(raw));
  }
  if (!raw.trim()) return {};
  try {
    const v = JSON.parse(raw);
    if (v === null || typeof v !== 'object' || Array.isArray(v)) throw new Error('not an object');
    return v;
  } catch {
    if (kind === 'json-lenient') return {};
    throw validationError([{ field: 'body', message: 'Request body must be a JSON object' }]);
  }
}

/** Helpers for handlers. */
export const created = (body, headers) => ({ __status: 201, body, headers });
export const withStatus = (status, body, headers) => ({ __status: status, body, headers });
export const html = (body, status = 200) => ({ __raw: true, status, headers: { 'content-type': 'text/html; charset=utf-8' }, body });
