import { Injectable, type OnModuleInit } from '@nestjs/common';

import { LeasedJobsService } from '../system/jobs/leased-jobs.service';
import { RequestLogMigration } from './request-log.migration.service';
import { RequestLogStore } from './request-log.store';

/** Recent rows moved per round; a round reads them with one pushed-down `limit`. */
const BATCH = 20_000;

/**
 * Packs the rows the writers put into `request_logs_recent` into the hour chunks of their days
 * (docs/analytics.md, "Request log storage"), every 30 s on one pod (leased job); the first run
 * also moves the legacy `request_logs` collection (RequestLogMigration), under the same lease, so
 * that only one writer of chunks runs at a time. Chunks and the directory are written before the
 * recent rows are deleted, so a crash in between only leaves rows that the next run (and every
 * reader) deduplicates; chunks written but not yet in the directory are published by the next
 * run. Two runs at once (a lease lost by a stalled pod) collide on the versions of the chunk and
 * directory documents (RequestLogStore.append) and the loser keeps its rows for the next run. At
 * shutdown (the job's `stopping` signal) a run stops after the round it is in, once that round's
 * rows are appended and deleted, so the next run (on any pod) starts from a clean batch.
 */
@Injectable()
export class RequestLogCompaction implements OnModuleInit {
  constructor(
    private readonly jobs: LeasedJobsService,
    private readonly store: RequestLogStore,
    private readonly migration: RequestLogMigration,
  ) {}

  onModuleInit(): void {
    this.jobs.register({
      name: 'analytics.request-log-compaction',
      everyMs: 30_000,
      run: async (stopping) => void (await this.compact(stopping)),
    });
  }

  /**
   * Moves every recent row into its hour chunk, round by round until none is left or `stopping`
   * is set; returns how many rows it moved.
   */
  async compact(stopping?: AbortSignal): Promise<number> {
    await this.migration.run(stopping);
    let moved = 0;
    for (;;) {
      if (stopping?.aborted) return moved;
      const rows = await this.store.recentBatch(BATCH);
      if (rows.length === 0) return moved;
      await this.store.append(rows);
      await this.store.deleteRecent(rows.map((r) => r._id));
      moved += rows.length;
      if (rows.length < BATCH) return moved;
    }
  }
}
