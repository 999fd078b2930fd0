import { GatewayErrors } from '../../gateway.errors';
import type { GatewayContext } from '../gateway-context';
import type { GatewayStage } from '../gateway-stage';

/** Output tokens kept free when the client sets no max_tokens. */
export const DEFAULT_OUTPUT_RESERVE = 1024;

/**
 * Context pre-flight (DESIGN.md §3 step 7): when the estimated prompt plus the output reserve does
 * not fit the model's window, switch to the smallest larger-window model (same tier, then one down,
 * one up, then any) and report it as `context_fallback`. When no model can hold the prompt: 400
 * `context_length_exceeded`. A provider-pinned or opted-out model is never swapped.
 */
export class ContextPreflightStage implements GatewayStage {
  readonly name = 'context_preflight';
  readonly endpoints = ['chat', 'completions'] as const;

  run(ctx: GatewayContext): void {
    const model = ctx.primary;
    const window = model?.contextWindow;
    if (!model || !window || !ctx.models) return;
    const input = ctx.estimatedInputTokens;
    const reserve =
      requestedOutputTokens(ctx.body) ??
      Math.min(model.maxOutputTokens ?? DEFAULT_OUTPUT_RESERVE, DEFAULT_OUTPUT_RESERVE);
    const needed = input + reserve;
    if (needed <= window) return;
    const mayMove = !ctx.pinned && !ctx.optedOut;
    const larger = mayMove
      ? (ctx.models.largerWindowModel(model, needed) ?? ctx.models.largerWindowModel(model, input + 1))
      : undefined;
    if (larger && (larger.contextWindow ?? 0) > window) {
      ctx.contextFallback = {
        original_model: model.modelId,
        fallback_model: larger.modelId,
        reason: 'context_preflight',
      };
      ctx.deployments = ctx.models.deploymentsOf(larger.modelId);
      ctx.body.model = larger.modelId;
      ctx.notes.push(`context_preflight:${model.modelId}->${larger.modelId}`);
      return;
    }
    if (input >= window) {
      throw GatewayErrors.contextLengthExceeded(
        `This request needs about ${input} prompt tokens, more than the ${window}-token window of '${model.modelId}'` +
          (mayMove ? ', and no larger model is available to this API key.' : '.') +
          ' Shorten the conversation or start a new session.',
      );
    }
  }
}

/** The client's output limit (`max_completion_tokens` wins over the older `max_tokens`). */
export function requestedOutputTokens(body: Record<string, unknown>): number | undefined {
  const value = body.max_completion_tokens ?? body.max_tokens;
  return typeof value === 'number' && value > 0 ? value : undefined;
}
