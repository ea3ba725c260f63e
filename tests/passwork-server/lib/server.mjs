// Passwork's legacy API (/api3/) on plain node:http, listening on 127.0.0.1. Requests
// are POSTs with form (or JSON) parameters; every reply is
// {response, errorCode, errorMessage}, with response false on an error. /__test/
// routes exist only with {test: true}.
import { randomBytes } from 'node:crypto';
import { buildState, DEMO_SITE_LOGIN } from './fixtures.mjs';
import { serveDemoLogin } from '../../support/demo-site.mjs';
import { HttpError, readBody as readBounded, send, createFaults, createRequestLog, listen } from '../../support/node-server.mjs';

export const MAX_BODY = 1024 * 1024;
const MAX_LOG = 10_000;
export const DEFAULT_SESSION_TTL = 300; // "expired each few minutes"
export const BAN_AFTER = 5; // failed openSession attempts in a row

// An API error: HTTP 200, response false.
class ApiError extends Error {
  constructor(errorCode, errorMessage) {
    super(errorMessage);
    this.errorCode = errorCode;
  }
}

const readBody = (req) => readBounded(req, MAX_BODY);

// POST parameters: application/x-www-form-urlencoded (what a browser form or PHP
// client sends) or a JSON object.
function parseParams(req, text) {
  const type = (req.headers['content-type'] ?? '').toLowerCase();
  if (type.startsWith('application/json')) {
    try {
      const value = JSON.parse(text || '{}');
      if (value && typeof value === 'object' && !Array.isArray(value)) return value;
    } catch {
      // fall through
    }
    throw new HttpError(400, 'The request body is not a JSON object');
  }
  return Object.fromEntries(new URLSearchParams(text));
}

// getGroups' view of a vault (without the server's own bookkeeping).
function groupView(group) {
  const { owner: _owner, ...view } = group;
  return view;
}

function passwordView(password) {
  const { categoryId: _c, ...view } = password;
  return view;
}

function allFolderIds(categories, out = new Set()) {
  for (const c of categories) {
    out.add(c.id);
    allFolderIds(c.categories ?? [], out);
  }
  return out;
}

