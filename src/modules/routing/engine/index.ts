/** Public surface of the routing engine for the gateway, admin endpoints and scripts. */
export { RoutingEngine, FIM_CATEGORY_KEY, type RoutingEngineOptions } from './routing-engine';
export { ClassifierRegistry, trainingSet } from './classifier-registry';
export type { RecordedLlmAnswer, RecordedRuleHit, RoutingEvidence } from './evidence';
export { toAutoRoutingInfo, type AutoRoutingInfo } from './decision-view';
export { DEFAULT_OVERRIDE_SETTINGS, DEFAULT_ROUTING_SETTINGS, resolveSettings } from './settings';
export {
  validateRuleSet,
  RULE_SET_LIMITS,
  type FieldError,
  type ValidationResult,
} from './rule-set.validation';
export { analyseRegex, checkRegexSafety } from './safe-regex';
export { isAutoModel, AUTO_MODELS } from './strictness';
export { assignPresetModels, type PresetAssignment, type PresetRequest } from './presets';
export {
  selectModel,
  scoreModel,
  scoringProfileFor,
  findModel,
  COST_MODE_EXPONENT,
  SCORING_WEIGHTS,
} from './selection';
export { extractSignals, estimateTextTokens } from './signals';
export {
  evaluateRouting,
  caseToInput,
  isEvalCase,
  buildLongConversation,
  type EvalCase,
  type EvalReport,
} from './evaluation';
export { buildClassifierSystemPrompt, parseClassification } from './llm-classifier';
export * from '../../../common/tiers';
export * from './routing.types';
