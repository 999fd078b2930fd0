import type { BuiltInCategory } from '../data';
import type { RoutingCategory } from '../engine/routing.types';
import type { TrainingExample } from '../router.interface';
import type { RoutingCategoryDoc } from './routing-category.schema';

export type CategoryFields = Omit<RoutingCategoryDoc, 'createdAt' | 'updatedAt'>;

/** The parts of a built-in that "restore built-ins" puts back (model choices and added examples stay). */
export type BuiltInDefinition = Pick<
  CategoryFields,
  | 'name'
  | 'description'
  | 'tier'
  | 'examples'
  | 'requiresVision'
  | 'systemPrompt'
  | 'scoringProfile'
  | 'builtIn'
  | 'order'
  | 'enabled'
>;

export function builtInDefinition(category: BuiltInCategory): BuiltInDefinition {
  return {
    name: category.name,
    description: category.description,
    tier: category.tier,
    examples: [...category.examples],
    requiresVision: category.requiresVision === true,
    systemPrompt: category.systemPrompt ?? null,
    scoringProfile: category.scoringProfile,
    builtIn: true,
    order: category.order,
    enabled: true,
  };
}

/** The document a built-in is first seeded as. */
export function builtInDocument(category: BuiltInCategory): CategoryFields {
  return {
    key: category.key,
    ...builtInDefinition(category),
    addedExamples: [],
    defaultModel: category.defaultModel ?? null,
    fallbackModel: category.fallbackModel ?? null,
  };
}

/** The engine's view of a stored category (its added examples travel separately). */
export function toRoutingCategory(doc: CategoryFields): RoutingCategory {
  const category: RoutingCategory = {
    key: doc.key,
    name: doc.name,
    description: doc.description,
    tier: doc.tier,
    examples: doc.examples ?? [],
    defaultModel: doc.defaultModel,
    fallbackModel: doc.fallbackModel,
    requiresVision: doc.requiresVision,
    systemPrompt: doc.systemPrompt,
    enabled: doc.enabled,
  };
  if (doc.scoringProfile) category.scoringProfile = doc.scoringProfile;
  return category;
}

/** Admin-added examples of enabled categories, as the engine's extra training data. */
export function trainingExamplesOf(docs: readonly CategoryFields[]): TrainingExample[] {
  return docs.flatMap((doc) =>
    doc.enabled ? (doc.addedExamples ?? []).map((text) => ({ text, category: doc.key })) : [],
  );
}
