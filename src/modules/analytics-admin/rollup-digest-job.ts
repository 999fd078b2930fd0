import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';

import { type BucketScope, hasGlobalBucket } from '../analytics/rollup-buckets';
import { SPAN_DAYS, spanStart } from '../analytics/rollup-digests';
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
/**
 * Work per pass: a first pass on an existing database (62 days to digest) or the daily refresh
 * continues in the next passes instead of keeping the database busy for many minutes at once.
 */
const PASS_BUDGET_MS = 2 * 60_000;

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
 * 20 hours old. Last, the 8-day spans inside those days (span digests, rollup-digests.ts: their
 * daily rows merged per tenant and key, what summaries and breakdowns read). What it has checked is remembered on the pod, so a run after the first one only
 * reads the digests of the day that just closed and of days whose epoch moved. A pass stops after
 * two minutes of work; the next one continues (newest days first, so those a default view reads
 * are done first).
 */
@Injectable()
export class RollupDigestJob implements OnModuleInit {
  private readonly logger = new Logger(RollupDigestJob.name);
  /** Per digest: the epoch it is current for and when it was written (or found empty). */
  private readonly checked = new Map<string, { epoch: number; at: number }>();
  private running: Promise<{ checked: number; written: number; done: boolean }> | undefined;

  constructor(
    private readonly jobs: LeasedJobsService,
    private readonly rollups: UsageRollupRepository,
  ) {}

  onModuleInit(): void {
    this.jobs.register({
      name: 'analytics.rollup-digests',
      everyMs: EVERY_MS,
      run: (stopping) => this.runLogged(stopping),
    });
  }

  /** One pass, stopping after `budgetMs` (joins a pass already running on this pod). */
  run(
    now = Date.now(),
    budgetMs = PASS_BUDGET_MS,
    stopping?: AbortSignal,
  ): Promise<{ checked: number; written: number; done: boolean }> {
    this.running ??= this.pass(now, budgetMs, stopping).finally(() => (this.running = undefined));
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

  private async runLogged(stopping: AbortSignal): Promise<void> {
    const started = Date.now();
    const { written } = await this.run(Date.now(), PASS_BUDGET_MS, stopping);
    if (written > 0) this.logger.log(`Wrote ${written} rollup day digests in ${Date.now() - started} ms`);
  }

  private async pass(
    now: number,
    budgetMs: number,
    stopping?: AbortSignal,
  ): Promise<{ checked: number; written: number; done: boolean }> {
    const epochs = await this.rollups.epochs(now);
    const until = Date.now() + budgetMs;
    let checked = 0;
    let written = 0;
    for (const key of RollupDigestJob.keys(now)) {
      if (Date.now() > until || stopping?.aborted) return { checked, written, done: false };
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
    // Then the 8-day spans (merged daily rows) of those days, built from the digests just checked.
    const today = now - (now % DAY_MS);
    for (let start = spanStart(today - DIGEST_DAYS * DAY_MS); start < today; start += SPAN_DAYS * DAY_MS) {
      if (start < today - DIGEST_DAYS * DAY_MS) continue;
      if (!RollupEpochs.isClosed('day', start + (SPAN_DAYS - 1) * DAY_MS, now)) continue;
      let sum = 0;
      for (let i = 0; i < SPAN_DAYS; i += 1) sum += epochs.get(start + i * DAY_MS) ?? 0;
      for (const s of SCOPES) {
        const id = `span|${s.dimension}|${start}|${s.scope}`;
        const known = this.checked.get(id);
        if (known && known.epoch === sum && now - known.at < DIGEST_REFRESH_AFTER_MS) continue;
        if (Date.now() > until || stopping?.aborted) return { checked, written, done: false };
        checked += 1;
        const { wrote, at } = await this.rollups.ensureSpan(
          s.dimension,
          start,
          s.scope,
          epochs,
          DIGEST_REFRESH_AFTER_MS,
          now,
        );
        if (wrote) written += 1;
        this.checked.set(id, { epoch: sum, at });
      }
    }
    for (const id of this.checked.keys()) {
      const day = Number(id.split('|')[2]);
      if (day < now - (DIGEST_DAYS + 2) * DAY_MS) this.checked.delete(id);
    }
    return { checked, written, done: true };
  }
}
