import type { RawJsonBody } from '../../../../common/json/raw-json-body';
import type { AnthropicMessagesRequest } from '../wire/anthropic.types';

/** OpenAI fields the pipeline may change and the Anthropic member that carries each. */
const MAPPED: Readonly<Record<string, keyof AnthropicMessagesRequest>> = {
  model: 'model',
  max_tokens: 'max_tokens',
  max_completion_tokens: 'max_tokens',
};

function isSystem(message: unknown): boolean {
  const role = (message as { role?: unknown } | null)?.role;
  return role === 'system' || role === 'developer';
}

/**
 * The client's own Anthropic Messages bytes for an Anthropic upstream (Anthropic ingress → Anthropic
 * provider, e.g. Claude Code through `auto`), instead of translating its body to OpenAI and back:
 * unchanged → the same bytes; a changed model, max_tokens or system prompt → the same bytes with
 * only that member replaced by its translation (a list `system` keeps its blocks and their
 * `cache_control`). Anything else changed → undefined, and the caller translates the whole body.
 *
 * `body` is the pipeline's OpenAI body, `raw` the client's Anthropic bytes it was translated from.
 */
export function anthropicPassthrough(
  raw: RawJsonBody,
  body: Record<string, unknown>,
  translate: () => AnthropicMessagesRequest,
): Buffer | undefined {
  const changed = raw.changedKeys(body);
  if (changed.length === 0) return raw.bytes;
  const members = new Set<keyof AnthropicMessagesRequest>();
  for (const key of changed) {
    const member = MAPPED[key];
    if (member) members.add(member);
    else if (key === 'messages' && onlySystemChanged(raw, body.messages)) members.add('system');
    else return undefined;
  }
  const request = translate();
  const edits: Record<string, unknown> = {};
  for (const member of members) edits[member] = request[member];
  return raw.withMembers(edits);
}

/** The non-system messages are the original ones, in order: only system messages were added or changed. */
function onlySystemChanged(raw: RawJsonBody, messages: unknown): boolean {
  const before = raw.originalElements('messages');
  if (!before || !Array.isArray(messages)) return false;
  const after = messages.filter((m) => !isSystem(m));
  const kept = before.filter((m) => !isSystem(m));
  return after.length === kept.length && after.every((m, i) => m === kept[i]);
}
