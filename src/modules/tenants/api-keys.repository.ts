import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { isValidObjectId, type Model, Types } from 'mongoose';

import { ApiKey, type ApiKeyRecord } from './api-key.schema';

export type NewApiKey = Pick<ApiKey, 'hash' | 'prefix' | 'label' | 'enabled' | 'expiresAt' | 'createdBy'> &
  Partial<Pick<ApiKey, 'rateLimit'>>;
export type ApiKeyChanges = Partial<
  Pick<ApiKey, 'hash' | 'prefix' | 'label' | 'enabled' | 'expiresAt' | 'lastUsedAt' | 'rateLimit'>
>;

/** The only code touching the `api_keys` collection. Reads of one key always name its tenant. */
@Injectable()
export class ApiKeysRepository {
  constructor(@InjectModel(ApiKey.name) private readonly model: Model<ApiKey>) {}

  findAll(): Promise<ApiKeyRecord[]> {
    return this.model.find().lean<ApiKeyRecord[]>().exec();
  }

  findByHash(hash: string): Promise<ApiKeyRecord | null> {
    return this.model.findOne({ hash }).lean<ApiKeyRecord>().exec();
  }

  findByTenant(tenantId: string): Promise<ApiKeyRecord[]> {
    return this.model
      .find({ tenantId: new Types.ObjectId(tenantId) })
      .sort({ createdAt: -1 })
      .lean<ApiKeyRecord[]>()
      .exec();
  }

  findOne(tenantId: string, keyId: string): Promise<ApiKeyRecord | null> {
    if (!isValidObjectId(keyId)) return Promise.resolve(null);
    return this.model
      .findOne({ _id: new Types.ObjectId(keyId), tenantId: new Types.ObjectId(tenantId) })
      .lean<ApiKeyRecord>()
      .exec();
  }

  async create(tenantId: string, data: NewApiKey): Promise<ApiKeyRecord> {
    const doc = await this.model.create({ ...data, tenantId: new Types.ObjectId(tenantId) });
    return doc.toObject<ApiKeyRecord>();
  }

  update(tenantId: string, keyId: string, changes: ApiKeyChanges): Promise<ApiKeyRecord | null> {
    if (!isValidObjectId(keyId)) return Promise.resolve(null);
    return this.model
      .findOneAndUpdate(
        { _id: new Types.ObjectId(keyId), tenantId: new Types.ObjectId(tenantId) },
        { $set: changes },
        { new: true },
      )
      .lean<ApiKeyRecord>()
      .exec();
  }

  async delete(tenantId: string, keyId: string): Promise<boolean> {
    if (!isValidObjectId(keyId)) return false;
    const result = await this.model
      .deleteOne({ _id: new Types.ObjectId(keyId), tenantId: new Types.ObjectId(tenantId) })
      .exec();
    return result.deletedCount === 1;
  }

  async deleteByTenant(tenantId: string): Promise<number> {
    return (await this.model.deleteMany({ tenantId: new Types.ObjectId(tenantId) }).exec()).deletedCount;
  }

  /** Batched last-used update; `$max` makes a late or repeated flush harmless. */
  async recordLastUsed(usage: ReadonlyMap<string, Date>): Promise<void> {
    if (usage.size === 0) return;
    await this.model.bulkWrite(
      [...usage].map(([id, at]) => ({
        updateOne: {
          filter: { _id: new Types.ObjectId(id) },
          update: { $max: { lastUsedAt: at } },
          timestamps: false,
        },
      })),
      { ordered: false },
    );
  }
}
