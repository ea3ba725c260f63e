// SPDX-License-Identifier: MIT
// The one long-lived port to passagent-host. Pairs replies to requests by id, times
// requests out, rejects everything pending when the port drops, reconnects with
// backoff and hands pushes (`locked`, `unlocked`, `session-expired`) to its owner.
// It knows nothing of the browser: `connect` returns a port shaped like
// runtime.Port, so tests drive it with a fake one.
import { LOCAL_CODES, codeForDisconnect } from '../shared/errors.js';
import { t } from '../shared/i18n.js';

/** An error reply from the host, or one the client makes (timeout, lost port). */
export class HostError extends Error {
  constructor(error) {
    const wire = error && typeof error === 'object' ? error : { code: 'INTERNAL', message: String(error) };
    super(typeof wire.message === 'string' ? wire.message : String(wire.code ?? 'INTERNAL'));
    this.name = 'HostError';
    // Extra fields (retryAfter, details, otpRequired…) travel with the code.
    Object.assign(this, wire);
    this.code = typeof wire.code === 'string' ? wire.code : 'INTERNAL';
  }

  toJSON() {
    return { ...this, code: this.code, message: this.message };
  }
}

// Actions that wait on the network or on the key derivation get longer.
export const DEFAULT_TIMEOUTS = Object.freeze({
  default: 15_000,
  'session.login': 120_000,
  'session.logout': 60_000,
  'vault.unlock': 120_000,
  'vault.sync': 300_000,
});

export const DEFAULT_BACKOFF = Object.freeze({ initialMs: 250, maxMs: 30_000, factor: 2, stableMs: 10_000 });

export function backoffDelay(attempt, { initialMs, maxMs, factor }, random = Math.random) {
  const base = Math.min(maxMs, initialMs * factor ** attempt);
  // Half fixed, half random: browsers restarted together do not retry in step.
  return Math.round(base / 2 + (base / 2) * random());
}

function defaultDisconnectReason(port) {
  return port?.error?.message ?? globalThis.chrome?.runtime?.lastError?.message ?? '';
}

export class NativeClient {
  #connect;
  #timeouts;
  #backoff;
  #timers;
  #now;
  #random;
  #readDisconnectReason;
  #onPush;
  #onStatus;
  #port = null;
  #pending = new Map();
  #nextId = 1;
  #attempt = 0;
  #connectedAt = 0;
  #reconnectTimer = null;
  #stopped = false;
  #status = { connected: false, hello: null, error: null };

  /**
   * @param {object} options
   * @param {() => object} options.connect returns a runtime.Port to the host
   * @param {(push: {event: string, data: object}) => void} [options.onPush]
   * @param {(status: {connected: boolean, hello: object|null, error: object|null}) => void} [options.onStatus]
   */
  constructor({
    connect,
    onPush = () => {},
    onStatus = () => {},
    timeouts = DEFAULT_TIMEOUTS,
    backoff = DEFAULT_BACKOFF,
    timers = { setTimeout: globalThis.setTimeout.bind(globalThis), clearTimeout: globalThis.clearTimeout.bind(globalThis) },
    now = () => Date.now(),
    random = Math.random,
    readDisconnectReason = defaultDisconnectReason,
  }) {
    this.#connect = connect;
    this.#onPush = onPush;
    this.#onStatus = onStatus;
    this.#timeouts = { ...DEFAULT_TIMEOUTS, ...timeouts };
    this.#backoff = { ...DEFAULT_BACKOFF, ...backoff };
    this.#timers = timers;
    this.#now = now;
    this.#random = random;
    this.#readDisconnectReason = readDisconnectReason;
  }

  get status() {
    return this.#status;
  }

  get pendingCount() {
    return this.#pending.size;
  }

  /** Opens the port (and says hello) unless it is open already. */
  start() {
    this.#stopped = false;
    if (!this.#port) {
      this.#open();
    }
  }

  /** Closes the port for good: pending requests are rejected, no reconnect. */
  stop() {
    this.#stopped = true;
    this.#cancelReconnect();
    const port = this.#port;
    this.#port = null;
    this.#rejectAll({ code: LOCAL_CODES.HOST_DISCONNECTED, message: t('hostClosed') });
    try {
      port?.disconnect();
    } catch {
      // Already gone.
    }
  }

