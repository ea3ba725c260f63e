// /api/passwords: list (cursor and page paging), create, get, update, delete,
// and the vault-entry TOTP routes of seed 002.
import { totp } from '../crypto.mjs';
import { apiError, notFound, validationError, wireRecord } from '../wire.mjs';
import { queryInt, validate } from '../validate.mjs';
import { created } from '../app.mjs';

const FIELDS = {
  name: { type: 'string', min: 1, max: 200 },
  website: { type: 'string', max: 255 },
  url: { type: 'string', max: 2048 },
  category: { type: 'string', max: 100 },
  tags: { type: 'array', items: 'string', max: 20, itemMax: 50 },
  username: { type: 'string', max: 500 },
  // A password of up to 4 KiB; a 32-byte item key; a v3 plaintext of up to 64 KiB.
  encrypted_password: { type: 'box', maxBytes: 4096 + 16 },
  wrapped_item_key: { type: 'box', bytes: 32 + 16 },
  encrypted_data: { type: 'box', maxBytes: 65536 + 16 },
};
// Fields a PATCH may clear with null.
const NULLABLE = ['website', 'url', 'category'];
const TOTP_ALGS = ['SHA-1', 'SHA-256', 'SHA-512'];
// Idempotency-Key (public docs: "Deduplicates requests. Cached for 1 hour"): a repeated
// create with the same key answers the first record instead of making a second one.
const IDEMPOTENCY_TTL_MS = 60 * 60 * 1000;
const IDEMPOTENCY_KEY_MAX = 255;

