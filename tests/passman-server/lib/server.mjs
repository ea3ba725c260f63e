// The Passman extension API (apps/passman/api/v2) on plain node:http, listening on
// 127.0.0.1. Every route needs HTTP Basic auth, as on Nextcloud; /__test/ routes exist
// only with {test: true}.
import { buildState, DEMO_SITE_LOGIN } from './fixtures.mjs';
import { serveDemoLogin } from '../../support/demo-site.mjs';
import { HttpError, readBody as readBounded, send, createFaults, createRequestLog, listen } from '../../support/node-server.mjs';
import { decryptFields, decryptString, ENCRYPTED_FIELDS } from './crypto.mjs';
import { createCredential, updateCredential } from './credentials.mjs';

export const MAX_BODY = 1024 * 1024;
const MAX_LOG = 10_000;
const nowSeconds = () => Math.floor(Date.now() / 1000);
// Pretty URLs or not: both reach the app, as on Nextcloud.
const API = /^(?:\/index\.php)?\/apps\/passman\/api\/v2(\/.*)?$/;

// Nextcloud's reply for a request without a valid login.
const notLoggedIn = () =>
  new HttpError(401, 'Current user is not logged in', { 'WWW-Authenticate': 'Basic realm="Nextcloud", charset="UTF-8"' });

function basicAuth(header) {
  const m = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header ?? '');
  if (!m) return null;
  const text = Buffer.from(m[1], 'base64').toString('utf8');
  const colon = text.indexOf(':');
  if (colon < 0) return null;
  return { username: text.slice(0, colon), password: text.slice(colon + 1) };
}

const readBody = (req) => readBounded(req, MAX_BODY);

function parseJson(text) {
  if (text.trim() === '') return {};
  try {
    const value = JSON.parse(text);
    if (value && typeof value === 'object' && !Array.isArray(value)) return value;
  } catch {
    // fall through
  }
  throw new HttpError(400, 'The request body is not a JSON object');
}

// GET /vaults: what VaultController::listVaults returns. The challenge is one
// protected field of a credential of the vault: it decrypts with the right vault key.
function vaultSummary(state, vault) {
  const test = state.credentials.find((c) => c.vault_id === vault.vault_id && c.hidden === 1);
  const fields = ['description', 'email', 'username', 'password'];
  const field = fields[Math.floor(Math.random() * fields.length)];
  return {
    vault_id: vault.vault_id,
    guid: vault.guid,
    name: vault.name,
    created: vault.created,
    public_sharing_key: vault.public_sharing_key,
    last_access: vault.last_access,
    challenge_password: test ? test[field] : null,
  };
}

function vaultDetail(state, vault) {
  return {
    vault_id: vault.vault_id,
    guid: vault.guid,
    name: vault.name,
    created: vault.created,
    private_sharing_key: vault.private_sharing_key,
    public_sharing_key: vault.public_sharing_key,
    sharing_keys_generated: vault.sharing_keys_generated,
    vault_settings: vault.vault_settings,
    last_access: vault.last_access,
    credentials: state.credentials.filter((c) => c.vault_id === vault.vault_id),
  };
}

// GET /__test/credentials/{guid}: a stored credential opened with its vault key (or its
// share key), and whether every encrypted value has its own IV.
function plainCredential(state, guid) {
  const stored = state.credentials.find((c) => c.guid === guid);
  if (!stored) throw new HttpError(404, 'Credential not found');
  const vault = state.vaults.find((v) => v.vault_id === stored.vault_id);
  let fields;
  try {
    const key = stored.shared_key ? decryptString(stored.shared_key, vault.vaultKey) : vault.vaultKey;
    fields = decryptFields(stored, key);
  } catch (e) {
    throw new HttpError(422, `Cannot open this credential with its vault key: ${e.message ?? e}`);
  }
  const ivs = ENCRYPTED_FIELDS.filter((f) => typeof stored[f] === 'string' && stored[f] !== '' && stored[f] !== 'null')
    .map((f) => JSON.parse(Buffer.from(stored[f], 'base64').toString('utf8')).iv);
  return {
    guid: stored.guid,
    vault: vault.guid,
    label: stored.label,
    delete_time: stored.delete_time,
    changed: stored.changed,
    fields,
    encryptedFields: ivs.length,
    distinctIvs: new Set(ivs).size === ivs.length,
  };
}

