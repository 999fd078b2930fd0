import { createRequire } from 'node:module';
import { Injectable } from '@nestjs/common';
import { InjectConnection, InjectModel } from '@nestjs/mongoose';
import { type Connection, type Model, mongo, Types } from 'mongoose';

import type { UsageSource, UsageTotals } from '../limits/usage-ledger';
import {
  DocumentAnswer,
  type InsertAnswers,
  isDocumentError,
  isSizeError,
  type WriteConcernError,
  type WriteError,
} from './insert-answers';
import { BsonDocumentWriter, decodeDocuments, encodedDocuments } from './request-log.bson';
import type { CompactRequestLog } from './request-log.mapper';
import { RequestLog, type RequestLogRecord } from './request-log.schema';
import { RequestLogStore } from './request-log.store';
import { RequestPrompt } from './request-prompt.schema';
import {
  type BucketDocument,
  type BucketUpdate,
  bucketId,
  entryField,
  rollupCollection,
  toBucketUpdates,
} from './rollup-buckets';
import { RollupEpochs } from './rollup-epochs';
import { fromE8, type RollupIncrement } from './rollups';

/** Which writer applies a rollup batch, and its sequence number (see `applyRollups`). */
export interface RollupBatchId {
  writer: string;
  seq: number;
}

/** What routing replay and the trace endpoint read from a request log. */
export type RoutedLogRow = Pick<
  RequestLogRecord,
  | '_id'
  | 'timestamp'
  | 'requestId'
  | 'tenantId'
  | 'tenantSlug'
  | 'routedModel'
  | 'providerId'
  | 'category'
  | 'tier'
  | 'routingTraceId'
  | 'inputTokens'
  | 'outputTokens'
  | 'costUsd'
>;

/** Writes of `request_logs`, the usage rollup buckets and `request_prompts`, and the reads budgets and routing use. */
@Injectable()
export class AnalyticsRepository implements UsageSource {
  constructor(
    @InjectModel(RequestLog.name) private readonly logs: Model<RequestLog>,
    @InjectConnection() private readonly connection: Connection,
    @InjectModel(RequestPrompt.name) private readonly prompts: Model<RequestPrompt>,
    private readonly epochs: RollupEpochs,
    private readonly store: RequestLogStore,
  ) {}

  /** Inserts complete documents; ids already present (a retried batch) are skipped, not errors. */
  async insertLogs(docs: readonly CompactRequestLog[]): Promise<void> {
    if (docs.length === 0) return;
    const encoder = new BsonDocumentWriter();
    for (const doc of docs) encoder.append(doc);
    await this.insertEncodedLogs(encoder.view());
  }

  /**
   * Inserts documents already encoded to BSON (BsonDocumentWriter: one after another, each as the
   * driver would write it), as `insertLogs` does; the bytes are only read until this resolves.
   * Without `answers`, any error but a duplicate key throws. With `answers`, each document's
   * answer is recorded there as its command answers (insert-answers.ts): a document refused for
   * good (a per-document error other than duplicate key) is recorded and does not throw; the
   * insert throws when a command failed as a whole for a transient reason (network, timeout, not
   * primary, shutdown; the documents from there on are left unanswered) or a document was
   * refused for now.
   */
  async insertEncodedLogs(bytes: Buffer, answers?: InsertAnswers): Promise<void> {
    if (bytes.length === 0) return;
    if (answers) return insertUnordered(this.logs, bytes, answers);
    await ignoreDuplicates(insertUnordered(this.logs, bytes));
  }

  /**
   * Inserts stored prompts as `insertEncodedLogs` inserts request logs with `answers` (the same
   * commands, so the same answers per document, command-level refusals and write concern
   * handling): duplicates (a retried batch) count as stored, a prompt refused for good is recorded
   * in `answers.refused`, and a transient failure throws.
   */
  async insertPrompts(docs: readonly RequestPrompt[], answers: InsertAnswers): Promise<void> {
    if (docs.length === 0) return;
    const bytes = Buffer.concat(docs.map((doc) => mongo.BSON.serialize(doc)));
    await insertUnordered(this.prompts, bytes, answers);
  }

