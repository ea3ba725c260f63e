// SPDX-License-Identifier: MIT
// What the Passman and Passwork test servers share: bounded request bodies, replies,
// injected faults (POST /__test/fault), the request log (GET /__test/requests) and
// listening on 127.0.0.1. Each server keeps its own routes and its own error replies.
import { createServer } from 'node:http';

// An HTTP error reply; each server words it in its own format.
// `body`, when given, is the whole reply body instead of the server's usual error shape.
export class HttpError extends Error {
  constructor(status, message, headers = {}, body = undefined) {
    super(message);
    this.status = status;
    this.headers = headers;
    this.body = body;
  }
}

// The request body as UTF-8 text; 413 past `maxBody` bytes.
export function readBody(req, maxBody) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    let size = 0;
    req.on('data', (chunk) => {
      size += chunk.length;
      if (size > maxBody) {
        reject(new HttpError(413, 'Request body too large'));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

// A string goes as text/plain, anything else as JSON.
export function send(res, status, payload, headers = {}) {
  const text = typeof payload === 'string' ? payload : JSON.stringify(payload);
  res.writeHead(status, {
    'Content-Type': typeof payload === 'string' ? 'text/plain; charset=utf-8' : 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

// Injected faults: {match: {path (prefix), method?}, times (-1 = always), status?,
// body? (raw text), delayMs?, truncate?}.
export function createFaults() {
  let faults = [];
  let nextId = 1;
  return {
    // POST /__test/fault's body -> {id}
    add(body) {
      const m = body.match ?? {};
      if (typeof m.path !== 'string') throw new HttpError(400, 'match.path is required');
      const fault = { id: nextId++, match: { path: m.path, method: m.method }, remaining: body.times ?? 1 };
      for (const k of ['status', 'body', 'delayMs']) if (body[k] !== undefined) fault[k] = body[k];
      fault.truncate = body.truncate === true;
      faults.push(fault);
      return { id: fault.id };
    },
    // The first fault for this request, used up once; null without one.
    take(method, path) {
      for (const f of faults) {
        if (f.match.method && f.match.method.toUpperCase() !== method) continue;
        if (!path.startsWith(f.match.path)) continue;
        if (f.remaining > 0) f.remaining -= 1;
        if (f.remaining === 0) faults = faults.filter((x) => x !== f);
        return f;
      }
      return null;
    },
    reset() {
      faults = [];
    },
  };
}

// The last `max` requests, for GET /__test/requests?since=N.
export function createRequestLog(max) {
  let entries = [];
  return {
    push(entry) {
      entries.push(entry);
      if (entries.length > max) entries.shift();
    },
    since(url) {
      const since = Number(url.searchParams.get('since') ?? 0);
      return { requests: entries.slice(since), total: entries.length };
    },
    reset() {
      entries = [];
    },
  };
}

// Serves `handle(req, res)` on 127.0.0.1:`port` (0: any free port).
export async function listen(handle, port) {
  const server = createServer((req, res) => {
    handle(req, res);
  });
  server.keepAliveTimeout = 5000;
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });
  const address = server.address();
  return {
    port: address.port,
    origin: `http://127.0.0.1:${address.port}`,
    async close() {
      await new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
