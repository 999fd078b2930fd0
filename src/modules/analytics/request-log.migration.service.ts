import { Injectable, Logger } from '@nestjs/common';
import { InjectConnection } from '@nestjs/mongoose';
import type { Connection } from 'mongoose';

import type { RequestLogRecord } from './request-log.schema';
import { RequestLogStore } from './request-log.store';

const LEGACY_COLLECTION = 'request_logs';
const MIGRATIONS_COLLECTION = 'migrations';
const MIGRATION_ID = 'request-logs-to-days';
const BATCH = 5000;

/**
 * One-time move of the single `request_logs` collection (before 2026-12-07) into the per-day hour
 * chunks (docs/analytics.md, "Request log storage"), run by the compaction job (one pod at a
 * time, and never beside a compaction: both write chunks). The legacy rows are read with one unsorted cursor (FerretDB streams that
 * without decoding the whole collection first) and appended in batches; appending skips rows a
 * chunk already holds, so a re-run after a crash converts nothing twice (nor after a shutdown, which
 * stops the move between batches). Completion is recorded in `migrations`; the legacy collection
 * is left in place for the admin to drop.
 */
@Injectable()
export class RequestLogMigration {
  private readonly logger = new Logger(RequestLogMigration.name);
  /** Set once this pod saw the migration finished (saves a read on every compaction). */
  private finished = false;

  constructor(
    private readonly store: RequestLogStore,
    @InjectConnection() private readonly connection: Connection,
  ) {}

  async done(): Promise<boolean> {
    const migrations = this.connection.collection<{ _id: string }>(MIGRATIONS_COLLECTION);
    return (await migrations.countDocuments({ _id: MIGRATION_ID })) > 0;
  }

  /** Moves the legacy rows unless that was done; `stopping` ends the move between batches, unrecorded. */
  async run(stopping?: AbortSignal): Promise<void> {
    if (this.finished) return;
    if (await this.done()) {
      this.finished = true;
      return;
    }
    const rows = await this.convert(stopping);
    if (rows === undefined) return;
    await this.connection
      .collection<{ _id: string }>(MIGRATIONS_COLLECTION)
      .updateOne({ _id: MIGRATION_ID }, { $set: { finishedAt: new Date(), rows } }, { upsert: true });
    this.finished = true;
    if (rows > 0) {
      this.logger.log(
        `Moved ${rows} request logs from ${LEGACY_COLLECTION} into per-day collections; ` +
          `${LEGACY_COLLECTION} is no longer read and may be dropped`,
      );
    }
  }

  /**
   * Appends every legacy row to its hour chunk; returns how many rows it read, or undefined when
   * `stopping` ended it after a batch (the next run starts over and skips what was appended).
   */
  async convert(stopping?: AbortSignal): Promise<number | undefined> {
    const legacy = this.connection.collection<RequestLogRecord>(LEGACY_COLLECTION);
    let batch: RequestLogRecord[] = [];
    let rows = 0;
    for await (const row of legacy.find({}).batchSize(BATCH)) {
      batch.push(row);
      rows += 1;
      if (batch.length >= BATCH) {
        await this.store.append(batch);
        batch = [];
        if (stopping?.aborted) return undefined;
      }
    }
    await this.store.append(batch);
    return rows;
  }
}
