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
import { type LogSegment, RequestLogQueue } from './request-log.queue';
import type { RequestPrompt } from './request-prompt.schema';
import { mergeRollups, type RollupIncrement } from './rollups';

const CLOSE_ATTEMPTS = 3;

/**
 * The analytics writer (DESIGN.md §3 step 12): `enqueue` encodes the request's row to BSON into
 * the queue's current segment and folds it into that segment's rollups (RequestLogQueue), so no
 * row object waits in memory; a timer inserts the segments (one insert each), then adds their
 * rollups to the hourly and daily increments (`$inc` upserts, merged across segments), and stores
 * the encrypted prompts. The queue is bounded: when the database cannot keep up, new events are
 * dropped and counted in `prism_analytics_dropped_total` rather than growing memory. Shutdown
 * flushes everything still queued. Stored prompts are encrypted and dated (`expiresAt`) when
 * queued and deleted by the leased prompt sweep of `AnalyticsRetention`.
 */
@Injectable()
export class AnalyticsWriter implements OnModuleInit, BeforeApplicationShutdown, OnApplicationShutdown {
  private readonly logger = new Logger(AnalyticsWriter.name);
  private readonly settings: AnalyticsWriterSettings;
  private readonly batches: BoundedBatchWriter<AnalyticsEvent, LogSegment>;
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
  private readonly dropped = getOrCreateCounter(
    'prism_analytics_dropped_total',
    'Request logs dropped because the analytics queue was full or the database failed on shutdown',
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
    this.batches = new BoundedBatchWriter<AnalyticsEvent, LogSegment>({
      what: 'request logs',
      logger: this.logger,
      batchSize: this.settings.batchSize,
      flushIntervalMs: this.settings.flushIntervalMs,
      maxQueue: this.settings.maxQueue,
      queue: new RequestLogQueue({
        rowsPerSegment: this.settings.batchSize,
        prompt: (event) => this.storedPrompt(event),
      }),
      writeBatch: (segment) => this.write(segment),
      onBatchFailure: 'retry',
      afterDrain: (force) => this.maybeWriteRollups(force),
      hasPendingWork: () => this.pendingRollups.size > 0 || this.rollupRetry !== undefined,
      closeAttempts: CLOSE_ATTEMPTS,
      metrics: {
        depth: getOrCreateGauge('prism_analytics_queue_depth', 'Request logs waiting to be written', []),
        dropped: this.dropped,
        written: getOrCreateCounter('prism_analytics_written_total', 'Request logs written', []),
        failures: this.failures,
      },
    });
  }

  onModuleInit(): void {
    this.batches.start();
  }

  /**
   * Queues one request's analytics (its row encoded, its rollups folded: `event` is not kept);
   * false when it had to be dropped (queue full, or a row the BSON encoder refuses).
   */
  enqueue(event: AnalyticsEvent): boolean {
    try {
      return this.batches.enqueue(event);
    } catch (error) {
      this.dropped.inc();
      this.logger.warn({
        msg: 'Dropped a request log that cannot be stored',
        requestId: event.log.requestId,
        err: error,
      });
      return false;
    }
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

  /** The stored prompt of a request that logs its prompt: encrypted, dated with the retention in force. */
  private storedPrompt(event: AnalyticsEvent): RequestPrompt | undefined {
    const log = event.log;
    if (!event.prompt || !log.tenantId) return undefined;
    const days = this.runtime?.get('promptRetentionDays') ?? this.settings.promptRetentionDays;
    return {
      _id: log._id,
      tenantId: log.tenantId,
      timestamp: log.timestamp,
      data: this.box.encrypt(JSON.stringify(event.prompt)),
      expiresAt: new Date(log.timestamp.getTime() + days * 86_400_000),
    };
  }

  /**
   * One segment: its rows, its prompts, then its rollups into the pending increments. A failure
   * leaves the segment queued as it is; its rows are sent again and those already stored are
   * skipped by their `_id`, and its rollups are added only once, after everything was stored.
   */
  private async write(segment: LogSegment): Promise<void> {
    await this.repository.insertEncodedLogs(segment.bytes);
    await this.repository.insertPrompts(segment.prompts);
    mergeRollups(this.pendingRollups, segment.rollups.increments());
  }
}
