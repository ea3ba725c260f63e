// /api/sharing (seed 000): create with step-up and share limits, list owned /
// received, update, delete, and the recipient's view log with owner notifications.
import { parseBox, apiError, conflict, forbidden, notFound, rateLimited, validationError, wireShare, wireShareCreated } from '../wire.mjs';
import { b64, isB64, unb64 } from '../crypto.mjs';
import { validate } from '../validate.mjs';
import { created } from '../app.mjs';

export const MAX_SHARES_PER_PASSWORD = 10;
export const MAX_ACTIVE_SHARES_PER_USER = 50;
const COUNT_LIMIT_RETRY_AFTER = 3600;

export function register(app) {
  const data = () => app.data;
  const nowIso = () => new Date(app.now()).toISOString();
  const isLive = (s) => (s.status === 'pending' || s.status === 'active') && !(s.expires_at && Date.parse(s.expires_at) <= app.now());
  const account = (id) => data().passwords.find((p) => p.id === id) ?? null;
  const isRecipient = (s, user) => s.recipient_id === user.id || (!s.recipient_id && s.recipient_email === user.email);

  app.route(
    'POST',
    '/api/sharing',
    (ctx) => {
      const { user } = ctx;
      const v = validate(ctx.body, {
        accountId: { type: 'string', required: true, min: 1 },
        recipientEmail: { type: 'email', required: true },
        permission: { type: 'enum', values: ['read', 'write'] },
        expiresAt: { type: 'iso' },
        wrapped_vault_key_invite: { type: 'string', min: 1 },
        invite_token_salt: { type: 'string', min: 1 },
        wrapped_item_key: { type: 'string', min: 1 },
        encrypted_data: { type: 'box' },
      });
      const rec = data().passwords.find((p) => p.id === v.accountId && p.owner_id === user.id);
      if (!rec) throw notFound('Password not found');
      const email = v.recipientEmail.trim().toLowerCase();
      if (email === user.email) throw conflict('You cannot share a password with yourself');
      if (data().shares.some((s) => s.account_id === rec.id && s.recipient_email === email && isLive(s))) {
        throw conflict('This password is already shared with this email');
      }
      const perPassword = data().shares.filter((s) => s.account_id === rec.id && isLive(s)).length;
      if (perPassword >= MAX_SHARES_PER_PASSWORD) {
        throw rateLimited(COUNT_LIMIT_RETRY_AFTER, 'sharing', 'share_limit_exceeded', `Maximum ${MAX_SHARES_PER_PASSWORD} shares per password`);
      }
      const active = data().shares.filter((s) => s.owner_id === user.id && isLive(s)).length;
      if (active >= MAX_ACTIVE_SHARES_PER_USER) {
        throw rateLimited(COUNT_LIMIT_RETRY_AFTER, 'sharing', 'share_limit_exceeded', `Maximum ${MAX_ACTIVE_SHARES_PER_USER} active shares per user`);
      }
      const recipient = app.auth.userByEmail(email);
      const details = [];
      if (recipient && !v.wrapped_item_key) details.push({ field: 'wrapped_item_key', message: 'Required when the recipient has an account' });
      if (v.wrapped_item_key && !isB64(v.wrapped_item_key)) details.push({ field: 'wrapped_item_key', message: 'Expected base64' });
      if (!recipient && (!v.wrapped_vault_key_invite || !v.invite_token_salt)) {
        details.push({ field: 'wrapped_vault_key_invite', message: 'Required (with invite_token_salt) when the recipient has no account' });
      }
      if (v.expiresAt && Date.parse(v.expiresAt) <= app.now()) details.push({ field: 'expiresAt', message: 'Must be in the future' });
      // The recipient's copy of the data: given by the client, else the owner's v3 encrypted_data.
      let encrypted = null;
      if (v.encrypted_data !== undefined) encrypted = v.encrypted_data;
      else if (rec.encrypted_data !== undefined) encrypted = rec.encrypted_data;
      else details.push({ field: 'encrypted_data', message: 'Required for a v2 record (no item key to share)' });
      if (details.length) throw validationError(details);
      const box = parseBox(encrypted);
      const ts = nowIso();
      const share = {
        id: app.newId('shr'),
        account_id: rec.id,
        owner_id: user.id,
        owner_email: user.email,
        recipient_id: recipient?.id ?? null,
        recipient_email: email,
        status: 'pending',
        permission: v.permission ?? 'read',
        expires_at: v.expiresAt ? new Date(v.expiresAt).toISOString() : null,
        accepted_at: null,
        created_at: ts,
        updated_at: ts,
        wrapped_item_key: v.wrapped_item_key ? b64(unb64(v.wrapped_item_key)) : null,
        encrypted_data: JSON.stringify({ iv: b64(box.iv), ciphertext: b64(box.ciphertext) }),
        wrapped_vault_key_invite: v.wrapped_vault_key_invite ?? null,
        invite_token_salt: v.invite_token_salt ?? null,
      };
      data().shares.push(share);
      app.store.touch('shares');
      return created({ success: true, share: wireShareCreated(share) });
    },
    { stepUp: true, limit: 'shareCreate' },
  );

  app.route(
    'GET',
    '/api/sharing',
    (ctx) => {
      const { user } = ctx;
      const type = ctx.query.get('type');
      if (type !== 'owned' && type !== 'received') {
        throw validationError([{ field: 'type', message: "Invalid enum value. Expected 'owned' | 'received'" }]);
      }
      const accountId = ctx.query.get('accountId');
      let list =
        type === 'owned'
          ? data().shares.filter((s) => s.owner_id === user.id)
          : data().shares.filter((s) => isRecipient(s, user) && s.status !== 'revoked');
      if (accountId) list = list.filter((s) => s.account_id === accountId);
      const now = app.now();
      return {
        shares: list.map((s) => wireShare(s, account(s.account_id), app.origin, { received: type === 'received', now })),
        setup_required: !user.keys?.publicKey,
      };
    },
    { limit: 'sharing' },
  );

  const findVisible = (user, id) => {
    const s = data().shares.find((x) => x.id === id);
    if (!s || (s.owner_id !== user.id && !isRecipient(s, user))) throw notFound('Share not found');
    return s;
  };

  app.route(
    'PATCH',
    '/api/sharing/:id',
    (ctx) => {
      const { user } = ctx;
      const s = findVisible(user, ctx.params.id);
      const v = validate(ctx.body, {
        status: { type: 'enum', values: ['active', 'revoked'] },
        permission: { type: 'enum', values: ['read', 'write'] },
      });
      if (v.status === undefined && v.permission === undefined) {
        throw validationError([{ field: 'status', message: 'Nothing to update: give status or permission' }]);
      }
      const owner = s.owner_id === user.id;
      if (owner) {
        if (v.status === 'active') throw forbidden('Only the recipient can accept a share');
        if (s.status === 'revoked') throw apiError(422, 'Share is revoked', 'UNPROCESSABLE');
        if (v.status === 'revoked') s.status = 'revoked';
        if (v.permission) s.permission = v.permission;
      } else {
        if (v.permission !== undefined || v.status === 'revoked') throw forbidden('Recipients can only accept a share');
        if (s.status !== 'pending' || !isLiveShare(s, app.now())) throw apiError(422, `Share is ${s.status}`, 'UNPROCESSABLE');
        s.status = 'active';
        s.accepted_at = nowIso();
        s.recipient_id ??= user.id;
      }
      s.updated_at = nowIso();
      app.store.touch('shares');
      return { success: true, share: wireShare(s, account(s.account_id), app.origin, { received: !owner, now: app.now() }) };
    },
    { limit: 'sharing' },
  );

  app.route(
    'DELETE',
    '/api/sharing/:id',
    (ctx) => {
      const s = findVisible(ctx.user, ctx.params.id);
      if (s.owner_id !== ctx.user.id) throw forbidden('Only the owner can delete a share');
      data().shares = data().shares.filter((x) => x !== s);
      app.store.touch('shares');
      return { success: true };
    },
    { limit: 'sharing' },
  );

  app.route(
    'POST',
    '/api/sharing/:id/view',
    (ctx) => {
      const { user } = ctx;
      const s = findVisible(user, ctx.params.id);
      if (!isRecipient(s, user)) throw forbidden('Only the recipient can log a view');
      const { action } = validate(ctx.body, { action: { type: 'enum', values: ['password_viewed', 'password_copied'], required: true } });
      if (!isLiveShare(s, app.now())) throw forbidden(`Share is ${s.status === 'revoked' ? 'revoked' : 'expired'}`);
      const at = nowIso();
      const ev = data().events;
      ev.views.push({ shareId: s.id, accountId: s.account_id, ownerId: s.owner_id, recipientId: user.id, recipientEmail: user.email, action, at });
      if (action === 'password_viewed') {
        ev.notifications.push({
          id: app.newId('ntf'),
          userId: s.owner_id,
          userEmail: s.owner_email,
          type: 'share_viewed',
          shareId: s.id,
          accountId: s.account_id,
          byEmail: user.email,
          at,
        });
      }
      app.store.touch('events');
      return { success: true };
    },
    { limit: 'sharing' },
  );
}

function isLiveShare(s, now) {
  return (s.status === 'pending' || s.status === 'active') && !(s.expires_at && Date.parse(s.expires_at) <= now);
}
