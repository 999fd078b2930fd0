import type { Logger } from '@nestjs/common';

/** The part of a prom-client Counter the writer needs (kept structural so core stays metrics-free). */
export interface CounterLike {
  inc(value?: number): void;
}

/** The part of a prom-client Gauge the writer needs. */
export interface GaugeLike {
  set(value: number): void;
}

/**
 * Where a BoundedBatchWriter keeps its items. The default holds the items in an array; a writer
 * can keep them in another form (the analytics writer: rows encoded to BSON in segments).
 */
export interface BatchQueue<T, B> {
  /** Items held, including a batch being written that is still counted by the queue. */
  readonly size: number;
  /** Appends an item (the writer has checked the bound); may throw, then nothing was added. */
  push(item: T): void;
  /** The next batch of at most `max` items; undefined when nothing is queued. */
  take(max: number): B | undefined;
  /** Items in a batch `take` returned. */
  count(batch: B): number;
  /** The batch was written, or dropped after a failure: it leaves the queue for good. */
  done(batch: B): void;
  /**
   * The batch failed and is retried: it is the next `take` again, as much of it as `maxQueue`
   * leaves room for; returns how many of its items were dropped for lack of room.
   */
  retry(batch: B, maxQueue: number): number;
  /**
   * Empties the queue; returns how many of its items were not written (to be counted as
   * dropped): all of them, unless the queue knows some of a failed batch were stored.
   */
  clear(): number;
}

/**
 * Short enough that a busy pod (~5,000 req/s) does not fill a 50,000-row queue while it waits
 * after the database is back.
 */
const DEFAULT_MAX_RETRY_DELAY_MS = 5_000;

/** The default queue: the items in an array; a batch leaves it while it is written. */
class ArrayBatchQueue<T> implements BatchQueue<T, readonly T[]> {
  private items: T[] = [];

  get size(): number {
    return this.items.length;
  }

  push(item: T): void {
    this.items.push(item);
  }

  take(max: number): readonly T[] | undefined {
    return this.items.length > 0 ? this.items.splice(0, max) : undefined;
  }

  count(batch: readonly T[]): number {
    return batch.length;
  }

  done(): void {}

  retry(batch: readonly T[], maxQueue: number): number {
    const room = Math.max(0, maxQueue - this.items.length);
    this.items = [...batch.slice(0, room), ...this.items];
    return Math.max(0, batch.length - room);
  }

  clear(): number {
    const lost = this.items.length;
    this.items = [];
    return lost;
  }
}

export interface QueueBatchWriterOptions<T, B> {
  /** Plural noun for log lines: "request logs", "routing traces". */
  what: string;
  logger: Logger;
  /** Items per `writeBatch` call. */
  batchSize: number;
  /** Longest an item waits in the queue before a timed flush picks it up. */
  flushIntervalMs: number;
  /** Items held at most; beyond that new items are dropped (and counted), never memory grown. */
  maxQueue: number;
  /**
   * Writes a batch; resolves to the number of its items it wrote when that is not all of them
   * (items it dropped or counted itself), else to nothing.
   */
  writeBatch(batch: B): Promise<void | number>;
  /** Where items wait (BoundedBatchWriter: an array of them). */
  queue: BatchQueue<T, B>;
  /**
   * What a failed batch becomes: `retry` puts it back at the front of the queue (as much as fits,
   * the rest is dropped) and stops this drain; `drop` counts it as dropped and carries on.
   */
  onBatchFailure: 'retry' | 'drop';
  /**
   * `retry`: after a failed batch, timed and full-batch drains wait this long at most (the wait
   * doubles from `flushIntervalMs` with every failure in a row); explicit flushes do not wait.
   * Default 5 s.
   */
  maxRetryDelayMs?: number;
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
 * Writes items off the request path: `enqueue` adds to a queue (BoundedBatchWriter: an array
 * push); a timer (or a full batch) drains the queue in batches, one drain at a time and in order.
 * The queue is bounded, so a slow database costs dropped (counted) items, not memory. `close`
 * stops the timers and flushes what is left. Plain class, composed by the Nest services that own
 * a collection (analytics with its own queue of encoded rows; routing traces: BoundedBatchWriter).
 */
export class QueueBatchWriter<T, B> {
  private readonly queue: BatchQueue<T, B>;
  private timer: NodeJS.Timeout | undefined;
  private sweeper: NodeJS.Timeout | undefined;
  private flushing: Promise<void> | undefined;
  private closed = false;
  /** Failed batches in a row (`retry`), and when timed drains may try again. */
  private failuresInARow = 0;
  private retryAt = 0;