  /**
   * `$inc` upserts of rollup increments into their bucket documents (rollup-buckets.ts),
   * idempotent per batch: each bucket remembers the last sequence number every writer applied to
   * it (`w.<writer>`), and the upsert only matches a bucket that has not seen this batch.
   * Re-applying a batch (a retry after a partial failure) then hits the unique `_id` instead of
   * counting twice; such duplicate-key answers are checked once more one by one, because two pods
   * creating the same bucket at the same moment also collide. Written into an hour that has closed
   * (a retried batch, a rebuild), it bumps its day's epoch afterwards: no reader keeps a cached copy.
   */
  async applyRollups(increments: readonly RollupIncrement[], batch: RollupBatchId): Promise<void> {
    if (increments.length === 0) return;
    const byCollection = new Map<string, BucketUpdate[]>();
    for (const update of toBucketUpdates(increments)) {
      const list = byCollection.get(update.collection) ?? [];
      list.push(update);
      byCollection.set(update.collection, list);
    }
    const guard = `w.${batch.writer}`;
    await Promise.all(
      [...byCollection].map(async ([name, updates]) => {
        const collection = this.connection.collection<BucketDocument>(name);
        const ops = updates.map((u) => ({
          updateOne: {
            filter: { _id: u.id, [guard]: { $ne: batch.seq } },
            update: { $inc: u.inc, $set: { ...u.set, [guard]: batch.seq } },
            upsert: true,
          },
        }));
        const collided = await duplicateIndexes(collection.bulkWrite(ops, { ordered: false }));
        for (const index of collided) {
          const op = ops[index]!.updateOne;
          // Already applied (our sequence number is on the bucket) or lost a creation race (now it matches).
          await ignoreDuplicates(collection.updateOne(op.filter, op.update, { upsert: true }));
        }
      }),
    );
    await this.epochs.bump(RollupEpochs.lateDays(increments));
  }

  /** Per-day totals of a tenant (budgets and quotas), `YYYY-MM-DD` inclusive: one daily bucket per day. */
  async dailyTotals(
    tenantId: string,
    fromDay: string,
    toDay: string,
  ): Promise<{ day: string; totals: UsageTotals }[]> {
    const field = `r.${entryField(tenantId, '')}`;
    const days: number[] = [];
    const last = Date.parse(`${toDay}T00:00:00Z`);
    for (let day = Date.parse(`${fromDay}T00:00:00Z`); day <= last; day += 86_400_000) days.push(day);
    const found = await Promise.all(
      days.map(async (day) => {
        const doc = await this.connection
          .collection<BucketDocument>(rollupCollection('day', 'all', day))
          .findOne({ _id: bucketId('day', day, 'tenant') }, { projection: { [field]: 1 } });
        const row = doc?.r?.[entryField(tenantId, '')] as Record<string, number | undefined> | undefined;
        if (!row) return [];
        return [
          {
            day: new Date(day).toISOString().slice(0, 10),
            totals: {
              costUsd: fromE8(row.costE8 ?? 0),
              tokens: (row.inputTokens ?? 0) + (row.outputTokens ?? 0),
              requests: row.requests ?? 0,
            },
          },
        ];
      }),
    );
    return found.flat();
  }

  /** Newest auto-routed requests that have a routing trace (replay), optionally of one tenant. */
  async recentRoutedLogs(tenantId: string | null, limit: number): Promise<RoutedLogRow[]> {
    return this.store.page(
      {
        from: new Date(0),
        to: new Date(Date.now() + HOUR_MS),
        routedWithTrace: true,
        ...(tenantId ? { tenantIds: [tenantId] } : {}),
      },
      undefined,
      limit,
    );
  }

  /** One request log by its id or by its request id (routing trace look-up). */
  async findRoutedLog(id: string, tenantIds: readonly string[] | undefined): Promise<RoutedLogRow | null> {
    const byId = Types.ObjectId.isValid(id) && id.length === 24;
    // A row's _id is made when the request ends, a little after its timestamp (arrival).
    const range = byId
      ? {
          from: new Date(new Types.ObjectId(id).getTimestamp().getTime() - DAY_MS),
          to: new Date(new Types.ObjectId(id).getTimestamp().getTime() + HOUR_MS),
        }
      : { from: new Date(0), to: new Date(Date.now() + HOUR_MS) };
    const [row] = await this.store.page(
      { ...range, tenantIds, ...(byId ? { id } : { requestId: id }) },
      undefined,
      1,
    );
    return row ?? null;
  }

