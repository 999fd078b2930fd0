import type { Connection } from 'mongoose';

import type { BucketDocument } from '../rollup-buckets';
import type { DigestDocument } from '../rollup-digests';

const EPOCHS_COLLECTION = 'rollup_epochs';

type IdFilter = string | { $gte: string; $lt: string } | undefined;

/**
 * Just enough of a connection for the rollup repository, its epochs and the digest job, in unit
 * specs: bucket collections (`find` by `_id`, `_id` range or everything), digests by `_id`, the
 * epochs collection, and two logs of the reads that reached a collection (epoch reads excepted).
 * A bucket read is logged as its collection name, a digest lookup as `collection|scope`, with
 * ` (meta)` when only its metadata was asked for.
 */
export function fakeRollupConnection() {
  const collections = new Map<string, BucketDocument[]>();
  const digests = new Map<string, DigestDocument>();
  /** Every read, found or not: what a pass cost. */
  const reads: string[] = [];
  /** The reads that returned data (every bucket read, the digests found): what a cache had to fetch. */
  const finds: string[] = [];
  const epochs: { _id: string; v: number }[] = [];
  let onReplace: (() => void)[] = [];

  const log = (read: string, found: boolean) => {
    reads.push(read);
    if (found) finds.push(read);
  };
  const matches = (doc: BucketDocument, id: IdFilter) =>
    id === undefined
      ? true
      : typeof id === 'string'
        ? doc._id === id
        : doc._id >= id.$gte && doc._id < id.$lt;

  const connection = {
    collection: (name: string) => ({
      findOne: async (filter: { _id: string }, options?: { projection?: Record<string, 0> }) => {
        const doc = digests.get(`${name}|${filter._id}`) ?? null;
        log(`${name}|${filter._id}${options?.projection ? ' (meta)' : ''}`, doc !== null);
        return doc;
      },
      replaceOne: async (filter: { _id: string }, doc: DigestDocument) => {
        digests.set(`${name}|${filter._id}`, doc);
        for (const resolve of onReplace) resolve();
        onReplace = [];
      },
      find: (filter: { _id?: IdFilter }) => ({
        toArray: async () => {
          if (name === EPOCHS_COLLECTION) return epochs;
          log(name, true);
          return (collections.get(name) ?? []).filter((doc) => matches(doc, filter._id));
        },
      }),
      bulkWrite: async (ops: { updateOne: { filter: { _id: string } } }[]) => {
        for (const op of ops) {
          const found = epochs.find((e) => e._id === op.updateOne.filter._id);
          if (found) found.v += 1;
          else epochs.push({ _id: op.updateOne.filter._id, v: 1 });
        }
      },
    }),
  };

  /** Stores `doc` in the bucket collection `name`, replacing the document of the same `_id`. */
  const put = (name: string, doc: BucketDocument) => {
    collections.set(name, [...(collections.get(name) ?? []).filter((d) => d._id !== doc._id), doc]);
  };
  /** Resolves when the next digest has been written (readers write them in the background). */
  const digestWritten = () => new Promise<void>((resolve) => onReplace.push(resolve));

  return { connection: connection as unknown as Connection, put, digests, reads, finds, digestWritten };
}

export type FakeRollupConnection = ReturnType<typeof fakeRollupConnection>;
