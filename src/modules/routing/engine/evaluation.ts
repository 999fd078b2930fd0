/**
 * Offline evaluation of the routing engine against a labelled set (used by `npm run eval:routing`
 * and by the regression spec). Runs the same engine as production, without an LLM classifier.
 */
import { compareTiers, isTier, tierWithin, type Tier } from '../../../common/tiers';
import type {
  Router,
  RoutingContentPart,
  RoutingContext,
  RoutingInput,
  RoutingMessage,
} from '../router.interface';
import type { ModelCandidate } from './routing.types';
import { selectModel } from './selection';
import { estimateTextTokens, TOKENS_PER_MESSAGE } from './signals';

export interface EvalCase {
  prompt: string;
  system?: string;
  expectedCategory: string;
  expectedTierMin: Tier;
  expectedTierMax: Tier;
  /** Number of images attached to the prompt. */
  images?: number;
  /** The request carries a tool definition. */
  tools?: boolean;
  /** An earlier user turn (answered by the assistant) before `prompt`: `prompt` is a follow-up. */
  previous?: string;
}

/** One labelled request in the engine's input shape (the blind sets carry whole conversations). */
export interface LabelledRequest {
  /** The fixture's id, when it has one (blind sets; used to build cross-validation folds). */
  id?: string;
  input: RoutingInput;
  /** Absent when the set labels tiers only. */
  expectedCategory?: string;
  expectedTierMin: Tier;
  expectedTierMax: Tier;
}

export interface EvalMiss {
  prompt: string;
  expectedCategory: string | null;
  category: string | null;
  expectedTiers: string;
  tier: Tier;
  confidence: number;
  overrides: string[];
}

export interface EvalReport {
  cases: number;
  categoryAccuracy: number;
  tierBandAccuracy: number;
  /** Share of cases routed below `expectedTierMin`. */
  underRoutingRate: number;
  overRoutingRate: number;
  /** Estimated spend of the routed models divided by always using the top tier. */
  costRatio: number;
  estimatedCostUsd: number;
  topTierCostUsd: number;
  topTierModel: string | null;
  latencyMs: { p50: number; p99: number; max: number };
  tierMisses: EvalMiss[];
  categoryMisses: EvalMiss[];
}

/** Assumed completion length for the cost estimate. */
export const EVAL_OUTPUT_TOKENS = 400;
const TOOL = {
  type: 'function',
  function: {
    name: 'lookup',
    description: 'Looks something up',
    parameters: { type: 'object', properties: {} },
  },
};
const IMAGE: RoutingContentPart = {
  type: 'image_url',
  image_url: { url: 'data:image/png;base64,iVBORw0KGgo=' },
};

/** Validates one parsed fixture entry. */
export function isEvalCase(value: unknown): value is EvalCase {
  if (typeof value !== 'object' || value === null) return false;
  const entry = value as Record<string, unknown>;
  return (
    typeof entry.prompt === 'string' &&
    entry.prompt.length > 0 &&
    typeof entry.expectedCategory === 'string' &&
    isTier(entry.expectedTierMin) &&
    isTier(entry.expectedTierMax) &&
    compareTiers(entry.expectedTierMin, entry.expectedTierMax) <= 0 &&
    (entry.system === undefined || typeof entry.system === 'string') &&
    (entry.previous === undefined || typeof entry.previous === 'string')
  );
}

export function caseToInput(evalCase: EvalCase): RoutingInput {
  const messages: RoutingMessage[] = [];
  if (evalCase.system) messages.push({ role: 'system', content: evalCase.system });
  if (evalCase.previous) {
    messages.push({ role: 'user', content: evalCase.previous });
    messages.push({ role: 'assistant', content: 'Here you go.' });
  }
  const images = evalCase.images ?? 0;
  messages.push({
    role: 'user',
    content:
      images > 0
        ? [{ type: 'text', text: evalCase.prompt }, ...Array.from({ length: images }, () => IMAGE)]
        : evalCase.prompt,
  });
  return { model: 'auto', messages, ...(evalCase.tools ? { tools: [TOOL] } : {}) };
}

function percentile(sorted: readonly number[], share: number): number {
  if (sorted.length === 0) return 0;
  const index = Math.min(sorted.length - 1, Math.ceil(share * sorted.length) - 1);
  return sorted[Math.max(0, index)] as number;
}

function costOf(model: ModelCandidate | undefined, inputTokens: number): number {
  if (!model) return 0;
  return (inputTokens * model.inputPricePer1M + EVAL_OUTPUT_TOKENS * model.outputPricePer1M) / 1_000_000;
}

