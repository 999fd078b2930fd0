import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';

import { LeasedJobsService } from '../system/jobs/leased-jobs.service';
import { RuntimeSettingsService } from '../system/settings/runtime-settings.service';
import { AnalyticsRepository } from './analytics.repository';
import { RequestLogRepository } from './request-log.repository';
import { UsageRollupRepository } from './usage-rollup.repository';

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
/** How often prompts past retention are deleted (a TTL index, where the server has one, is faster). */
const PROMPT_SWEEP_EVERY_MS = 10 * 60_000;
/** Prompts deleted per batch, and batches per run: a run stays well inside its lease. */
const PROMPT_PURGE_BATCH = { size: 1000, max: 50 };

/**
 * Retention of the request log (default 90 days, runtime setting `requestLogRetentionDays`) and
 * of the usage rollups (default 2 years, `rollupRetentionDays`). FerretDB has no TTL indexes, so
 * leased jobs delete what is past retention: every pod registers them, one pod at a time runs them.
 * Logged prompts (default 30 days, `promptRetentionDays`) have one sweep, `analytics.prompt-retention`.
 */
@Injectable()
export class AnalyticsRetention implements OnModuleInit {
  private readonly logger = new Logger(AnalyticsRetention.name);

  constructor(
    private readonly jobs: LeasedJobsService,
    private readonly settings: RuntimeSettingsService,
    private readonly logs: RequestLogRepository,
    private readonly analytics: AnalyticsRepository,
    private readonly rollups: UsageRollupRepository,
  ) {}

  onModuleInit(): void {
    this.jobs.register({
      name: 'analytics.request-log-retention',
      everyMs: HOUR_MS,
      run: async (stopping) => void (await this.purgeLogs(new Date(), stopping)),
    });
    this.jobs.register({
      name: 'analytics.prompt-retention',
      everyMs: PROMPT_SWEEP_EVERY_MS,
      run: async (stopping) => void (await this.purgePrompts(new Date(), stopping)),
    });
    this.jobs.register({
      name: 'analytics.rollup-retention',
      everyMs: 6 * HOUR_MS,
      run: async (stopping) => void (await this.purgeRollups(new Date(), stopping)),
    });
  }

  /**
   * The one prompt sweep: deletes logged prompts past their `expiresAt` (the retention in force
   * when they were written) or older than the current `promptRetentionDays` (so a lowered setting
   * also applies to prompts already stored), in bounded batches; at shutdown (`stopping`) it stops
   * between batches and the next sweep deletes the rest. Returns how many.
   */
  async purgePrompts(now = new Date(), stopping?: AbortSignal): Promise<number> {
    const before = new Date(now.getTime() - this.settings.get('promptRetentionDays') * DAY_MS);
    const deleted = await this.analytics.deletePromptsPastRetention(
      now,
      before,
      PROMPT_PURGE_BATCH,
      stopping,
    );
    if (deleted > 0) this.logger.log(`Deleted ${deleted} logged prompts past retention`);
    return deleted;
  }

  /**
   * Deletes request-log rows (and their prompts) older than the retention; returns how many. At
   * shutdown (`stopping`) it stops between day collections; the next run deletes the rest.
   */
  async purgeLogs(now = new Date(), stopping?: AbortSignal): Promise<number> {
    const before = new Date(now.getTime() - this.settings.get('requestLogRetentionDays') * DAY_MS);
    const deleted = await this.logs.deleteBefore(before, stopping);
    if (deleted > 0) this.logger.log(`Deleted ${deleted} request logs older than ${before.toISOString()}`);
    return deleted;
  }

  /**
   * Deletes hourly and daily rollup rows whose period started before the retention. At shutdown
   * (`stopping`) it stops between day collections; the next run deletes the rest.
   */
  async purgeRollups(now = new Date(), stopping?: AbortSignal): Promise<number> {
    const before = new Date(now.getTime() - this.settings.get('rollupRetentionDays') * DAY_MS);
    const deleted =
      (await this.rollups.deleteBefore('hour', before, stopping)) +
      (stopping?.aborted ? 0 : await this.rollups.deleteBefore('day', before, stopping));
    if (deleted > 0) this.logger.log(`Deleted ${deleted} rollup rows older than ${before.toISOString()}`);
    return deleted;
  }
}
