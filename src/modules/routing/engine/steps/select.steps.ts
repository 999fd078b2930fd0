import { selectModel } from '../selection';
import { applyStrictness } from '../strictness';
import { type RoutingRun, usableUserModel } from './routing-run';

/** Strictness: keep the user's model when the policy says so (smart keep, tier cap…). */
export function strictnessStep(run: RoutingRun): void {
  const { userModel, settings, signals, decision, category } = run;
  const userCandidate = userModel ? usableUserModel(run.context.models, userModel, run.requiredTokens) : null;
  const strictness = run.trace.run(
    'strictness',
    {
      strictness: settings.strictness,
      userModel,
      userModelTier: userCandidate?.tier ?? null,
      tier: run.tier,
    },
    () =>
      applyStrictness({
        userModel,
        userCandidate,
        strictness: settings.strictness,
        isFim: signals.isFim,
        categoryTier: category?.tier ?? null,
        decidedTier: run.tier,
        smartKeepMinTier: settings.smartKeepMinTier,
        tierCap: settings.tierCapToUserModel,
      }),
    (result) => ({ output: { keepUserModel: result.keepUserModel, code: result.override?.code ?? null } }),
  );
  if (!strictness.keepUserModel || !userCandidate || !strictness.override) return;
  run.overrides.push(strictness.override);
  run.outcome = {
    routed: false,
    category,
    tier: userCandidate.tier,
    model: {
      id: userCandidate.id,
      providerId: userCandidate.providerId,
      providerSlug: userCandidate.providerSlug,
      tier: userCandidate.tier,
    },
    confidence: decision.confidence,
    source: 'user_model',
    selectionMethod: 'user_model',
    domain: decision.domain,
    overrides: run.overrides,
    llm: run.llm,
  };
}

/** The model for the final tier and category (capabilities, context, cost mode, blocked tiers). */
export function selectionStep(run: RoutingRun): void {
  const { context, category, decision, signals } = run;
  const selection = run.trace.run(
    'selection',
    {
      tier: run.tier,
      costMode: run.costMode,
      requiredTokens: run.requiredTokens,
      candidates: context.models.length,
      defaultModel: category?.defaultModel ?? null,
    },
    () =>
      selectModel({
        tier: run.tier,
        category,
        costMode: run.costMode,
        requiredTokens: run.requiredTokens,
        needsVision: signals.hasImages,
        needsTools: signals.hasTools,
        blockedTiers: context.budget?.blockedTiers,
        models: context.models,
      }),
    (result) => ({
      output: {
        model: result.model?.id ?? null,
        providerId: result.model?.providerId ?? null,
        tier: result.tier,
        method: result.method,
        ranking: result.ranking,
        notes: result.notes,
      },
    }),
  );
  run.overrides.push(...selection.overrides);
  const chosen = selection.model;
  run.outcome = {
    routed: true,
    category,
    tier: selection.tier,
    model: chosen
      ? { id: chosen.id, providerId: chosen.providerId, providerSlug: chosen.providerSlug, tier: chosen.tier }
      : null,
    confidence: decision.confidence,
    source: decision.source,
    selectionMethod: selection.method,
    domain: decision.domain,
    overrides: run.overrides,
    llm: run.llm,
  };
}
