import type { Connection } from 'mongoose';

import {
  type ChunkDocument,
  dayOfCollection,
  distinctRows,
  RECENT_COLLECTION,
  unpackRows,
} from '../../src/modules/analytics/request-log.chunks';
import type { RequestLogRecord } from '../../src/modules/analytics/request-log.schema';

/**
 * Every stored request-log row, wherever it is: the recent rows the writers insert and the hour
 * chunks of every day the compaction job packed them into (docs/analytics.md, "Request log
 * storage"). Rows are compact (fields at their default absent), as stored.
 */
export async function storedRequestLogs(
  db: Connection,
  match: (row: RequestLogRecord) => boolean = () => true,
): Promise<RequestLogRecord[]> {
  const rows = await db.collection<RequestLogRecord>(RECENT_COLLECTION).find({}).toArray();
  const names = (await db.listCollections()).map((c) => c.name);
  for (const name of names) {
    if (dayOfCollection(name) === undefined) continue;
    const docs = await db.collection<ChunkDocument>(name).find({}).toArray();
    for (const doc of docs) if (doc._id.startsWith('h')) rows.push(...unpackRows(doc.z));
  }
  return distinctRows(rows).filter(match);
}