export function register(app) {
  const data = () => app.data;
  const own = (user) => data().passwords.filter((r) => r.owner_id === user.id);
  const findOwned = (user, id) => {
    const r = data().passwords.find((p) => p.id === id && p.owner_id === user.id);
    if (!r) throw notFound('Password not found');
    return r;
  };
  const out = (r) => wireRecord(r, app.origin);
  // Every write moves updated_at forward, even twice within one millisecond, so a
  // client comparing it (expectedUpdatedAt) always sees a change.
  const bumpUpdated = (rec) => {
    const now = app.now();
    const prev = Date.parse(rec.updated_at);
    rec.updated_at = new Date(Number.isNaN(prev) || now > prev ? now : prev + 1).toISOString();
  };

  app.route(
    'GET',
    '/api/passwords',
    (ctx) => {
      const q = ctx.query;
      const limit = queryInt(q, 'limit', { min: 1, max: 100, def: 50 });
      const records = own(ctx.user);
      if (q.has('page')) {
        if (q.has('cursor')) throw validationError([{ field: 'cursor', message: 'Use either page or cursor, not both' }]);
        const page = queryInt(q, 'page', { min: 1, def: 1 });
        const slice = records.slice((page - 1) * limit, page * limit);
        return { data: slice.map(out), pagination: { page, limit, total: records.length } };
      }
      let start = 0;
      const cursor = q.get('cursor');
      if (cursor) {
        const idx = records.findIndex((r) => r.id === cursor);
        if (idx >= 0) start = idx + 1;
        else {
          // A cursor whose record was deleted since: continue after its position.
          const seq = data().meta.tombstones?.[cursor];
          if (seq === undefined) throw validationError([{ field: 'cursor', message: 'Unknown cursor' }]);
          start = records.findIndex((r) => r.seq > seq);
          if (start < 0) start = records.length;
        }
      }
      const slice = records.slice(start, start + limit);
      const hasMore = start + limit < records.length;
      return { data: slice.map(out), pagination: { limit, nextCursor: hasMore ? slice[slice.length - 1].id : null, hasMore } };
    },
    { limit: 'general' },
  );

  const idempotent = new Map(); // "user id|key" -> {at, id}
  const seenCreate = (ctx) => {
    const key = ctx.req.headers['idempotency-key'];
    if (key === undefined) return { key: null };
    if (typeof key !== 'string' || key === '' || key.length > IDEMPOTENCY_KEY_MAX) {
      throw validationError([{ field: 'Idempotency-Key', message: `Expected 1..${IDEMPOTENCY_KEY_MAX} characters` }]);
    }
    const id = `${ctx.user.id}|${key}`;
    const now = app.now();
    for (const [k, e] of idempotent) if (now - e.at >= IDEMPOTENCY_TTL_MS) idempotent.delete(k);
    const hit = idempotent.get(id);
    const rec = hit && data().passwords.find((p) => p.id === hit.id && p.owner_id === ctx.user.id);
    return { key: id, rec };
  };

  app.route(
    'POST',
    '/api/passwords',
    (ctx) => {
      const seen = seenCreate(ctx);
      if (seen.rec) return created({ data: out(seen.rec) });
      const v = validate(ctx.body, { ...FIELDS, name: { ...FIELDS.name, required: true } });
      const v3 = v.wrapped_item_key !== undefined || v.encrypted_data !== undefined;
      const details = [];
      if (v3) {
        if (v.wrapped_item_key === undefined) details.push({ field: 'wrapped_item_key', message: 'Required with encrypted_data' });
        if (v.encrypted_data === undefined) details.push({ field: 'encrypted_data', message: 'Required with wrapped_item_key' });
        if (v.encrypted_password !== undefined) details.push({ field: 'encrypted_password', message: 'Not allowed on a v3 record' });
      } else if (v.encrypted_password === undefined) {
        details.push({ field: 'encrypted_password', message: 'Required (or wrapped_item_key + encrypted_data)' });
      }
      if (details.length) throw validationError(details);
      const ts = new Date(app.now()).toISOString();
      const rec = {
        id: app.newId('pwd'),
        owner_id: ctx.user.id,
        seq: app.nextSeq(),
        name: v.name,
        website: v.website ?? (v.url ? hostOf(v.url) : null),
        url: v.url ?? null,
        category: v.category ?? null,
        tags: v.tags ?? [],
        created_at: ts,
        updated_at: ts,
      };
      if (v3) {
        rec.wrapped_item_key = v.wrapped_item_key;
        rec.encrypted_data = v.encrypted_data;
      } else {
        rec.username = v.username ?? '';
        rec.encrypted_password = v.encrypted_password;
      }
      data().passwords.push(rec);
      app.store.touch('passwords', 'meta');
      if (seen.key) idempotent.set(seen.key, { at: app.now(), id: rec.id });
      return created({ data: out(rec) });
    },
    { limit: 'general' },
  );

  // Only ciphertext comes back, so this is the general limit, not "password reveal"
  // (that one is the server-side TOTP code below).
  app.route('GET', '/api/passwords/:id', (ctx) => ({ data: out(findOwned(ctx.user, ctx.params.id)) }), { limit: 'general' });

  const update = (ctx) => {
    const rec = findOwned(ctx.user, ctx.params.id);
    const v = validate(ctx.body, FIELDS);
    const toV3 = v.wrapped_item_key !== undefined || v.encrypted_data !== undefined;
    const isV3 = rec.wrapped_item_key !== undefined;
    const details = [];
    if (toV3 && !isV3 && (v.wrapped_item_key === undefined || v.encrypted_data === undefined)) {
      details.push({ field: v.wrapped_item_key === undefined ? 'wrapped_item_key' : 'encrypted_data', message: 'Both are required to convert a v2 record to v3' });
    }
    if (toV3 && v.encrypted_password !== undefined) details.push({ field: 'encrypted_password', message: 'Not allowed with v3 fields' });
    if (details.length) throw validationError(details);
    for (const k of ['name', 'website', 'url', 'category', 'tags']) if (v[k] !== undefined) rec[k] = v[k];
    for (const k of NULLABLE) if (ctx.body?.[k] === null) rec[k] = null;
    if (ctx.body?.url === null && rec.origin_path) delete rec.origin_path;
    if (v.url !== undefined && rec.origin_path) delete rec.origin_path;
    if (toV3) {
      delete rec.username;
      delete rec.encrypted_password;
      if (v.wrapped_item_key !== undefined) rec.wrapped_item_key = v.wrapped_item_key;
      if (v.encrypted_data !== undefined) rec.encrypted_data = v.encrypted_data;
    } else if (v.encrypted_password !== undefined || (v.username !== undefined && !isV3)) {
      if (isV3 && v.encrypted_password !== undefined) {
        delete rec.wrapped_item_key;
        delete rec.encrypted_data;
      }
      if (v.username !== undefined) rec.username = v.username;
      if (v.encrypted_password !== undefined) rec.encrypted_password = v.encrypted_password;
      rec.username ??= '';
    }
    bumpUpdated(rec);
    app.store.touch('passwords');
    return { data: out(rec) };
  };
  app.route('PATCH', '/api/passwords/:id', update, { limit: 'general' });
  app.route('PUT', '/api/passwords/:id', update, { limit: 'general' });

  app.route(
    'DELETE',
    '/api/passwords/:id',
    (ctx) => {
      const rec = findOwned(ctx.user, ctx.params.id);
      data().passwords = data().passwords.filter((r) => r !== rec);
      const tomb = (data().meta.tombstones ??= {});
      tomb[rec.id] = rec.seq;
      for (const s of data().shares) {
        if (s.account_id === rec.id && s.status !== 'revoked') {
          s.status = 'revoked';
          s.updated_at = new Date(app.now()).toISOString();
        }
      }
      app.store.touch('passwords', 'shares', 'meta');
      return { success: true };
    },
    { limit: 'general' },
  );

  // ---------- vault-entry TOTP (seed 002) ----------
  app.route(
    'GET',
    '/api/passwords/:id/totp',
    (ctx) => {
      const t = findOwned(ctx.user, ctx.params.id).totp;
      if (!t) return { hasTotp: false };
      const body = { hasTotp: true, zeroTrust: t.zeroTrust };
      if (t.zeroTrust) body.secretEncrypted = t.secretEncrypted;
      Object.assign(body, { algorithm: t.algorithm, digits: t.digits, period: t.period });
      return body;
    },
    { limit: 'general' },
  );

  app.route(
    'POST',
    '/api/passwords/:id/totp',
    (ctx) => {
      const rec = findOwned(ctx.user, ctx.params.id);
      const v = validate(ctx.body, {
        secretEncrypted: { type: 'box', required: true },
        algorithm: { type: 'enum', values: TOTP_ALGS },
        digits: { type: 'int', min: 6, max: 8 },
        period: { type: 'int', min: 1, max: 300 },
      });
      rec.totp = { zeroTrust: true, secretEncrypted: v.secretEncrypted, algorithm: v.algorithm ?? 'SHA-1', digits: v.digits ?? 6, period: v.period ?? 30 };
      bumpUpdated(rec);
      app.store.touch('passwords');
      return created({ success: true });
    },
    { limit: 'general' },
  );

  app.route(
    'DELETE',
    '/api/passwords/:id/totp',
    (ctx) => {
      const rec = findOwned(ctx.user, ctx.params.id);
      if (!rec.totp) throw notFound('TOTP not configured');
      delete rec.totp;
      bumpUpdated(rec);
      app.store.touch('passwords');
      return { success: true };
    },
    { limit: 'general' },
  );

  app.route(
    'GET',
    '/api/passwords/:id/totp/code',
    (ctx) => {
      const t = findOwned(ctx.user, ctx.params.id).totp;
      if (!t) throw notFound('TOTP not configured');
      if (t.zeroTrust) throw apiError(410, 'Zero-trust TOTP codes must be generated client-side', 'GONE');
      const now = app.now();
      const code = totp(t.secret, { timeMs: now, digits: t.digits, period: t.period, algorithm: t.algorithm });
      const remaining = t.period - (Math.floor(now / 1000) % t.period);
      return { code, remaining };
    },
    { limit: 'reveal' },
  );
}

function hostOf(url) {
  try {
    return new URL(url).hostname || null;
  } catch {
    return null;
  }
}
