import type { Connection } from 'mongoose';

import type { LeasedJob, LeasedJobsService } from '../system/jobs/leased-jobs.service';
import { RequestLogCompaction } from './request-log.compaction.service';
import { RequestLogMigration } from './request-log.migration.service';
import type { RequestLogRecord } from './request-log.schema';
import type { RequestLogStore } from './request-log.store';
import { requestLogRow } from './testing/log-rows';

/** `request_logs_recent` and the hour chunks, as far as compaction and the legacy move use them. */
class FakeStore {
  recent: RequestLogRecord[] = [];
  readonly chunked = new Map<string, RequestLogRecord>();
  /** Called after each append of rows (a test sets its stopping signal there, mid-run). */
  afterAppend: () => void = () => undefined;

  recentBatch(limit: number): Promise<RequestLogRecord[]> {
    return Promise.resolve(this.recent.slice(0, limit));
  }
  append(rows: readonly RequestLogRecord[]): Promise<void> {
    if (rows.length === 0) return Promise.resolve();
    for (const row of rows) this.chunked.set(String(row._id), row);
    this.afterAppend();
    return Promise.resolve();
  }
  deleteRecent(ids: readonly RequestLogRecord['_id'][]): Promise<void> {
    const gone = new Set(ids.map(String));
    this.recent = this.recent.filter((row) => !gone.has(String(row._id)));
    return Promise.resolve();
  }
}

/** The legacy `request_logs` collection (read with a cursor) and `migrations`. */
function fakeLegacyConnection(legacy: RequestLogRecord[]) {
  const migrations = new Map<string, object>();
  const connection = {
    collection: (name: string) =>
      name === 'migrations'
        ? {
            countDocuments: (filter: { _id: string }) => Promise.resolve(migrations.has(filter._id) ? 1 : 0),
            updateOne: (filter: { _id: string }, update: { $set: object }) => {
              migrations.set(filter._id, update.$set);
              return Promise.resolve();
            },
          }
        : { find: () => ({ batchSize: () => legacy.values() }) },
  };
  return { connection: connection as unknown as Connection, migrations };
}

const rows = (n: number) => Array.from({ length: n }, () => requestLogRow());

function setup(legacy: RequestLogRecord[] = []) {
  const store = new FakeStore();
  const db = fakeLegacyConnection(legacy);
  const migration = new RequestLogMigration(store as unknown as RequestLogStore, db.connection);
  let job: LeasedJob | undefined;
  const jobs = { register: (registered: LeasedJob) => (job = registered) } as unknown as LeasedJobsService;
  const compaction = new RequestLogCompaction(jobs, store as unknown as RequestLogStore, migration);
  compaction.onModuleInit();
  return { store, migrations: db.migrations, compaction, job: job! };
}

describe('RequestLogCompaction', () => {
  it('moves every recent row into the chunks, a round of 20,000 at a time', async () => {
    const { store, compaction } = setup();
    store.recent = rows(45_000);
    expect(await compaction.compact()).toBe(45_000);
    expect(store.recent).toHaveLength(0);
    expect(store.chunked.size).toBe(45_000);
  });

  it('stops at shutdown after the round it is in, with that round appended and deleted; the next run moves the rest', async () => {
    const { store, compaction, job } = setup();
    store.recent = rows(45_000);
    const stopping = new AbortController();
    store.afterAppend = () => stopping.abort();
    await job.run(stopping.signal);
    // One whole round: every row that reached a chunk has left the recent rows, and no other did.
    expect(store.chunked.size).toBe(20_000);
    expect(store.recent).toHaveLength(25_000);
    expect(store.recent.some((row) => store.chunked.has(String(row._id)))).toBe(false);

    store.afterAppend = () => undefined;
    expect(await compaction.compact()).toBe(25_000);
    expect(store.chunked.size).toBe(45_000);
  });

  it('stops the legacy move between batches without recording it as done, and finishes it in a later run', async () => {
    const legacy = rows(12_000);
    const { store, migrations, compaction, job } = setup(legacy);
    store.recent = rows(10);
    const stopping = new AbortController();
    store.afterAppend = () => stopping.abort();
    await job.run(stopping.signal);
    expect(store.chunked.size).toBe(5000); // the first batch of the legacy rows
    expect(migrations.size).toBe(0);
    expect(store.recent).toHaveLength(10); // no compaction after a stopped move

    store.afterAppend = () => undefined;
    expect(await compaction.compact()).toBe(10);
    expect(migrations.get('request-logs-to-days')).toMatchObject({ rows: 12_000 });
    expect(legacy.every((row) => store.chunked.has(String(row._id)))).toBe(true);
  });
});
