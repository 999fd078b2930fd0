/**
 * Stage 4: ask an LLM when the local evidence is not confident enough. The engine builds the prompt
 * (bounded by the rule set's context limit *and* the classifier's window), the gateway performs the
 * call through the `llmClassify` callback, and the engine parses the JSON answer, walking the
 * fallback chain on errors, timeouts and unusable answers.
 */
import { isTier, type Tier } from '../../../common/tiers';
import type {
  LlmClassifierResponse,
  LlmClassify,
  RoutingContentPart,
  RoutingInput,
  RoutingMessage,
  RoutingSignals,
} from '../router.interface';
import { jsonFromAnswer, STRICT_OBJECT } from './model-answer';
import {
  DOMAINS,
  type ClassifierEndpoint,
  type ClassifierStrategy,
  type Domain,
  type ModelCandidate,
  type RoutingCategory,
} from './routing.types';
import { PROSE_CHARS_PER_TOKEN } from './signals';
import { headTail } from './text-match';

export const CLASSIFIER_MAX_TOKENS = 300;
/** Tokens kept free in the classifier's window for its instructions and answer. */
const WINDOW_RESERVE_TOKENS = 1500;
const MIN_LIMIT_TOKENS = 300;
const SUMMARY_MESSAGES = 12;

export interface LlmClassification {
  category: string;
  confidence: number;
  tier: Tier | null;
  domain: Domain | null;
  frustrated: boolean;
  longOutput: boolean;
}

export interface LlmAttempt {
  model: string;
  ok: boolean;
  error?: string;
  durationMs: number;
}

export interface LlmClassifierOutcome {
  result: LlmClassification | null;
  attempts: LlmAttempt[];
  model: string | null;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
  promptChars: number;
}

// ------------------------------------------------------------------------------------------------
// Prompt
// ------------------------------------------------------------------------------------------------

const systemPromptCache = new WeakMap<readonly RoutingCategory[], string>();

/** Lists every category once per categories array (cached). */
export function buildClassifierSystemPrompt(categories: readonly RoutingCategory[]): string {
  const cached = systemPromptCache.get(categories);
  if (cached) return cached;
  const lines = categories
    .filter((category) => category.enabled !== false)
    .map((category) => {
      const sample = category.examples
        .slice(0, 2)
        .map((example) => `"${example}"`)
        .join('; ');
      return `- ${category.key} [${category.tier}]: ${category.description}${sample ? ` e.g. ${sample}` : ''}`;
    });
  const prompt = [
    'You route requests to language models. Read the request and pick the single best category.',
    'Tiers, cheapest first: micro, minimal, low, medium, advanced, high, ultra, critical.',
    'Categories:',
    ...lines,
    '',
    'Answer with one JSON object and nothing else:',
    '{"category": "<key>", "confidence": <0..1>, "tier": "<tier, only if the request is clearly harder or easier than the category tier>",',
    ' "domain": "general|security|legal|medical|finance", "frustrated": <true if the user is visibly frustrated>,',
    ' "output_length": "short|medium|long"}',
  ].join('\n');
  systemPromptCache.set(categories, prompt);
  return prompt;
}

export function signalsLine(
  signals: RoutingSignals,
  localGuess?: { category: string; confidence: number },
): string {
  const parts = [
    `tokens≈${signals.tokens.total}`,
    `turns=${signals.conversationTurns}`,
    signals.hasImages ? `images=${signals.imageCount}` : null,
    signals.hasTools ? `tools=${signals.toolCount}` : null,
    signals.isAgent ? 'agent' : null,
    signals.isToolContinuation ? 'tool_continuation' : null,
    signals.domains.length > 0 ? `domains=${signals.domains.join(',')}` : null,
    signals.codeLanguages.length > 0 ? `code=${signals.codeLanguages.join(',')}` : null,
    `language=${signals.language}`,
    localGuess ? `local_guess=${localGuess.category}(${localGuess.confidence.toFixed(2)})` : null,
  ];
  return `[signals: ${parts.filter((part) => part !== null).join('; ')}]`;
}

function textOf(message: RoutingMessage): string {
  const { content } = message;
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return (content as readonly RoutingContentPart[])
    .map((part) => (typeof part.text === 'string' ? part.text : part.type === 'text' ? '' : `[${part.type}]`))
    .filter((text) => text.length > 0)
    .join('\n');
}

