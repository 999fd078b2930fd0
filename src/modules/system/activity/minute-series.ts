/** Counts of one minute. */
export interface MinuteBucket {
  /** Start of the minute, epoch ms. */
  minute: number;
  requests: number;
  errors: number;
  /** Sum of the latencies recorded in this minute (average = latencyMsSum / requests). */
  latencyMsSum: number;
}

const MINUTE_MS = 60_000;

/**
 * Per-minute counters for the last `capacity` minutes: O(1) per record (one array write at most),
 * so the gateway may record every request.
 */
export class MinuteSeries {
  private readonly buckets: MinuteBucket[] = [];

  constructor(private readonly capacity: number) {}

  record(failed: boolean, latencyMs = 0, now: number = Date.now()): void {
    const minute = now - (now % MINUTE_MS);
    let bucket = this.buckets[this.buckets.length - 1];
    if (!bucket || bucket.minute !== minute) {
      bucket = { minute, requests: 0, errors: 0, latencyMsSum: 0 };
      this.buckets.push(bucket);
      if (this.buckets.length > this.capacity) this.buckets.shift();
    }
    bucket.requests += 1;
    if (failed) bucket.errors += 1;
    bucket.latencyMsSum += latencyMs;
  }

  /** Buckets of the last `minutes` minutes (oldest first, empty minutes omitted). */
  recent(minutes: number = this.capacity, now: number = Date.now()): MinuteBucket[] {
    const from = now - (now % MINUTE_MS) - (minutes - 1) * MINUTE_MS;
    return this.buckets.filter((b) => b.minute >= from).map((b) => ({ ...b }));
  }

  /** Sums over the last `minutes` minutes. */
  total(minutes: number, now: number = Date.now()): Omit<MinuteBucket, 'minute'> {
    const sum = { requests: 0, errors: 0, latencyMsSum: 0 };
    for (const b of this.recent(minutes, now)) {
      sum.requests += b.requests;
      sum.errors += b.errors;
      sum.latencyMsSum += b.latencyMsSum;
    }
    return sum;
  }
}
