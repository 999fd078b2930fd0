import { Injectable } from '@nestjs/common';
import { InjectConnection } from '@nestjs/mongoose';
import type { Connection, Model } from 'mongoose';

/** A stored document as the transfer copies it: whole, by collection. */
export type TransferDoc = Record<string, unknown> & { _id: unknown };

/** What the collection's Mongoose model checks (absent where no model owns the collection). */
export interface CollectionChecks {
  /** Fields of each unique index without a partial filter (slug, provider+model, ...). */
  readonly uniqueKeys: string[][];
  /** The schema's validation of a document: the failing fields and their messages. */
  validate(doc: TransferDoc): { field: string; message: string }[];
}

/**
 * The raw documents of the exported collections for the settings export/import. The transfer
 * works on whole documents of several modules' collections, so it reads them by collection name
 * and checks them against whichever Mongoose model owns the collection.
 */
@Injectable()
export class SettingsTransferRepository {
  constructor(@InjectConnection() private readonly connection: Connection) {}

  /** The documents of a collection by `_id`, or only document `id` (single-document settings). */
  async read(spec: { collection: string; id?: string }): Promise<TransferDoc[]> {
    const collection = this.collection(spec.collection);
    if (spec.id) {
      const doc = await collection.findOne({ _id: spec.id } as never);
      return doc ? [doc] : [];
    }
    return collection.find({}).sort({ _id: 1 }).toArray();
  }

  findById(collection: string, id: unknown): Promise<TransferDoc | null> {
    return this.collection(collection).findOne({ _id: id } as never);
  }

  /** Documents matching `filter` whose id is not `id` (holders of the same unique key). */
  findOthers(collection: string, filter: Record<string, unknown>, id: unknown): Promise<TransferDoc[]> {
    return this.collection(collection)
      .find({ ...filter, _id: { $ne: id } } as never)
      .toArray();
  }

  /** Deletes the `displaced` documents, then writes `doc` in place of its id (upsert). */
  async replace(collection: string, doc: TransferDoc, displaced: readonly TransferDoc[]): Promise<void> {
    const target = this.collection(collection);
    if (displaced.length > 0) {
      await target.deleteMany({ _id: { $in: displaced.map((d) => d._id) } } as never);
    }
    await target.replaceOne({ _id: doc._id } as never, doc, { upsert: true });
  }

  checks(collection: string): CollectionChecks | undefined {
    const model = Object.values(this.connection.models).find(
      (m) => m.collection.collectionName === collection,
    ) as Model<unknown> | undefined;
    if (!model) return undefined;
    const uniqueKeys = model.schema
      .indexes()
      .filter(
        ([, options]) =>
          (options as { unique?: boolean }).unique &&
          !(options as { partialFilterExpression?: unknown }).partialFilterExpression,
      )
      .map(([fields]) => Object.keys(fields));
    return {
      uniqueKeys,
      validate: (doc) =>
        Object.entries(new model(doc).validateSync()?.errors ?? {}).map(([field, e]) => ({
          field,
          message: e.message,
        })),
    };
  }

  private collection(name: string) {
    return this.connection.collection<TransferDoc>(name);
  }
}