/** Replaces fenced code blocks with a one-line placeholder naming the language and size. */
export function collapseCode(text: string): string {
  return text.replace(/```([\w+#.-]*)\n?([\s\S]*?)(?:```|$)/g, (_match, language: string, body: string) => {
    const lines = body.split('\n').length;
    return `[code${language ? ` ${language}` : ''}: ${lines} lines]`;
  });
}

function firstSentence(text: string, maxChars: number): string {
  const compact = text.replace(/\s+/g, ' ').trim();
  const end = compact.search(/[.!?](?:\s|$)/);
  const sentence = end > 0 && end < maxChars ? compact.slice(0, end + 1) : compact.slice(0, maxChars);
  return sentence.length < compact.length ? `${sentence} …` : sentence;
}

export interface ClassifierPromptInput {
  strategy: ClassifierStrategy;
  input: RoutingInput;
  signals: RoutingSignals;
  /** Capped system prompt and latest user message from signal extraction. */
  system: string;
  lastUser: string;
  limitTokens: number;
  roleHint?: string;
  localGuess?: { category: string; confidence: number };
}

/** The user message sent to the LLM classifier for a strategy, within `limitTokens`. */
export function buildClassifierUserPrompt(options: ClassifierPromptInput): string {
  const budget = Math.max(MIN_LIMIT_TOKENS, options.limitTokens) * PROSE_CHARS_PER_TOKEN;
  const trailer = [
    signalsLine(options.signals, options.localGuess),
    options.roleHint
      ? `[hint: the system prompt identifies the client as "${options.roleHint}"; classify the user's actual request]`
      : null,
  ]
    .filter((line): line is string => line !== null)
    .join('\n');
  if (options.strategy === 'metadata_only') {
    return `${trailer}\n[request: ${firstSentence(options.lastUser, 160)}]`;
  }
  const messages = options.input.messages ?? [];
  const nonSystem: RoutingMessage[] = [];
  for (let index = messages.length - 1; index >= 0 && nonSystem.length < SUMMARY_MESSAGES; index -= 1) {
    const message = messages[index] as RoutingMessage;
    if (message.role !== 'system' && message.role !== 'developer') nonSystem.unshift(message);
  }
  const sections: string[] = [];
  let remaining = budget - trailer.length;
  if (options.system) {
    const system = headTail(options.system, Math.floor(budget * 0.3));
    sections.push(`[system prompt]\n${system}`);
    remaining -= system.length + 20;
  }
  if (options.strategy === 'truncate') {
    const recent = nonSystem.slice(-3);
    const share = Math.max(200, Math.floor(remaining / Math.max(1, recent.length)));
    for (const message of recent) sections.push(`[${message.role}]\n${headTail(textOf(message), share)}`);
  } else {
    // summary: one line per earlier message, code and tool output collapsed; the latest user
    // request gets most of the room.
    const latestShare = Math.floor(remaining * 0.6);
    const lineShare = Math.max(80, Math.floor((remaining - latestShare) / Math.max(1, nonSystem.length)));
    for (const message of nonSystem.slice(0, -1)) {
      const text =
        message.role === 'tool'
          ? `[tool output: ≈${Math.ceil(textOf(message).length / 3.5)} tokens]`
          : collapseCode(textOf(message));
      sections.push(`[${message.role}] ${firstSentence(text, lineShare)}`);
    }
    sections.push(`[latest user request]\n${headTail(collapseCode(options.lastUser), latestShare)}`);
  }
  return `${sections.join('\n\n')}\n\n${trailer}`;
}

/** The prompt limit: the rule set's limit, but never more than the classifier's window allows. */
export function classifierLimitTokens(contextLimitTokens: number, endpoint: ClassifierEndpoint): number {
  const windowLimit = endpoint.contextWindow ? endpoint.contextWindow - WINDOW_RESERVE_TOKENS : Infinity;
  return Math.max(MIN_LIMIT_TOKENS, Math.min(contextLimitTokens, windowLimit));
}

// ------------------------------------------------------------------------------------------------
// Answer
// ------------------------------------------------------------------------------------------------

