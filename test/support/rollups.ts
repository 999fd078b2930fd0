import type { Connection } from 'mongoose';

type Db = NonNullable<Connection['db']>;

import {
  type BucketDocument,
  bucketPeriod,
  parseRollupCollection,
  type RollupRow,
  rowsOfBucket,
} from '../../src/modules/analytics/rollup-buckets';

export type StoredRollupRow = RollupRow & { grain: 'hour' | 'day'; dimension: string };

/** Every stored rollup row of one tenant, read straight from the bucket collections (rollup-buckets.ts). */
export async function storedRollupRows(db: Db, tenantId: string): Promise<StoredRollupRow[]> {
  const out: StoredRollupRow[] = [];
  for (const { name } of await db.listCollections({}, { nameOnly: true }).toArray()) {
    const parsed = parseRollupCollection(name);
    if (!parsed) continue;
    for (const doc of await db.collection<BucketDocument>(name).find({}).toArray()) {
      if (!doc._id.startsWith('t')) continue;
      const period = bucketPeriod(parsed.grain, parsed.day, doc._id);
      for (const row of rowsOfBucket(doc, period, new Set([tenantId]))) {
        out.push({ ...row, grain: parsed.grain, dimension: parsed.dimension });
      }
    }
  }
  return out;
}
