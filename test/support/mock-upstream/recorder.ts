import type { RecordedRequest } from './types';

interface Waiter {
  check: () => boolean;
  resolve: () => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
}

/** Keeps the received requests (bounded) and wakes up tests waiting for them. */
export class Recorder {
  readonly list: RecordedRequest[] = [];
  private seq = 0;
  private readonly waiters = new Set<Waiter>();

  constructor(private readonly limit: number) {}

  nextSeq(): number {
    return ++this.seq;
  }

  add(record: RecordedRequest): void {
    if (this.limit <= 0) return;
    this.list.push(record);
    // Trimming in halves keeps this O(1) amortised under benchmark load.
    if (this.list.length > this.limit * 2) this.list.splice(0, this.list.length - this.limit);
    this.notify();
  }

  clear(): void {
    this.list.length = 0;
  }

  notify(): void {
    if (this.waiters.size === 0) return;
    for (const w of this.waiters) {
      if (w.check()) {
        clearTimeout(w.timer);
        this.waiters.delete(w);
        w.resolve();
      }
    }
  }

  waitFor(check: () => boolean, timeoutMs: number, describe: () => string): Promise<void> {
    if (check()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        check,
        resolve,
        reject,
        timer: setTimeout(() => {
          this.waiters.delete(waiter);
          reject(new Error(`mock upstream: timed out after ${timeoutMs} ms waiting for ${describe()}`));
        }, timeoutMs),
      };
      this.waiters.add(waiter);
    });
  }

  /** Fails every pending wait (the mock is shutting down). */
  rejectAll(reason: string): void {
    for (const w of this.waiters) {
      clearTimeout(w.timer);
      w.reject(new Error(`mock upstream: ${reason}`));
    }
    this.waiters.clear();
  }
}