export async function startServer({ port = 0, test = false, sessionTtl = DEFAULT_SESSION_TTL } = {}) {
  // Encrypted once the origin is known (the demo entry's URL holds it).
  let initial = null;
  let state = null;
  let sessions = new Map(); // code -> {email, expires}
  let failures = new Map(); // email -> failed openSession attempts in a row
  const faults = createFaults();
  const requestLog = createRequestLog(MAX_LOG);

  const sessionUser = (params) => {
    const code = params.session;
    const session = typeof code === 'string' ? sessions.get(code) : undefined;
    if (!session || session.expires <= Date.now()) {
      if (session) sessions.delete(code);
      throw new ApiError('expired', 'Session expired');
    }
    return state.users.find((u) => u.email === session.email);
  };

  const api = {
    openSession: (params) => {
      const email = typeof params.email === 'string' ? params.email.toLowerCase() : '';
      if ((failures.get(email) ?? 0) >= BAN_AFTER) {
        throw new ApiError('ban', 'Too many failed attempts: the user is banned');
      }
      const user = state.users.find((u) => u.email === email);
      if (!user || user.password !== params.password) {
        failures.set(email, (failures.get(email) ?? 0) + 1);
        throw new ApiError('', 'Wrong login or password');
      }
      failures.delete(email);
      const code = randomBytes(16).toString('hex');
      sessions.set(code, { email: user.email, expires: Date.now() + sessionTtl * 1000 });
      return { code, hash: user.hashValue };
    },
    getGroups: (params) => {
      const user = sessionUser(params);
      return state.groups.filter((g) => g.owner === user.email).map(groupView);
    },
    getPasswords: (params) => {
      const user = sessionUser(params);
      // The document names the vault parameter "groupdId"; "groupId" is read too.
      const groupId = params.groupdId ?? params.groupId;
      const group = state.groups.find((g) => g.id === groupId && g.owner === user.email);
      if (!group) throw new ApiError('notFound', 'Vault not found');
      // No folder: the passwords at the vault's root.
      const categoryId = params.categoryId ? params.categoryId : null;
      if (categoryId !== null && !allFolderIds(group.categories).has(categoryId)) {
        throw new ApiError('notFound', 'Folder not found');
      }
      return state.passwords.filter((p) => p.groupId === group.id && p.categoryId === categoryId).map(passwordView);
    },
  };

  const testRoutes = {
    'GET /__test/fixtures': () => ({
      users: state.users.map(({ email, password, masterPassword, encryption, hash }) => ({ email, password, masterPassword, encryption, hash })),
      vaults: state.groups.map((g) => ({ id: g.id, name: g.name, scope: g.scope, owner: g.owner })),
      passwords: state.manifest,
    }),
    'GET /__test/requests': (url) => requestLog.since(url),
    'POST /__test/reset': () => {
      state = structuredClone(initial);
      sessions = new Map();
      failures = new Map();
      faults.reset();
      requestLog.reset();
      return { success: true };
    },
    // Every open session ends (what the server's own expiry does after a few minutes).
    'POST /__test/expire-sessions': () => {
      const count = sessions.size;
      sessions = new Map();
      return { expired: count };
    },
    'POST /__test/password': (_url, body) => {
      const user = state.users.find((u) => u.email === body.email);
      if (!user || typeof body.password !== 'string') throw new HttpError(400, 'email and password are required');
      user.password = body.password;
      return { success: true };
    },
    // {match: {path (prefix), method?}, times (-1 = always), status?, body? (raw text),
    //  delayMs?, truncate?}
    'POST /__test/fault': (_url, body) => faults.add(body),
  };

  const envelope = (response, errorCode = '', errorMessage = '') => ({ response, errorCode, errorMessage });

  const handle = async (req, res) => {
    const url = new URL(req.url, 'http://127.0.0.1');
    const method = req.method;
    const isTest = url.pathname.startsWith('/__test/');
    let apiName = null;
    if (url.pathname === '/demo/login') {
      await serveDemoLogin(req, res, { title: 'Passwork demo site', login: DEMO_SITE_LOGIN, readBody }).catch(() => res.destroy());
      return;
    }
    if (!isTest) {
      res.on('finish', () => {
        requestLog.push({ method, path: url.pathname, status: res.statusCode, api: apiName });
      });
    }
    try {
      if (isTest) {
        const route = test ? testRoutes[`${method} ${url.pathname}`] : undefined;
        if (!route) throw new HttpError(404, 'Not found');
        const body = method === 'POST' ? parseParams({ headers: { 'content-type': 'application/json' } }, await readBody(req)) : {};
        send(res, 200, route(url, body));
        return;
      }
      const fault = faults.take(method, url.pathname);
      if (fault?.delayMs) await new Promise((r) => setTimeout(r, fault.delayMs));
      if (fault?.truncate) {
        res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': 1000 });
        res.write('{"response":[{"name":"cut', () => res.socket.destroy());
        return;
      }
      if (fault?.status) {
        send(res, fault.status, fault.body ?? envelope(false, 'fault', `Injected failure ${fault.status}`));
        return;
      }
      const m = /^\/api3\/([A-Za-z]+)\/?$/.exec(url.pathname);
      if (!m || !(m[1] in api)) throw new HttpError(404, 'Not found');
      apiName = m[1];
      if (method !== 'POST') throw new HttpError(405, 'Use POST');
      const params = parseParams(req, await readBody(req));
      try {
        send(res, 200, envelope(api[apiName](params)));
      } catch (e) {
        if (!(e instanceof ApiError)) throw e;
        send(res, 200, envelope(false, e.errorCode, e.message));
      }
    } catch (e) {
      if (e instanceof HttpError) {
        send(res, e.status, envelope(false, 'http', e.message));
      } else {
        process.stderr.write(`passwork-server: ${e.stack ?? e}\n`);
        send(res, 500, envelope(false, 'internal', 'Internal server error'));
      }
    }
  };

  const server = await listen(handle, port);
  initial = buildState(server.origin);
  state = structuredClone(initial);
  const account = ({ email, password, masterPassword, encryption }) => ({ email, password, masterPassword, encryption });
  return {
    url: server.origin,
    port: server.port,
    account: account(state.users[0]),
    others: state.users.slice(1).map(account),
    close: server.close,
  };
}
