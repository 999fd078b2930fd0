import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { isValidObjectId, type Model } from 'mongoose';

import { Provider, type ProviderRecord } from './provider.schema';

export type NewProvider = Pick<
  Provider,
  'name' | 'slug' | 'type' | 'baseUrl' | 'auth' | 'options' | 'enabled'
>;
export type ProviderChanges = Partial<
  Pick<
    Provider,
    | 'name'
    | 'type'
    | 'baseUrl'
    | 'auth'
    | 'options'
    | 'enabled'
    | 'status'
    | 'statusMessage'
    | 'lastCheckedAt'
  >
>;

/** The only code touching the `providers` collection. */
@Injectable()
export class ProvidersRepository {
  constructor(@InjectModel(Provider.name) private readonly model: Model<Provider>) {}

  findAll(): Promise<ProviderRecord[]> {
    return this.model.find().sort({ name: 1 }).lean<ProviderRecord[]>().exec();
  }

  findById(id: string): Promise<ProviderRecord | null> {
    if (!isValidObjectId(id)) return Promise.resolve(null);
    return this.model.findById(id).lean<ProviderRecord>().exec();
  }

  findBySlug(slug: string): Promise<ProviderRecord | null> {
    return this.model.findOne({ slug }).lean<ProviderRecord>().exec();
  }

  /** By ObjectId, else by slug (admin URLs accept both). */
  async findByIdOrSlug(idOrSlug: string): Promise<ProviderRecord | null> {
    return (await this.findById(idOrSlug)) ?? (await this.findBySlug(idOrSlug));
  }

  async slugsStartingWith(base: string): Promise<string[]> {
    const escaped = base.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    const docs = await this.model
      .find({ slug: { $regex: `^${escaped}(-\\d+)?$` } }, { slug: 1 })
      .lean<{ slug: string }[]>()
      .exec();
    return docs.map((d) => d.slug);
  }

  async create(data: NewProvider): Promise<ProviderRecord> {
    const doc = await this.model.create(data);
    return doc.toObject<ProviderRecord>();
  }

  update(id: string, changes: ProviderChanges): Promise<ProviderRecord | null> {
    return this.model
      .findByIdAndUpdate(id, { $set: changes }, { new: true, runValidators: true })
      .lean<ProviderRecord>()
      .exec();
  }

  async delete(id: string): Promise<boolean> {
    const result = await this.model.deleteOne({ _id: id }).exec();
    return result.deletedCount === 1;
  }
}
