import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { type FilterQuery, isValidObjectId, type Model, Types } from 'mongoose';

import type { Tier } from '../../common/tiers';
import { ProviderModel, type ProviderModelRecord } from './provider-model.schema';
import type { ManualModelField, ModelCapabilities } from './provider.types';

export interface ModelListFilter {
  providerIds?: string[];
  search?: string;
  tier?: Tier;
  visible?: boolean;
  category?: string;
  capability?: keyof ModelCapabilities;
}

export type ModelSort = 'priority' | 'modelId' | 'inputPrice' | 'outputPrice' | 'contextWindow' | 'tier';

const SORT_FIELDS: Record<ModelSort, Record<string, 1 | -1>> = {
  priority: { priority: -1, modelId: 1 },
  modelId: { modelId: 1 },
  inputPrice: { 'pricing.inputPer1M': 1, modelId: 1 },
  outputPrice: { 'pricing.outputPer1M': 1, modelId: 1 },
  contextWindow: { contextWindow: -1, modelId: 1 },
  tier: { tier: 1, modelId: 1 },
};

export type ModelFields = Omit<ProviderModel, 'providerId' | 'modelId' | 'createdAt' | 'updatedAt'>;

/** The only code touching the `models` collection. */
@Injectable()
export class ModelsRepository {
  constructor(@InjectModel(ProviderModel.name) private readonly model: Model<ProviderModel>) {}

  findAll(): Promise<ProviderModelRecord[]> {
    return this.model.find().lean<ProviderModelRecord[]>().exec();
  }

  findByProvider(providerId: string): Promise<ProviderModelRecord[]> {
    return this.model
      .find({ providerId: new Types.ObjectId(providerId) })
      .sort({ modelId: 1 })
      .lean<ProviderModelRecord[]>()
      .exec();
  }

  findById(id: string): Promise<ProviderModelRecord | null> {
    if (!isValidObjectId(id)) return Promise.resolve(null);
    return this.model.findById(id).lean<ProviderModelRecord>().exec();
  }

  findOne(providerId: string, modelId: string): Promise<ProviderModelRecord | null> {
    return this.model
      .findOne({ providerId: new Types.ObjectId(providerId), modelId })
      .lean<ProviderModelRecord>()
      .exec();
  }

  async list(
    filter: ModelListFilter,
    sort: ModelSort,
    skip: number,
    limit: number,
  ): Promise<{ items: ProviderModelRecord[]; total: number }> {
    const query = this.toQuery(filter);
    const [items, total] = await Promise.all([
      this.model
        .find(query)
        .sort(SORT_FIELDS[sort])
        .skip(skip)
        .limit(limit)
        .lean<ProviderModelRecord[]>()
        .exec(),
      this.model.countDocuments(query).exec(),
    ]);
    return { items, total };
  }

  /** Idempotent upsert of one model by (provider, model id); one atomic write per document. */
  async upsert(
    providerId: string,
    modelId: string,
    fields: Partial<ModelFields>,
  ): Promise<ProviderModelRecord> {
    const doc = await this.model
      .findOneAndUpdate(
        { providerId: new Types.ObjectId(providerId), modelId },
        { $set: fields, $setOnInsert: { providerId: new Types.ObjectId(providerId), modelId } },
        { upsert: true, new: true, runValidators: true },
      )
      .lean<ProviderModelRecord>()
      .exec();
    return doc;
  }

  async create(
    providerId: string,
    modelId: string,
    fields: Partial<ModelFields>,
  ): Promise<ProviderModelRecord> {
    const doc = await this.model.create({ ...fields, providerId: new Types.ObjectId(providerId), modelId });
    return doc.toObject<ProviderModelRecord>();
  }

  /** Applies an admin edit and pins the edited fields so discovery keeps them. */
  update(
    id: string,
    changes: Partial<ModelFields>,
    pinned: readonly ManualModelField[],
  ): Promise<ProviderModelRecord | null> {
    const update: Record<string, unknown> = { $set: changes };
    if (pinned.length > 0) update.$addToSet = { manualFields: { $each: pinned } };
    return this.model
      .findByIdAndUpdate(id, update, { new: true, runValidators: true })
      .lean<ProviderModelRecord>()
      .exec();
  }

  async unpin(id: string, fields: readonly ManualModelField[]): Promise<ProviderModelRecord | null> {
    return this.model
      .findByIdAndUpdate(id, { $pullAll: { manualFields: fields } }, { new: true })
      .lean<ProviderModelRecord>()
      .exec();
  }

  async setVisibility(ids: string[], visible: boolean): Promise<number> {
    const objectIds = ids.filter((id) => isValidObjectId(id)).map((id) => new Types.ObjectId(id));
    const result = await this.model
      .updateMany({ _id: { $in: objectIds } }, { $set: { visible }, $addToSet: { manualFields: 'visible' } })
      .exec();
    return result.matchedCount;
  }

  async delete(id: string): Promise<boolean> {
    if (!isValidObjectId(id)) return false;
    return (await this.model.deleteOne({ _id: id }).exec()).deletedCount === 1;
  }

  async deleteByProvider(providerId: string): Promise<number> {
    const result = await this.model.deleteMany({ providerId: new Types.ObjectId(providerId) }).exec();
    return result.deletedCount;
  }

  private toQuery(filter: ModelListFilter): FilterQuery<ProviderModel> {
    const query: FilterQuery<ProviderModel> = {};
    if (filter.providerIds) {
      query.providerId = {
        $in: filter.providerIds.filter((id) => isValidObjectId(id)).map((id) => new Types.ObjectId(id)),
      };
    }
    if (filter.search) {
      const pattern = filter.search.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      query.$or = [
        { modelId: { $regex: pattern, $options: 'i' } },
        { name: { $regex: pattern, $options: 'i' } },
      ];
    }
    if (filter.tier) query.tier = filter.tier;
    if (filter.visible !== undefined) query.visible = filter.visible;
    if (filter.category) query.categories = filter.category;
    if (filter.capability) query[`capabilities.${filter.capability}`] = true;
    return query;
  }
}
