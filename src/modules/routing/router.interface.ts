/**
 * The contract between the gateway (and the dry-run, synthetic-test and replay endpoints) and the
 * routing engine. One engine implements it; every caller passes the same input and context shapes,
 * so a dry run is exactly what production would have done.
 */
import type { Tier } from '../../common/tiers';
import type {
  OpenAIChatCompletionRequest,
  OpenAICompletionRequest,
} from '../providers/adapters/wire/openai.types';
import type { RoutingEvidence } from './engine/evidence';
import type {
  ClassifierEndpoint,
  ClassifierStrategy,
  CostMode,
  Domain,
  ModelCandidate,
  RoutingCategory,
  RuleSet,
  TenantRoutingSettings,
} from './engine/routing.types';
import type { TaskCue } from './engine/task-cues';

export type * from './engine/routing.types';
export type { RecordedLlmAnswer, RecordedRuleHit, RoutingEvidence } from './engine/evidence';
export type { TaskCue } from './engine/task-cues';
export type { Tier } from '../../common/tiers';

// ---------------------------------------------------------------------------------------------
// Input: the OpenAI-style request body, structurally (the wire types are assignable to these).
// ---------------------------------------------------------------------------------------------

export interface RoutingContentPart {
  type: string;
  text?: string;
  image_url?: unknown;
}

export interface RoutingToolCall {
  id?: string;
  type?: string;
  function?: { name?: string; arguments?: string };
}

export interface RoutingMessage {
  role: string;
  content?: string | readonly RoutingContentPart[] | null;
  name?: string;
  tool_calls?: readonly RoutingToolCall[] | null;
  tool_call_id?: string;
}

/**
 * What the engine reads from a request. Chat completions pass `messages`; legacy completions pass
 * `prompt` (and `suffix` for fill-in-the-middle), which the engine treats as one user message.
 */
export interface RoutingInput {
  /** The model the client asked for after alias/prefix resolution: `auto`, `auto-prism` or a model id. */
  model: string;
  messages?: readonly RoutingMessage[];
  /** Legacy completions prompt: text, texts, or pre-tokenised ids (counted, not read). */
  prompt?: string | readonly string[] | readonly number[] | readonly (readonly number[])[];
  /** Fill-in-the-middle suffix (`/v1/completions`); its presence makes the request FIM. */
  suffix?: string | null;
  /** Set by the gateway when it already knows the request is FIM (e.g. an autocomplete endpoint). */
  fim?: boolean;
  tools?: readonly unknown[] | null;
  tool_choice?: unknown;
  max_tokens?: number | null;
  max_completion_tokens?: number | null;
}

/** Compile-time proof that the gateway can pass the wire requests through unchanged. */
type AcceptedAsInput<T extends RoutingInput> = T;
export type ChatCompletionRoutingInput = AcceptedAsInput<OpenAIChatCompletionRequest>;
export type CompletionRoutingInput = AcceptedAsInput<OpenAICompletionRequest & { fim?: boolean }>;

// ---------------------------------------------------------------------------------------------
// Context: everything tenant- and request-scoped the engine needs besides the body.
// ---------------------------------------------------------------------------------------------

export interface LlmClassifierRequest {
  classifier: ClassifierEndpoint;
  system: string;
  user: string;
  maxTokens: number;
  temperature: number;
  /** Aborted when the engine's per-attempt timeout fires; pass it to the upstream call. */
  signal: AbortSignal;
}

export interface LlmClassifierResponse {
  /** The raw assistant text; the engine parses the JSON out of it. */
  text: string;
  inputTokens?: number;
  outputTokens?: number;
  /** Cost of this call; when absent the engine prices it from `models` if the classifier is listed there. */
  costUsd?: number;
}

/** Implemented by the gateway (one upstream call); the engine handles bad JSON, errors and fallbacks. */
export type LlmClassify = (request: LlmClassifierRequest) => Promise<LlmClassifierResponse>;

export interface RoutingBudgetState {
  /** Forced cost mode (budget guard or quota economy); wins over the rule set's cost mode. */
  costMode?: CostMode;
  /** Tiers the budget guard forbids; selection moves down past them. */
  blockedTiers?: readonly Tier[];
  /** Recorded in the override list (`budget_guard`, `quota_economy`, ...). */
  source?: string;
}

export interface TrainingExample {
  text: string;
  category: string;
}

export interface RoutingContext {
  tenantId?: string;
  /** Missing fields take {@link DEFAULT_ROUTING_SETTINGS} (exported by the engine). */
  settings?: Partial<Omit<TenantRoutingSettings, 'overrides'>> & {
    overrides?: Partial<TenantRoutingSettings['overrides']>;
  };
  /** The tenant's rule set or the global default (already validated). */
  ruleSet: RuleSet;
  categories: readonly RoutingCategory[];
  /** Admin-added examples beyond the categories' own (e.g. corrected replays). */
  trainingExamples?: readonly TrainingExample[];
  models: readonly ModelCandidate[];
  llmClassify?: LlmClassify;
  /** Context-window fill ratio (0..1) of the previous request in the same session. */
  previousSessionFill?: number;
  budget?: RoutingBudgetState;
  /** Marks the trace as a dry run; behaviour is identical. */
  dryRun?: boolean;
}

