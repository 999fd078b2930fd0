import { Logger } from '@nestjs/common';

import { BoundedBatchWriter, type BoundedBatchWriterOptions, QueueBatchWriter } from './bounded-batch-writer';

class Count {
  value = 0;
  inc(by = 1): void {
    this.value += by;
  }
}

function setup(options: Partial<BoundedBatchWriterOptions<number>> = {}) {
  const written: number[][] = [];
  let failures = 0;
  const dropped = new Count();
  const writer = new BoundedBatchWriter<number>({
    what: 'numbers',
    logger: new Logger('test'),
    batchSize: 2,
    flushIntervalMs: 60_000,
    maxQueue: 4,
    onBatchFailure: 'retry',
    writeBatch: (batch) => {
      if (failures > 0) {
        failures -= 1;
        return Promise.reject(new Error('database down'));
      }
      written.push([...batch]);
      return Promise.resolve();
    },
    metrics: { dropped },
    ...options,
  });
  return { writer, written, dropped, fail: (n: number) => (failures = n) };
}

beforeAll(() => Logger.overrideLogger(false));

describe('BoundedBatchWriter', () => {
  it('writes queued items in batches of batchSize, in order', async () => {
    const { writer, written } = setup();
    for (const n of [1, 2, 3]) writer.enqueue(n);
    await writer.flush();
    expect(written).toEqual([[1, 2], [3]]);
    expect(writer.queued).toBe(0);
  });

  it('leaves items that arrive during a write for the next flush, unless they fill a batch', async () => {
    let release: (() => void) | undefined;
    let hold = true;
    const written: number[][] = [];
    const { writer } = setup({
      batchSize: 3,
      maxQueue: 100,
      writeBatch: async (batch) => {
        written.push([...batch]);
        if (hold) await new Promise<void>((resolve) => (release = resolve));
      },
    });
    writer.enqueue(1);
    const first = writer.flush();
    await new Promise((resolve) => setImmediate(resolve));
    writer.enqueue(2); // arrives while [1] is written: waits
    hold = false;
    release!();
    await first;
    expect(written).toEqual([[1]]);
    expect(writer.queued).toBe(1);

    writer.enqueue(3);
    const second = writer.flush();
    await new Promise((resolve) => setImmediate(resolve));
    expect(written).toEqual([[1], [2, 3]]);
    await second;
    // A full batch that arrives during a write goes out in the same drain.
    written.length = 0;
    hold = true;
    writer.enqueue(4);
    const third = writer.flush();
    await new Promise((resolve) => setImmediate(resolve));
    for (const n of [5, 6, 7]) writer.enqueue(n);
    hold = false;
    release!();
    await third;
    expect(written).toEqual([[4], [5, 6, 7]]);
  });

  it('drops and counts items beyond maxQueue', () => {
    const { writer, dropped } = setup({ batchSize: 100 });
    const accepted = [1, 2, 3, 4, 5].map((n) => writer.enqueue(n));
    expect(accepted).toEqual([true, true, true, true, false]);
    expect(dropped.value).toBe(1);
  });

  it('retry: keeps a failed batch at the front for the next flush', async () => {
    const { writer, written, fail } = setup();
    fail(1);
    writer.enqueue(1);
    await writer.flush();
    expect(writer.queued).toBe(1);
    writer.enqueue(2);
    await writer.flush();
    expect(written).toEqual([[1, 2]]);
  });

  it('retry: timed drains back off after failures (doubling up to maxRetryDelayMs); explicit flushes do not', async () => {
    jest.useFakeTimers();
    try {
      let attempts = 0;
      let failing = 3;
      const written: number[][] = [];
      const { writer } = setup({
        flushIntervalMs: 100,
        maxRetryDelayMs: 400,
        writeBatch: (batch) => {
          attempts++;
          if (failing-- > 0) return Promise.reject(new Error('database down'));
          written.push([...batch]);
          return Promise.resolve();
        },
      });
      writer.enqueue(1);
      writer.start();
      const attemptsAt: number[] = [];
      for (let t = 100; t <= 900; t += 100) {
        await jest.advanceTimersByTimeAsync(100);
        attemptsAt.push(attempts);
      }
      // Attempts at 100 (fails: wait 100), 200 (fails: wait 200), 400 (fails: wait 400, the cap), 800.
      expect(attemptsAt).toEqual([1, 2, 2, 3, 3, 3, 3, 4, 4]);
      expect(written).toEqual([[1]]);

      failing = 1;
      writer.enqueue(2);
      await jest.advanceTimersByTimeAsync(100);
      expect(attempts).toBe(5);
      // Backing off, but an explicit flush tries at once.
      await writer.flush();
      expect(attempts).toBe(6);
      expect(written).toEqual([[1], [2]]);
      await writer.close();
    } finally {
      jest.useRealTimers();
    }
  });

  it('drop: counts a failed batch as dropped and writes the next one', async () => {
    const { writer, written, dropped, fail } = setup({ onBatchFailure: 'drop', batchSize: 1 });
    fail(1);
    writer.enqueue(1);
    writer.enqueue(2);
    await writer.flush();
    expect(written).toEqual([[2]]);
    expect(dropped.value).toBe(1);
  });

  it('runs afterDrain with force on explicit flushes', async () => {
    const calls: boolean[] = [];
    const { writer } = setup({ afterDrain: (force) => Promise.resolve(void calls.push(force)) });
    await writer.flush();
    expect(calls).toEqual([true]);
  });

  it('close retries while work remains, then drops and counts what is left', async () => {
    const { writer, dropped, fail } = setup({ closeAttempts: 2 });
    fail(5);
    writer.enqueue(1);
    await writer.close();
    expect(writer.queued).toBe(0);
    expect(dropped.value).toBe(1);
  });

  it('after close, a new item is written at once', async () => {
    const { writer, written } = setup();
    await writer.close();
    writer.enqueue(7);
    await writer.flush();
    expect(written).toEqual([[7]]);
  });

  it('types: the array queue only where a batch is an array; any other batch type brings its queue', async () => {
    const common = {
      what: 'sets',
      logger: new Logger('test'),
      batchSize: 2,
      flushIntervalMs: 60_000,
      maxQueue: 4,
      onBatchFailure: 'retry' as const,
    };
    const written: Set<number>[] = [];
    const writeBatch = (batch: Set<number>): Promise<void> => Promise.resolve(void written.push(batch));
    // @ts-expect-error -- a writer of Set batches without a queue of Sets (the array queue would hand it arrays)
    expect(() => new QueueBatchWriter<number, Set<number>>({ ...common, writeBatch })).toBeDefined();
    const queue = {
      items: [] as number[],
      get size() {
        return this.items.length;
      },
      push(item: number) {
        this.items.push(item);
      },
      take(max: number) {
        return this.items.length > 0 ? new Set(this.items.splice(0, max)) : undefined;
      },
      count: (batch: Set<number>) => batch.size,
      done: () => undefined,
      retry: () => 0,
      clear() {
        const lost = this.items.length;
        this.items = [];
        return lost;
      },
    };
    const sets = new QueueBatchWriter<number, Set<number>>({ ...common, writeBatch, queue });
    sets.enqueue(1);
    sets.enqueue(1);
    sets.enqueue(2);
    await sets.flush();
    expect(written).toEqual([new Set([1]), new Set([2])]);
  });

  it('runSweep logs a failing sweep instead of throwing', async () => {
    const { writer } = setup({ sweep: { everyMs: 1000, run: () => Promise.reject(new Error('x')) } });
    await expect(writer.runSweep()).resolves.toBeUndefined();
  });
});
