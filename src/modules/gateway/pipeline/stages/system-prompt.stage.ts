import type { GatewayContext } from '../gateway-context';
import type { GatewayStage } from '../gateway-stage';

/**
 * Adds the tenant's default system prompt and, for auto-routed requests, the category's system
 * prompt (DESIGN.md §3 step 6): appended to the first system message (as a last text part when its
 * content is a list of parts), or a new one in front.
 * Text already present is not added twice (clients resend whole conversations).
 */
export class SystemPromptStage implements GatewayStage {
  readonly name = 'system_prompt';
  readonly endpoints = ['chat'] as const;

  run(ctx: GatewayContext): void {
    const parts: string[] = [];
    const tenantPrompt = ctx.tenant?.defaultSystemPrompt;
    if (tenantPrompt) parts.push(tenantPrompt);
    const categoryPrompt = ctx.route?.systemPrompt;
    if (categoryPrompt) parts.push(categoryPrompt);
    if (parts.length === 0) return;
    if (injectSystemPrompt(ctx.body, parts)) ctx.invalidateEstimate();
  }
}

export function injectSystemPrompt(body: Record<string, unknown>, parts: readonly string[]): boolean {
  if (!Array.isArray(body.messages)) return false;
  const messages = body.messages as unknown[];
  const index = messages.findIndex(
    (m) =>
      m &&
      typeof m === 'object' &&
      ((m as { role?: unknown }).role === 'system' || (m as { role?: unknown }).role === 'developer'),
  );
  if (index < 0) {
    body.messages = [{ role: 'system', content: parts.join('\n\n') }, ...messages];
    return true;
  }
  const message = messages[index] as Record<string, unknown>;
  const existing = typeof message.content === 'string' ? message.content : textOf(message.content);
  const missing = parts.filter((p) => !existing.includes(p));
  if (missing.length === 0) return false;
  const copy = [...messages];
  // A list of parts (Claude Code's system blocks with `cache_control`) stays a list: the prompt is
  // a new part at the end, so the cached prefix and its breakpoints are untouched (issue 15.8).
  const content = Array.isArray(message.content)
    ? [...(message.content as unknown[]), { type: 'text', text: missing.join('\n\n') }]
    : [existing, ...missing].filter(Boolean).join('\n\n');
  copy[index] = { ...message, content };
  body.messages = copy;
  return true;
}

function textOf(content: unknown): string {
  if (!Array.isArray(content)) return '';
  return (content as { text?: unknown }[])
    .map((p) => (typeof p?.text === 'string' ? p.text : ''))
    .filter(Boolean)
    .join('\n');
}
