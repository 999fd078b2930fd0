import * as adjust from './adjust.steps';
import * as classify from './classify.steps';
import * as gate from './gate.steps';
import type { RoutingStep } from './routing-run';
import * as select from './select.steps';

/**
 * The routing pipeline, in order (like the gateway's stages). Each step reads what earlier steps
 * left on the {@link RoutingRun}; the strictness gate and strictness may decide early (the user's
 * model is kept), selection always decides. The FIM fast path replaces the classification steps,
 * which then pass, and the adjustments are skipped.
 */
export const ROUTING_STEPS: readonly RoutingStep[] = [
  gate.signalsStep,
  gate.strictnessGateStep,
  classify.fimFastPathStep,
  classify.rulesStep,
  classify.localClassifierStep,
  classify.tierModelStep,
  classify.combineStep,
  classify.llmClassifierStep,
  adjust.decidedCategoryStep,
  adjust.overridesStep,
  adjust.sessionFillStep,
  adjust.costModeStep,
  select.strictnessStep,
  select.selectionStep,
];

export { buildDecision } from './decision';
export { FIM_CATEGORY_KEY } from './classify.steps';
export { RoutingRun, type RoutingStep, type RunOutcome } from './routing-run';