  /**
   * Deletes stored prompts past their `expiresAt` or written before `before`, `batch.size` at a
   * time and at most `batch.max` batches per call (each a find of ids, then a delete by id), none
   * after `stopping` is set. Returns how many were deleted.
   */
  async deletePromptsPastRetention(
    now: Date,
    before: Date,
    batch: { size: number; max: number },
    stopping?: AbortSignal,
  ): Promise<number> {
    const filter = { $or: [{ expiresAt: { $lte: now } }, { timestamp: { $lt: before } }] };
    let deleted = 0;
    for (let round = 0; round < batch.max && !stopping?.aborted; round++) {
      const rows = await this.prompts
        .find(filter)
        .select({ _id: 1 })
        .limit(batch.size)
        .lean<{ _id: Types.ObjectId }[]>()
        .exec();
      if (rows.length === 0) break;
      const result = await this.prompts.deleteMany({ _id: { $in: rows.map((row) => row._id) } }).exec();
      deleted += result.deletedCount;
      if (rows.length < batch.size) break;
    }
    return deleted;
  }
}

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;

/** Documents per `insert` command: far below the 16 MB command limit at < 4 KB per compact log. */
const INSERT_CHUNK = 2000;

/** The part of the driver's `DocumentSequence` used here. */
interface DocumentSequenceLike {
  push(document: unknown, bytes: Uint8Array): number;
}

/**
 * The driver's document sequence: the documents of a command sent as raw BSON in an OP_MSG
 * section of their own (kind 1, as other drivers send `insert` documents), instead of a
 * `documents` array the driver serialises. It is internal to the driver (its client bulk write
 * uses it), so it is looked up once, in the driver mongoose uses; without it inserts send the
 * array as before.
 */
const DocumentSequence = ((): (new (field: string) => DocumentSequenceLike) | undefined => {
  try {
    const driverRequire = createRequire(require.resolve('mongoose'));
    if (driverRequire('mongodb') !== mongo) return undefined;
    const found = (driverRequire('mongodb/lib/cmap/commands') as { DocumentSequence?: unknown })
      .DocumentSequence;
    if (typeof found !== 'function' || typeof (found.prototype as DocumentSequenceLike).push !== 'function')
      return undefined;
    return found as new (field: string) => DocumentSequenceLike;
  } catch {
    return undefined;
  }
})();

/** Whether request-log rows go to the database as pre-encoded BSON (a document sequence). */
export const INSERTS_ENCODED = DocumentSequence !== undefined;

/** Bytes per `insert` command: far below the driver's 48 MB message limit. */
const INSERT_BYTES = 8 * 1024 * 1024;

/**
 * The `documents` of one `insert` command: the encoded documents as a document sequence, or,
 * when the driver has none, decoded again into the array the driver serialises (to the same
 * bytes: request-log.bson.spec.ts).
 */
function insertDocuments(bytes: Buffer): unknown {
  if (DocumentSequence) {
    const documents = new DocumentSequence('documents');
    documents.push(undefined, bytes);
    return documents;
  }
  return decodeDocuments(bytes);
}

/**
 * What `insertMany(docs, { ordered: false })` sends (`insert` commands), for documents encoded
 * by BsonDocumentWriter (at a fraction of the driver serialiser's CPU), without the driver's
 * bulk-write layer, which sizes every document once more (a full BSON walk) and checks its `_id`
 * before serialising it. The documents carry their `_id`. Without `answers`, write errors are
 * thrown as `insertMany` throws them (`writeErrors` with the index of the document in `bytes`),
 * so duplicates of a retried batch can be told apart; with `answers`, see `insertEncodedLogs`.
 */
