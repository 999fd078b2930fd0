import {
  Injectable,
  Logger,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
} from '@nestjs/common';

import type { BucketScope } from '../analytics/rollup-buckets';
import { UsageRollupRepository } from '../analytics/usage-rollup.repository';
import type { RollupDimension, RollupGrain } from '../analytics/usage-rollup.schema';

const DAY_MS = 86_400_000;
/**
 * Shortly after boot: the day digests (kept by RollupDigestJob) make the warm-up a few hundred
 * small reads, so a new pod is warm within about a second of serving.
 */
const START_DELAY_MS = 1000;
/** Picks up each day as it closes (and anything a late write invalidated). */
const EVERY_MS = 10 * 60_000;
/** A 30-day range touches 31 UTC days; the summary's previous period 31 more. */
const WARM_DAYS = 31;
const PREVIOUS_DAYS = 62;

type WarmKey = { grain: RollupGrain; dimension: RollupDimension; scope: BucketScope };

/** Per dimension, the bucket scope a breakdown by it reads (users have tenant buckets only). */
const BREAKDOWNS: readonly WarmKey[] = (
  ['model', 'provider', 'category', 'tier', 'key', 'errorType'] as const
).map((dimension) => ({ grain: 'day' as const, dimension, scope: 'global' as const }));

/** What the dashboard's default views read of each of the last 31 closed days. */
const EVERY_DAY: readonly WarmKey[] = [
  { grain: 'day', dimension: 'all', scope: 'global' },
  { grain: 'day', dimension: 'all', scope: 'tenant' },
  ...BREAKDOWNS,
  { grain: 'day', dimension: 'user', scope: 'tenant' },
  // The hourly series of the last 30 days.
  { grain: 'hour', dimension: 'all', scope: 'global' },
];

/**
 * Days that ranges ending now start in are read by the hour: yesterday (the default range, the
 * last 24 hours) and 30 days ago get the same views' hourly buckets; the days the summary's
 * previous period starts in (2 and 60 days ago) the hourly totals.
 */
const EDGE_DAY: readonly WarmKey[] = [
  { grain: 'hour', dimension: 'all', scope: 'tenant' },
  ...BREAKDOWNS.map((k) => ({ ...k, grain: 'hour' as const })),
  { grain: 'hour', dimension: 'user', scope: 'tenant' },
];
/** The summary's previous period (31 to 62 days ago): daily totals. */
const PREVIOUS_DAY: readonly WarmKey[] = [
  { grain: 'day', dimension: 'all', scope: 'global' },
  { grain: 'day', dimension: 'all', scope: 'tenant' },
];
const PREVIOUS_EDGE_DAY: readonly WarmKey[] = [
  { grain: 'hour', dimension: 'all', scope: 'global' },
  { grain: 'hour', dimension: 'all', scope: 'tenant' },
];

/**
 * Fills the rollup day cache (rollup-day-cache.ts) on control pods in the background: at boot and
 * every 10 minutes (so each day is loaded soon after it closes), what the dashboard's default views
 * (30 days ending now, and the summary's previous period) read of the closed days, one query at a
 * time, newest day first. At the density of 1M requests in 90 days that is ~30k rows (~45 MB),
 * inside the default 128 MB.
 */
@Injectable()
export class RollupCacheWarmer implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(RollupCacheWarmer.name);
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  private background = true;

  constructor(private readonly rollups: UsageRollupRepository) {}

  onApplicationBootstrap(): void {
    this.schedule(START_DELAY_MS);
  }

  /** Before shutdown, so a warm-up stops reading before the database connection closes. */
  beforeApplicationShutdown(): void {
    this.stopped = true;
    clearTimeout(this.timer);
  }

  /** Stops the background schedule (a benchmark warms by hand); `warm()` still works. */
  stopSchedule(): void {
    this.background = false;
    clearTimeout(this.timer);
  }

  /** Loads what is missing; returns how many day buckets it read. */
  async warm(now = Date.now()): Promise<number> {
    const today = now - (now % DAY_MS);
    const keys = [];
    for (let i = 1; i <= WARM_DAYS; i += 1) {
      for (const k of EVERY_DAY) keys.push({ ...k, day: today - i * DAY_MS });
    }
    for (const ago of [1, 30]) for (const k of EDGE_DAY) keys.push({ ...k, day: today - ago * DAY_MS });
    for (let i = WARM_DAYS + 1; i <= PREVIOUS_DAYS; i += 1) {
      for (const k of PREVIOUS_DAY) keys.push({ ...k, day: today - i * DAY_MS });
    }
    for (const ago of [2, 60])
      for (const k of PREVIOUS_EDGE_DAY) keys.push({ ...k, day: today - ago * DAY_MS });
    return this.rollups.warm(keys, () => this.stopped, now);
  }

  private schedule(delay: number): void {
    if (this.stopped || !this.background) return;
    this.timer = setTimeout(() => {
      const started = Date.now();
      this.warm()
        .then((loaded) => {
          if (loaded > 0)
            this.logger.log(`Loaded ${loaded} closed-day rollup buckets in ${Date.now() - started} ms`);
        })
        .catch((error: unknown) => {
          // A read cut off by shutdown is not a failure worth a warning.
          if (!this.stopped) this.logger.warn(`Rollup cache warm-up failed: ${(error as Error).message}`);
        })
        .finally(() => this.schedule(EVERY_MS));
    }, delay);
    this.timer.unref();
  }
}
