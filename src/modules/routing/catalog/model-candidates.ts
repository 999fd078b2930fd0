import type { ModelView } from '../../providers/provider.types';
import type { ModelCandidate } from '../engine/routing.types';

/** Chat-capable models only: embeddings models never answer a routed request. */
export function isChatModel(model: ModelView): boolean {
  return !model.capabilities.embeddings && model.apiType !== 'embeddings';
}

/** A registry model as the engine sees it. */
export function toModelCandidate(model: ModelView): ModelCandidate {
  const capabilities: string[] = [];
  if (model.capabilities.vision) capabilities.push('vision');
  if (model.capabilities.tools) capabilities.push('tools');
  if (model.capabilities.fim) capabilities.push('fim');
  if (model.capabilities.reasoning) capabilities.push('reasoning');
  const b = model.benchmarks;
  return {
    id: model.modelId,
    providerId: model.providerId,
    providerSlug: model.providerSlug,
    tier: model.tier ?? 'medium',
    // Unknown windows are not a reason to skip a model: assume a common modern size.
    contextWindow: model.contextWindow ?? 128_000,
    maxOutputTokens: model.maxOutputTokens ?? undefined,
    inputPricePer1M: model.pricing.inputPer1M,
    outputPricePer1M: model.pricing.outputPer1M,
    visible: model.visible,
    capabilities,
    benchmarks: {
      intelligence: b.intelligence ?? undefined,
      coding: b.coding ?? undefined,
      math: b.math ?? undefined,
      speed: b.speed ?? undefined,
    },
    priority: model.priority,
  };
}

/** Routable candidates among these models: chat models with a tier. */
export function toModelCandidates(models: readonly ModelView[]): ModelCandidate[] {
  return models.filter(isChatModel).flatMap((model) => (model.tier ? [toModelCandidate(model)] : []));
}