  constructor(private readonly options: QueueBatchWriterOptions<T, B>) {
    this.queue = options.queue;
  }

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
    const queue = this.queue;
    if (queue.size >= this.options.maxQueue) {
      this.options.metrics?.dropped?.inc();
      return false;
    }
    queue.push(item);
    const size = queue.size;
    this.options.metrics?.depth?.set(size);
    if (this.closed) void this.flush();
    // A full batch drains at once, unless backing off after failures (the drain would only return).
    else if (size >= this.options.batchSize && !this.flushing && Date.now() >= this.retryAt)
      void this.schedule(false);
    return true;
  }

  get queued(): number {
    return this.queue.size;
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
    const left = this.queue.size > 0 ? this.queue.clear() : 0;
    if (left > 0) {
      this.options.logger.error(
        `Dropping ${left} ${this.options.what}: the database is not accepting writes`,
      );
      this.options.metrics?.dropped?.inc(left);
    }
    this.options.metrics?.depth?.set(this.queue.size);
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
    return this.queue.size > 0 || this.options.hasPendingWork?.() === true;
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
    // Backing off after failed batches: only explicit flushes (and close) try sooner.
    if (!force && Date.now() < this.retryAt) return;
    await this.drainQueue();
    await this.options.afterDrain?.(force);
  }

  /**
   * Writes what was queued when the drain started, and full batches that arrive meanwhile. Items
   * that arrive while a batch is written wait for the next timer (or a full batch): writing them
   * right away made a busy writer send a stream of tiny batches back to back (each an insert
   * transaction), and the drain, hence `afterDrain`, never ended while traffic lasted.
   */
  private async drainQueue(): Promise<void> {
    const { batchSize, maxQueue, metrics, logger, what } = this.options;
    const queue = this.queue;
    let due = queue.size;
    while (due > 0 || queue.size >= batchSize) {
      const batch = queue.take(batchSize);
      if (batch === undefined) break;
      const count = queue.count(batch);
      due -= count;
      try {
        const written = await this.options.writeBatch(batch);
        queue.done(batch);
        metrics?.written?.inc(typeof written === 'number' ? written : count);
        this.failuresInARow = 0;
        this.retryAt = 0;
      } catch (error) {
        metrics?.failures?.inc();
        const reason = (error as Error).message;
        if (this.options.onBatchFailure === 'drop') {
          queue.done(batch);
          metrics?.dropped?.inc(count);
          logger.warn(`Dropped ${count} ${what}: ${reason}`);
          continue;
        }
        this.failuresInARow++;
        const delay = Math.min(
          this.options.flushIntervalMs * 2 ** Math.min(this.failuresInARow - 1, 20),
          this.options.maxRetryDelayMs ?? DEFAULT_MAX_RETRY_DELAY_MS,
        );
        this.retryAt = Date.now() + delay;
        logger.warn(`Batch of ${count} ${what} failed, will retry in ${delay} ms: ${reason}`);
        const lost = queue.retry(batch, maxQueue);
        if (lost > 0) metrics?.dropped?.inc(lost);
        break;
      } finally {
        metrics?.depth?.set(queue.size);
      }
    }
  }
}

export type BoundedBatchWriterOptions<T> = Omit<QueueBatchWriterOptions<T, readonly T[]>, 'queue'>;

/** A QueueBatchWriter whose items wait in an array; a batch is an array of them. */
export class BoundedBatchWriter<T> extends QueueBatchWriter<T, readonly T[]> {
  constructor(options: BoundedBatchWriterOptions<T>) {
    super({ ...options, queue: new ArrayBatchQueue<T>() });
  }
}
