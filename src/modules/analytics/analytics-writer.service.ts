import { randomBytes } from 'node:crypto';
import {
  type BeforeApplicationShutdown,
  Inject,
  Injectable,
  Logger,
  type OnApplicationShutdown,
  type OnModuleInit,
  Optional,
} from '@nestjs/common';

import { SecretBox } from '../../common/crypto/secret-box';
import { BoundedBatchWriter } from '../../core/batching/bounded-batch-writer';
import { getOrCreateCounter, getOrCreateGauge } from '../system/metrics.registry';
import { RuntimeSettingsService } from '../system/settings/runtime-settings.service';
import { AnalyticsRepository } from './analytics.repository';
import {
  ANALYTICS_SETTINGS,
  type AnalyticsEvent,
  type AnalyticsWriterSettings,
  DEFAULT_ANALYTICS_SETTINGS,
} from './analytics.types';
import type { RequestPrompt } from './request-prompt.schema';
import { buildRollups, mergeRollups, type RollupIncrement } from './rollups';

const CLOSE_ATTEMPTS = 3;

/**
 * The analytics writer (DESIGN.md §3 step 12): `enqueue` is an array push on the request path; a
 * timer writes batches of request logs, their hourly and daily rollups (`$inc` upserts, merged per batch) and
 * encrypted prompts. The queue is bounded: when the database cannot keep up, new events are
 * dropped and counted in `prism_analytics_dropped_total` rather than growing memory. Shutdown
 * flushes everything still queued. Stored prompts are dated (`expiresAt`) here and deleted by
 * the leased prompt sweep of `AnalyticsRetention`.
 */
@Injectable()
export class AnalyticsWriter implements OnModuleInit, BeforeApplicationShutdown, OnApplicationShutdown {
  private readonly logger = new Logger(AnalyticsWriter.name);
  private readonly settings: AnalyticsWriterSettings;
  private readonly batches: BoundedBatchWriter<AnalyticsEvent>;
  /** Rollup increments of written logs, not upserted yet (one entry per grain, period, tenant, dimension, key). */
  private pendingRollups = new Map<string, RollupIncrement>();
  /** A rollup batch whose upsert failed, retried before anything newer. */
  private rollupRetry: { seq: number; increments: RollupIncrement[] } | undefined;
  private rollupSeq = 0;
  /** Names this writer in the rollups' idempotence guard; new per process. */
  private readonly writerId = randomBytes(6).toString('hex');
  private lastRollupWrite = Date.now();
  private readonly failures = getOrCreateCounter(
    'prism_analytics_flush_failures_total',
    'Failed analytics batch writes (retried)',
    [],
  );

  constructor(
    private readonly repository: AnalyticsRepository,
    private readonly box: SecretBox,
    @Optional() @Inject(ANALYTICS_SETTINGS) settings?: Partial<AnalyticsWriterSettings>,
    // The cluster's prompt retention (runtime setting); absent in unit tests, which use `settings`.
    @Optional() private readonly runtime?: RuntimeSettingsService,
  ) {
    this.settings = { ...DEFAULT_ANALYTICS_SETTINGS, ...settings };
    this.batches = new BoundedBatchWriter<AnalyticsEvent>({
      what: 'request logs',
      logger: this.logger,
      batchSize: this.settings.batchSize,
      flushIntervalMs: this.settings.flushIntervalMs,
      maxQueue: this.settings.maxQueue,
      writeBatch: (batch) => this.write(batch),
      onBatchFailure: 'retry',
      afterDrain: (force) => this.maybeWriteRollups(force),
      hasPendingWork: () => this.pendingRollups.size > 0 || this.rollupRetry !== undefined,
      closeAttempts: CLOSE_ATTEMPTS,
      metrics: {
        depth: getOrCreateGauge('prism_analytics_queue_depth', 'Request logs waiting to be written', []),
        dropped: getOrCreateCounter(
          'prism_analytics_dropped_total',
          'Request logs dropped because the analytics queue was full or the database failed on shutdown',
          [],
        ),
        written: getOrCreateCounter('prism_analytics_written_total', 'Request logs written', []),
        failures: this.failures,
      },
    });
  }

  onModuleInit(): void {
    this.batches.start();
  }

  /** Queues one request's analytics; false when it had to be dropped (queue full). */
  enqueue(event: AnalyticsEvent): boolean {
    return this.batches.enqueue(event);
  }

  get queued(): number {
    return this.batches.queued;
  }

  /** Writes everything queued so far, rollups included (one flush at a time, in order). */
  flush(): Promise<void> {
    return this.batches.flush();
  }

  /** Stops the timers and writes what is left (also called by the gateway after draining requests). */
  async close(): Promise<void> {
    await this.batches.close();
    if (this.pendingRollups.size > 0 || this.rollupRetry) {
      this.logger.error(
        `Dropping ${this.pendingRollups.size + (this.rollupRetry?.increments.length ?? 0)} rollup increments: the database is not accepting writes`,
      );
      this.pendingRollups.clear();
      this.rollupRetry = undefined;
    }
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.close();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.close();
  }

  /** Rollups go out at most every `rollupIntervalMs`, and on every explicit flush. */
  private async maybeWriteRollups(force: boolean): Promise<void> {
    if (
      (this.pendingRollups.size > 0 || this.rollupRetry) &&
      (force || Date.now() - this.lastRollupWrite >= this.settings.rollupIntervalMs)
    ) {
      await this.writeRollups();
    }
  }

  private async writeRollups(): Promise<void> {
    // A failed batch is retried as it was (same sequence number, nothing merged into it): rows it
    // already reached recognise it and are not counted twice (AnalyticsRepository.applyRollups).
    while (this.rollupRetry || this.pendingRollups.size > 0) {
      const batch = this.rollupRetry ?? {
        seq: ++this.rollupSeq,
        increments: [...this.pendingRollups.values()],
      };
      if (!this.rollupRetry) this.pendingRollups = new Map();
      try {
        await this.repository.applyRollups(batch.increments, { writer: this.writerId, seq: batch.seq });
        this.rollupRetry = undefined;
        this.lastRollupWrite = Date.now();
      } catch (error) {
        this.failures.inc();
        this.logger.warn(`Rollup upsert failed, will retry: ${(error as Error).message}`);
        this.rollupRetry = batch;
        return;
      }
    }
  }

  private async write(batch: readonly AnalyticsEvent[]): Promise<void> {
    const logs = batch.map((e) => e.log);
    const prompts: RequestPrompt[] = [];
    const days = this.runtime?.get('promptRetentionDays') ?? this.settings.promptRetentionDays;
    const retentionMs = days * 86_400_000;
    for (const event of batch) {
      if (!event.prompt || !event.log.tenantId) continue;
      prompts.push({
        _id: event.log._id,
        tenantId: event.log.tenantId,
        timestamp: event.log.timestamp,
        data: this.box.encrypt(JSON.stringify(event.prompt)),
        expiresAt: new Date(event.log.timestamp.getTime() + retentionMs),
      });
    }
    await this.repository.insertLogs(logs);
    await this.repository.insertPrompts(prompts);
    mergeRollups(this.pendingRollups, buildRollups(logs));
  }
}
