import { GatewayErrors } from '../gateway.errors';

const IMAGE_TYPES = new Set(['image/jpeg', 'image/png', 'image/gif', 'image/webp']);
const TOOL_CHOICES = new Set(['auto', 'any', 'tool', 'none']);

export interface AnthropicValidationOptions {
  /** `max_tokens` is required on `/v1/messages`, not on `/v1/messages/count_tokens`. */
  requireMaxTokens: boolean;
}

type Obj = Record<string, unknown>;

/**
 * Structural checks of an Anthropic Messages request, cheap enough for every request: what the
 * translation relies on, with Anthropic-style paths (`messages.0.content.1.source`) in the message
 * and in `param`. Unknown block types pass (newer clients send blocks this gateway drops).
 */
export function validateAnthropicRequest(
  body: unknown,
  options: AnthropicValidationOptions = { requireMaxTokens: true },
): asserts body is Obj {
  if (!isObject(body)) fail('', 'the request body must be a JSON object');
  if (typeof body.model !== 'string' || body.model.trim() === '') {
    fail('model', 'required, a non-empty string');
  }
  const maxTokens = body.max_tokens;
  if (maxTokens === undefined || maxTokens === null) {
    if (options.requireMaxTokens) fail('max_tokens', 'required, a positive integer');
  } else if (!(Number.isInteger(maxTokens) && (maxTokens as number) > 0)) {
    fail('max_tokens', 'must be a positive integer');
  }
  if (body.stream !== undefined && body.stream !== null && typeof body.stream !== 'boolean') {
    fail('stream', 'must be a boolean');
  }
  validateSystem(body.system);
  validateMessages(body.messages);
  validateTools(body.tools);
  validateToolChoice(body.tool_choice);
  for (const field of ['temperature', 'top_p', 'top_k'] as const) {
    const value = body[field];
    if (value !== undefined && value !== null && (typeof value !== 'number' || !Number.isFinite(value))) {
      fail(field, 'must be a number');
    }
  }
  const stops = body.stop_sequences;
  if (stops !== undefined && stops !== null) {
    if (!Array.isArray(stops) || stops.some((stop) => typeof stop !== 'string')) {
      fail('stop_sequences', 'must be an array of strings');
    }
  }
  if (body.metadata !== undefined && body.metadata !== null && !isObject(body.metadata)) {
    fail('metadata', 'must be an object');
  }
  if (body.thinking !== undefined && body.thinking !== null) {
    if (!isObject(body.thinking) || typeof body.thinking.type !== 'string') {
      fail('thinking', 'must be an object with a type');
    }
  }
}

function validateSystem(system: unknown): void {
  if (system === undefined || system === null || typeof system === 'string') return;
  if (!Array.isArray(system)) fail('system', 'must be a string or an array of text blocks');
  system.forEach((block: unknown, i) => {
    if (!isObject(block) || block.type !== 'text' || typeof block.text !== 'string') {
      fail(`system.${i}`, 'must be a text block ({"type": "text", "text": "..."})');
    }
  });
}

function validateMessages(messages: unknown): void {
  if (!Array.isArray(messages)) fail('messages', 'required, an array of messages');
  if (messages.length === 0) fail('messages', 'at least one message is required');
  messages.forEach((message: unknown, i) => {
    const path = `messages.${i}`;
    if (!isObject(message)) fail(path, 'must be an object with role and content');
    if (message.role !== 'user' && message.role !== 'assistant') {
      fail(`${path}.role`, 'must be "user" or "assistant"');
    }
    const content = message.content;
    if (typeof content === 'string') return;
    if (!Array.isArray(content)) fail(`${path}.content`, 'must be a string or an array of content blocks');
    content.forEach((block: unknown, j) => validateBlock(block, `${path}.content.${j}`));
  });
}

