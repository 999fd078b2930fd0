import { Injectable } from '@nestjs/common';
import { InjectConnection } from '@nestjs/mongoose';
import type { Connection } from 'mongoose';

import {
  type BucketDocument,
  type BucketScope,
  bucketId,
  bucketPeriod,
  daysOf,
  hasGlobalBucket,
  parseRollupCollection,
  ROLLUP_COLLECTION_PREFIX,
  rollupCollection,
  type RollupRow,
  rowsOfBucket,
} from './rollup-buckets';
import type { RollupDimension, RollupGrain } from './usage-rollup.schema';

export type { RollupRow } from './rollup-buckets';

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

export interface RollupQuery {
  dimension: RollupDimension;
  grain: RollupGrain;
  /** Periods starting at or after `from` and before `to`. */
  from: Date;
  to: Date;
  /** Only these tenants; undefined = all. */
  tenantIds?: readonly string[];
  /**
   * Rows per tenant even for a global reader (a breakdown by tenant). Otherwise a global reader
   * gets the global buckets' rows (tenant `*`, summed over all tenants) where the dimension has them.
   */
  perTenant?: boolean;
}

/**
 * Reads, purges and rebuild-deletes of the usage rollup buckets (rollup-buckets.ts; writes:
 * AnalyticsRepository.applyRollups). Every read names the collection of one day and a bucket id
 * or a range of them, so it touches one small collection (FerretDB 1.24 reads whole collections).
 */
@Injectable()
export class UsageRollupRepository {
  constructor(@InjectConnection() private readonly connection: Connection) {}

  async find(query: RollupQuery): Promise<RollupRow[]> {
    if (query.from >= query.to) return [];
    if (query.tenantIds && query.tenantIds.length === 0) return [];
    const scope: BucketScope =
      !query.tenantIds && !query.perTenant && hasGlobalBucket(query.dimension) ? 'global' : 'tenant';
    const tenants = query.tenantIds ? new Set(query.tenantIds) : undefined;
    const from = query.from.getTime();
    const to = query.to.getTime();
    const parts = await Promise.all(
      daysOf(query.from, query.to).map(async (day) => {
        if (query.grain === 'day' && day < from) return [];
        const collection = this.connection.collection<BucketDocument>(
          rollupCollection(query.grain, query.dimension, day),
        );
        const filter =
          query.grain === 'day'
            ? { _id: bucketId('day', day, scope) }
            : { _id: { $gte: bucketId('hour', Math.max(from, day), scope), $lt: hourBound(day, to, scope) } };
        const docs = await collection.find(filter).toArray();
        return docs.flatMap((doc) => rowsOfBucket(doc, bucketPeriod(query.grain, day, doc._id), tenants));
      }),
    );
    return parts.flat();
  }

  /** Deletes the buckets of a grain whose period started before `before` (retention); returns how many. */
  async deleteBefore(grain: RollupGrain, before: Date): Promise<number> {
    let deleted = 0;
    for (const { name, day } of await this.collections(grain)) {
      const collection = this.connection.collection<BucketDocument>(name);
      if (day + DAY_MS <= before.getTime() || (grain === 'day' && day < before.getTime())) {
        deleted += await collection.countDocuments({});
        await collection.drop();
      } else if (grain === 'hour' && day < before.getTime()) {
        // The day the retention cuts through: only its hours before the cut.
        const cut = before.getTime();
        const ids = [...Array(24).keys()]
          .filter((h) => day + (h + 1) * HOUR_MS <= cut)
          .flatMap((h) => [
            bucketId('hour', day + h * HOUR_MS, 'tenant'),
            bucketId('hour', day + h * HOUR_MS, 'global'),
          ]);
        if (ids.length > 0) deleted += (await collection.deleteMany({ _id: { $in: ids } })).deletedCount;
      }
    }
    return deleted;
  }

  /** Deletes the buckets of the whole UTC days in [from, to) (a rebuild recomputes them from the logs). */
  async deleteRange(grain: RollupGrain, from: Date, to: Date): Promise<number> {
    let deleted = 0;
    for (const { name, day } of await this.collections(grain)) {
      if (day < from.getTime() || day + DAY_MS > to.getTime()) continue;
      const collection = this.connection.collection<BucketDocument>(name);
      deleted += await collection.countDocuments({});
      await collection.drop();
    }
    return deleted;
  }

  private async collections(grain: RollupGrain): Promise<{ name: string; day: number }[]> {
    const listed = await this.connection.db!.listCollections({}, { nameOnly: true }).toArray();
    return listed
      .filter((c) => c.name.startsWith(ROLLUP_COLLECTION_PREFIX))
      .map((c) => ({ name: c.name, parsed: parseRollupCollection(c.name) }))
      .filter((c) => c.parsed?.grain === grain)
      .map((c) => ({ name: c.name, day: c.parsed!.day }));
  }
}

/** Upper bound of the hour buckets to read from a day's collection: the range end or the day's end. */
function hourBound(day: number, to: number, scope: BucketScope): string {
  if (to >= day + DAY_MS) return `${scope === 'tenant' ? 't' : 'g'}24`;
  return bucketId('hour', to, scope);
}