export function evaluateRouting(
  router: Router,
  cases: readonly EvalCase[],
  context: RoutingContext,
): Promise<EvalReport> {
  return evaluateRequests(
    router,
    cases.map((evalCase) => ({
      input: caseToInput(evalCase),
      expectedCategory: evalCase.expectedCategory,
      expectedTierMin: evalCase.expectedTierMin,
      expectedTierMax: evalCase.expectedTierMax,
    })),
    context,
  );
}

/** The text a miss is listed under: the last user message, shortened. */
function previewOf(input: RoutingInput): string {
  const users = (input.messages ?? []).filter((message) => message.role === 'user');
  const content = users[users.length - 1]?.content;
  const text =
    typeof content === 'string'
      ? content
      : Array.isArray(content)
        ? content.map((part: RoutingContentPart) => part.text ?? '').join(' ')
        : typeof input.prompt === 'string'
          ? input.prompt
          : '';
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > 90 ? `${flat.slice(0, 87)}...` : flat;
}

export async function evaluateRequests(
  router: Router,
  cases: readonly LabelledRequest[],
  context: RoutingContext,
): Promise<EvalReport> {
  const top = selectModel({
    tier: 'critical',
    category: null,
    costMode: 'quality',
    requiredTokens: 0,
    needsVision: false,
    needsTools: false,
    models: context.models,
  }).model;
  const modelsById = new Map(context.models.map((model) => [`${model.providerId}/${model.id}`, model]));

  let categoryHits = 0;
  let categoryLabelled = 0;
  let bandHits = 0;
  let under = 0;
  let over = 0;
  let cost = 0;
  let topCost = 0;
  const latencies: number[] = [];
  const tierMisses: EvalMiss[] = [];
  const categoryMisses: EvalMiss[] = [];

  for (const evalCase of cases) {
    const input = evalCase.input;
    const started = performance.now();
    const decision = await router.route(input, context);
    latencies.push(performance.now() - started);

    const miss: EvalMiss = {
      prompt: previewOf(input),
      expectedCategory: evalCase.expectedCategory ?? null,
      category: decision.category,
      expectedTiers: `${evalCase.expectedTierMin}..${evalCase.expectedTierMax}`,
      tier: decision.tier,
      confidence: decision.confidence,
      overrides: decision.overrides.map((override) => override.code),
    };
    if (evalCase.expectedCategory !== undefined) {
      categoryLabelled += 1;
      if (decision.category === evalCase.expectedCategory) categoryHits += 1;
      else categoryMisses.push(miss);
    }
    if (tierWithin(decision.tier, evalCase.expectedTierMin, evalCase.expectedTierMax)) {
      bandHits += 1;
    } else {
      tierMisses.push(miss);
      if (compareTiers(decision.tier, evalCase.expectedTierMin) < 0) under += 1;
      else over += 1;
    }
    const chosen = decision.model?.providerId
      ? modelsById.get(`${decision.model.providerId}/${decision.model.id}`)
      : undefined;
    cost += costOf(chosen, decision.signals.tokens.total);
    topCost += costOf(top ?? undefined, decision.signals.tokens.total);
  }

  const sorted = [...latencies].sort((a, b) => a - b);
  const count = Math.max(1, cases.length);
  return {
    cases: cases.length,
    categoryAccuracy: categoryLabelled > 0 ? categoryHits / categoryLabelled : Number.NaN,
    tierBandAccuracy: bandHits / count,
    underRoutingRate: under / count,
    overRoutingRate: over / count,
    costRatio: topCost > 0 ? cost / topCost : 0,
    estimatedCostUsd: cost,
    topTierCostUsd: topCost,
    topTierModel: top?.id ?? null,
    latencyMs: {
      p50: percentile(sorted, 0.5),
      p99: percentile(sorted, 0.99),
      max: sorted[sorted.length - 1] ?? 0,
    },
    tierMisses,
    categoryMisses,
  };
}

/**
 * A synthetic multi-turn coding conversation of about `targetTokens` estimated tokens (prose and code
 * mixed), used to measure decision time on very long requests.
 */
export function buildLongConversation(targetTokens: number): RoutingInput {
  const prose =
    'We looked at the request handler again and the retry logic still needs a closer review before the release. ';
  const code =
    '```ts\nexport async function load(id: string) {\n  const row = await db.find(id);\n  return row ?? null;\n}\n```\n';
  const turn = `${prose.repeat(12)}\n${code.repeat(6)}`;
  const messages: RoutingMessage[] = [{ role: 'system', content: 'You are a helpful coding assistant.' }];
  let tokens = 0;
  let index = 0;
  while (tokens < targetTokens) {
    const role = index % 2 === 0 ? 'user' : 'assistant';
    messages.push({ role, content: turn });
    tokens += estimateTextTokens(turn) + TOKENS_PER_MESSAGE;
    index += 1;
  }
  messages.push({
    role: 'user',
    content: 'Given all of the above, why does the retry loop sometimes run twice?',
  });
  return { model: 'auto', messages };
}