async function insertUnordered(
  model: Pick<Model<unknown>, 'db' | 'collection'>,
  bytes: Buffer,
  answers?: InsertAnswers,
): Promise<void> {
  const db = model.db.db;
  if (!db) throw new Error('The database connection is not open');
  const collection = model.collection.collectionName;
  const writeErrors: WriteError[] = [];
  /**
   * One `insert` command of the documents in `chunk`; returns its write errors (indexes in
   * `chunk`). A write concern error throws, unless `answers` takes it: the writes were applied on
   * the primary and only their replication is unconfirmed (InsertAnswers.unmetWriteConcern).
   */
  const insert = async (chunk: Buffer): Promise<WriteError[]> => {
    let result: Record<string, unknown>;
    try {
      result = await db.command({
        insert: collection,
        documents: insertDocuments(chunk),
        ordered: false,
      });
    } catch (error) {
      // The driver throws a reply that carries a write concern error (ok: 1) as
      // MongoWriteConcernError; its `result` is the whole reply (n, writeErrors, writeConcernError).
      if (!(error instanceof mongo.MongoWriteConcernError) || !error.result) throw error;
      result = error.result;
    }
    const concern = result.writeConcernError as WriteConcernError | undefined;
    if (concern && !answers?.takeUnmetWriteConcern(concern))
      throw Object.assign(new Error('Write concern error'), concern);
    return (result.writeErrors as WriteError[] | undefined) ?? [];
  };
  let at = 0;
  let index = 0;
  while (at < bytes.length) {
    const start = at;
    const first = index;
    // Whole documents, up to INSERT_CHUNK of them or INSERT_BYTES (at least one).
    while (
      at < bytes.length &&
      index - first < INSERT_CHUNK &&
      (index === first || at - start < INSERT_BYTES)
    ) {
      const size = at + 4 <= bytes.length ? bytes.readInt32LE(at) : 0;
      if (size < 5 || at + size > bytes.length) throw new Error('Malformed BSON in a request-log insert');
      at += size;
      index++;
    }
    const chunk = bytes.subarray(start, at);
    if (!answers) {
      for (const e of await insert(chunk)) writeErrors.push({ ...e, index: (e.index ?? 0) + first });
      continue;
    }
    try {
      answers.answered(first, index, await insert(chunk));
    } catch (error) {
      if (!isDocumentError(error)) throw error;
      // The server refused the command because of a document in it: one command per document
      // finds which (a transient failure on the way throws, the rest unanswered).
      let refused = 0;
      let ambiguous = false;
      let doc = 0;
      for (const one of encodedDocuments(chunk)) {
        try {
          answers.answered(first + doc, first + doc + 1, await insert(one));
        } catch (single) {
          if (!isDocumentError(single)) throw single;
          answers.refuse(first + doc, single as { code?: number; message?: string });
          refused++;
          if (!isSizeError(single)) ambiguous = true;
        }
        doc++;
      }
      // Every document refused alone as well: the command is refused, not a document (e.g. a
      // server that does not take these inserts at all); not dropped, tried again later, unless
      // each is too large (that is the document) or the caller has seen this answer for these
      // rows often enough to believe it.
      if (refused === index - first && ambiguous && !answers.trustWholeRefusal) {
        answers.reset(first, index);
        answers.wholeRefusal = true;
        throw error;
      }
    }
  }
  if (answers) {
    if (answers.answers.includes(DocumentAnswer.Later))
      throw new Error('The database refused some request logs for now (transient write errors)');
    return;
  }
  if (writeErrors.length > 0) {
    throw Object.assign(new Error(`Insert failed: ${writeErrors[0]?.errmsg ?? 'write error'}`), {
      code: writeErrors[0]?.code,
      writeErrors,
    });
  }
}

async function ignoreDuplicates(write: Promise<unknown>): Promise<void> {
  await duplicateIndexes(write);
}

/** Awaits a write; returns the operation indexes that failed only with duplicate keys, rethrows anything else. */
async function duplicateIndexes(write: Promise<unknown>): Promise<number[]> {
  try {
    await write;
    return [];
  } catch (error) {
    const e = error as { code?: number; writeErrors?: { code?: number; index?: number }[] };
    const errors = e.writeErrors;
    if (Array.isArray(errors) && errors.length > 0 && errors.every((w) => w.code === 11000)) {
      return errors.map((w) => w.index ?? -1).filter((i) => i >= 0);
    }
    if (e.code === 11000 && !errors) return [0];
    throw error;
  }
}
