import type {
  ClassifierEndpoint,
  ClassifierStrategy,
  CostMode,
  Domain,
  OverrideSettings,
  Strictness,
} from '../../../common/routing-vocabulary';
import type { Tier } from '../../../common/tiers';

export {
  CLASSIFIER_STRATEGIES,
  COST_MODES,
  DOMAINS,
  STRICTNESS_MODES,
  type ClassifierEndpoint,
  type ClassifierStrategy,
  type CostMode,
  type Domain,
  type OverrideSettings,
  type Strictness,
} from '../../../common/routing-vocabulary';

/** Benchmark weighting used by model selection; derived from the category key when not set. */
export const SCORING_PROFILES = [
  'general',
  'coding',
  'math',
  'reasoning',
  'research',
  'fast_text',
  'creative',
  'analysis',
  'tool_use',
  'design',
  'planning',
  'sensitive',
  'vision',
  'document',
  'chat',
  'data',
] as const;
export type ScoringProfile = (typeof SCORING_PROFILES)[number];

/** A routing category as the engine needs it (the Mongo document carries more). */
export interface RoutingCategory {
  key: string;
  name: string;
  description: string;
  tier: Tier;
  examples: readonly string[];
  /** Model id (or `providerSlug/modelId`) used first when usable. */
  defaultModel?: string | null;
  /** Tried when the default model is missing, hidden, too small or below the tier. */
  fallbackModel?: string | null;
  requiresVision?: boolean;
  /** Injected into the request for this category (gateway step 6). */
  systemPrompt?: string | null;
  scoringProfile?: ScoringProfile;
  enabled?: boolean;
}

/** Minimum token counts for each tier; a request at or above a threshold needs at least that tier. */
export interface TokenThresholds {
  minimal: number;
  low: number;
  medium: number;
  advanced: number;
  high: number;
}

export const KEYWORD_SEARCH_SCOPES = ['user', 'system', 'all'] as const;
export type KeywordSearchScope = (typeof KEYWORD_SEARCH_SCOPES)[number];

export interface KeywordRule {
  name: string;
  enabled?: boolean;
  /** Plain phrases matched case-insensitively on word boundaries, or regex sources when `regex` is set. */
  keywords: readonly string[];
  regex?: boolean;
  match: 'any' | 'all';
  /** For `any`: how many distinct keywords must hit. */
  minMatches: number;
  searchIn: KeywordSearchScope;
  category?: string;
  tierMin?: Tier;
  tierMax?: Tier;
  domain?: Domain;
  /** Evidence strength 0..1; defaults to the rule set's `weights.contentKeywords`. */
  confidence?: number;
}

/** Recognises the kind of client from its system prompt (coding agent, support bot, ...). */
export interface RoleRule {
  name: string;
  enabled?: boolean;
  /** Case-insensitive regex source tested against the start of the system prompt. */
  pattern: string;
  category?: string;
  tierMin?: Tier;
  tierMax?: Tier;
  domain?: Domain;
  /** Defaults to the rule set's `weights.systemPromptRole`. */
  confidence?: number;
}

export interface SignalWeights {
  /** Confidence of a decision made from the token count alone. */
  tokenCount: number;
  /** Default confidence of a system-prompt role rule. */
  systemPromptRole: number;
  /** Default confidence of a keyword rule. */
  contentKeywords: number;
  /** Prior boost for code categories when the message contains code (0 = none). */
  codeLanguage: number;
  /** Weight of the previous user turn in the local classifier's features (0 = ignore history). */
  conversationTurns: number;
}

export interface ClassifierSettings {
  /** Below this combined confidence the LLM classifier is asked (when configured). */
  confidenceThreshold: number;
  strategy: ClassifierStrategy;
  /** Upper bound for the classifier prompt, in tokens, whatever the classifier's window. */
  contextLimitTokens: number;
}

export interface RuleSet {
  id?: string;
  name: string;
  tokenThresholds: TokenThresholds;
  keywordRules: readonly KeywordRule[];
  systemPromptRoles: readonly RoleRule[];
  weights: SignalWeights;
  classifier: ClassifierSettings;
  costMode: CostMode;
  /** Integer −2..+2 applied after the cost mode. */
  tierBoost: number;
}

export interface TenantRoutingSettings {
  strictness: Strictness;
  overrides: OverrideSettings;
  classifierChain: readonly ClassifierEndpoint[];
  /** Each LLM classifier attempt is abandoned after this long. */
  classifierTimeoutMs: number;
  /** `smart` strictness keeps the user's model when the category's tier is at least this. */
  smartKeepMinTier: Tier;
  /** When a concrete model was asked for and routing picks a higher tier, keep the asked model. */
  tierCapToUserModel: boolean;
  /** Output tokens reserved when checking that a model's window fits (when max_tokens is absent). */
  outputReserveTokens: number;
}

export interface ModelBenchmarks {
  intelligence?: number;
  coding?: number;
  math?: number;
  speed?: number;
}

/** A model the engine may choose (from the registry, already filtered to the tenant's providers). */
export interface ModelCandidate {
  id: string;
  providerId: string;
  providerSlug?: string;
  tier: Tier;
  contextWindow: number;
  maxOutputTokens?: number;
  inputPricePer1M: number;
  outputPricePer1M: number;
  visible: boolean;
  /** e.g. `vision`, `tools`; an absent list means "unknown" and is not filtered on. */
  capabilities?: readonly string[];
  benchmarks?: ModelBenchmarks;
  /** Tie breaker, higher wins (default 50). */
  priority?: number;
}
