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
import { mongo } from 'mongoose';

import { SecretBox } from '../../common/crypto/secret-box';
import { QueueBatchWriter } from '../../core/batching/bounded-batch-writer';
import { getOrCreateCounter, getOrCreateGauge } from '../system/metrics.registry';
import { RuntimeSettingsService } from '../system/settings/runtime-settings.service';
import { AnalyticsRepository } from './analytics.repository';
import {
  ANALYTICS_SETTINGS,
  type AnalyticsEvent,
  type AnalyticsWriterSettings,
  DEFAULT_ANALYTICS_SETTINGS,
} from './analytics.types';
import {
  DocumentAnswer,
  InsertAnswers,
  type RefusedDocument,
  type WriteConcernError,
} from './insert-answers';
import { encodedDocuments } from './request-log.bson';
import { type LogSegment, RequestLogQueue } from './request-log.queue';
import type { RequestPrompt } from './request-prompt.schema';
import { mergeRollups, RollupFold, type RollupIncrement, type RollupSource } from './rollups';

/**
 * The largest prompt (request + answer as JSON, in UTF-8 bytes) that is stored: its encrypted form
 * (hex, twice the size) must stay under MongoDB's 16 MiB document limit, which the driver enforces
 * before sending. A larger prompt is not stored (counted as refused); its request log is.
 */
