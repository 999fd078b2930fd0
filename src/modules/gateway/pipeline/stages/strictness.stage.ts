import type { GatewayContext } from '../gateway-context';
import type { GatewayStage } from '../gateway-stage';

/**
 * Force-route strictness and the opt-out token (DESIGN.md §3 step 5). The token anywhere in the
 * last user message keeps the client's model for that request and is removed before forwarding.
 * Otherwise, with strictness other than `off`, a concrete model (not provider-pinned) goes through
 * the router, which keeps or replaces it according to the mode.
 */
export class StrictnessStage implements GatewayStage {
  readonly name = 'strictness';
  readonly endpoints = ['chat', 'completions'] as const;

  run(ctx: GatewayContext): void {
    const routing = ctx.tenant?.routing;
    if (!routing) return;
    const token = routing.optOutToken;
    if (token && stripOptOutToken(ctx.body, token)) {
      ctx.optedOut = true;
      ctx.invalidateEstimate();
      ctx.notes.push('opt_out_token');
    }
    if (ctx.auto || ctx.pinned || ctx.optedOut) return;
    if (routing.enabled && routing.strictness !== 'off') ctx.auto = true;
  }
}

/**
 * Removes every occurrence of `token` from the last user message; true when it was there. The
 * message list is replaced, never edited in place (the body's original bytes are compared by
 * identity, see RawJsonBody).
 */
export function stripOptOutToken(body: Record<string, unknown>, token: string): boolean {
  const messages = body.messages;
  if (!Array.isArray(messages)) {
    if (typeof body.prompt === 'string' && body.prompt.includes(token)) {
      body.prompt = removeToken(body.prompt, token);
      return true;
    }
    return false;
  }
  for (let i = messages.length - 1; i >= 0; i--) {
    const message = messages[i] as Record<string, unknown> | null;
    if (!message || message.role !== 'user') continue;
    const content = message.content;
    if (typeof content === 'string') {
      if (!content.includes(token)) return false;
      body.messages = replaced(messages, i, { ...message, content: removeToken(content, token) });
      return true;
    }
    if (Array.isArray(content)) {
      let found = false;
      const parts = (content as unknown[]).map((part) => {
        const p = part as Record<string, unknown> | null;
        if (p && typeof p.text === 'string' && p.text.includes(token)) {
          found = true;
          return { ...p, text: removeToken(p.text, token) };
        }
        return part;
      });
      if (found) body.messages = replaced(messages, i, { ...message, content: parts });
      return found;
    }
    return false;
  }
  return false;
}

function replaced(list: unknown[], index: number, value: unknown): unknown[] {
  const copy = list.slice();
  copy[index] = value;
  return copy;
}

function removeToken(text: string, token: string): string {
  return text
    .split(token)
    .join('')
    .replace(/[ \t]{2,}/g, ' ')
    .trim();
}