// ---------------------------------------------------------------------------------------------
// Signals
// ---------------------------------------------------------------------------------------------

export interface TokenEstimate {
  /** Estimated prompt tokens of the whole request (prose/3.5 + code/1.5 + 4 per message + images + tools). */
  total: number;
  proseChars: number;
  codeChars: number;
  messages: number;
  images: number;
  tools: number;
  lastUserMessage: number;
  systemPrompt: number;
}

export type FimReason = 'suffix' | 'flag' | 'marker' | 'system_prompt' | 'bare_code_block';

/** Facts about the request; contains no prompt text, so it is safe to store in the request log. */
export interface RoutingSignals {
  tokens: TokenEstimate;
  hasImages: boolean;
  imageCount: number;
  hasTools: boolean;
  toolCount: number;
  messageCount: number;
  /** User turns that are not tool-output continuations. */
  conversationTurns: number;
  /** The latest user message is tool output (or the last message is a `tool` message). */
  isToolContinuation: boolean;
  isFim: boolean;
  fimReason: FimReason | null;
  /** Agent-style system prompt or tool traffic in the conversation. */
  isAgent: boolean;
  domains: readonly Domain[];
  codeLanguages: readonly string[];
  /** The latest user message contains a fenced code block or recognisable code. */
  hasCode: boolean;
  frustration: boolean;
  longOutputRequested: boolean;
  language: 'en' | 'de' | 'other';
  /** Task cues of the latest request (engine/task-cues.ts); absent in evidence recorded before them. */
  cues?: readonly TaskCue[];
}

// ---------------------------------------------------------------------------------------------
// Decision and trace
// ---------------------------------------------------------------------------------------------

export type OverrideCode =
  | 'strictness_off'
  | 'strictness_fim_only'
  | 'strictness_smart'
  | 'tier_cap'
  | 'rule_tier_min'
  | 'task_cue_floor'
  | 'task_cue_cap'
  | 'tier_model_floor'
  | 'tier_model_cap'
  | 'rule_tier_max'
  | 'classifier_fallback'
  | 'vision_upgrade'
  | 'tool_call_upgrade'
  | 'low_confidence_floor'
  | 'domain_gate'
  | 'conversation_turn_upgrade'
  | 'frustration_upgrade'
  | 'output_length_upgrade'
  | 'long_context'
  | 'session_fill_upgrade'
  | 'cost_economy'
  | 'cost_quality'
  | 'budget_cost_mode'
  | 'tier_boost'
  | 'budget_blocked_tier'
  | 'tier_walk'
  | 'capability_relaxed';

/** One tier change (or policy decision), in the order it happened. */
export interface OverrideRecord {
  code: OverrideCode;
  from: Tier;
  to: Tier;
  detail?: string;
}

export type TraceStepName =
  | 'signals'
  | 'strictness_gate'
  | 'fim_fast_path'
  | 'rules'
  | 'local_classifier'
  | 'tier_model'
  | 'combine'
  | 'llm_classifier'
  | 'overrides'
  | 'session_fill'
  | 'cost_mode'
  | 'strictness'
  | 'selection';

export interface TraceStep {
  name: TraceStepName;
  /** Short, prompt-free summary of what the step looked at. */
  input: Record<string, unknown>;
  output: Record<string, unknown>;
  confidence?: number;
  skipped?: boolean;
  durationUs: number;
}

export type DecisionSource =
  'user_model' | 'fim_fast_path' | 'rules' | 'local_classifier' | 'llm_classifier' | 'token_fallback';

export type SelectionMethod =
  | 'user_model'
  | 'category_default'
  | 'category_fallback'
  | 'benchmark_economy'
  | 'benchmark_balanced'
  | 'benchmark_quality'
  | 'none';

export interface SelectedModel {
  id: string;
  /** Null when the user's model was kept but is not in the candidate list (the gateway resolves it). */
  providerId: string | null;
  providerSlug?: string;
  tier?: Tier;
}

export interface RoutingDecision {
  /** False when the user's model was kept (strictness) — the gateway then forwards it unchanged. */
  routed: boolean;
  category: string | null;
  categoryName: string | null;
  tier: Tier;
  /** Null only when no candidate model exists at all; the gateway answers with its own error. */
  model: SelectedModel | null;
  confidence: number;
  source: DecisionSource;
  selectionMethod: SelectionMethod;
  domain: Domain | null;
  reason: string;
  overrides: readonly OverrideRecord[];
  /** The category's system prompt to inject (never for FIM). */
  systemPrompt: string | null;
  signals: RoutingSignals;
  classifier: {
    strategy: ClassifierStrategy | null;
    model: string | null;
    attempts: number;
    inputTokens: number;
    outputTokens: number;
    costUsd: number;
  };
  routingMs: number;
  trace: { dryRun: boolean; steps: readonly TraceStep[] };
  /** Prompt-free inputs of the text-reading stages, stored with the request log for replay. */
  evidence: RoutingEvidence;
}

export interface Router {
  route(input: RoutingInput, context: RoutingContext): Promise<RoutingDecision>;
}
