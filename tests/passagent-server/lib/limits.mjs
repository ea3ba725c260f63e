// Sliding-window rate limits (seed 001, seed 000, session shares 10/hour).
// Counters live in memory only; /__test/reset-limits clears them.
import { rateLimited } from './wire.mjs';

export function limitTable(generalLimit) {
  return {
    // category: [max requests, window seconds, 429 body shape]
    auth: [10, 15 * 60, 'auth'], // password grant, per IP + email
    reset: [5, 5 * 60, 'api'], // password reset tasks (no route here; kept for completeness)
    twofaEnroll: [5, 15 * 60, 'api'],
    reveal: [30, 60, 'api'], // GET /api/passwords/{id}, GET /api/passwords/{id}/totp/code
    general: [generalLimit, 60, 'api'],
    shareCreate: [20, 60, 'sharing'],
    sharing: [30, 60, 'sharing'], // the other /api/sharing routes
    sessionShareCreate: [10, 60 * 60, 'api'],
  };
}

export class Limiter {
  constructor(app, table) {
    this.app = app;
    this.table = table;
    this.hits = new Map(); // "category|key" -> [timestamps]
  }
  reset() {
    this.hits.clear();
  }
  /**
   * Counts one request; returns null if allowed, else the seconds to wait.
   */
  take(category, key) {
    const [max, windowS] = this.table[category];
    const now = this.app.now();
    const id = `${category}|${key}`;
    const windowMs = windowS * 1000;
    let list = this.hits.get(id);
    if (!list) {
      list = [];
      this.hits.set(id, list);
    }
    while (list.length && list[0] <= now - windowMs) list.shift();
    if (list.length >= max) {
      return Math.max(1, Math.ceil((list[0] + windowMs - now) / 1000));
    }
    list.push(now);
    return null;
  }
  /** Throws the category's 429 when over the limit. */
  enforce(category, key) {
    const wait = this.take(category, key);
    if (wait === null) return;
    const shape = this.table[category][2];
    if (shape === 'auth') {
      throw this.app.authErr(429, 'over_request_rate_limit', 'over_request_rate_limit', 'Request rate limit reached', { 'retry-after': String(wait) });
    }
    throw rateLimited(wait, shape);
  }
}
