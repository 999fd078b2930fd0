import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { InjectConnection } from '@nestjs/mongoose';
import type { Connection } from 'mongoose';

import { LeasedJobsService } from '../system/jobs/leased-jobs.service';
import { AnalyticsRepository } from './analytics.repository';
import type { RollupIncrement } from './rollups';
import {
  ROLLUP_COUNTERS,
  ROLLUP_HISTOGRAMS,
  type RollupDimension,
  type RollupGrain,
} from './usage-rollup.schema';

const LEGACY_COLLECTION = 'usage_rollups';
const MIGRATIONS_COLLECTION = 'migrations';
const MIGRATION_ID = 'usage-rollups-to-buckets';
/** Writer id of the conversion in the buckets' idempotence guard (`w.<writer>`). */
const WRITER = 'legacy-usage-rollups';
const DAY_MS = 86_400_000;

/** A row of the row layout used before the bucket documents (one per period, tenant, dimension, key). */
interface LegacyRow {
  grain: RollupGrain;
  period: Date;
  tenantId: string;
  dimension: RollupDimension;
  key?: string;
  label?: string;
  [field: string]: unknown;
}

/**
 * One-time conversion of the legacy `usage_rollups` rows into the rollup bucket documents
 * (docs/analytics.md, "Migrating from the row layout"), run by one pod through a leased job on
 * control/full pods. It feeds the rows to the bucket writer (`applyRollups`) one grain, dimension
 * and UTC day at a time with the day as sequence number: every bucket belongs to exactly one such
 * group, so a re-run after a crash skips the buckets already converted. Completion is recorded in
 * `migrations`; the legacy collection is left in place.
 */
@Injectable()
export class LegacyRollupMigration implements OnModuleInit {
  private readonly logger = new Logger(LegacyRollupMigration.name);

  constructor(
    private readonly jobs: LeasedJobsService,
    private readonly analytics: AnalyticsRepository,
    @InjectConnection() private readonly connection: Connection,
  ) {}

  onModuleInit(): void {
    // Retries every 10 minutes until it has finished once; afterwards each run is one look-up.
    this.jobs.register({
      name: 'analytics.legacy-rollup-migration',
      everyMs: 600_000,
      run: (stopping) => this.run(stopping),
    });
  }

  /** Whether the conversion has finished (on this database). */
  async done(): Promise<boolean> {
    const migrations = this.connection.collection<{ _id: string }>(MIGRATIONS_COLLECTION);
    return (await migrations.countDocuments({ _id: MIGRATION_ID })) > 0;
  }

  /**
   * Converts the legacy rows and records completion. At shutdown (`stopping`) it stops between
   * groups without recording completion; the next run goes on (groups already converted are skipped).
   */
  async run(stopping?: AbortSignal): Promise<void> {
    if (await this.done()) return;
    const rows = await this.convert(stopping);
    if (rows === undefined) {
      this.logger.log('Conversion of legacy usage rollups stopped by shutdown; the next run goes on');
      return;
    }
    await this.connection
      .collection<{ _id: string }>(MIGRATIONS_COLLECTION)
      .updateOne({ _id: MIGRATION_ID }, { $set: { finishedAt: new Date(), rows } }, { upsert: true });
    if (rows > 0) {
      this.logger.log(
        `Converted ${rows} legacy usage rollup rows into bucket documents; ` +
          `the collection ${LEGACY_COLLECTION} is no longer read and may be dropped`,
      );
    }
  }

  /**
   * Converts every legacy row (idempotent, see the class comment); returns how many rows it read,
   * or undefined when `stopping` aborted it (checked before each group is written).
   */
  async convert(stopping?: AbortSignal): Promise<number | undefined> {
    const legacy = this.connection.collection<LegacyRow>(LEGACY_COLLECTION);
    // The order of the legacy unique index, so rows of one group arrive together.
    const cursor = legacy.find({}).sort({ dimension: 1, grain: 1, period: 1 });
    let group: RollupIncrement[] = [];
    let groupKey = '';
    let day = 0;
    let rows = 0;
    for await (const row of cursor) {
      const rowDay = Math.floor(row.period.getTime() / DAY_MS) * DAY_MS;
      const key = `${row.dimension}/${row.grain}/${rowDay}`;
      if (key !== groupKey) {
        if (stopping?.aborted) {
          await cursor.close();
          return undefined;
        }
        await this.analytics.applyRollups(group, { writer: WRITER, seq: day });
        group = [];
        groupKey = key;
        day = rowDay;
      }
      rows++;
      const increment = incrementOf(row);
      // A row with nothing counted adds nothing (and an empty `$inc` is refused).
      if (Object.keys(increment.inc).length > 0) group.push(increment);
    }
    if (stopping?.aborted) return undefined;
    await this.analytics.applyRollups(group, { writer: WRITER, seq: day });
    return rows;
  }
}

/** The increment a legacy row amounts to: its counters and histogram buckets. */
function incrementOf(row: LegacyRow): RollupIncrement {
  const inc: Record<string, number> = {};
  for (const name of ROLLUP_COUNTERS) {
    const value = row[name];
    if (typeof value === 'number' && value !== 0) inc[name] = value;
  }
  for (const name of ROLLUP_HISTOGRAMS) {
    const histogram = row[name];
    if (!histogram || typeof histogram !== 'object') continue;
    for (const [bucket, count] of Object.entries(histogram)) {
      if (typeof count === 'number' && count !== 0) inc[`${name}.${bucket}`] = count;
    }
  }
  const increment: RollupIncrement = {
    grain: row.grain,
    period: row.period,
    tenantId: row.tenantId,
    dimension: row.dimension,
    key: row.key ?? '',
    inc,
  };
  if (typeof row.label === 'string') increment.label = row.label;
  return increment;
}