export async function startServer({ port = 0, test = false } = {}) {
  // Encrypted once, when the origin is known (the demo entry's URL holds it); a reset
  // goes back to this state (same guids, same ciphertexts).
  let initial = null;
  let state = null;
  const faults = createFaults();
  const requestLog = createRequestLog(MAX_LOG);

  const userOf = (req) => {
    const auth = basicAuth(req.headers.authorization);
    if (!auth) return null;
    const user = state.users.find((u) => u.username === auth.username);
    return user && user.password === auth.password ? user : null;
  };
  const ownVault = (user, guid) => state.vaults.find((v) => v.guid === guid && v.owner === user.username);

  // route(method, rest, user, body) -> [status, json]
  const api = {
    'GET /vaults': (user) => [200, state.vaults.filter((v) => v.owner === user.username).map((v) => vaultSummary(state, v))],
    'GET /vaults/:guid': (user, params) => {
      const vault = ownVault(user, params.guid);
      // VaultController::get answers an empty array for a vault the user does not have.
      if (!vault) return [200, []];
      vault.last_access = Math.floor(Date.now() / 1000);
      return [200, vaultDetail(state, vault)];
    },
    'POST /credentials': (user, _params, body) => [200, createCredential(state, user, body, nowSeconds())],
    'PATCH /credentials/:guid': (user, params, body) => [200, updateCredential(state, user, params.guid, body, nowSeconds())],
  };

  const testRoutes = {
    'GET /__test/fixtures': () => ({
      users: state.users.map(({ username, password }) => ({ username, password })),
      vaults: state.vaults.map((v) => ({ guid: v.guid, name: v.name, owner: v.owner, vaultKey: v.vaultKey })),
      credentials: state.manifest,
    }),
    'GET /__test/requests': (url) => requestLog.since(url),
    'POST /__test/reset': () => {
      state = structuredClone(initial);
      faults.reset();
      requestLog.reset();
      return { success: true };
    },
    // {match: {path (prefix of path+query), method?}, times (-1 = always), status?,
    //  body? (raw text), delayMs?, truncate?}
    'POST /__test/fault': (_url, body) => faults.add(body),
    // Changes a user's login password (what a revoked app password looks like).
    'POST /__test/password': (_url, body) => {
      const user = state.users.find((u) => u.username === body.username);
      if (!user || typeof body.password !== 'string') throw new HttpError(400, 'username and password are required');
      user.password = body.password;
      return { success: true };
    },
  };

  const handle = async (req, res) => {
    const url = new URL(req.url, 'http://127.0.0.1');
    const method = req.method;
    const isTest = url.pathname.startsWith('/__test/');
    if (!isTest && url.pathname !== '/demo/login') {
      res.on('finish', () => {
        requestLog.push({
          method,
          path: url.pathname,
          query: url.search,
          status: res.statusCode,
          auth: req.headers.authorization ? req.headers.authorization.split(' ')[0] : null,
        });
      });
    }
    try {
      if (url.pathname === '/demo/login') {
        await serveDemoLogin(req, res, { title: 'Passman demo site', login: DEMO_SITE_LOGIN, readBody });
        return;
      }
      if (isTest) {
        const plain = /^\/__test\/credentials\/([^/]+)$/.exec(url.pathname);
        if (test && plain && method === 'GET') {
          send(res, 200, plainCredential(state, decodeURIComponent(plain[1])));
          return;
        }
        const route = test ? testRoutes[`${method} ${url.pathname}`] : undefined;
        if (!route) throw new HttpError(404, 'Not found');
        const body = method === 'POST' ? parseJson(await readBody(req)) : {};
        send(res, 200, route(url, body));
        return;
      }
      const fault = faults.take(method, url.pathname + url.search);
      if (fault?.delayMs) await new Promise((r) => setTimeout(r, fault.delayMs));
      if (fault?.truncate) {
        // Announce more than is sent, then cut the connection.
        res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': 1000 });
        res.write('{"vault_id":1,"credentials":[', () => res.socket.destroy());
        return;
      }
      if (fault?.status) {
        send(res, fault.status, fault.body ?? { message: `Injected failure ${fault.status}` });
        return;
      }
      const m = API.exec(url.pathname);
      if (!m) throw new HttpError(404, 'Page not found');
      const user = userOf(req);
      if (!user) throw notLoggedIn();
      const rest = m[1] ?? '/';
      let handler = null;
      const params = {};
      for (const [key, fn] of Object.entries(api)) {
        const [routeMethod, pattern] = key.split(' ');
        const names = [];
        const re = new RegExp(`^${pattern.replace(/:([a-z]+)/g, (_, n) => (names.push(n), '([^/]+)'))}/?$`);
        const hit = re.exec(rest);
        if (!hit) continue;
        if (routeMethod !== method) {
          handler = handler ?? 'method';
          continue;
        }
        names.forEach((n, i) => {
          params[n] = decodeURIComponent(hit[i + 1]);
        });
        handler = fn;
        break;
      }
      if (handler === 'method') throw new HttpError(405, 'Method not allowed');
      if (!handler) throw new HttpError(404, 'Not found');
      const body = method === 'POST' || method === 'PATCH' ? parseJson(await readBody(req)) : {};
      const [status, payload] = handler(user, params, body);
      send(res, status, payload);
    } catch (e) {
      if (e instanceof HttpError) {
        send(res, e.status, e.body ?? { message: e.message }, e.headers);
      } else {
        process.stderr.write(`passman-server: ${e.stack ?? e}\n`);
        send(res, 500, { message: 'Internal server error' });
      }
    }
  };

  const server = await listen(handle, port);
  const origin = server.origin;
  initial = buildState(origin);
  state = structuredClone(initial);
  const demo = state.users[0];
  const account = (username) => {
    const u = state.users.find((x) => x.username === username);
    return {
      username: u.username,
      password: u.password,
      vaults: state.vaults.filter((v) => v.owner === username).map((v) => ({ guid: v.guid, name: v.name, vaultKey: v.vaultKey })),
    };
  };
  return {
    url: origin,
    port: server.port,
    account: account(demo.username),
    others: state.users.slice(1).map((u) => account(u.username)),
    close: server.close,
  };
}
