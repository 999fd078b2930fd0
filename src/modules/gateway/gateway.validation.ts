import { GatewayErrors } from './gateway.errors';
import type { GatewayEndpoint } from './pipeline/gateway-context';

const ROLES = new Set(['system', 'developer', 'user', 'assistant', 'tool', 'function']);

/**
 * Cheap structural checks of an OpenAI request (no schema library on the hot path): enough to
 * answer a clear 400 instead of forwarding garbage; the upstream validates the rest.
 */
export function validateRequestBody(
  endpoint: GatewayEndpoint,
  body: unknown,
): asserts body is Record<string, unknown> {
  if (!body || typeof body !== 'object' || Array.isArray(body)) {
    throw GatewayErrors.invalidRequest('The request body must be a JSON object.');
  }
  const b = body as Record<string, unknown>;
  if (typeof b.model !== 'string' || b.model.trim() === '') {
    throw GatewayErrors.invalidRequest("'model' is required and must be a non-empty string.", 'model');
  }
  if (b.stream !== undefined && b.stream !== null && typeof b.stream !== 'boolean') {
    throw GatewayErrors.invalidRequest("'stream' must be a boolean.", 'stream');
  }
  for (const field of ['max_tokens', 'max_completion_tokens'] as const) {
    const value = b[field];
    if (value !== undefined && value !== null && !(Number.isInteger(value) && (value as number) > 0)) {
      throw GatewayErrors.invalidRequest(`'${field}' must be a positive integer.`, field);
    }
  }
  switch (endpoint) {
    case 'chat':
      validateMessages(b.messages);
      break;
    case 'completions':
      if (!isTextInput(b.prompt)) {
        throw GatewayErrors.invalidRequest(
          "'prompt' is required (a string or an array of strings).",
          'prompt',
        );
      }
      break;
    case 'embeddings':
      if (!isTextInput(b.input)) {
        throw GatewayErrors.invalidRequest("'input' is required (a string or an array).", 'input');
      }
      break;
  }
}

function validateMessages(messages: unknown): void {
  if (!Array.isArray(messages) || messages.length === 0) {
    throw GatewayErrors.invalidRequest("'messages' must be a non-empty array.", 'messages');
  }
  for (let i = 0; i < messages.length; i++) {
    const message = messages[i] as unknown;
    if (!message || typeof message !== 'object' || Array.isArray(message)) {
      throw GatewayErrors.invalidRequest(`'messages[${i}]' must be an object.`, `messages[${i}]`);
    }
    const role = (message as { role?: unknown }).role;
    if (typeof role !== 'string' || !ROLES.has(role)) {
      throw GatewayErrors.invalidRequest(
        `'messages[${i}].role' must be one of system, developer, user, assistant, tool.`,
        `messages[${i}].role`,
      );
    }
  }
}

function isTextInput(value: unknown): boolean {
  if (typeof value === 'string') return true;
  return Array.isArray(value) && value.length > 0;
}