function validateBlock(block: unknown, path: string): void {
  if (!isObject(block) || typeof block.type !== 'string') fail(path, 'must be a content block with a type');
  switch (block.type) {
    case 'text':
      if (typeof block.text !== 'string') fail(`${path}.text`, 'required, a string');
      break;
    case 'image':
      validateImageSource(block.source, `${path}.source`);
      break;
    case 'document':
      validateDocumentSource(block.source, `${path}.source`);
      break;
    case 'tool_use':
      if (typeof block.id !== 'string' || block.id === '') fail(`${path}.id`, 'required, a string');
      if (typeof block.name !== 'string' || block.name === '') fail(`${path}.name`, 'required, a string');
      if (!isObject(block.input)) fail(`${path}.input`, 'required, an object');
      break;
    case 'tool_result':
      validateToolResult(block, path);
      break;
    default:
      break;
  }
}

function validateToolResult(block: Obj, path: string): void {
  if (typeof block.tool_use_id !== 'string' || block.tool_use_id === '') {
    fail(`${path}.tool_use_id`, 'required, a string');
  }
  const content = block.content;
  if (content === undefined || content === null || typeof content === 'string') return;
  if (!Array.isArray(content)) fail(`${path}.content`, 'must be a string or an array of content blocks');
  content.forEach((item: unknown, k) => {
    const itemPath = `${path}.content.${k}`;
    if (!isObject(item)) fail(itemPath, 'must be a content block with a type');
    if (item.type === 'text') {
      if (typeof item.text !== 'string') fail(`${itemPath}.text`, 'required, a string');
    } else if (item.type === 'image') {
      validateImageSource(item.source, `${itemPath}.source`);
    } else if (item.type === 'document') {
      validateDocumentSource(item.source, `${itemPath}.source`);
    } else {
      fail(`${itemPath}.type`, 'must be "text", "image" or "document" inside a tool result');
    }
  });
}

function validateImageSource(source: unknown, path: string): void {
  if (!isObject(source)) fail(path, 'required, an object');
  if (source.type === 'base64') {
    if (typeof source.media_type !== 'string' || !IMAGE_TYPES.has(source.media_type)) {
      fail(`${path}.media_type`, 'must be one of image/jpeg, image/png, image/gif, image/webp');
    }
    if (typeof source.data !== 'string' || source.data === '') fail(`${path}.data`, 'required, base64 data');
  } else if (source.type === 'url') {
    if (typeof source.url !== 'string' || !/^https?:\/\//i.test(source.url)) {
      fail(`${path}.url`, 'must be an http(s) URL');
    }
  } else {
    fail(`${path}.type`, 'must be "base64" or "url"');
  }
}

function validateDocumentSource(source: unknown, path: string): void {
  if (!isObject(source)) fail(path, 'required, an object');
  if (source.type === 'base64' || source.type === 'text') {
    if (typeof source.data !== 'string') fail(`${path}.data`, 'required, a string');
  } else if (source.type === 'url') {
    if (typeof source.url !== 'string') fail(`${path}.url`, 'required, a string');
  } else {
    fail(`${path}.type`, 'must be "base64", "text" or "url"');
  }
}

function validateTools(tools: unknown): void {
  if (tools === undefined || tools === null) return;
  if (!Array.isArray(tools)) fail('tools', 'must be an array');
  tools.forEach((tool: unknown, i) => {
    const path = `tools.${i}`;
    if (!isObject(tool)) fail(path, 'must be an object');
    if (typeof tool.name !== 'string' || tool.name === '') fail(`${path}.name`, 'required, a string');
    const custom = tool.type === undefined || tool.type === null || tool.type === 'custom';
    if (custom && !isObject(tool.input_schema)) {
      fail(`${path}.input_schema`, 'required, a JSON schema object');
    }
    if (!custom && typeof tool.type !== 'string') fail(`${path}.type`, 'must be a string');
  });
}

function validateToolChoice(choice: unknown): void {
  if (choice === undefined || choice === null) return;
  if (!isObject(choice) || typeof choice.type !== 'string' || !TOOL_CHOICES.has(choice.type)) {
    fail('tool_choice', 'must be an object with type "auto", "any", "tool" or "none"');
  }
  if (choice.type === 'tool' && (typeof choice.name !== 'string' || choice.name === '')) {
    fail('tool_choice.name', 'required when type is "tool"');
  }
}

function isObject(value: unknown): value is Obj {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function fail(path: string, problem: string): never {
  throw GatewayErrors.invalidRequest(path ? `${path}: ${problem}` : problem, path || undefined);
}
