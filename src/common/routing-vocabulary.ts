/**
 * The routing vocabulary shared by every layer: tenants store these settings, providers and the
 * gateway read them, the routing engine acts on them. Defined here, below all of them, so no
 * lower module has to import the routing module for a type.
 */
import type { Tier } from './tiers';

/** Subject areas that gate tiers and steer the classifier prompt. */
export const DOMAINS = ['security', 'legal', 'medical', 'finance'] as const;
export type Domain = (typeof DOMAINS)[number];

/** economy = one tier cheaper and price-heavy scoring, quality = one tier up and quality-heavy scoring. */
export const COST_MODES = ['economy', 'balanced', 'quality'] as const;
export type CostMode = (typeof COST_MODES)[number];

/** When a request that names a concrete model is still routed (DESIGN.md §3 step 5). */
export const STRICTNESS_MODES = ['off', 'fim_only', 'smart', 'all'] as const;
export type Strictness = (typeof STRICTNESS_MODES)[number];

/** How much of the conversation the LLM classifier gets to see. */
export const CLASSIFIER_STRATEGIES = ['metadata_only', 'truncate', 'summary'] as const;
export type ClassifierStrategy = (typeof CLASSIFIER_STRATEGIES)[number];

/** Switches and parameters of the override stage (tenant settings). */
export interface OverrideSettings {
  vision: boolean;
  toolCalls: boolean;
  toolCallMinTier: Tier;
  lowConfidence: boolean;
  lowConfidenceThreshold: number;
  lowConfidenceFloor: Tier;
  domainGate: boolean;
  domainGateDomains: readonly Domain[];
  domainGateMinTier: Tier;
  conversationTurns: boolean;
  conversationTurnThreshold: number;
  frustration: boolean;
  outputLength: boolean;
  /** Token thresholds of the rule set act as a floor (large inputs need capable models). */
  longContext: boolean;
  sessionFill: boolean;
  sessionFillThreshold: number;
}

/** One LLM classifier in the chain, tried in order. */
export interface ClassifierEndpoint {
  model: string;
  providerId?: string;
  /** Known context window of the classifier model; the prompt is cut to fit it. */
  contextWindow?: number;
}