export const MAX_STORED_PROMPT_BYTES = 6 * 1024 * 1024;

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
  private readonly batches: QueueBatchWriter<AnalyticsEvent, LogSegment>;
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
    'Request logs not stored: the analytics queue was full, the database refused the row for good, or it failed on shutdown',
    [],
  );
  private readonly written = getOrCreateCounter('prism_analytics_written_total', 'Request logs written', []);
  private readonly refused = getOrCreateCounter(
    'prism_analytics_refused_total',
    'Request logs (what="request_log", also counted as dropped) and stored prompts (what="prompt") the database refused for good: a per-document write error other than duplicate key',
    ['what'],
  );

  private readonly unmetWriteConcern = getOrCreateCounter(
    'prism_analytics_write_concern_unmet_total',
    'Request-log and stored-prompt insert commands the primary applied but whose write concern it could not confirm (replication timeout or an unsatisfiable write concern); their documents count as stored',
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
    this.batches = new QueueBatchWriter<AnalyticsEvent, LogSegment>({
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
        written: this.written,
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
    const json = JSON.stringify(event.prompt);
    if (json.length > MAX_STORED_PROMPT_BYTES / 3 && Buffer.byteLength(json) > MAX_STORED_PROMPT_BYTES) {
      // Its encrypted form would pass MongoDB's 16 MiB document limit: refused for good.
      this.refused.inc({ what: 'prompt' });
      this.logger.warn({
        msg: 'Did not store a prompt larger than the stored-prompt limit',
        requestId: log.requestId,
        bytes: Buffer.byteLength(json),
        limit: MAX_STORED_PROMPT_BYTES,
      });
      return undefined;
    }
    const days = this.runtime?.get('promptRetentionDays') ?? this.settings.promptRetentionDays;
    return {
      _id: log._id,
      tenantId: log.tenantId,
      timestamp: log.timestamp,
      data: this.box.encrypt(json),
      expiresAt: new Date(log.timestamp.getTime() + days * 86_400_000),
    };
  }

  /**
   * One segment: its rows, its prompts, then its rollups into the pending increments. Usually
   * the first attempt stores every row and the segment's rollups, folded at enqueue, are added
   * whole. A row the database refuses for good (a per-document error other than duplicate key)
   * is dropped, counted and logged, and the others go on. A transient failure (the command
   * failed: network, timeout, not primary, shutdown) throws and leaves the segment queued; rows
   * the failed attempt was told were stored (or refused) are recorded in `segment.progress`, so
   * after any answered attempt the rollups are those of the rows known stored, folded from their
   * bytes as they become known, and only rows without an answer are sent again.
   */
  private async write(segment: LogSegment): Promise<number | void> {
    if (!segment.progress) {
      const answers = answersFor(segment, segment.rows);
      try {
        await this.attempt(segment, answers, 'Request logs', () =>
          this.repository.insertEncodedLogs(segment.bytes, answers),
        );
      } catch (error) {
        this.record(segment, answers, undefined);
        throw error;
      }
      if (answers.refused.length === 0) {
        mergeRollups(this.pendingRollups, segment.rollups.increments());
        if (segment.prompts.length === 0) return;
        // The rows are stored and folded: record it before the prompts go out, so a prompt insert
        // that fails neither makes them look lost nor folds them twice when the segment is retried.
        segment.progress = {
          answers: new Uint8Array(segment.rows).fill(DocumentAnswer.Stored),
          refusedIds: new Set<string>(),
        };
        this.written.inc(segment.rows);
        await this.storePrompts(segment, segment.prompts);
        return 0;
      }
      this.record(segment, answers, undefined);
    } else {
      const rows = unansweredRows(segment);
      if (rows.indexes.length > 0) {
        const answers = answersFor(segment, rows.indexes.length);
        try {
          await this.attempt(segment, answers, 'Request logs', () =>
            this.repository.insertEncodedLogs(rows.bytes, answers),
          );
        } finally {
          this.record(segment, answers, rows.indexes);
        }
      }
    }
    const refusedIds = segment.progress!.refusedIds;
    await this.storePrompts(
      segment,
      segment.prompts.filter((prompt) => !refusedIds.has(String(prompt._id))),
    );
    // Rows were counted (written, dropped) and folded as they were answered.
    return 0;
  }

  /**
   * One attempt at some of a segment's rows or prompts (`what`), answered into `answers` by `send`.
   * Counts the attempts whose documents were all refused alone as well as together, in a row.
   */
  private async attempt(
    segment: LogSegment,
    answers: InsertAnswers,
    what: string,
    send: () => Promise<void>,
  ): Promise<void> {
    try {
      await send();
    } catch (error) {
      if (answers.wholeRefusal) segment.wholeRefusals++;
      throw error;
    } finally {
      if (!answers.wholeRefusal && answers.answers.includes(DocumentAnswer.Stored)) segment.wholeRefusals = 0;
      this.warnUnmetWriteConcern(what, answers.unmetWriteConcern);
    }
  }

  /** Writes the primary applied without confirming their write concern: counted and logged. */
  private warnUnmetWriteConcern(what: string, errors: readonly WriteConcernError[]): void {
    if (errors.length === 0) return;
    this.unmetWriteConcern.inc(errors.length);
    this.logger.warn({
      msg: `${what} stored on the primary without the write concern confirmed (not sent again)`,
      commands: errors.length,
      code: errors[0]!.code,
      reason: errors[0]!.errmsg,
    });
  }

  /**
   * Records what an attempt learnt about a segment's rows (`indexes`: the segment row of each
   * document sent, when not all rows were sent in order): rows newly stored are counted as
   * written and their rollups, folded from their bytes, added to the pending increments; rows
   * refused for good are counted as dropped and logged.
   */
  private record(segment: LogSegment, answers: InsertAnswers, indexes: readonly number[] | undefined): void {
    const stored: number[] = [];
    const refused = new Map<number, RefusedDocument>();
    for (const r of answers.refused) refused.set(indexes ? indexes[r.index]! : r.index, r);
    for (let i = 0; i < answers.documents; i++) {
      if (answers.answers[i] === DocumentAnswer.Stored) stored.push(indexes ? indexes[i]! : i);
    }
    if (stored.length === 0 && refused.size === 0) return;
    const progress = (segment.progress ??= {
      answers: new Uint8Array(segment.rows),
      refusedIds: new Set<string>(),
    });
    const docs = documentsAt(segment.bytes, [...stored, ...refused.keys()]);
    const fold = new RollupFold();
    for (const row of stored) {
      progress.answers[row] = DocumentAnswer.Stored;
      fold.add(docs.get(row) as unknown as RollupSource);
    }
    if (stored.length > 0) {
      mergeRollups(this.pendingRollups, fold.increments());
      this.written.inc(stored.length);
    }
    for (const [row, error] of refused) {
      progress.answers[row] = DocumentAnswer.Refused;
      const doc = docs.get(row);
      progress.refusedIds.add(String(doc?._id));
      this.dropped.inc();
      this.refused.inc({ what: 'request_log' });
      this.logger.warn({
        msg: 'Dropped a request log the database refused',
        requestId: doc?.requestId,
        code: error.code,
        reason: error.errmsg,
      });
    }
  }

  /**
   * Stores a segment's prompts (answered as its rows are: insert-answers.ts); one the database
   * refuses for good is left out, counted and logged; a transient failure throws (all are sent
   * again; those already stored answer as duplicates).
   */
  private async storePrompts(segment: LogSegment, prompts: readonly RequestPrompt[]): Promise<void> {
    if (prompts.length === 0) return;
    const answers = answersFor(segment, prompts.length);
    await this.attempt(segment, answers, 'Stored prompts', () =>
      this.repository.insertPrompts(prompts, answers),
    );
    for (const error of answers.refused) {
      this.refused.inc({ what: 'prompt' });
      this.logger.warn({
        msg: 'Dropped a stored prompt the database refused',
        requestId: String(prompts[error.index]?._id),
        code: error.code,
        reason: error.errmsg,
      });
    }
  }
}

/**
 * Attempts of a segment whose rows were all refused one by one before that answer is believed
 * (the rows dropped as refused for good): with the writer's backoff, about half a minute of the
 * same answer, long enough for a server that refuses every insert for a moment to be waited out.
 */
const WHOLE_REFUSALS_BEFORE_DROP = 8;

/** The answers of one attempt at `documents` of the segment's rows. */
function answersFor(segment: LogSegment, documents: number): InsertAnswers {
  return new InsertAnswers(documents, segment.wholeRefusals >= WHOLE_REFUSALS_BEFORE_DROP);
}

/** The segment's rows without an answer yet, as bytes to send, and the row index of each. */
function unansweredRows(segment: LogSegment): { bytes: Buffer; indexes: number[] } {
  const answers = segment.progress!.answers;
  const parts: Buffer[] = [];
  const indexes: number[] = [];
  let row = 0;
  for (const doc of encodedDocuments(segment.bytes)) {
    if (answers[row] === DocumentAnswer.None) {
      parts.push(doc);
      indexes.push(row);
    }
    row++;
  }
  return { bytes: Buffer.concat(parts), indexes };
}

/** The documents of the given rows of encoded bytes, decoded. */
function documentsAt(bytes: Buffer, rows: readonly number[]): Map<number, Record<string, unknown>> {
  const wanted = new Set(rows);
  const docs = new Map<number, Record<string, unknown>>();
  let row = 0;
  for (const doc of encodedDocuments(bytes)) {
    if (docs.size === wanted.size) break;
    if (wanted.has(row)) docs.set(row, mongo.BSON.deserialize(doc));
    row++;
  }
  return docs;
}
