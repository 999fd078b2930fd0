import { applyCostMode } from '../cost-mode';
import { applyOverrides, applySessionFill } from '../overrides';
import { tierForTokens } from '../rules';
import type { RoutingRun } from './routing-run';

const FIM_SKIP = 'fill-in-the-middle fast path';

/** The decided category and tier, which the following steps adjust. */
export function decidedCategoryStep(run: RoutingRun): void {
  const { decision } = run;
  run.category = decision.category ? (run.categoryIndex.byKey.get(decision.category) ?? null) : null;
  run.tier = decision.tier;
}

/** Tier overrides (images, tools, domains, size, frustration, long output…); none for FIM. */
export function overridesStep(run: RoutingRun): void {
  const { signals, decision, trace } = run;
  // Autocomplete is latency-bound: no upgrades, no cost-mode shifts.
  if (signals.isFim) {
    trace.skip('overrides', FIM_SKIP);
    return;
  }
  const tokenTier = tierForTokens(signals.tokens.total, run.context.ruleSet.tokenThresholds);
  const changed = trace.run(
    'overrides',
    { tier: run.tier, confidence: decision.confidence, domain: decision.domain },
    () =>
      applyOverrides(
        {
          tier: run.tier,
          category: decision.category,
          categoryRequiresVision: run.category?.requiresVision === true,
          confidence: decision.confidence,
          domain: decision.domain,
          signals,
          tokenTier,
          classifierFrustration: run.classifierFrustration,
          classifierLongOutput: run.classifierLongOutput,
        },
        run.settings.overrides,
      ),
    (result) => ({
      output: { tier: result.tier, applied: result.overrides.map((override) => override.code) },
    }),
  );
  run.tier = changed.tier;
  run.overrides.push(...changed.overrides);
}

/** A session keeps at least the tier its earlier requests reached. */
export function sessionFillStep(run: RoutingRun): void {
  if (run.signals.isFim) {
    run.trace.skip('session_fill', FIM_SKIP);
    return;
  }
  const previous = run.context.previousSessionFill;
  const filled = run.trace.run(
    'session_fill',
    { tier: run.tier, previousFill: previous ?? null },
    () => applySessionFill(run.tier, previous, run.settings.overrides),
    (result) => ({ output: { tier: result.tier, applied: result.overrides.length > 0 } }),
  );
  run.tier = filled.tier;
  run.overrides.push(...filled.overrides);
}

/** The cost mode (the budget guard's, else the rule set's) and the tier boost. */
export function costModeStep(run: RoutingRun): void {
  const { context } = run;
  const costMode = context.budget?.costMode ?? context.ruleSet.costMode;
  if (run.signals.isFim) {
    run.trace.skip('cost_mode', FIM_SKIP);
    run.costMode = costMode;
    return;
  }
  const cost = run.trace.run(
    'cost_mode',
    { tier: run.tier, costMode, tierBoost: context.ruleSet.tierBoost },
    () => applyCostMode(run.tier, context.ruleSet, context.budget),
    (result) => ({ output: { tier: result.tier, costMode: result.costMode } }),
  );
  run.tier = cost.tier;
  run.costMode = cost.costMode;
  run.overrides.push(...cost.overrides);
}
