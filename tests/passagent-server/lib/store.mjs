// State in memory, persisted as one JSON file per collection in the data dir.
// Writes are atomic (temp file + rename) and batched: a mutation marks its
// collection dirty and a flush follows shortly; close() flushes synchronously.
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const COLLECTIONS = ['meta', 'users', 'passwords', 'shares', 'sessionShares', 'auth', 'events'];

export class Store {
  constructor(dir) {
    this.dir = dir;
    this.dirty = new Set();
    this.timer = null;
    this.data = null;
    mkdirSync(dir, { recursive: true });
  }

  exists() {
    return existsSync(join(this.dir, 'meta.json'));
  }

  load() {
    const data = {};
    for (const c of COLLECTIONS) {
      const file = join(this.dir, `${c}.json`);
      data[c] = existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : undefined;
    }
    this.data = data;
    return data;
  }

  /** Takes a freshly generated state and writes all of it. */
  init(data) {
    this.data = data;
    for (const c of COLLECTIONS) this.dirty.add(c);
    this.flushSync();
  }

  /** Marks collections as changed; they are written within ~50 ms. */
  touch(...collections) {
    for (const c of collections) this.dirty.add(c);
    if (!this.timer) {
      this.timer = setTimeout(() => {
        this.timer = null;
        this.flushSync();
      }, 50);
      this.timer.unref?.();
    }
  }

  flushSync() {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    // meta.json is written last: its presence marks a complete state.
    const order = [...this.dirty].sort((a, b) => (a === 'meta') - (b === 'meta'));
    for (const c of order) {
      const file = join(this.dir, `${c}.json`);
      const tmp = `${file}.${process.pid}.tmp`;
      writeFileSync(tmp, JSON.stringify(this.data[c]));
      renameSync(tmp, file);
    }
    this.dirty.clear();
  }
}
