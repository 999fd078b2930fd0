import type { Logger } from '@nestjs/common';

/** The part of a prom-client Counter the writer needs (kept structural so core stays metrics-free). */
export interface CounterLike {
  inc(value?: number): void;
}

/** The part of a prom-client Gauge the writer needs. */
export interface GaugeLike {
  set(value: number): void;
}

export interface BoundedBatchWriterOptions<T> {
  /** Plural noun for log lines: "request logs", "routing traces". */
  what: string;
  logger: Logger;
  /** Items per `writeBatch` call. */
  batchSize: number;
  /** Longest an item waits in the queue before a timed flush picks it up. */
  flushIntervalMs: number;
  /** Items held at most; beyond that new items are dropped (and counted), never memory grown. */
  maxQueue: number;
  writeBatch(batch: readonly T[]): Promise<void>;
  /**
   * What a failed batch becomes: `retry` puts it back at the front of the queue (as much as fits,
   * the rest is dropped) and stops this drain; `drop` counts it as dropped and carries on.
   */
  onBatchFailure: 'retry' | 'drop';
  /** Runs after every drain (`force` on explicit flushes), e.g. to write state folded from batches. */
  afterDrain?(force: boolean): Promise<void>;
  /** Work outside the queue that still needs a flush on close (e.g. folded rollups). */
  hasPendingWork?(): boolean;
  /** Flush attempts on close while items remain (with a short growing pause); default 1. */
  closeAttempts?: number;
  /** Periodic retention purge of what was written (FerretDB has no TTL indexes). */
  sweep?: { everyMs: number; run(): Promise<unknown> };
  metrics?: { dropped?: CounterLike; written?: CounterLike; failures?: CounterLike; depth?: GaugeLike };
}

/**
 * Writes items off the request path: `enqueue` is an array push; a timer (or a full batch) drains
 * the queue in batches, one drain at a time and in order. The queue is bounded, so a slow database
 * costs dropped (counted) items, not memory. `close` stops the timers and flushes what is left.
 * Plain class, composed by the Nest services that own a collection (analytics, routing traces).
 */
export class BoundedBatchWriter<T> {
  private queue: T[] = [];
  private timer: NodeJS.Timeout | undefined;
  private sweeper: NodeJS.Timeout | undefined;
  private flushing: Promise<void> | undefined;
  private closed = false;

  constructor(private readonly options: BoundedBatchWriterOptions<T>) {}

  /** Starts the flush timer (and the sweep timer); neither keeps the process alive. */
  start(): void {
    this.timer = setInterval(() => void this.schedule(false), this.options.flushIntervalMs);
    this.timer.unref();
    const sweep = this.options.sweep;
    if (sweep) {
      this.sweeper = setInterval(() => void this.runSweep(), sweep.everyMs);
      this.sweeper.unref();
    }
  }

  /** Queues one item; false when it had to be dropped (queue full). */
  enqueue(item: T): boolean {
    if (this.queue.length >= this.options.maxQueue) {
      this.options.metrics?.dropped?.inc();
      return false;
    }
    this.queue.push(item);
    this.options.metrics?.depth?.set(this.queue.length);
    if (this.closed) void this.flush();
    else if (this.queue.length >= this.options.batchSize) void this.schedule(false);
    return true;
  }

  get queued(): number {
    return this.queue.length;
  }

  /** Writes everything queued so far, after any drain already running. */
  flush(): Promise<void> {
    return this.schedule(true);
  }

  /** Stops the timers and writes what is left; what still fails is dropped (and counted). */
  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
    if (this.sweeper) clearInterval(this.sweeper);
    const attempts = this.options.closeAttempts ?? 1;
    for (let attempt = 0; attempt < attempts && (attempt === 0 || this.hasWork()); attempt++) {
      if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, 250 * attempt));
      await this.flush();
    }
    if (this.queue.length > 0) {
      this.options.logger.error(
        `Dropping ${this.queue.length} ${this.options.what}: the database is not accepting writes`,
      );
      this.options.metrics?.dropped?.inc(this.queue.length);
      this.queue = [];
      this.options.metrics?.depth?.set(0);
    }
  }

  /** Runs the retention sweep once; a failure is logged and retried at the next interval. */
  async runSweep(): Promise<void> {
    try {
      await this.options.sweep?.run();
    } catch (error) {
      this.options.logger.warn(`Retention sweep of ${this.options.what} failed: ${(error as Error).message}`);
    }
  }

  private hasWork(): boolean {
    return this.queue.length > 0 || this.options.hasPendingWork?.() === true;
  }

  /**
   * Timer and full-batch flushes share a running drain; an explicit flush (`force`) runs after it,
   * so it also covers items queued while that drain was writing.
   */
  private schedule(force: boolean): Promise<void> {
    if (this.flushing && !force) return this.flushing;
    const run = (this.flushing ?? Promise.resolve()).then(() => this.drain(force));
    const tracked: Promise<void> = run.finally(() => {
      if (this.flushing === tracked) this.flushing = undefined;
    });
    this.flushing = tracked;
    return tracked;
  }

  private async drain(force: boolean): Promise<void> {
    await this.drainQueue();
    await this.options.afterDrain?.(force);
  }

  private async drainQueue(): Promise<void> {
    const { batchSize, maxQueue, metrics, logger, what } = this.options;
    while (this.queue.length > 0) {
      const batch = this.queue.splice(0, batchSize);
      try {
        await this.options.writeBatch(batch);
        metrics?.written?.inc(batch.length);
      } catch (error) {
        metrics?.failures?.inc();
        const reason = (error as Error).message;
        if (this.options.onBatchFailure === 'drop') {
          metrics?.dropped?.inc(batch.length);
          logger.warn(`Dropped ${batch.length} ${what}: ${reason}`);
          continue;
        }
        logger.warn(`Batch of ${batch.length} ${what} failed, will retry: ${reason}`);
        const room = Math.max(0, maxQueue - this.queue.length);
        if (room < batch.length) metrics?.dropped?.inc(batch.length - room);
        this.queue = [...batch.slice(0, room), ...this.queue];
        break;
      } finally {
        metrics?.depth?.set(this.queue.length);
      }
    }
  }
}
