import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';

import type { BuiltInCategory } from '../data';
import { builtInDefinition, builtInDocument, type CategoryFields } from './category-mapping';
import { RoutingCategoryDoc, type RoutingCategoryRecord } from './routing-category.schema';

export type CategoryChanges = Partial<Omit<CategoryFields, 'key' | 'builtIn'>>;

function isDuplicateKey(error: unknown): boolean {
  return (error as { code?: number }).code === 11000;
}

/** The only code touching the `routing_categories` collection. */
@Injectable()
export class RoutingCategoriesRepository {
  constructor(@InjectModel(RoutingCategoryDoc.name) private readonly model: Model<RoutingCategoryDoc>) {}

  findAll(): Promise<RoutingCategoryRecord[]> {
    return this.model.find().sort({ order: 1, key: 1 }).lean<RoutingCategoryRecord[]>().exec();
  }

  findByKey(key: string): Promise<RoutingCategoryRecord | null> {
    return this.model.findOne({ key }).lean<RoutingCategoryRecord>().exec();
  }

  /** Null when the key is taken. */
  async create(fields: CategoryFields): Promise<RoutingCategoryRecord | null> {
    try {
      const doc = await this.model.create(fields);
      return doc.toObject<RoutingCategoryRecord>();
    } catch (error) {
      if (isDuplicateKey(error)) return null;
      throw error;
    }
  }

  update(key: string, changes: CategoryChanges): Promise<RoutingCategoryRecord | null> {
    return this.model
      .findOneAndUpdate({ key }, { $set: changes }, { new: true, runValidators: true })
      .lean<RoutingCategoryRecord>()
      .exec();
  }

  /** Deletes a custom category; built-ins are never deleted (they can be disabled). */
  async deleteCustom(key: string): Promise<boolean> {
    return (await this.model.deleteOne({ key, builtIn: false }).exec()).deletedCount === 1;
  }

  /**
   * Inserts each built-in that has no document yet; existing documents are left untouched.
   * Idempotent and safe when several pods run it at once.
   */
  async insertMissing(categories: readonly BuiltInCategory[]): Promise<void> {
    for (const category of categories) {
      try {
        await this.model
          .updateOne({ key: category.key }, { $setOnInsert: builtInDocument(category) }, { upsert: true })
          .exec();
      } catch (error) {
        // Another pod inserted it between our match and our insert.
        if (!isDuplicateKey(error)) throw error;
      }
    }
  }

  /**
   * Puts the shipped definition of every built-in back (name, description, tier, examples, vision,
   * system prompt, enabled) and recreates missing ones. Model choices, admin-added examples and
   * custom categories are kept.
   */
  async restoreBuiltIns(categories: readonly BuiltInCategory[]): Promise<void> {
    for (const category of categories) {
      const fresh = builtInDocument(category);
      try {
        await this.model
          .updateOne(
            { key: category.key },
            {
              $set: builtInDefinition(category),
              $setOnInsert: {
                addedExamples: fresh.addedExamples,
                defaultModel: fresh.defaultModel,
                fallbackModel: fresh.fallbackModel,
              },
            },
            { upsert: true },
          )
          .exec();
      } catch (error) {
        if (!isDuplicateKey(error)) throw error;
      }
    }
  }
}
