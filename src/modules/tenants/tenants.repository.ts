import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { type FilterQuery, isValidObjectId, type Model, Types } from 'mongoose';

import { defaultTenantDocument } from './tenant-defaults';
import { Tenant, type TenantRecord } from './tenant.schema';
import { DEFAULT_TENANT_SLUG } from './tenant.types';

export type NewTenant = Omit<Tenant, 'createdAt' | 'updatedAt'>;
export type TenantChanges = Partial<Omit<Tenant, 'slug' | 'isDefault' | 'createdAt' | 'updatedAt'>>;

export interface TenantListFilter {
  /** Restrict to these ids (tenant-scoped users); undefined = all. */
  ids?: readonly string[];
  search?: string;
  active?: boolean;
}

/** The only code touching the `tenants` collection. */
@Injectable()
export class TenantsRepository {
  constructor(@InjectModel(Tenant.name) private readonly model: Model<Tenant>) {}

  findAll(): Promise<TenantRecord[]> {
    return this.model.find().lean<TenantRecord[]>().exec();
  }

  findById(id: string): Promise<TenantRecord | null> {
    if (!isValidObjectId(id)) return Promise.resolve(null);
    return this.model.findById(id).lean<TenantRecord>().exec();
  }

  findBySlug(slug: string): Promise<TenantRecord | null> {
    return this.model.findOne({ slug }).lean<TenantRecord>().exec();
  }

  async findByIdOrSlug(idOrSlug: string): Promise<TenantRecord | null> {
    return (await this.findById(idOrSlug)) ?? (await this.findBySlug(idOrSlug));
  }

  async list(
    filter: TenantListFilter,
    skip: number,
    limit: number,
  ): Promise<{ items: TenantRecord[]; total: number }> {
    const query: FilterQuery<Tenant> = {};
    if (filter.ids)
      query._id = { $in: filter.ids.filter((id) => isValidObjectId(id)).map((id) => new Types.ObjectId(id)) };
    if (filter.active !== undefined) query.active = filter.active;
    if (filter.search) {
      const pattern = filter.search.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      query.$or = [
        { slug: { $regex: pattern, $options: 'i' } },
        { name: { $regex: pattern, $options: 'i' } },
      ];
    }
    const [items, total] = await Promise.all([
      this.model
        .find(query)
        .sort({ isDefault: -1, slug: 1 })
        .skip(skip)
        .limit(limit)
        .lean<TenantRecord[]>()
        .exec(),
      this.model.countDocuments(query).exec(),
    ]);
    return { items, total };
  }

  async create(data: NewTenant): Promise<TenantRecord> {
    const doc = await this.model.create(data);
    return doc.toObject<TenantRecord>();
  }

  update(id: string, changes: TenantChanges): Promise<TenantRecord | null> {
    if (!isValidObjectId(id)) return Promise.resolve(null);
    return this.model
      .findByIdAndUpdate(id, { $set: changes }, { new: true, runValidators: true })
      .lean<TenantRecord>()
      .exec();
  }

  async delete(id: string): Promise<boolean> {
    if (!isValidObjectId(id)) return false;
    return (await this.model.deleteOne({ _id: id, isDefault: { $ne: true } }).exec()).deletedCount === 1;
  }

  /** Idempotent: creates the default tenant once; never touches it afterwards (admins own it). */
  async ensureDefaultTenant(): Promise<void> {
    try {
      await this.model
        .updateOne({ slug: DEFAULT_TENANT_SLUG }, { $setOnInsert: defaultTenantDocument() }, { upsert: true })
        .exec();
    } catch (error) {
      // Two pods booting at once: the loser's upsert hits the unique slug index, which is fine.
      if ((error as { code?: number }).code !== 11000) throw error;
    }
  }

  /** Removes a provider from every tenant's provider list, fallback chains and weights. */
  async detachProvider(providerId: string): Promise<void> {
    await this.model.updateMany({ providerIds: providerId }, { $pull: { providerIds: providerId } }).exec();
    await this.model
      .updateMany(
        { 'loadBalancing.weights.providerId': providerId },
        { $pull: { 'loadBalancing.weights': { providerId } } },
      )
      .exec();
  }
}
