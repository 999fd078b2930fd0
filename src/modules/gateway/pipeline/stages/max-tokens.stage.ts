import type { GatewayContext } from '../gateway-context';
import type { GatewayStage } from '../gateway-stage';

/**
 * max_tokens clamp (DESIGN.md §3 step 8): a client asking for more output than the model can give,
 * or than is left of its window after the prompt, gets the largest value that works instead of an
 * upstream 400.
 */
export class MaxTokensStage implements GatewayStage {
  readonly name = 'max_tokens';
  readonly endpoints = ['chat', 'completions'] as const;

  run(ctx: GatewayContext): void {
    const model = ctx.primary;
    if (!model) return;
    const field = typeof ctx.body.max_completion_tokens === 'number' ? 'max_completion_tokens' : 'max_tokens';
    const requested = ctx.body[field];
    if (typeof requested !== 'number') return;
    let limit = model.maxOutputTokens ?? Infinity;
    if (model.contextWindow) limit = Math.min(limit, model.contextWindow - ctx.estimatedInputTokens);
    const clamped = Math.max(1, Math.floor(limit));
    if (requested > clamped) {
      ctx.body[field] = clamped;
      ctx.notes.push(`${field}_clamped:${requested}->${clamped}`);
    }
  }
}
