import { appendJsonMembers } from '../../../common/json/answer-text';
import type { UpstreamJsonResponse, UpstreamUsage } from '../../providers/adapters/provider-adapter';
import type { ModelView } from '../../providers/provider.types';
import type { GatewayConfigSource } from '../config/gateway-config.source';
import { type CostInfo, computeCost, costInfoJson } from '../cost/cost-calculator';
import type { DispatchResult } from '../dispatch/resilient-dispatcher';
import type { GatewayContext } from '../pipeline/gateway-context';
import type { Usage } from './gateway-outcome';

/**
 * What the gateway adds to an upstream answer (DESIGN.md §3 step 11): the cost against the
 * baseline, the `x-prism-*` headers, and on JSON answers the `cost_info`, `auto_routing` and
 * `context_fallback` blocks.
 */
export class ResponseEnricher {
  constructor(private readonly source: Pick<GatewayConfigSource, 'modelsById'>) {}

  /** Cost of the tokens on the deployment that served, and what the baseline model would have cost. */
  costOf(ctx: GatewayContext, routed: ModelView, usage: Usage): CostInfo {
    const baselineModel = baselineModelOf(ctx, routed);
    const baseline =
      baselineModel === routed.modelId
        ? routed
        : (ctx.models?.deploymentsOf(baselineModel)[0] ?? this.source.modelsById(baselineModel)[0]);
    return computeCost({
      tenant: ctx.tenant,
      routed,
      inputTokens: usage.input,
      outputTokens: usage.output,
      cachedInputTokens: usage.cachedInput,
      baselineModel,
      baseline,
      extraUsd: ctx.route?.routingCostUsd,
    });
  }

  /** Adds the gateway's blocks to a completion (not to embeddings: clients parse those strictly). */
  enrichJson(ctx: GatewayContext, body: Record<string, unknown>, cost: CostInfo): void {
    if (ctx.endpoint === 'embeddings') return;
    body.cost_info = cost;
    if (ctx.route) body.auto_routing = autoRouting(ctx);
    if (ctx.contextFallback) body.context_fallback = ctx.contextFallback;
  }

  /**
   * The upstream's answer text with the members {@link enrichJson} would add appended, when the
   * adapter passed the answer on as it came (`text`, and `bytes` for large answers): the same JSON as
   * serialising the enriched answer, without serialising the upstream's part again. Undefined when there is no text or the
   * answer already has one of the gateway's members (it is then serialised with the gateway's value).
   */
  enrichText(ctx: GatewayContext, answer: UpstreamJsonResponse, cost: CostInfo): string | Buffer | undefined {
    const text = answer.text;
    if (text === undefined) return undefined;
    if (ctx.endpoint === 'embeddings') return appendJsonMembers(text, '', answer.bytes);
    const body = answer.body;
    if ('cost_info' in body || 'auto_routing' in body || 'context_fallback' in body) return undefined;
    let members = `"cost_info":${costInfoJson(cost)}`;
    if (ctx.route) members += `,"auto_routing":${JSON.stringify(autoRouting(ctx))}`;
    if (ctx.contextFallback) members += `,"context_fallback":${JSON.stringify(ctx.contextFallback)}`;
    return appendJsonMembers(text, members, answer.bytes);
  }

  /** The answer's headers: the context's own (rate limits, budget warnings) plus `x-prism-*`. */
  headers(
    ctx: GatewayContext,
    result: DispatchResult<unknown>,
    cost: CostInfo | undefined,
  ): Record<string, string> {
    // The context's own headers are extended in place: no copy.
    const headers = ctx.responseHeaders;
    const deployment = result.target.deployment;
    headers['x-request-id'] = ctx.requestId;
    headers['x-prism-model'] = deployment.modelId;
    headers['x-prism-provider'] = deployment.providerSlug;
    if (ctx.route?.category) headers['x-prism-category'] = ctx.route.category;
    const tier = ctx.route?.tier ?? deployment.tier;
    if (tier) headers['x-prism-tier'] = tier;
    if (ctx.route) headers['x-prism-auto-routed'] = 'true';
    if (cost) headers['x-prism-cost-usd'] = String(cost.cost_usd);
    if (ctx.contextFallback) headers['x-prism-context-fallback'] = ctx.contextFallback.fallback_model;
    if (result.attempts.length > 1) headers['x-prism-attempts'] = String(result.attempts.length);
    const overhead = performance.now() - ctx.startedAt - result.upstreamMs;
    headers['x-prism-overhead-ms'] = Math.max(0, overhead).toFixed(2);
    headers['x-prism-upstream-ms'] = result.upstreamMs.toFixed(2);
    if (ctx.sessionId) headers['x-session-id'] = ctx.sessionId;
    return headers;
  }
}

/** The upstream's usage when it sent one, else the gateway's estimate. */
export function usageFrom(raw: unknown, ctx: GatewayContext, estimateOutput: () => number): Usage {
  const usage = raw as (Partial<UpstreamUsage> & { prompt_tokens_details?: unknown }) | null | undefined;
  if (usage && typeof usage.prompt_tokens === 'number') {
    return {
      input: usage.prompt_tokens,
      output: typeof usage.completion_tokens === 'number' ? usage.completion_tokens : 0,
      cachedInput: cachedTokensOf(usage.prompt_tokens_details, usage.prompt_tokens),
      estimated: false,
    };
  }
  return { input: ctx.estimatedInputTokens, output: estimateOutput(), cachedInput: 0, estimated: true };
}

/**
 * Cache reads of an OpenAI-shaped usage (`prompt_tokens_details.cached_tokens`; the native
 * adapters map Anthropic's `cache_read_input_tokens` and Bedrock's `cacheReadInputTokens` there).
 */
function cachedTokensOf(details: unknown, promptTokens: number): number {
  const cached = (details as { cached_tokens?: unknown } | null | undefined)?.cached_tokens;
  return typeof cached === 'number' && cached > 0 ? Math.min(cached, promptTokens) : 0;
}

export function estimateOutputTokens(body: Record<string, unknown>): number {
  const text = answerText(body);
  return text ? Math.ceil(text.length / 4) : 0;
}

/** The text of a completion's choices (tool calls as JSON), for estimates and prompt logging. */
export function answerText(body: Record<string, unknown>): string {
  const choices = body.choices;
  if (!Array.isArray(choices)) return '';
  let text = '';
  for (const choice of choices as Record<string, unknown>[]) {
    const message = choice?.message as Record<string, unknown> | undefined;
    if (typeof message?.content === 'string') text += message.content;
    if (typeof choice?.text === 'string') text += choice.text;
    if (Array.isArray(message?.tool_calls)) text += JSON.stringify(message.tool_calls);
  }
  return text;
}

/** Baseline (DESIGN.md §3 step 11): the model the client asked for; for `auto` the tenant's baseline model. */
function baselineModelOf(ctx: GatewayContext, routed: ModelView): string {
  if (ctx.userModel) return ctx.userModel;
  return ctx.tenant?.routing.baselineModel ?? routed.modelId;
}

function autoRouting(ctx: GatewayContext): Record<string, unknown> {
  const route = ctx.route;
  if (!route) return {};
  return {
    category: route.category,
    tier: route.tier,
    model_id: route.modelId,
    confidence: route.confidence,
    reason: route.reason,
    overrides: route.overrideDetails ?? route.overrides,
    routing_ms: Math.round(route.routingMs * 100) / 100,
  };
}