  /**
   * Sends one request; resolves with `result`, rejects with a HostError.
   * @param {string} action
   * @param {object} [params]
   * @param {{timeoutMs?: number, onProgress?: (event: string, data: object) => void}} [options]
   */
  request(action, params, { timeoutMs, onProgress } = {}) {
    if (this.#stopped) {
      return Promise.reject(new HostError({ code: LOCAL_CODES.HOST_DISCONNECTED, message: t('hostClosed') }));
    }
    if (!this.#port) {
      // A person is waiting: do not sit out the backoff.
      this.#cancelReconnect();
      this.#open();
    }
    return this.#send(action, params, { timeoutMs, onProgress });
  }

  #send(action, params, { timeoutMs, onProgress }) {
    const id = this.#nextId++;
    const port = this.#port;
    return new Promise((resolve, reject) => {
      const limit = timeoutMs ?? this.#timeouts[action] ?? this.#timeouts.default;
      const timer = this.#timers.setTimeout(() => {
        if (this.#pending.delete(id)) {
          reject(new HostError({ code: LOCAL_CODES.TIMEOUT, message: t('hostTimedOut', action, Math.round(limit / 1000)), action }));
        }
      }, limit);
      this.#pending.set(id, { resolve, reject, timer, onProgress, action });
      const message = { id, action };
      if (params !== undefined) {
        message.params = params;
      }
      try {
        port.postMessage(message);
      } catch (error) {
        this.#settle(id, (entry) => entry.reject(new HostError({ code: LOCAL_CODES.HOST_DISCONNECTED, message: String(error?.message ?? error) })));
      }
    });
  }

  #settle(id, fn) {
    const entry = this.#pending.get(id);
    if (!entry) {
      return false;
    }
    this.#pending.delete(id);
    this.#timers.clearTimeout(entry.timer);
    fn(entry);
    return true;
  }

  #open() {
    let port;
    try {
      port = this.#connect();
    } catch (error) {
      this.#handleDrop(null, String(error?.message ?? error));
      return;
    }
    this.#port = port;
    this.#connectedAt = this.#now();
    port.onMessage.addListener((message) => this.#handleMessage(port, message));
    port.onDisconnect.addListener((p) => this.#handleDrop(port, this.#readDisconnectReason(p ?? port)));
    this.#send('hello', undefined, {}).then(
      (hello) => this.#setStatus({ connected: true, hello, error: null }),
      (error) => {
        if (this.#port === port && error.code !== LOCAL_CODES.HOST_DISCONNECTED) {
          this.#setStatus({ connected: false, hello: null, error: error.toJSON() });
        }
      },
    );
  }

  #handleMessage(port, message) {
    if (port !== this.#port || !message || typeof message !== 'object') {
      return;
    }
    const hasId = message.id !== undefined && message.id !== null;
    if (hasId) {
      const entry = this.#pending.get(message.id);
      if (!entry) {
        return; // Late reply to a request that timed out: dropped.
      }
      if (typeof message.event === 'string' && message.ok === undefined) {
        entry.onProgress?.(message.event, message.data ?? {});
        return;
      }
      this.#settle(message.id, (e) => {
        if (message.ok === true) {
          e.resolve(message.result ?? {});
        } else {
          e.reject(new HostError(message.error ?? { code: 'INTERNAL', message: t('err_INTERNAL') }));
        }
      });
      return;
    }
    if (typeof message.event === 'string') {
      this.#onPush({ event: message.event, data: message.data ?? {} });
    }
    // `id: null` errors answer a frame the host could not read; nothing to pair.
  }

  #handleDrop(port, reason) {
    if (port !== null && port !== this.#port) {
      return;
    }
    this.#port = null;
    const code = codeForDisconnect(reason);
    const error = { code, message: reason || t('hostClosed') };
    this.#rejectAll(error);
    this.#setStatus({ connected: false, hello: null, error });
    if (this.#stopped) {
      return;
    }
    if (port !== null && this.#now() - this.#connectedAt >= this.#backoff.stableMs) {
      this.#attempt = 0;
    }
    const delay = backoffDelay(this.#attempt, this.#backoff, this.#random);
    this.#attempt += 1;
    this.#cancelReconnect();
    this.#reconnectTimer = this.#timers.setTimeout(() => {
      this.#reconnectTimer = null;
      if (!this.#stopped && !this.#port) {
        this.#open();
      }
    }, delay);
  }

  #rejectAll(error) {
    for (const id of [...this.#pending.keys()]) {
      this.#settle(id, (entry) => entry.reject(new HostError({ ...error, action: entry.action })));
    }
  }

  #cancelReconnect() {
    if (this.#reconnectTimer !== null) {
      this.#timers.clearTimeout(this.#reconnectTimer);
      this.#reconnectTimer = null;
    }
  }

  #setStatus(status) {
    this.#status = status;
    this.#onStatus(status);
  }
}
