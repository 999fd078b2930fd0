import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';

import { type BucketScope, hasGlobalBucket } from '../analytics/rollup-buckets';
import { RollupEpochs } from '../analytics/rollup-epochs';
import { UsageRollupRepository } from '../analytics/usage-rollup.repository';
import { ROLLUP_DIMENSIONS, type RollupDimension, type RollupGrain } from '../analytics/usage-rollup.schema';
import { LeasedJobsService } from '../system/jobs/leased-jobs.service';

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
/**
 * How many closed days are kept digested: a 30-day range touches 31 days and the summary's
 * previous period 31 more. Older days are digested by their first reader.
 */
export const DIGEST_DAYS = 62;
/** Rewritten before readers stop trusting them (DIGEST_MAX_AGE_MS, 24 h). */
export const DIGEST_REFRESH_AFTER_MS = 20 * HOUR_MS;
const EVERY_MS = 10 * 60_000;

interface DigestKey {
  grain: RollupGrain;
  dimension: RollupDimension;
  day: number;
  scope: BucketScope;
}

/** Every bucket scope of every grain and dimension (users have tenant buckets only). */
const SCOPES: readonly Omit<DigestKey, 'day' | 'grain'>[] = ROLLUP_DIMENSIONS.flatMap((dimension) =>
  (hasGlobalBucket(dimension) ? (['global', 'tenant'] as const) : (['tenant'] as const)).map((scope) => ({
    dimension,
    scope,
  })),
);

/**
 * Keeps the day digests (rollup-digests.ts) of the last DIGEST_DAYS closed days current, so that
 * a pod that has just started reads every closed day a 30-day view touches (its previous period
 * included) from digests, never from the buckets (docs/analytics.md, "Day digests"). A leased job
 * (`analytics.rollup-digests`, every 10 minutes, one pod at a time): daily digests of every day
 * first (what summaries and breakdowns read), then the hourly ones (series, range edges), newest
 * day first. A digest is rewritten when its day's epoch moved (a late write, a rebuild) or it is
 * 20 hours old. What it has checked is remembered on the pod, so a run after the first one only
 * reads the digests of the day that just closed and of days whose epoch moved.
 */
@Injectable()
export class RollupDigestJob implements OnModuleInit {
  private readonly logger = new Logger(RollupDigestJob.name);
  /** Per digest: the epoch it is current for and when it was written (or found empty). */
  private readonly checked = new Map<string, { epoch: number; at: number }>();
  private running: Promise<{ checked: number; written: number }> | undefined;

  constructor(
    private readonly jobs: LeasedJobsService,
    private readonly rollups: UsageRollupRepository,
  ) {}

  onModuleInit(): void {
    this.jobs.register({ name: 'analytics.rollup-digests', everyMs: EVERY_MS, run: () => this.runLogged() });
  }

  /** One pass (joins a pass already running on this pod). */
  run(now = Date.now()): Promise<{ checked: number; written: number }> {
    this.running ??= this.pass(now).finally(() => (this.running = undefined));
    return this.running;
  }

  /** The digests a pass looks at, in order. */
  static keys(now: number): DigestKey[] {
    const today = now - (now % DAY_MS);
    const keys: DigestKey[] = [];
    for (const grain of ['day', 'hour'] as const) {
      for (let i = 1; i <= DIGEST_DAYS; i += 1) {
        for (const s of SCOPES) keys.push({ grain, ...s, day: today - i * DAY_MS });
      }
    }
    return keys;
  }

  private async runLogged(): Promise<void> {
    const started = Date.now();
    const { written } = await this.run();
    if (written > 0) this.logger.log(`Wrote ${written} rollup day digests in ${Date.now() - started} ms`);
  }

  private async pass(now: number): Promise<{ checked: number; written: number }> {
    const epochs = await this.rollups.epochs(now);
    let checked = 0;
    let written = 0;
    for (const key of RollupDigestJob.keys(now)) {
      if (!RollupEpochs.isClosed('day', key.day, now)) continue;
      const epoch = epochs.get(key.day) ?? 0;
      const id = `${key.grain}|${key.dimension}|${key.day}|${key.scope}`;
      const known = this.checked.get(id);
      if (known && known.epoch === epoch && now - known.at < DIGEST_REFRESH_AFTER_MS) continue;
      checked += 1;
      const { wrote, at } = await this.rollups.ensureDigest(
        key.grain,
        key.dimension,
        key.day,
        key.scope,
        epoch,
        DIGEST_REFRESH_AFTER_MS,
        now,
      );
      if (wrote) written += 1;
      this.checked.set(id, { epoch, at });
    }
    for (const id of this.checked.keys()) {
      const day = Number(id.split('|')[2]);
      if (day < now - (DIGEST_DAYS + 2) * DAY_MS) this.checked.delete(id);
    }
    return { checked, written };
  }
}