/** Validates a parsed answer; null when it names no known category. */
export function parseClassification(
  text: string,
  knownCategories: ReadonlySet<string>,
): LlmClassification | null {
  const parsed = jsonFromAnswer(text, STRICT_OBJECT);
  if (typeof parsed !== 'object' || parsed === null) return null;
  const answer = parsed as Record<string, unknown>;
  const category = typeof answer.category === 'string' ? answer.category.trim() : '';
  if (!knownCategories.has(category)) return null;
  const rawConfidence = typeof answer.confidence === 'number' ? answer.confidence : Number(answer.confidence);
  const confidence = Number.isFinite(rawConfidence) ? Math.min(1, Math.max(0, rawConfidence)) : 0.7;
  const tier = answer.tier ?? answer.cost_tier;
  const domain =
    typeof answer.domain === 'string' && (DOMAINS as readonly string[]).includes(answer.domain)
      ? (answer.domain as Domain)
      : null;
  return {
    category,
    confidence,
    tier: isTier(tier) ? tier : null,
    domain,
    frustrated: answer.frustrated === true || answer.user_frustration_signal === true,
    longOutput: answer.output_length === 'long' || answer.estimated_output_length === 'long',
  };
}

function priceOf(
  response: LlmClassifierResponse,
  endpoint: ClassifierEndpoint,
  models: readonly ModelCandidate[],
): number {
  if (typeof response.costUsd === 'number' && Number.isFinite(response.costUsd)) return response.costUsd;
  const model = models.find(
    (candidate) =>
      candidate.id === endpoint.model &&
      (!endpoint.providerId || candidate.providerId === endpoint.providerId),
  );
  if (!model) return 0;
  return (
    ((response.inputTokens ?? 0) * model.inputPricePer1M +
      (response.outputTokens ?? 0) * model.outputPricePer1M) /
    1_000_000
  );
}

class ClassifierTimeout extends Error {
  constructor(milliseconds: number) {
    super(`timed out after ${milliseconds} ms`);
  }
}

export interface RunLlmClassifierOptions {
  chain: readonly ClassifierEndpoint[];
  classify: LlmClassify;
  system: string;
  /** Builds the user prompt for one endpoint (the limit depends on its window). */
  userPromptFor: (endpoint: ClassifierEndpoint) => string;
  knownCategories: ReadonlySet<string>;
  models: readonly ModelCandidate[];
  timeoutMs: number;
}

/** Tries each classifier in order until one gives a usable answer; costs of every attempt add up. */
export async function runLlmClassifier(options: RunLlmClassifierOptions): Promise<LlmClassifierOutcome> {
  const outcome: LlmClassifierOutcome = {
    result: null,
    attempts: [],
    model: null,
    inputTokens: 0,
    outputTokens: 0,
    costUsd: 0,
    promptChars: 0,
  };
  for (const endpoint of options.chain) {
    const started = performance.now();
    const user = options.userPromptFor(endpoint);
    outcome.promptChars = user.length;
    const controller = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    try {
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          controller.abort();
          reject(new ClassifierTimeout(options.timeoutMs));
        }, options.timeoutMs);
      });
      const call = Promise.resolve().then(() =>
        options.classify({
          classifier: endpoint,
          system: options.system,
          user,
          maxTokens: CLASSIFIER_MAX_TOKENS,
          temperature: 0,
          signal: controller.signal,
        }),
      );
      // A call that fails after its timeout must not become an unhandled rejection.
      call.catch(() => undefined);
      const response = await Promise.race([call, timeout]);
      outcome.inputTokens += response.inputTokens ?? 0;
      outcome.outputTokens += response.outputTokens ?? 0;
      outcome.costUsd += priceOf(response, endpoint, options.models);
      const result = parseClassification(
        typeof response.text === 'string' ? response.text : '',
        options.knownCategories,
      );
      const durationMs = performance.now() - started;
      if (result) {
        outcome.attempts.push({ model: endpoint.model, ok: true, durationMs });
        outcome.result = result;
        outcome.model = endpoint.model;
        return outcome;
      }
      outcome.attempts.push({
        model: endpoint.model,
        ok: false,
        error: 'no valid JSON with a known category',
        durationMs,
      });
    } catch (error) {
      outcome.attempts.push({
        model: endpoint.model,
        ok: false,
        error: error instanceof Error ? error.message : 'classifier call failed',
        durationMs: performance.now() - started,
      });
    } finally {
      clearTimeout(timer);
    }
  }
  return outcome;
}
