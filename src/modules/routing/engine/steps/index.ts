import { costModeStep, decidedCategoryStep, overridesStep, sessionFillStep } from './adjust.steps';
import {
  combineStep,
  fimFastPathStep,
  llmClassifierStep,
  localClassifierStep,
  rulesStep,
  tierModelStep,
} from './classify.steps';
import { signalsStep, strictnessGateStep } from './gate.steps';
import type { RoutingStep } from './routing-run';
import { selectionStep, strictnessStep } from './select.steps';

/**
 * The routing pipeline, in order (like the gateway's stages). Each step reads what earlier steps
 * left on the {@link RoutingRun}; the strictness gate and strictness may decide early (the user's
 * model is kept), selection always decides. The FIM fast path replaces the classification steps,
 * which then pass, and the adjustments are skipped.
 */
export const ROUTING_STEPS: readonly RoutingStep[] = [
  signalsStep,
  strictnessGateStep,
  fimFastPathStep,
  rulesStep,
  localClassifierStep,
  tierModelStep,
  combineStep,
  llmClassifierStep,
  decidedCategoryStep,
  overridesStep,
  sessionFillStep,
  costModeStep,
  strictnessStep,
  selectionStep,
];

export { buildDecision } from './decision';
export { FIM_CATEGORY_KEY } from './classify.steps';
export { RoutingRun, type RoutingStep, type RunOutcome } from './routing-run';
