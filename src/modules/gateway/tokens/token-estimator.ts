import type { GatewayEndpoint } from '../pipeline/gateway-context';

/** Average characters per token of BPE tokenizers on mixed English/code text. */
const CHARS_PER_TOKEN = 4;
/** Role and separator tokens every chat message costs. */
const TOKENS_PER_MESSAGE = 4;
/** A conservative middle for an image part (providers charge 85–1500 depending on detail). */
const TOKENS_PER_IMAGE = 512;

/**
 * Estimated prompt tokens of an OpenAI request body, without a tokenizer (fast enough for every
 * request: one pass over the text). Used for the context pre-flight, the max_tokens clamp and when
 * an upstream reports no usage.
 */
export function estimateRequestTokens(body: Record<string, unknown>, endpoint: GatewayEndpoint): number {
  switch (endpoint) {
    case 'chat':
      return estimateChatTokens(body);
    case 'completions':
      return Math.ceil((textLength(body.prompt) + textLength(body.suffix)) / CHARS_PER_TOKEN);
    case 'embeddings':
      return Math.ceil(textLength(body.input) / CHARS_PER_TOKEN);
  }
}

export function estimateTextTokens(text: string): number {
  return Math.ceil(text.length / CHARS_PER_TOKEN);
}

function estimateChatTokens(body: Record<string, unknown>): number {
  let chars = 0;
  let fixed = 3;
  const messages = body.messages;
  if (Array.isArray(messages)) {
    for (const message of messages as unknown[]) {
      fixed += TOKENS_PER_MESSAGE;
      if (!message || typeof message !== 'object') continue;
      const m = message as Record<string, unknown>;
      const content = m.content;
      if (typeof content === 'string') chars += content.length;
      else if (Array.isArray(content)) {
        for (const part of content as unknown[]) {
          if (!part || typeof part !== 'object') continue;
          const p = part as Record<string, unknown>;
          if (typeof p.text === 'string') chars += p.text.length;
          else if (p.type === 'image_url' || p.type === 'image' || p.type === 'input_image')
            fixed += TOKENS_PER_IMAGE;
          else if (p.type === 'input_audio') fixed += 256;
        }
      }
      if (Array.isArray(m.tool_calls)) {
        for (const call of m.tool_calls as Record<string, unknown>[]) {
          const fn = call?.function as Record<string, unknown> | undefined;
          if (fn) chars += textLength(fn.name) + textLength(fn.arguments);
        }
      }
      if (typeof m.name === 'string') chars += m.name.length;
    }
  }
  if (Array.isArray(body.tools) && body.tools.length > 0) chars += JSON.stringify(body.tools).length;
  return fixed + Math.ceil(chars / CHARS_PER_TOKEN);
}

function textLength(value: unknown): number {
  if (typeof value === 'string') return value.length;
  if (Array.isArray(value)) {
    let total = 0;
    for (const item of value as unknown[]) {
      if (typeof item === 'string') total += item.length;
      else if (Array.isArray(item)) total += item.length * CHARS_PER_TOKEN; // token ids: one per token
    }
    return total;
  }
  return 0;
}
