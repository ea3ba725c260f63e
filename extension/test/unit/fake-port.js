// SPDX-License-Identifier: MIT
// A runtime.Port stand-in and manual timers for driving NativeClient in Node.

function event() {
  const listeners = [];
  return {
    addListener: (fn) => listeners.push(fn),
    emit: (...args) => listeners.forEach((fn) => fn(...args)),
  };
}

export class FakePort {
  constructor() {
    this.sent = [];
    this.disconnected = false;
    this.error = null;
    this.onMessage = event();
    this.onDisconnect = event();
  }

  postMessage(message) {
    if (this.disconnected) {
      throw new Error('Attempting to use a disconnected port object');
    }
    this.sent.push(structuredClone(message));
  }

  disconnect() {
    this.disconnected = true;
  }

  /** The host answers. */
  reply(message) {
    this.onMessage.emit(structuredClone(message));
  }

  /** The host goes away, as the browser reports it. */
  drop(reason = 'Native host has exited.') {
    this.disconnected = true;
    this.error = { message: reason };
    this.onDisconnect.emit(this);
  }

  lastRequest(action) {
    return [...this.sent].reverse().find((m) => m.action === action);
  }
}

export class ManualTimers {
  constructor() {
    this.now = 0;
    this.queue = new Map();
    this.nextId = 1;
  }

  setTimeout = (fn, ms) => {
    const id = this.nextId++;
    this.queue.set(id, { fn, at: this.now + ms });
    return id;
  };

  clearTimeout = (id) => {
    this.queue.delete(id);
  };

  /** Runs, in time order, every timer due within `ms`. */
  advance(ms) {
    const end = this.now + ms;
    for (;;) {
      const due = [...this.queue.entries()].filter(([, t]) => t.at <= end).sort((a, b) => a[1].at - b[1].at)[0];
      if (!due) break;
      this.queue.delete(due[0]);
      this.now = due[1].at;
      due[1].fn();
    }
    this.now = end;
  }

  get pending() {
    return [...this.queue.values()].map((t) => t.at - this.now);
  }
}
